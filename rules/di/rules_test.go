package di

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// The DI rules look at a whole project (Dockerfile, .dockerignore, the
// files in the context), and projects need paths that cannot live in a
// git tree (.git/, node_modules/, .env). So each case is one archive,
// testdata/<ID>/<case>.txtar, extracted into a temporary directory:
//
//   - `# want [+N] ID "regexp"` comments in the Dockerfile and in
//     .dockerignore files expect a finding in that file, N lines below
//     (as in analysistest); an archive without a want for the rule is a
//     near miss where the rule must stay silent;
//   - a section NAME.golden holds NAME after applying the fixes of the
//     findings in NAME (rewrite with -update);
//   - lines in the archive's comment configure the case:
//     `dockerfile: path` (default Dockerfile), `context: dir` (default
//     the Dockerfile's directory), `severity: ID level` (every finding of
//     ID has that severity), `all-rules` (run every DI rule, so the other
//     rules must stay silent too), `no-final-newline: name` (extract the
//     file without its final newline); other lines describe the case.
//
// Findings go through checker.CheckBuild, so `# seaworthy ignore=`
// comments in the .dockerignore apply as they do for users.

// updating reports whether -update (registered by analysistest) asks to
// rewrite golden sections.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestRules(t *testing.T) {
	for _, r := range Rules() {
		t.Run(r.ID, func(t *testing.T) {
			cases, _ := filepath.Glob(filepath.Join("testdata", r.ID, "*.txtar"))
			if len(cases) == 0 {
				t.Fatalf("no cases in testdata/%s", r.ID)
			}
			for _, c := range cases {
				t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) { runCase(t, c, r) })
			}
		})
	}
}

// TestEveryRuleHasCases: a firing case and a near miss per rule, a valid
// registry, and golden fixes exactly for the fixable rules.
func TestEveryRuleHasCases(t *testing.T) {
	if err := analysis.NewRegistry(Rules()...).Validate(); err != nil {
		t.Fatal(err)
	}
	if len(Rules()) != 6 {
		t.Errorf("%d DI rules, want 6", len(Rules()))
	}
	for _, r := range Rules() {
		cases, _ := filepath.Glob(filepath.Join("testdata", r.ID, "*.txtar"))
		fires, silent, golden := false, false, false
		for _, c := range cases {
			ar, err := parseArchiveFile(c)
			if err != nil {
				t.Fatal(err)
			}
			has := false
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".golden") {
					golden = true
					continue
				}
				wants, err := analysistest.ParseWants(string(f.Data))
				if err != nil {
					t.Fatalf("%s: %s: %v", c, f.Name, err)
				}
				for _, w := range wants {
					has = has || w.RuleID == r.ID
				}
			}
			fires = fires || has
			silent = silent || !has
		}
		if !fires {
			t.Errorf("%s: no testdata case where it fires", r.ID)
		}
		if !silent {
			t.Errorf("%s: no testdata near miss where it must stay silent", r.ID)
		}
		if r.Fixable != golden {
			t.Errorf("%s: Fixable=%v but golden fix sections present=%v", r.ID, r.Fixable, golden)
		}
	}
}

type caseConfig struct {
	dockerfile, context string
	severity            map[string]string
	allRules            bool
	// noFinalNewline names files extracted without their last "\n".
	noFinalNewline map[string]bool
}

func parseConfig(comment []byte) caseConfig {
	cfg := caseConfig{dockerfile: "Dockerfile", severity: map[string]string{}, noFinalNewline: map[string]bool{}}
	for _, line := range strings.Split(string(comment), "\n") {
		line = strings.TrimSpace(line)
		k, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch {
		case line == "all-rules":
			cfg.allRules = true
		case k == "dockerfile":
			cfg.dockerfile = val
		case k == "context":
			cfg.context = val
		case k == "no-final-newline":
			cfg.noFinalNewline[val] = true
		case k == "severity":
			id, level, _ := strings.Cut(val, " ")
			cfg.severity[id] = strings.TrimSpace(level)
		}
	}
	if cfg.context == "" {
		cfg.context = filepath.Dir(cfg.dockerfile)
	}
	return cfg
}

type expectation struct {
	file string
	analysistest.Want
}

