package ap

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// Each test case is a directory testdata/<ID>/<case>/ holding a small
// project: a Dockerfile (the first one found, in path order; the build
// context is the case directory), package.json, lockfiles, version files
// and sources. A file named `want` lists the expected findings of the
// rule, one a line:
//
//	AP004 src/server.js:12 "loopback"
//
// (rule ID, file relative to the case directory, line, message regexp
// with `\"` for a quote); `#` starts a comment line. A case without a want line for the rule is a
// near miss: the rule must stay silent there.

type want struct {
	rule, file string
	line       int
	re         *regexp.Regexp
}

var wantLine = regexp.MustCompile(`^([A-Z]{2}\d{3})\s+(\S+):(\d+)\s+"((?:[^"\\]|\\.)*)"\s*$`)

func readWants(t *testing.T, dir string) []want {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, "want"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []want
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m := wantLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("%s/want:%d: malformed line %q", dir, n, l)
		}
		line, _ := strconv.Atoi(m[3])
		re, err := regexp.Compile(strings.ReplaceAll(m[4], `\"`, `"`))
		if err != nil {
			t.Fatalf("%s/want:%d: %v", dir, n, err)
		}
		out = append(out, want{rule: m[1], file: m[2], line: line, re: re})
	}
	return out
}

// caseDockerfile finds the case's Dockerfile.
func caseDockerfile(t *testing.T, dir string) string {
	t.Helper()
	var found []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && project.IsDockerfileName(d.Name()) {
			found = append(found, p)
		}
		return nil
	})
	sort.Strings(found)
	if len(found) == 0 {
		t.Fatalf("%s: no Dockerfile", dir)
	}
	return found[0]
}

// runRules runs rules over the project in dir and returns their findings.
func runRules(t *testing.T, dir string, rules ...*analysis.Rule) []analysis.Finding {
	t.Helper()
	dfPath := caseDockerfile(t, dir)
	b, err := project.NewBuild(dfPath, dir, dir)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	src, err := os.ReadFile(dfPath)
	if err != nil {
		t.Fatal(err)
	}
	f, err := dockerfile.Parse(dfPath, src, dockerfile.Options{})
	if err != nil {
		t.Fatalf("%s: %v", dfPath, err)
	}
	var findings []analysis.Finding
	for _, r := range rules {
		pass := analysis.NewPass(r, dfPath, func(fd analysis.Finding) { findings = append(findings, fd) })
		b.Dockerfile = f
		pass.Today = analysistest.Today
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("%s panicked on %s: %v", r.ID, dir, v)
				}
			}()
			analysis.Run(r, pass, b)
		}()
	}
	return findings
}

func runCase(t *testing.T, dir string, rule *analysis.Rule) {
	wants := readWants(t, dir)
	findings := runRules(t, dir, rule)
	used := make([]bool, len(findings))
	for _, w := range wants {
		if w.rule != rule.ID {
			continue
		}
		found := false
		for i, fd := range findings {
			rel, _ := filepath.Rel(dir, fd.File)
			if !used[i] && filepath.ToSlash(rel) == w.file && fd.Range.Start.Line == w.line && w.re.MatchString(fd.Message) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			var got []string
			for _, fd := range findings {
				rel, _ := filepath.Rel(dir, fd.File)
				got = append(got, fmt.Sprintf("%s:%d %q", rel, fd.Range.Start.Line, fd.Message))
			}
			t.Errorf("no %s finding at %s:%d matching %q; got %v", w.rule, w.file, w.line, w.re, got)
		}
	}
	for i, fd := range findings {
		if !used[i] {
			rel, _ := filepath.Rel(dir, fd.File)
			t.Errorf("unexpected %s finding at %s:%d: %s", fd.Rule.ID, rel, fd.Range.Start.Line, fd.Message)
		}
		if fd.Help == "" {
			t.Errorf("%s finding at %s has no help", fd.Rule.ID, fd.File)
		}
		if fd.Range.Start.Line < 1 {
			t.Errorf("%s finding at %s has no line", fd.Rule.ID, fd.File)
		}
	}
}

func caseDirs(t *testing.T, id string) []string {
	entries, err := os.ReadDir(filepath.Join("testdata", id))
	if err != nil {
		t.Fatalf("no testdata for %s: %v", id, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join("testdata", id, e.Name()))
		}
	}
	return out
}

func TestRules(t *testing.T) {
	for _, r := range Rules() {
		t.Run(r.ID, func(t *testing.T) {
			for _, dir := range caseDirs(t, r.ID) {
				t.Run(filepath.Base(dir), func(t *testing.T) { runCase(t, dir, r) })
			}
		})
	}
}

// TestAllRulesOnAllCases runs the whole family over every case: nothing
// panics, and every finding points at an existing file and line.
func TestAllRulesOnAllCases(t *testing.T) {
	ids, _ := filepath.Glob(filepath.Join("testdata", "AP*"))
	for _, id := range ids {
		for _, dir := range caseDirs(t, filepath.Base(id)) {
			for _, fd := range runRules(t, dir, Rules()...) {
				if testing.Verbose() {
					rel, _ := filepath.Rel("testdata", fd.File)
					t.Logf("%s:%d: %s %s\n    help: %s", rel, fd.Range.Start.Line, fd.Rule.ID, fd.Message, fd.Help)
				}
				src, err := os.ReadFile(fd.File)
				if err != nil {
					t.Errorf("%s: finding in unreadable file %s", fd.Rule.ID, fd.File)
					continue
				}
				if n := strings.Count(string(src), "\n") + 1; fd.Range.Start.Line > n {
					t.Errorf("%s: line %d past the end of %s (%d lines)", fd.Rule.ID, fd.Range.Start.Line, fd.File, n)
				}
			}
		}
	}
}

// TestEveryRuleHasCases: each rule has a case where it fires and a near
// miss where it must not, and the registry validates.
func TestEveryRuleHasCases(t *testing.T) {
	if err := analysis.NewRegistry(Rules()...).Validate(); err != nil {
		t.Fatal(err)
	}
	if len(Rules()) != 9 {
		t.Errorf("%d AP rules, want 9", len(Rules()))
	}
	for _, r := range Rules() {
		fires, silent := false, false
		for _, dir := range caseDirs(t, r.ID) {
			has := false
			for _, w := range readWants(t, dir) {
				if w.rule == r.ID {
					has = true
				}
			}
			if has {
				fires = true
			} else {
				silent = true
			}
		}
		if !fires || !silent {
			t.Errorf("%s: needs a case that fires (%v) and a near miss (%v)", r.ID, fires, silent)
		}
		if r.Family() != "AP" {
			t.Errorf("%s is not an AP rule", r.ID)
		}
	}
}
