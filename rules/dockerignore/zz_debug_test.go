package dockerignore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZDebug(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*/*.txtar")
	for _, c := range cases {
		ar, _ := parseArchiveFile(c)
		cfg := parseConfig(ar.Comment)
		root := t.TempDir()
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".golden") { continue }
			p := filepath.Join(root, f.Name); os.MkdirAll(filepath.Dir(p), 0o755); os.WriteFile(p, f.Data, 0o644)
		}
		fmt.Println("==", c)
		for _, fd := range check(t, root, cfg, Rules()) {
			r, _ := filepath.Rel(root, fd.File)
			fix := ""
			if fd.Fix != nil { fix = " [fix: " + fd.Fix.Title + "]" }
			fmt.Printf("  %s:%d %s %s: %s%s\n     help: %s\n", r, fd.Range.Start.Line, fd.Rule.ID, fd.Severity, fd.Message, fix, fd.Help)
		}
	}
}
