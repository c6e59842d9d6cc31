package co

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// FuzzRules: no CO rule panics on a compose file that loads.
func FuzzRules(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "CO*", "*", "*.y*ml"))
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(string(src))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := compose.LoadSources(compose.Source{Path: "compose.yaml", Data: []byte(src)})
		if err != nil {
			return
		}
		for _, fd := range runAll(p) {
			if fd.Range.Start.Line < 1 {
				t.Fatalf("%s finding without a line: %s", fd.Rule.ID, fd.Message)
			}
		}
	})
}

func runAll(p *compose.Project) []analysis.Finding {
	var out []analysis.Finding
	for _, r := range Rules() {
		out = append(out, runRule(r, []*compose.Project{p})...)
	}
	return out
}