func runCase(t *testing.T, archive string, rule *analysis.Rule) {
	ar, err := parseArchiveFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	cfg := parseConfig(ar.Comment)
	root := t.TempDir()
	var wants []expectation
	golden := map[string][]byte{}
	for _, f := range ar.Files {
		if name, ok := strings.CutSuffix(f.Name, ".golden"); ok {
			golden[name] = f.Data
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data := f.Data
		if cfg.noFinalNewline[f.Name] {
			data = []byte(strings.TrimSuffix(string(data), "\n"))
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ws, err := analysistest.ParseWants(string(f.Data))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, w := range ws {
			wants = append(wants, expectation{file: f.Name, Want: w})
		}
	}
	rules := []*analysis.Rule{rule}
	if cfg.allRules {
		rules = Rules()
	}
	tested := map[string]bool{}
	for _, r := range rules {
		tested[r.ID] = true
	}
	findings := check(t, root, cfg, rules)

	rel := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return p
		}
		return filepath.ToSlash(r)
	}
	used := make([]bool, len(findings))
	for _, w := range wants {
		if !tested[w.RuleID] {
			continue
		}
		found := false
		for i, fd := range findings {
			if !used[i] && fd.Rule.ID == w.RuleID && rel(fd.File) == w.file && fd.Range.Start.Line == w.Line && w.Pattern.MatchString(fd.Message) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			var got []string
			for _, fd := range findings {
				got = append(got, fmt.Sprintf("%s:%d %s %q", rel(fd.File), fd.Range.Start.Line, fd.Rule.ID, fd.Message))
			}
			t.Errorf("%s:%d: no %s finding matching %q; got %v", w.file, w.Line, w.RuleID, w.Pattern, got)
		}
	}
	for i, fd := range findings {
		if !used[i] {
			t.Errorf("%s:%d: unexpected %s finding: %s", rel(fd.File), fd.Range.Start.Line, fd.Rule.ID, fd.Message)
		}
		if want, ok := cfg.severity[fd.Rule.ID]; ok && fd.Severity.String() != want {
			t.Errorf("%s: severity %s, want %s", fd.Rule.ID, fd.Severity, want)
		}
		if fd.Fix != nil && !fd.Rule.Fixable {
			t.Errorf("%s offers a fix but is not Fixable", fd.Rule.ID)
		}
		if fd.Help == "" {
			t.Errorf("%s: finding without help", fd.Rule.ID)
		}
	}
	checkGolden(t, archive, ar, root, findings, golden)
}

