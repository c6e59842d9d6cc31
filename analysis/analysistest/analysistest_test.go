package analysistest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// The harness is tested with three small rules, one per input kind it
// builds from files, and a fake testing.TB that records failures.

// todoRule reports `TODO` on a RUN line; its fix deletes the word.
var todoRule = &analysis.Rule{
	ID: "TT001", Name: "todo", Title: "a TODO is left", Severity: analysis.Warning, Fixable: true,
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for i, l := range f.Lines {
			c := strings.Index(l, "TODO ")
			if !strings.HasPrefix(l, "RUN ") || c < 0 {
				continue
			}
			pass.Report(analysis.Finding{
				Range:   analysis.LineRange(i+1, i+1),
				Message: fmt.Sprintf("TODO left on line %d", i+1),
				Help:    "do it",
				Fix: &analysis.Fix{Title: "Delete TODO", Edits: []analysis.Edit{
					{Start: analysis.Pos{Line: i + 1, Col: c + 1}, End: analysis.Pos{Line: i + 1, Col: c + 6}},
				}},
			})
		}
	}),
}

// privateRule reports line 1 of a build's package.json when the package
// is private.
var privateRule = &analysis.Rule{
	ID: "TT002", Name: "private", Title: "the package is private", Severity: analysis.Error,
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		if b.Package != nil && strings.Contains(string(b.Package.Source), `"private": true`) {
			pass.Report(analysis.Finding{File: b.Package.ManifestPath, Range: analysis.LineRange(1, 1), Message: "private package", Help: "publish it"})
		}
	}),
}

// exitRule reports, without position, a container that exited.
var exitRule = &analysis.Rule{
	ID: "TT003", Name: "exited", Title: "the container exited", Severity: analysis.Error,
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if r.Start.Exited {
			pass.Report(analysis.Finding{Message: fmt.Sprintf("exited with code %d", r.Start.ExitCode), Help: "look at the logs"})
		}
	}),
}

var family = []*analysis.Rule{todoRule, privateRule, exitRule}

// fakeTB records failures instead of failing the test; Fatal ends the
// goroutine the harness runs in, as it does for a real test.
type fakeTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Error(args ...any) { f.Errorf("%s", fmt.Sprint(args...)) }

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatal(args ...any) {
	f.Error(args...)
	runtime.Goexit()
}

func (f *fakeTB) FailNow() {
	f.Errorf("FailNow")
	runtime.Goexit()
}

func (f *fakeTB) Fail() { f.Errorf("Fail") }

func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.errors) > 0
}

// runCase writes archive as a case of rule and runs the harness on it
// with a fake TB; it returns the failures and the case file.
func runCase(t *testing.T, rule *analysis.Rule, archive string) ([]string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "case.txtar")
	if err := os.WriteFile(path, []byte(archive), 0o644); err != nil {
		t.Fatal(err)
	}
	fake := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		RunCase(fake, path, rule, family)
	}()
	<-done
	return fake.errors, path
}

