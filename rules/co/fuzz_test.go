package co

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// FuzzRules: no CO rule panics on a compose file that loads, and one that
// does not is exactly one CO000 finding. Seeds are the compose files of
// the test cases.
func FuzzRules(f *testing.F) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "CO*", "*.txtar"))
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if strings.HasSuffix(file.Name, ".yml") || strings.HasSuffix(file.Name, ".yaml") {
				f.Add(string(file.Data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := compose.LoadSources(compose.Source{Path: "compose.yaml", Data: []byte(src)})
		if err != nil {
			fs := runAll(compose.Failed([]string{"compose.yaml"}, err))
			if len(fs) != 1 || fs[0].Rule.ID != "CO000" || fs[0].Message == "" {
				t.Fatalf("a file that does not load (%v) gives %v", err, fs)
			}
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
		pass := analysis.NewPass(r, p.Files[0].Path, func(f analysis.Finding) { out = append(out, f) })
		pass.Today = analysistest.Today
		analysis.Run(r, pass, p)
	}
	return out
}