// check runs rules on the extracted project the way `seaworthy check`
// does for one build.
func check(t *testing.T, root string, cfg caseConfig, rules []*analysis.Rule) []analysis.Finding {
	t.Helper()
	dfPath := filepath.Join(root, filepath.FromSlash(cfg.dockerfile))
	b, err := project.NewBuild(dfPath, filepath.Join(root, filepath.FromSlash(cfg.context)), root)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(dfPath)
	if err != nil {
		t.Fatal(err)
	}
	opts := checker.Options{Rules: analysis.NewRegistry(rules...), Today: analysistest.Today}
	res, err := checker.CheckBuild(b, src, opts, checker.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

// checkGolden applies each file's fixes and compares with NAME.golden.
func checkGolden(t *testing.T, archive string, ar *archive, root string, findings []analysis.Finding, golden map[string][]byte) {
	edits := map[string][]analysis.Edit{}
	for _, fd := range findings {
		if fd.Fix != nil {
			r, _ := filepath.Rel(root, fd.File)
			edits[filepath.ToSlash(r)] = append(edits[filepath.ToSlash(r)], fd.Fix.Edits...)
		}
	}
	got := map[string][]byte{}
	names := make([]string, 0, len(edits))
	for name := range edits {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		out, err := analysis.ApplyEdits(src, edits[name])
		if err != nil {
			t.Fatalf("%s: applying fixes: %v", name, err)
		}
		got[name] = out
	}
	if updating() {
		var files []archiveFile
		for _, f := range ar.Files {
			if !strings.HasSuffix(f.Name, ".golden") {
				files = append(files, f)
			}
		}
		for _, name := range names {
			files = append(files, archiveFile{Name: name + ".golden", Data: got[name]})
		}
		ar.Files = files
		if err := os.WriteFile(archive, ar.format(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, name := range names {
		want, ok := golden[name]
		if !ok {
			t.Errorf("%s: fixes offered but no %s.golden section (run with -update)", name, name)
			continue
		}
		if string(got[name]) != string(want) {
			t.Errorf("%s: fixed output differs from %s.golden:\n--- got ---\n%s\n--- want ---\n%s", name, name, got[name], want)
		}
	}
	for name := range golden {
		if _, ok := got[name]; !ok {
			t.Errorf("%s.golden exists but no finding offers a fix for %s", name, name)
		}
	}
}

// TestAppendEdit: the fix keeps the file's line endings and adds a
// missing final newline before the new patterns.
func TestAppendEdit(t *testing.T) {
	cases := map[string]string{
		"":                 "dist\ncoverage\n",
		"node_modules":     "node_modules\ndist\ncoverage\n",
		"node_modules\n":   "node_modules\ndist\ncoverage\n",
		"a\r\nb\r\n":       "a\r\nb\r\ndist\r\ncoverage\r\n",
		"a\r\nb":           "a\r\nb\r\ndist\r\ncoverage\r\n",
		"# only\n\n":       "# only\n\ndist\ncoverage\n",
		"x\n# last, no nl": "x\n# last, no nl\ndist\ncoverage\n",
	}
	for src, want := range cases {
		ig, err := dockerignore.Parse(".dockerignore", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		got, err := analysis.ApplyEdits([]byte(src), []analysis.Edit{appendEdit(ig, []string{"dist", "coverage"})})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("append to %q = %q, want %q", src, got, want)
		}
	}
}

// TestUnparsedBuild: the rules stay quiet (and do not panic) on a build
// whose Dockerfile was not parsed.
func TestUnparsedBuild(t *testing.T) {
	for _, r := range Rules() {
		pass := analysis.NewPass(r, "Dockerfile", func(f analysis.Finding) { t.Errorf("%s reported %q", r.ID, f.Message) })
		analysis.Run(r, pass, &project.Build{DockerfilePath: "Dockerfile"})
	}
}

// archive is a txtar archive (the format of Go's testscript files): a
// comment, then files each introduced by a `-- name --` line. It is read
// here in a few lines rather than through a module that go.mod does not
// list directly.
type archive struct {
	Comment []byte
	Files   []archiveFile
}

type archiveFile struct {
	Name string
	Data []byte
}

var markerRe = regexp.MustCompile(`^-- (\S.*?) --$`)

func parseArchiveFile(name string) (*archive, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	ar := &archive{}
	var cur *archiveFile
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if m := markerRe.FindStringSubmatch(strings.TrimRight(line, "\r\n")); m != nil {
			ar.Files = append(ar.Files, archiveFile{Name: m[1]})
			cur = &ar.Files[len(ar.Files)-1]
			continue
		}
		if cur == nil {
			ar.Comment = append(ar.Comment, line...)
		} else {
			cur.Data = append(cur.Data, line...)
		}
	}
	return ar, nil
}

func (ar *archive) format() []byte {
	var b strings.Builder
	b.Write(ar.Comment)
	for _, f := range ar.Files {
		fmt.Fprintf(&b, "-- %s --\n", f.Name)
		b.Write(f.Data)
		if len(f.Data) > 0 && f.Data[len(f.Data)-1] != '\n' {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// TestNoPanic runs the DI rules over every Dockerfile in the DF testdata
// (odd syntax included) against a few ignore files, in a context with a
// nested package, secrets and build output, and fails on an internal
// error finding (a recovered panic).
func TestNoPanic(t *testing.T) {
	dockerfiles, _ := filepath.Glob(filepath.Join("..", "dockerfile", "testdata", "*", "*"))
	if len(dockerfiles) == 0 {
		t.Skip("no DF testdata")
	}
	ignores := []string{"", "*\n!src\n!package*.json\n", "node_modules\n.git\n!.env.example\n**/*.log\n", "[\n"}
	for _, ig := range ignores {
		ctx := t.TempDir()
		for name, data := range map[string]string{
			"package.json": `{"name": "x", "dependencies": {"next": "1"}}`, "src/index.js": "",
			"packages/a/node_modules/x/i.js": "", ".env": "A=1", "certs/k.pem": "PRIVATE KEY", "dist/a.js": "",
		} {
			p := filepath.Join(ctx, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(data), 0o644)
		}
		if ig != "" {
			os.WriteFile(filepath.Join(ctx, ".dockerignore"), []byte(ig), 0o644)
		}
		for _, path := range dockerfiles {
			if strings.HasSuffix(path, ".golden") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			b, err := project.NewBuild(filepath.Join(ctx, "Dockerfile"), ctx, ctx)
			if err != nil {
				continue // an ignore file Docker rejects too ("[")
			}
			b.DockerfilePath = path
			opts := checker.Options{Rules: analysis.NewRegistry(Rules()...), Today: analysistest.Today}
			res, err := checker.CheckBuild(b, src, opts, checker.Sources{})
			if err != nil {
				continue
			}
			for _, fd := range res.Findings {
				if strings.HasPrefix(fd.Message, "internal error") {
					t.Errorf("%s with %q: %s", path, ig, fd.Message)
				}
			}
		}
	}
}
