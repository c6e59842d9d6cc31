package scaffold_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/rules"
	"github.com/seaworthy-dev/seaworthy/scaffold"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

var update = flag.Bool("update", false, "rewrite the want/ sections of testdata/*.txtar")

// day is the date the fixtures are generated and checked on.
var day = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

const wantDir = "want/"

// TestFixtures generates the files for each project in testdata/*.txtar
// (the project's files, then its expected output under want/) and checks
// them with seaworthy's own rules: no error and no warning but DF003 (a
// digest pin needs a registry).
func TestFixtures(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), name)
			want := map[string]string{}
			var input []txtar.File
			for _, f := range ar.Files {
				if rel, ok := strings.CutPrefix(f.Name, wantDir); ok {
					want[rel] = string(f.Data)
					continue
				}
				input = append(input, f)
				p := filepath.Join(dir, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// A repository root, so that nothing above the fixture counts
			// as its workspace.
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			target := dir
			for _, l := range strings.Split(string(ar.Comment), "\n") {
				if rel, ok := strings.CutPrefix(l, "dir: "); ok {
					target = filepath.Join(dir, filepath.FromSlash(strings.TrimSpace(rel)))
				}
			}
			res := generate(t, target)
			got := map[string]string{}
			for _, f := range res.Files {
				got[f.Name] = string(f.Content)
			}
			var lines []string
			for _, d := range res.Detections() {
				lines = append(lines, d.What+": "+d.Value+" ("+d.Why+")")
			}
			got["detected"] = strings.Join(lines, "\n") + "\n"
			if *update {
				ar.Files = input
				for _, n := range sortedKeys(got) {
					ar.Files = append(ar.Files, txtar.File{Name: wantDir + n, Data: []byte(got[n])})
				}
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if d := cmp.Diff(want, got); d != "" {
				t.Errorf("generated files differ from %s (-want +got; go test ./scaffold -update rewrites them):\n%s", path, d)
			}
			for _, f := range res.Files {
				if err := os.WriteFile(filepath.Join(target, f.Name), f.Content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			checkClean(t, target)
		})
	}
}

func generate(t *testing.T, dir string) *scaffold.Result {
	t.Helper()
	pkg, err := nodeproject.Load(dir)
	if err != nil || pkg == nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	shape, err := nodeapp.ShapeOf(pkg, day)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scaffold.Generate(pkg, shape)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkClean runs seaworthy check on dir and fails on any error or
// warning except DF003.
func checkClean(t *testing.T, dir string) {
	t.Helper()
	res, err := checker.Check(context.Background(), checker.Request{
		Paths:    []string{dir},
		Rules:    rules.Registry(),
		Settings: config.Settings{Today: day.Format("2006-01-02"), FailOn: "none"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files == 0 {
		t.Fatal("check found no Dockerfile or compose file")
	}
	for _, f := range res.Findings {
		if f.Severity >= analysis.Warning && f.Rule.ID != "DF003" {
			t.Errorf("check: %s:%d: %s %s %s", filepath.Base(f.File), f.Range.Start.Line, f.Severity, f.Rule.ID, f.Message)
		}
	}
	for _, w := range res.Warnings {
		t.Errorf("check warning: %s", w)
	}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
