// Package analysistest runs rules over testdata Dockerfiles that carry
// their own expectations. A comment
//
//	# want +1 DF013 "shell form"
//
// expects a finding of DF013 whose message matches the regular expression,
// starting N lines below the comment (+1 when no offset is given). Several
// ID/regexp pairs may follow one `want`. A file with no `want` for a rule
// is a near miss: the rule must stay silent on it. When NAME.golden exists
// next to NAME, applying the rule's fixes to NAME must produce it.
package analysistest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

var update = flag.Bool("update", false, "rewrite .golden fix files")

// Today is the fixed check date of rule tests.
var Today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Want is one expectation.
type Want struct {
	Line    int
	RuleID  string
	Pattern *regexp.Regexp
}

var (
	wantRe = regexp.MustCompile(`^#\s*want(?:\s+\+(\d+))?((?:\s+[A-Z]{2}\d{3}\s+"(?:[^"\\]|\\.)*")+)\s*$`)
	pairRe = regexp.MustCompile(`([A-Z]{2}\d{3})\s+"((?:[^"\\]|\\.)*)"`)
)

// ParseWants reads the `# want` comments of src.
func ParseWants(src string) ([]Want, error) {
	var wants []Want
	for i, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if !strings.HasPrefix(t, "#") || !strings.Contains(t, "want") {
			continue
		}
		m := wantRe.FindStringSubmatch(t)
		if m == nil {
			if regexp.MustCompile(`^#\s*want\b`).MatchString(t) {
				return nil, fmt.Errorf("line %d: malformed want comment %q", i+1, t)
			}
			continue
		}
		offset := 1
		if m[1] != "" {
			offset, _ = strconv.Atoi(m[1])
		}
		for _, p := range pairRe.FindAllStringSubmatch(m[2], -1) {
			pattern, err := strconv.Unquote(`"` + p[2] + `"`)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			re, err := regexp.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			wants = append(wants, Want{Line: i + 1 + offset, RuleID: p[1], Pattern: re})
		}
	}
	return wants, nil
}

// Run checks every file in dir (Dockerfiles: any file not ending in
// .golden) against its want comments, running only the given rules.
func Run(t *testing.T, dir string, rules ...*analysis.Rule) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".golden") {
			continue
		}
		ran++
		path := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) { runFile(t, path, rules) })
	}
	if ran == 0 {
		t.Fatalf("no test files in %s", dir)
	}
}

// Findings parses path and returns the findings of rules on it.
func Findings(t *testing.T, path string, rules ...*analysis.Rule) (*dockerfile.File, []analysis.Finding) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := dockerfile.Parse(path, src, dockerfile.Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	findings := checker.RunRules(f, path, rules, Today)
	checker.Sort(findings)
	return f, findings
}

func runFile(t *testing.T, path string, rules []*analysis.Rule) {
	f, findings := Findings(t, path, rules...)
	wants, err := ParseWants(string(f.Source))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tested := map[string]bool{}
	for _, r := range rules {
		tested[r.ID] = true
	}
	used := make([]bool, len(findings))
	for _, w := range wants {
		if !tested[w.RuleID] {
			continue
		}
		found := false
		for i, fd := range findings {
			if !used[i] && fd.Rule.ID == w.RuleID && fd.Range.Start.Line == w.Line && w.Pattern.MatchString(fd.Message) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			var got []string
			for _, fd := range findings {
				if fd.Range.Start.Line == w.Line {
					got = append(got, fmt.Sprintf("%s %q", fd.Rule.ID, fd.Message))
				}
			}
			t.Errorf("%s:%d: no %s finding matching %q (got on that line: %v)", path, w.Line, w.RuleID, w.Pattern, got)
		}
	}
	for i, fd := range findings {
		if !used[i] {
			t.Errorf("%s:%d: unexpected %s finding: %s", path, fd.Range.Start.Line, fd.Rule.ID, fd.Message)
		}
	}
	checkGolden(t, path, f, findings)
}

func checkGolden(t *testing.T, path string, f *dockerfile.File, findings []analysis.Finding) {
	golden := path + ".golden"
	var edits []analysis.Edit
	for _, fd := range findings {
		if fd.Fix != nil {
			edits = append(edits, fd.Fix.Edits...)
		}
	}
	_, statErr := os.Stat(golden)
	if len(edits) == 0 {
		if statErr == nil {
			t.Errorf("%s exists but no finding offers a fix", golden)
		}
		return
	}
	got, err := analysis.ApplyEdits(f.Source, edits)
	if err != nil {
		t.Fatalf("%s: applying fixes: %v", path, err)
	}
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%s: fixes offered but no golden file (run with -update): %v", path, err)
	}
	if string(got) != string(want) {
		t.Errorf("%s: fixed output differs from %s:\n--- got ---\n%s\n--- want ---\n%s", path, golden, got, want)
	}
}

// Coverage reports, for each rule ID, whether its testdata directory has a
// file where it fires and one where it must stay silent.
func Coverage(t *testing.T, dir string, rule *analysis.Rule) (fires, silent bool) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, rule.ID))
	if err != nil {
		return false, false
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".golden") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		src, err := os.ReadFile(filepath.Join(dir, rule.ID, n))
		if err != nil {
			t.Fatal(err)
		}
		wants, err := ParseWants(string(src))
		if err != nil {
			t.Fatal(err)
		}
		has := false
		for _, w := range wants {
			if w.RuleID == rule.ID {
				has = true
			}
		}
		if has {
			fires = true
		} else {
			silent = true
		}
	}
	return fires, silent
}
