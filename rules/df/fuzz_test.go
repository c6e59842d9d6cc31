package df

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// FuzzRules: no rule may panic on any Dockerfile (the checker turns a
// panic into an "internal error" finding, which fails here), and every
// finding has a line but on a file that is no Dockerfile at all. Seeds
// are the Dockerfiles of the test cases.
func FuzzRules(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.txtar")
	for _, p := range seeds {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if file.Name == "Dockerfile" {
				f.Add(file.Data)
			}
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
			if fd.Range.Start.Line < 1 && file.Unusable() == nil {
				t.Fatalf("%s finding without a line: %s", fd.Rule.ID, fd.Message)
			}
		}
	})
}
