// Package analysistest runs rules of every family over test cases that
// carry their own expectations.
//
// # Cases
//
// A case is a txtar archive, testdata/<RULEID>/<case>.txtar, holding the
// files of a small project: Dockerfile, .dockerignore, package.json,
// lockfiles, sources, compose files and overrides, or observation.json.
// The harness extracts it into a temporary directory and builds the input
// the rule reads the way `seaworthy check` and `seaworthy verify` do:
//
//   - Dockerfile rules and build rules read project.NewBuild of the
//     Dockerfile (its context, whose files Dockerfile rules may read, its
//     .dockerignore, its Node package; the archive root is the project
//     root), checked with checker.CheckBuild (so Dockerfile rules read
//     the files of its context through dockerfile.File.Context);
//   - compose rules read the compose files found under the root
//     (project.FindComposeFiles), loaded as file sets by
//     checker.LoadCompose and checked with checker.CheckComposeProjects;
//   - runtime observation rules read observation.json, an
//     observation.Result, run as verify runs them;
//   - image rules read an image composed in memory from the archive's
//     image/ folder (image/config.json and image/layerN/…, see package
//     imagetest), walked by imagefs.Read as `seaworthy audit` walks a
//     tar; a project/ folder with a package.json is its --project.
//
// So inline `# seaworthy ignore=` comments apply as they do for users, and
// so does the purpose policy: a rule runs only on the files whose purpose
// it applies to (analysis.Rule.Purposes), the purpose read from the
// files' names, headers, content and folders below the archive root. A
// near miss shaped like a development file (.devcontainer/Dockerfile,
// docker-compose.dev.yml) is how a case shows that a production-only rule
// stays silent on it.
//
// # Expectations
//
// A comment line in a file that has comments,
//
//	# want +N DF013 "regexp" [ID "regexp" ...]
//
// (Dockerfile, .dockerignore, compose YAML, .env, shell scripts and any
// file not named below), or
//
//	// want +N AP004 "regexp"
//
// in a JavaScript or TypeScript source, expects a finding of the rule in
// that file starting N lines below the comment (+1 when no offset is
// given), whose message matches the regexp (written as a Go string
// literal). Files without comments (*.json such as package.json, lockfiles
// and observation.json; .nvmrc, .node-version) take their expectations in
// the archive's comment, one a line:
//
//	want package.json:18 AP008 "regexp"
//
// and a finding with no source position (runtime findings) is expected by
// a want without a location:
//
//	want RT001 "regexp"
//
// Every want must be met by its own finding, and every finding of the
// rules run must meet a want: a case without a want for its rule is a near
// miss where the rule must stay silent. A want that does not parse, names
// a file the archive lacks, or names a rule that does not run, fails the
// case.
//
// Every finding must also carry help, point at a line of an existing file
// (or at no position), and offer a fix only when its rule is Fixable.
//
// # Fixes
//
// A section NAME.golden holds NAME after applying the fixes of the
// findings in NAME as one round of `seaworthy fix` does: in the order of
// the findings, leaving out a fix that overlaps one taken before
// (analysis.PickEdits). A fix may create a file the archive lacks: its
// golden section is the whole file. Fixes without a golden section, a golden section
// without fixes and a mismatch fail the case; `go test -update` rewrites
// the golden sections.
//
// # Settings
//
// Other lines of the archive comment describe the case, except these
// settings:
//
//	dockerfile: PATH        the Dockerfile (default Dockerfile)
//	context: DIR            the build context (default the Dockerfile's directory)
//	build-context: NAME=DIR a named build context (`--build-context
//	                        NAME=DIR`; DIR from the root, or an image such as
//	                        docker-image://node:22); repeatable
//	compose: PATH...        compose files named on the command line instead
//	                        of those found under the root
//	all-rules               run every rule of the family: all their wants are
//	                        checked and the others must stay silent
//	severity: ID LEVEL      every finding of rule ID has that severity
//	no-help: ID             findings of rule ID may come without help
//	help: ID REGEXP         the help of every finding of rule ID matches REGEXP
//	no-final-newline: PATH  extract PATH without its final newline
//	mode: image/layerN/PATH OCTAL, size: image/layerN/PATH BYTES,
//	symlink: image/layerN/PATH TARGET, uid: image/layerN/PATH UID
//	                        an image entry's mode, padded size, link or owner
package analysistest

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/image/imagetest"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// The input kinds, as their types name them.
var (
	kindDockerfile = (*dockerfile.File)(nil).InputKind()
	kindBuild      = (*project.Build)(nil).InputKind()
	kindCompose    = (*compose.Project)(nil).InputKind()
	kindRuntime    = (*observation.Result)(nil).InputKind()
	kindImage      = (*imagefs.Image)(nil).InputKind()
)

