package df

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// FuzzRules: no rule may panic on any Dockerfile (the checker turns a
// panic into an "internal error" finding, which fails here).
func FuzzRules(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*")
	for _, p := range seeds {
		if strings.HasSuffix(p, ".golden") {
			continue
		}
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := dockerfile.Parse("Dockerfile", src, dockerfile.Options{})
		if err != nil {
			return
		}
		for _, fd := range checker.RunRules(file, "Dockerfile", Rules(), today) {
			if strings.HasPrefix(fd.Message, "internal error") {
				t.Fatal(fd.Message)
			}
			if fd.Range.Start.Line < 1 {
				t.Fatalf("%s finding without a line: %s", fd.Rule.ID, fd.Message)
			}
		}
	})
}
