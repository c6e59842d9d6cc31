package co

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// The test cases live in testdata/<ID>/<case>/: a small project whose
// compose files carry their expectations as trailing comments on the line
// a finding must point at:
//
//	image: redis # want CO004 "has no tag"
//
// Several expectations may follow one `want`. Only expectations for the
// directory's rule are checked, and only that rule runs. A file `X.golden`
// beside compose file X holds X with every fix applied.

var wantRe = regexp.MustCompile(`#\s*want\s+(.*)$`)
var wantItem = regexp.MustCompile(`([A-Z]{2}\d{3})\s+"((?:[^"\\]|\\.)*)"`)

type want struct {
	file string
	line int
	id   string
	re   *regexp.Regexp
}

func isComposeFile(name string) bool {
	return strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")
}

// loadCase loads every compose file set of a case directory.
func loadCase(t *testing.T, dir string) ([]*compose.Project, []want) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	var wants []want
	for _, e := range entries {
		if e.IsDir() || !isComposeFile(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		files = append(files, path)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			m := wantRe.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			items := wantItem.FindAllStringSubmatch(m[1], -1)
			if len(items) == 0 {
				t.Fatalf("%s:%d: malformed want comment", path, i+1)
			}
			for _, it := range items {
				wants = append(wants, want{file: path, line: i + 1, id: it[1], re: regexp.MustCompile(strings.ReplaceAll(it[2], `\"`, `"`))})
			}
		}
	}
	var projects []*compose.Project
	for _, set := range compose.Sets(files) {
		p, err := compose.Load(set...)
		if err != nil {
			t.Fatalf("loading %v: %v", set, err)
		}
		projects = append(projects, p)
	}
	return projects, wants
}

func runRule(rule *analysis.Rule, projects []*compose.Project) []analysis.Finding {
	var findings []analysis.Finding
	for _, p := range projects {
		pass := analysis.NewPass(rule, p.Files[0].Path, func(f analysis.Finding) { findings = append(findings, f) })
		pass.Today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		analysis.Run(rule, pass, p)
	}
	return findings
}

func findRule(id string) *analysis.Rule {
	for _, r := range Rules() {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func TestRules(t *testing.T) {
	ruleDirs, _ := filepath.Glob(filepath.Join("testdata", "CO*"))
	for _, rd := range ruleDirs {
		id := filepath.Base(rd)
		rule := findRule(id)
		if rule == nil {
			t.Errorf("%s: no rule with this ID", rd)
			continue
		}
		cases, _ := os.ReadDir(rd)
		for _, c := range cases {
			if !c.IsDir() {
				continue
			}
			dir := filepath.Join(rd, c.Name())
			t.Run(id+"/"+c.Name(), func(t *testing.T) {
				projects, wants := loadCase(t, dir)
				findings := runRule(rule, projects)
				checkFindings(t, id, findings, wants)
				checkGolden(t, dir, findings)
			})
		}
	}
}

func checkFindings(t *testing.T, id string, findings []analysis.Finding, wants []want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, f := range findings {
		if f.Rule.ID != id {
			t.Errorf("unexpected rule %s in finding %q", f.Rule.ID, f.Message)
			continue
		}
		if f.Help == "" {
			t.Errorf("%s:%d: finding has no help: %s", f.File, f.Range.Start.Line, f.Message)
		}
		matched := false
		for i, w := range wants {
			if used[i] || w.id != id || w.file != f.File || w.line != f.Range.Start.Line || !w.re.MatchString(f.Message) {
				continue
			}
			used[i], matched = true, true
			break
		}
		if !matched {
			t.Errorf("%s:%d:%d: unexpected finding: %s %s", f.File, f.Range.Start.Line, f.Range.Start.Col, f.Rule.ID, f.Message)
		}
	}
	for i, w := range wants {
		if !used[i] && w.id == id {
			t.Errorf("%s:%d: missing finding %s matching %q", w.file, w.line, w.id, w.re)
		}
	}
}

// checkGolden applies the fixes of the findings in X and compares with
// X.golden.
func checkGolden(t *testing.T, dir string, findings []analysis.Finding) {
	t.Helper()
	goldens, _ := filepath.Glob(filepath.Join(dir, "*.golden"))
	for _, g := range goldens {
		file := strings.TrimSuffix(g, ".golden")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var edits []analysis.Edit
		for _, f := range findings {
			if f.File == file && f.Fix != nil {
				edits = append(edits, f.Fix.Edits...)
			}
		}
		got, err := analysis.ApplyEdits(src, edits)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		wantSrc, _ := os.ReadFile(g)
		if !bytes.Equal(got, wantSrc) {
			t.Errorf("%s: fixed text differs from %s:\n%s", file, g, got)
		}
	}
}

// TestEveryRuleTested checks the registry is valid and every CO rule has a
// case that fires and a case that stays silent.
func TestEveryRuleTested(t *testing.T) {
	if err := analysis.NewRegistry(Rules()...).Validate(); err != nil {
		t.Fatal(err)
	}
	if len(Rules()) != 11 {
		t.Errorf("%d CO rules, want 11", len(Rules()))
	}
	for _, r := range Rules() {
		if r.Family() != "CO" || r.Doc.ExampleFile != "compose.yaml" {
			t.Errorf("%s: family %s, example file %q", r.ID, r.Family(), r.Doc.ExampleFile)
		}
		cases, _ := os.ReadDir(filepath.Join("testdata", r.ID))
		fires, silent := 0, 0
		for _, c := range cases {
			if !c.IsDir() {
				continue
			}
			_, wants := loadCase(t, filepath.Join("testdata", r.ID, c.Name()))
			n := 0
			for _, w := range wants {
				if w.id == r.ID {
					n++
				}
			}
			if n > 0 {
				fires++
			} else {
				silent++
			}
		}
		if fires == 0 || silent == 0 {
			t.Errorf("%s: %d firing and %d silent cases; want at least one of each", r.ID, fires, silent)
		}
	}
}

// TestDocExamples runs each rule on its own doc examples: Bad fires, Good
// does not.
func TestDocExamples(t *testing.T) {
	for _, r := range Rules() {
		for _, ex := range []struct {
			name, src string
			fire      bool
		}{{"Bad", r.Doc.Bad, true}, {"Good", r.Doc.Good, false}} {
			p, err := compose.LoadSources(compose.Source{Path: "compose.yaml", Data: []byte(ex.src)})
			if err != nil {
				t.Errorf("%s %s example: %v", r.ID, ex.name, err)
				continue
			}
			n := len(runRule(r, []*compose.Project{p}))
			if (n > 0) != ex.fire {
				t.Errorf("%s %s example: %d findings", r.ID, ex.name, n)
			}
		}
	}
}