// ImageRef is the name findings of image rules give the composed image.
const ImageRef = "app:1"

var update = flag.Bool("update", false, "rewrite the .golden sections of test cases (and what else a test generates)")

// Update reports whether the test binary runs with -update, for tests that
// import this package and generate files of their own.
func Update() bool { return *update }

// Today is the fixed check date of rule tests.
var Today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// ObservationFile is the file of a case that runtime observation rules
// read.
const ObservationFile = "observation.json"

// Want is one expectation.
type Want struct {
	// File is the archive path of the file the finding is in; empty for a
	// finding without a source position.
	File string
	// Line is the line the finding starts on (0: no position).
	Line    int
	RuleID  string
	Pattern *regexp.Regexp
}

func (w Want) String() string {
	if w.File == "" {
		return fmt.Sprintf("%s %q", w.RuleID, w.Pattern)
	}
	return fmt.Sprintf("%s:%d: %s %q", w.File, w.Line, w.RuleID, w.Pattern)
}

// Settings are the settings lines of a case's archive comment.
type Settings struct {
	Dockerfile, Context string
	// NamedContexts are the build-context settings, NAME=DIR.
	NamedContexts  []string
	Compose        []string
	AllRules       bool
	Severity       map[string]string
	NoHelp         map[string]bool
	Help           map[string]*regexp.Regexp
	NoFinalNewline map[string]bool
	// Image describes the image of image rules (the image/ folder and
	// the mode, size, symlink and uid lines).
	Image imagetest.Description
}

// Case is a parsed test case.
type Case struct {
	Path     string
	Archive  *txtar.Archive
	Settings Settings
	Wants    []Want
	// Golden maps a file to its .golden section.
	Golden map[string][]byte
}

var (
	pairsRe   = `((?:\s+[A-Z]{2}\d{3}\s+"(?:[^"\\]|\\.)*")+)\s*$`
	pairRe    = regexp.MustCompile(`([A-Z]{2}\d{3})\s+"((?:[^"\\]|\\.)*)"`)
	inFileRe  = regexp.MustCompile(`^want(?:\s+\+(\d+))?` + pairsRe)
	commentRe = regexp.MustCompile(`^want(?:\s+([^\s:]+):(\d+))?` + pairsRe)
	wantWord  = regexp.MustCompile(`^want\b`)
)

// CommentPrefix is how a file writes a comment line: "//" in JavaScript
// and TypeScript sources, "" in files without comments (whose wants go in
// the archive comment), "#" in every other file.
func CommentPrefix(name string) string {
	base := path.Base(name)
	switch path.Ext(base) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx":
		return "//"
	case ".json":
		return ""
	}
	switch base {
	case ".nvmrc", ".node-version":
		return ""
	}
	return "#"
}

// ParseCase parses the archive data of the case at file.
func ParseCase(file string, data []byte) (*Case, error) {
	c := &Case{
		Path:     file,
		Archive:  txtar.Parse(data),
		Settings: Settings{Dockerfile: "Dockerfile", Severity: map[string]string{}, NoHelp: map[string]bool{}, Help: map[string]*regexp.Regexp{}, NoFinalNewline: map[string]bool{}},
		Golden:   map[string][]byte{},
	}
	files := map[string]bool{}
	for _, f := range c.Archive.Files {
		if files[f.Name] {
			return nil, fmt.Errorf("file %s appears twice", f.Name)
		}
		files[f.Name] = true
	}
	for i, line := range strings.Split(string(c.Archive.Comment), "\n") {
		if err := c.parseCommentLine(strings.TrimSpace(line), files); err != nil {
			return nil, fmt.Errorf("comment line %d: %v", i+1, err)
		}
	}
	if c.Settings.Context == "" {
		c.Settings.Context = path.Dir(c.Settings.Dockerfile)
	}
	for name := range c.Settings.NoFinalNewline {
		if !files[name] {
			return nil, fmt.Errorf("no-final-newline: no file %s", name)
		}
	}
	for _, f := range c.Archive.Files {
		c.Settings.Image.Add(f.Name, f.Data)
		if name, ok := strings.CutSuffix(f.Name, ".golden"); ok {
			// name may be missing: a file the fixes create (a golden
			// section no fix writes fails the case).
			c.Golden[name] = f.Data
			continue
		}
		prefix := CommentPrefix(f.Name)
		if prefix == "" {
			continue
		}
		for i, line := range strings.Split(string(f.Data), "\n") {
			text, ok := strings.CutPrefix(strings.TrimSpace(line), prefix)
			text = strings.TrimSpace(text)
			if !ok || !wantWord.MatchString(text) {
				continue
			}
			m := inFileRe.FindStringSubmatch(text)
			if m == nil {
				return nil, fmt.Errorf("%s:%d: malformed want comment %q", f.Name, i+1, strings.TrimSpace(line))
			}
			offset := 1
			if m[1] != "" {
				offset, _ = strconv.Atoi(m[1])
			}
			if err := c.addWants(f.Name, i+1+offset, m[2]); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", f.Name, i+1, err)
			}
		}
	}
	return c, nil
}