func TestPasses(t *testing.T) {
	for name, c := range map[string]struct {
		rule    *analysis.Rule
		archive string
	}{
		"fires with golden": {todoRule, `
-- Dockerfile --
FROM node:22-slim
# want +2 TT001 "TODO left on line 4"
# (a comment between)
RUN TODO npm ci
-- Dockerfile.golden --
FROM node:22-slim
# want +2 TT001 "TODO left on line 4"
# (a comment between)
RUN npm ci
`},
		"near miss": {todoRule, `
-- Dockerfile --
FROM node:22-slim
CMD TODO later
`},
		"want in the archive comment": {privateRule, `
want package.json:1 TT002 "private"
-- Dockerfile --
FROM node:22-slim
-- package.json --
{"private": true}
`},
		"positionless want": {exitRule, `
want TT003 "code 3"
-- observation.json --
{"Image": "app", "Start": {"Exited": true, "ExitCode": 3}}
`},
		"all-rules": {exitRule, `
all-rules
want TT003 "code 3"
-- Dockerfile --
FROM node:22-slim
# want TT001 "TODO"
RUN TODO x
-- Dockerfile.golden --
FROM node:22-slim
# want TT001 "TODO"
RUN x
-- observation.json --
{"Image": "app", "Start": {"Exited": true, "ExitCode": 3}}
`},
		"severity": {privateRule, `
severity: TT002 error
want package.json:1 TT002 "private"
-- Dockerfile --
FROM node:22-slim
-- package.json --
{"private": true}
`},
		"suppressed as for users": {todoRule, `
-- Dockerfile --
FROM node:22-slim
# seaworthy ignore=TT001
RUN TODO npm ci
`},
	} {
		t.Run(name, func(t *testing.T) {
			if errs, _ := runCase(t, c.rule, c.archive); len(errs) > 0 {
				t.Errorf("harness failed a good case:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}

// TestFails: each way a case can be wrong fails it, with a message that
// says why.
func TestFails(t *testing.T) {
	for name, c := range map[string]struct {
		rule    *analysis.Rule
		archive string
		want    string
	}{
		"unmatched want": {todoRule, `
-- Dockerfile --
FROM node:22-slim
# want TT001 "TODO"
RUN npm ci
`, "no finding for want Dockerfile:3: TT001"},
		"want on the wrong line": {todoRule, `
-- Dockerfile --
# want TT001 "TODO"
FROM node:22-slim
RUN TODO npm ci
-- Dockerfile.golden --
# want TT001 "TODO"
FROM node:22-slim
RUN npm ci
`, "unexpected finding Dockerfile:3: TT001"},
		"message does not match": {todoRule, `
-- Dockerfile --
FROM node:22-slim
# want TT001 "line 9"
RUN TODO npm ci
-- Dockerfile.golden --
FROM node:22-slim
# want TT001 "line 9"
RUN npm ci
`, `no finding for want Dockerfile:3: TT001 "line 9"`},
		"unexpected finding": {todoRule, `
-- Dockerfile --
FROM node:22-slim
RUN TODO npm ci
-- Dockerfile.golden --
FROM node:22-slim
RUN npm ci
`, "unexpected finding Dockerfile:2: TT001"},
		"malformed want": {todoRule, `
-- Dockerfile --
FROM node:22-slim
# want TT001 TODO
RUN TODO npm ci
`, "malformed want"},
		"malformed want offset": {todoRule, `
-- Dockerfile --
# want +x TT001 "TODO"
FROM node:22-slim
`, "malformed want"},
		"bad regexp": {todoRule, `
-- Dockerfile --
# want TT001 "(("
FROM node:22-slim
`, "want TT001: error parsing regexp"},
		"malformed want in the archive comment": {privateRule, `
want package.json TT002 "private"
-- Dockerfile --
FROM node:22-slim
`, "malformed want"},
		"want for a missing file": {privateRule, `
want package.json:1 TT002 "private"
-- Dockerfile --
FROM node:22-slim
`, "which the archive does not hold"},
		"archive-comment want for a file with comments": {todoRule, `
want Dockerfile:2 TT001 "TODO"
-- Dockerfile --
FROM node:22-slim
RUN TODO npm ci
`, "write it in the file as a `# want` comment"},
		"want for a rule that does not run": {todoRule, `
want TT003 "code"
-- Dockerfile --
FROM node:22-slim
`, "want for TT003, which this case does not run"},
		"golden mismatch": {todoRule, `
-- Dockerfile --
FROM node:22-slim
# want TT001 "TODO"
RUN TODO npm ci
-- Dockerfile.golden --
FROM node:22-slim
# want TT001 "TODO"
RUN npm install
`, "Dockerfile after the fixes differs from Dockerfile.golden"},
		"golden missing": {todoRule, `
-- Dockerfile --
FROM node:22-slim
# want TT001 "TODO"
RUN TODO npm ci
`, "no Dockerfile.golden section"},
		"golden without fix": {todoRule, `
-- Dockerfile --
FROM node:22-slim
-- Dockerfile.golden --
FROM node:22-slim
`, "Dockerfile.golden exists but no finding offers a fix"},
		"severity differs": {privateRule, `
severity: TT002 warning
want package.json:1 TT002 "private"
-- Dockerfile --
FROM node:22-slim
-- package.json --
{"private": true}
`, "has severity error, want warning"},
		"positionless want, finding elsewhere": {exitRule, `
want TT003 "code 4"
-- observation.json --
{"Image": "app", "Start": {"Exited": true, "ExitCode": 3}}
`, `no finding for want TT003 "code 4"`},
		"other rule fires under all-rules": {exitRule, `
all-rules
-- Dockerfile --
FROM node:22-slim
RUN TODO x
-- Dockerfile.golden --
FROM node:22-slim
RUN x
-- observation.json --
{"Image": "app"}
`, "unexpected finding Dockerfile:2: TT001"},
	} {
		t.Run(name, func(t *testing.T) {
			errs, _ := runCase(t, c.rule, c.archive)
			if len(errs) == 0 {
				t.Fatalf("harness passed a bad case; want a failure with %q", c.want)
			}
			if all := strings.Join(errs, "\n"); !strings.Contains(all, c.want) {
				t.Errorf("failures do not say %q:\n%s", c.want, all)
			}
		})
	}
}

// TestUpdate: -update writes the golden section, then the case passes.
func TestUpdate(t *testing.T) {
	archive := `A case whose golden section is missing.
-- Dockerfile --
FROM node:22-slim
# want TT001 "TODO"
RUN TODO npm ci
-- package.json --
{}
`
	*update = true
	errs, path := runCase(t, todoRule, archive)
	*update = false
	if len(errs) > 0 {
		t.Fatalf("update failed:\n%s", strings.Join(errs, "\n"))
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(archive, "-- package.json --", "-- Dockerfile.golden --\nFROM node:22-slim\n# want TT001 \"TODO\"\nRUN npm ci\n-- package.json --", 1)
	if string(got) != want {
		t.Errorf("updated archive:\n%s\nwant:\n%s", got, want)
	}
	if errs, _ := runCase(t, todoRule, string(got)); len(errs) > 0 {
		t.Errorf("updated case fails:\n%s", strings.Join(errs, "\n"))
	}
}

func TestCoverage(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"TT001/fires.txtar": "-- Dockerfile --\n# want +1 TT001 \"TODO\"\nRUN TODO x\n-- Dockerfile.golden --\n# want +1 TT001 \"TODO\"\nRUN x\n",
		"TT001/ok.txtar":    "-- Dockerfile --\nRUN x\n",
		"TT002/ok.txtar":    "-- Dockerfile --\nFROM node:22-slim\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		rule                  *analysis.Rule
		fires, silent, golden bool
	}{
		{todoRule, true, true, true},
		{privateRule, false, true, false},
		{exitRule, false, false, false},
	} {
		fires, silent, golden, err := Coverage(dir, c.rule)
		if err != nil {
			t.Fatal(err)
		}
		if fires != c.fires || silent != c.silent || golden != c.golden {
			t.Errorf("%s: Coverage = %v, %v, %v; want %v, %v, %v", c.rule.ID, fires, silent, golden, c.fires, c.silent, c.golden)
		}
	}
}