func (c *Case) parseCommentLine(line string, files map[string]bool) error {
	if ok, err := c.Settings.Image.ParseSetting(line); ok {
		return err
	}
	key, val, _ := strings.Cut(line, ":")
	val = strings.TrimSpace(val)
	switch {
	case line == "all-rules":
		c.Settings.AllRules = true
	case key == "dockerfile":
		c.Settings.Dockerfile = val
	case key == "context":
		c.Settings.Context = val
	case key == "build-context":
		c.Settings.NamedContexts = append(c.Settings.NamedContexts, val)
	case key == "compose":
		c.Settings.Compose = strings.Fields(val)
	case key == "no-help":
		c.Settings.NoHelp[val] = true
	case key == "help":
		id, expr, _ := strings.Cut(val, " ")
		re, err := regexp.Compile(strings.TrimSpace(expr))
		if err != nil {
			return fmt.Errorf("help: %v", err)
		}
		c.Settings.Help[id] = re
	case key == "no-final-newline":
		c.Settings.NoFinalNewline[val] = true
	case key == "severity":
		id, level, _ := strings.Cut(val, " ")
		if _, err := analysis.ParseSeverity(level); err != nil {
			return err
		}
		c.Settings.Severity[id] = strings.TrimSpace(level)
	case wantWord.MatchString(line):
		m := commentRe.FindStringSubmatch(line)
		if m == nil {
			return fmt.Errorf("malformed want %q", line)
		}
		file, lineNo := m[1], 0
		if file != "" {
			if !files[file] {
				return fmt.Errorf("want names %s, which the archive does not hold", file)
			}
			if CommentPrefix(file) != "" {
				return fmt.Errorf("want for %s: write it in the file as a `%s want` comment", file, CommentPrefix(file))
			}
			lineNo, _ = strconv.Atoi(m[2])
			if lineNo < 1 {
				return fmt.Errorf("want for %s: line %d", file, lineNo)
			}
		}
		return c.addWants(file, lineNo, m[3])
	}
	return nil
}

func (c *Case) addWants(file string, line int, pairs string) error {
	for _, p := range pairRe.FindAllStringSubmatch(pairs, -1) {
		pattern, err := strconv.Unquote(`"` + p[2] + `"`)
		if err != nil {
			return fmt.Errorf("want %s: %v", p[1], err)
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return fmt.Errorf("want %s: %v", p[1], err)
		}
		c.Wants = append(c.Wants, Want{File: file, Line: line, RuleID: p[1], Pattern: re})
	}
	return nil
}

// ReadCase reads and parses the case at path.
func ReadCase(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseCase(path, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return c, nil
}

// Cases returns the case files of rule under dir (dir/<ID>/*.txtar).
func Cases(dir string, rule *analysis.Rule) ([]string, error) {
	return filepath.Glob(filepath.Join(dir, rule.ID, "*.txtar"))
}

// Run runs each rule over its cases, dir/<ID>/*.txtar; rules is the
// family a case with all-rules runs. Every rule needs cases, and every
// directory under dir must belong to a rule. Then every rule of the
// family runs over every case: none may panic or point past a file.
func Run(t *testing.T, dir string, rules ...*analysis.Rule) {
	t.Helper()
	ids := map[string]bool{}
	var all []string
	for _, r := range rules {
		ids[r.ID] = true
		cases, err := Cases(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) == 0 {
			t.Errorf("%s: no cases in %s", r.ID, filepath.Join(dir, r.ID))
			continue
		}
		all = append(all, cases...)
		t.Run(r.ID, func(t *testing.T) {
			for _, c := range cases {
				t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) { RunCase(t, c, r, rules) })
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !ids[e.Name()] {
			t.Errorf("%s: no rule %s in this family", filepath.Join(dir, e.Name()), e.Name())
		}
	}
	t.Run("family", func(t *testing.T) {
		for _, path := range all {
			c, err := ReadCase(path)
			if err != nil {
				t.Fatal(err)
			}
			root, findings := c.Check(t, rules)
			for _, fd := range findings {
				checkPosition(t, path, root, fd)
			}
		}
	})
}

// RunCase checks the case at path for rule (and, for an all-rules case,
// for every rule of family).
func RunCase(t testing.TB, path string, rule *analysis.Rule, family []*analysis.Rule) {
	t.Helper()
	c, err := ReadCase(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	rules := []*analysis.Rule{rule}
	if c.Settings.AllRules {
		rules = family
	}
	run := map[string]bool{}
	for _, r := range rules {
		run[r.ID] = true
	}
	for _, w := range c.Wants {
		if !run[w.RuleID] {
			t.Fatalf("%s: want for %s, which this case does not run (all-rules runs the whole family)", path, w.RuleID)
		}
	}
	root, findings := c.Check(t, rules)
	used := make([]bool, len(findings))
	for _, w := range c.Wants {
		found := false
		for i, fd := range findings {
			if !used[i] && matches(w, fd) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			var got []string
			for _, fd := range findings {
				got = append(got, describe(fd))
			}
			t.Errorf("%s: no finding for want %s; got %v", path, w, got)
		}
	}
	for i, fd := range findings {
		if !used[i] {
			t.Errorf("%s: unexpected finding %s", path, describe(fd))
		}
		if want, ok := c.Settings.Severity[fd.Rule.ID]; ok && fd.Severity.String() != want {
			t.Errorf("%s: %s has severity %s, want %s", path, describe(fd), fd.Severity, want)
		}
		if fd.Help == "" && !c.Settings.NoHelp[fd.Rule.ID] {
			t.Errorf("%s: %s has no help", path, describe(fd))
		}
		if re, ok := c.Settings.Help[fd.Rule.ID]; ok && !re.MatchString(fd.Help) {
			t.Errorf("%s: %s has help %q, want a match for %q", path, describe(fd), fd.Help, re)
		}
		if fd.Fix != nil && !fd.Rule.Fixable {
			t.Errorf("%s: %s offers a fix but %s is not Fixable", path, describe(fd), fd.Rule.ID)
		}
		checkPosition(t, path, root, fd)
	}
	c.checkGolden(t, root, findings)
}

func matches(w Want, fd analysis.Finding) bool {
	if fd.Rule.ID != w.RuleID || !w.Pattern.MatchString(fd.Message) {
		return false
	}
	if w.File == "" {
		return fd.Range.Start.Line == 0
	}
	return fd.File == w.File && fd.Range.Start.Line == w.Line
}

func describe(fd analysis.Finding) string {
	if fd.Range.Start.Line == 0 {
		return fmt.Sprintf("%s %q", fd.Rule.ID, fd.Message)
	}
	return fmt.Sprintf("%s:%d: %s %q", fd.File, fd.Range.Start.Line, fd.Rule.ID, fd.Message)
}

// checkPosition: a finding with a position names an extracted file and a
// line in it, and no rule panicked.
func checkPosition(t testing.TB, path, root string, fd analysis.Finding) {
	t.Helper()
	if strings.HasPrefix(fd.Message, "internal error") {
		t.Errorf("%s: %s", path, describe(fd))
	}
	if fd.Range.Start.Line == 0 {
		return
	}
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(fd.File)))
	if err != nil {
		t.Errorf("%s: %s points at a file the case lacks", path, describe(fd))
		return
	}
	if n := strings.Count(strings.TrimSuffix(string(src), "\n"), "\n") + 1; fd.Range.Start.Line < 0 || fd.Range.Start.Line > n {
		t.Errorf("%s: %s points past the end of %s (%d lines)", path, describe(fd), fd.File, n)
	}
}

// Extract writes the case's files (not the golden sections) under a new
// temporary directory and returns it.
func (c *Case) Extract(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range c.Archive.Files {
		if strings.HasSuffix(f.Name, ".golden") {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(p, root+string(filepath.Separator)) {
			t.Fatalf("%s: file %s is outside the case", c.Path, f.Name)
		}
		data := f.Data
		if c.Settings.NoFinalNewline[f.Name] {
			data = []byte(strings.TrimSuffix(string(data), "\n"))
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Check extracts the case, builds the inputs that rules read from it and
// runs them; the findings name files by their archive path. It returns
// the extraction directory too.
func (c *Case) Check(t testing.TB, rules []*analysis.Rule) (string, []analysis.Finding) {
	t.Helper()
	root := c.Extract(t)
	byKind := map[string][]*analysis.Rule{}
	for _, r := range rules {
		byKind[r.Check.Input()] = append(byKind[r.Check.Input()], r)
	}
	opts := checker.Options{Today: Today, Roots: []string{root}}
	var findings []analysis.Finding
	dfPath := filepath.Join(root, filepath.FromSlash(c.Settings.Dockerfile))
	readDockerfile := func() []byte {
		src, err := os.ReadFile(dfPath)
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		return src
	}
	if len(byKind[kindBuild]) > 0 || len(byKind[kindDockerfile]) > 0 {
		// CheckBuild runs the Dockerfile rules too, with the build their
		// fixes may read.
		opts.Rules = analysis.NewRegistry(append(byKind[kindDockerfile], byKind[kindBuild]...)...)
		b, err := project.NewBuild(dfPath, filepath.Join(root, filepath.FromSlash(c.Settings.Context)), root)
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		for _, nc := range c.Settings.NamedContexts {
			name, val, _ := strings.Cut(nc, "=")
			n := project.NamedContext{Name: name, Image: val}
			if !strings.Contains(val, "://") {
				n = project.NamedContext{Name: name, Dir: filepath.Join(root, filepath.FromSlash(val))}
			}
			b.NamedContexts = append(b.NamedContexts, n)
		}
		res, err := checker.CheckBuild(b, readDockerfile(), opts, checker.Sources{})
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		findings = append(findings, res.Findings...)
	}
	delete(byKind, kindBuild)
	delete(byKind, kindDockerfile)
	if rs := byKind[kindCompose]; len(rs) > 0 {
		delete(byKind, kindCompose)
		opts.Rules = analysis.NewRegistry(rs...)
		var files []string
		for _, f := range c.Settings.Compose {
			files = append(files, filepath.Join(root, filepath.FromSlash(f)))
		}
		if len(files) == 0 {
			var err error
			if files, err = project.FindComposeFiles(root); err != nil {
				t.Fatalf("%s: %v", c.Path, err)
			}
		}
		if len(files) == 0 {
			t.Fatalf("%s: no compose file", c.Path)
		}
		found, _ := checker.CheckComposeProjects(checker.LoadCompose(files), opts, checker.Sources{})
		findings = append(findings, found...)
	}
	if rs := byKind[kindRuntime]; len(rs) > 0 {
		delete(byKind, kindRuntime)
		data, err := os.ReadFile(filepath.Join(root, ObservationFile))
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		var res observation.Result
		if err := json.Unmarshal(data, &res); err != nil {
			t.Fatalf("%s: %s: %v", c.Path, ObservationFile, err)
		}
		// As verify.Findings does.
		out := checker.RunRules(&res, res.Image, rs, time.Time{})
		sort.SliceStable(out, func(i, j int) bool { return out[i].Rule.ID < out[j].Rule.ID })
		findings = append(findings, out...)
	}
	if rs := byKind[kindImage]; len(rs) > 0 {
		delete(byKind, kindImage)
		findings = append(findings, c.checkImage(t, root, rs)...)
	}
	for kind := range byKind {
		t.Fatalf("%s: the harness cannot build %q inputs", c.Path, kind)
	}
	for i, fd := range findings {
		if rel, err := filepath.Rel(root, fd.File); err == nil && filepath.IsAbs(fd.File) && !strings.HasPrefix(rel, "..") {
			findings[i].File = filepath.ToSlash(rel)
		}
	}
	return root, findings
}

// checkGolden applies each file's fixes and compares the result with the
// file's golden section, or rewrites the golden sections under -update.
func (c *Case) checkGolden(t testing.TB, root string, findings []analysis.Finding) {
	t.Helper()
	byFile := map[string][]analysis.Finding{}
	for _, fd := range findings {
		if fd.Fix != nil {
			name := fd.FixFile()
			if rel, err := filepath.Rel(root, name); err == nil && filepath.IsAbs(name) && !strings.HasPrefix(rel, "..") {
				name = filepath.ToSlash(rel)
			}
			byFile[name] = append(byFile[name], fd)
		}
	}
	got := map[string][]byte{}
	for name, found := range byFile {
		es, _ := analysis.PickEdits(append([]analysis.Finding(nil), found...))
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) {
			src, err = nil, nil // the fix creates the file
		}
		if err != nil {
			t.Fatalf("%s: fix for %s: %v", c.Path, name, err)
		}
		out, err := analysis.ApplyEdits(src, es)
		if err != nil {
			t.Fatalf("%s: applying the fixes to %s: %v", c.Path, name, err)
		}
		got[name] = out
	}
	if *update {
		c.writeGolden(t, got)
		return
	}
	names := make([]string, 0, len(got))
	for name := range got {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		want, ok := c.Golden[name]
		if !ok {
			t.Errorf("%s: fixes offered for %s but no %s.golden section (run with -update)", c.Path, name, name)
			continue
		}
		if string(got[name]) != string(want) {
			t.Errorf("%s: %s after the fixes differs from %s.golden:\n--- got ---\n%s\n--- want ---\n%s", c.Path, name, name, got[name], want)
		}
	}
	for name := range c.Golden {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: %s.golden exists but no finding offers a fix for %s", c.Path, name, name)
		}
	}
}

// writeGolden rewrites the archive, when it changes, with got as its
// golden sections: an existing one keeps its place, a new one follows its
// file.
func (c *Case) writeGolden(t testing.TB, got map[string][]byte) {
	var files []txtar.File
	for _, f := range c.Archive.Files {
		if name, ok := strings.CutSuffix(f.Name, ".golden"); ok {
			if g, ok := got[name]; ok {
				files = append(files, txtar.File{Name: f.Name, Data: g})
			}
			continue
		}
		files = append(files, f)
		if _, ok := c.Golden[f.Name]; ok {
			continue
		}
		if g, ok := got[f.Name]; ok {
			files = append(files, txtar.File{Name: f.Name + ".golden", Data: g})
		}
	}
	inArchive := map[string]bool{}
	for _, f := range c.Archive.Files {
		inArchive[f.Name] = true
	}
	names := make([]string, 0, len(got))
	for name := range got {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !inArchive[name] && !inArchive[name+".golden"] {
			files = append(files, txtar.File{Name: name + ".golden", Data: got[name]}) // a file the fixes create
		}
	}
	data := txtar.Format(&txtar.Archive{Comment: c.Archive.Comment, Files: files})
	if string(data) == string(txtar.Format(c.Archive)) {
		return
	}
	if err := os.WriteFile(c.Path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Coverage says whether some case of rule under dir expects it to fire,
// whether some case is a near miss for it, and whether some case has a
// golden section.
func Coverage(dir string, rule *analysis.Rule) (fires, silent, golden bool, err error) {
	cases, err := Cases(dir, rule)
	if err != nil {
		return false, false, false, err
	}
	for _, path := range cases {
		c, err := ReadCase(path)
		if err != nil {
			return false, false, false, err
		}
		has := false
		for _, w := range c.Wants {
			has = has || w.RuleID == rule.ID
		}
		fires = fires || has
		silent = silent || !has
		golden = golden || len(c.Golden) > 0
	}
	return fires, silent, golden, nil
}

// checkImage composes the case's image, walks it as the audit does and
// runs the image rules on it.
func (c *Case) checkImage(t testing.TB, root string, rules []*analysis.Rule) []analysis.Finding {
	t.Helper()
	img, err := c.Settings.Image.Image(ImageRef)
	if err != nil {
		t.Fatalf("%s: %v", c.Path, err)
	}
	in, err := imagefs.Read(context.Background(), img, imagefs.Options{})
	if err != nil {
		t.Fatalf("%s: %v", c.Path, err)
	}
	if _, err := os.Stat(filepath.Join(root, "project", "package.json")); err == nil {
		pkg, err := nodeproject.Load(filepath.Join(root, "project"))
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		in.Project = pkg
	}
	out := checker.RunRules(in, ImageRef, rules, Today)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule.ID < out[j].Rule.ID })
	return out
}
