package di

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// This file holds what the DI rules share: the paths the Dockerfile takes
// from the build context, a bounded scan of the context for the few things
// whose presence matters, and the fix that appends patterns to the
// .dockerignore. They are computed once per build.

// source is one path the Dockerfile takes from the build context.
type source struct {
	In  *dockerfile.Instruction
	Raw string // as written
	// Rel is the cleaned context-relative path; "." is the context root.
	Rel string
	// Broad is the whole-context form (".", "*" or ".*"), "" otherwise.
	Broad string
	Glob  bool
	// Mount is set for `RUN --mount=type=bind` sources.
	Mount bool
	// Exclude holds COPY/ADD --exclude patterns (nil when none).
	Exclude *dockerignore.File
}

// covers reports whether a whole-context source brings the
// context-relative path p into the image.
func (s source) covers(p string) bool {
	switch s.Broad {
	case ".", "*":
	case ".*":
		if !strings.HasPrefix(p, ".") {
			return false
		}
	default:
		return false
	}
	if s.Exclude != nil {
		if ex, _ := s.Exclude.Match(p); ex {
			return false
		}
	}
	return true
}

// touches reports whether a source names dir, something inside it, or a
// directory that holds it: a pattern for dir would change what it copies.
func (s source) touches(dir string) bool {
	if s.Broad != "" || s.Rel == "." {
		return false
	}
	r := strings.TrimSuffix(s.Rel, "/")
	if s.Glob {
		// `COPY .env* ./` names .env files; judge the glob by the name.
		ok, _ := path.Match(r, dir)
		return ok || strings.HasPrefix(dir, r+"/")
	}
	return r == dir || strings.HasPrefix(r, dir+"/") || strings.HasPrefix(dir, r+"/")
}

// newSource describes one COPY/ADD source or bind-mount source; ok is
// false for what does not come from the context (URLs) or cannot be judged
// without the build's arguments (variables).
func newSource(in *dockerfile.Instruction, raw string) (source, bool) {
	raw = strings.TrimSpace(raw)
	if strings.Contains(raw, "://") || strings.HasPrefix(raw, "git@") || strings.Contains(raw, "$") {
		return source{}, false
	}
	rel := strings.TrimLeft(path.Clean("/"+raw), "/")
	if rel == "" {
		rel = "."
	}
	s := source{In: in, Raw: raw, Rel: rel, Glob: strings.ContainsAny(rel, "*?[")}
	switch rel {
	case ".", "*", ".*":
		s.Broad = rel
	}
	return s, true
}

// contextSources lists what the Dockerfile takes from the build context,
// in source order: COPY/ADD sources without --from and the sources of
// `RUN --mount=type=bind` without from.
func contextSources(f *dockerfile.File) []source {
	var out []source
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			c, ok := stage.CopyOf(in)
			if !ok {
				if _, run := in.Command.(*instructions.RunCommand); run {
					for _, m := range in.Mounts {
						if m == nil || m.Type != instructions.MountTypeBind || m.From != "" {
							continue
						}
						if s, ok := newSource(in, m.Source); ok {
							s.Mount = true
							out = append(out, s)
						}
					}
				}
				continue
			}
			if c.From != "" {
				continue
			}
			paths, excludes := c.Sources, c.Excludes
			var ex *dockerignore.File
			if len(excludes) > 0 {
				ex, _ = dockerignore.Parse("--exclude", []byte(strings.Join(excludes, "\n")))
			}
			for _, p := range paths {
				if s, ok := newSource(in, p); ok {
					s.Exclude = ex
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// facts is what the DI rules know about one build.
type facts struct {
	b *project.Build
	f *dockerfile.File
	// sources are the context paths the Dockerfile uses; whole the
	// whole-context COPY/ADD sources among them.
	sources []source
	whole   []source
	// node: a Node project (package.json, a Node stage, or npm/yarn/pnpm
	// in a RUN).
	node bool
	// installs: some RUN installs the project's dependencies.
	installs bool
	// runsGit: some RUN calls git (it may need .git from the context).
	runsGit bool
	// buildStep is the first RUN command that compiles or bundles.
	buildStep *dockerfile.ShellCommand

	scanOnce sync.Once
	scanned  *contextScan
}

var factsKey = memo.NewKey[*facts]("DI build facts")

// factsFor returns the facts of a build, or nil when it has no parsed
// Dockerfile. They are computed once and kept with the parsed file.
func factsFor(b *project.Build) *facts {
	if b == nil || b.Dockerfile == nil {
		return nil
	}
	v := factsKey.Get(b.Dockerfile.Memo(), func() *facts { return newFacts(b, b.Dockerfile) })
	if v.b != b {
		return newFacts(b, b.Dockerfile) // the file parsed once for another build
	}
	return v
}

func newFacts(b *project.Build, f *dockerfile.File) *facts {
	v := &facts{b: b, f: f, sources: contextSources(f), node: b.Package != nil}
	for _, s := range v.sources {
		if s.Broad != "" && !s.Mount {
			v.whole = append(v.whole, s)
		}
	}
	for _, st := range f.Stages {
		if !v.node && stage.IsNode(st) {
			v.node = true
		}
		for _, in := range st.Instructions {
			if in.Keyword != "RUN" || in.Script == nil {
				continue
			}
			for _, c := range in.Script.Commands {
				switch c.Base() {
				case "npm", "npx", "yarn", "pnpm", "node", "corepack", "bun", "bunx":
					v.node = true
				case "git":
					v.runsGit = true
				}
				if i, ok := install.Classify(c); ok && i.ProjectInstall() {
					v.installs = true
				}
				if v.buildStep == nil && install.IsBuildStep(c) {
					v.buildStep = c
				}
			}
		}
	}
	if !v.node {
		if _, err := os.Stat(filepath.Join(b.ContextDir, "package.json")); err == nil {
			v.node = true
		}
	}
	return v
}

// wholeCopy returns the first whole-context COPY/ADD that brings p into
// the image (nil when none does).
func (v *facts) wholeCopy(p string) *source {
	for i := range v.whole {
		if v.whole[i].covers(p) {
			return &v.whole[i]
		}
	}
	return nil
}

// named reports whether the Dockerfile copies or mounts dir (or a path in
// it, or a directory holding it) by name: a pattern for dir would break
// that COPY, so the DI002–DI005 checks leave dir alone.
func (v *facts) named(dir string) bool {
	for _, s := range v.sources {
		if s.touches(dir) {
			return true
		}
	}
	return false
}

// excluded reports whether the build's ignore file excludes p.
func (v *facts) excluded(p string) bool {
	ex, _ := v.b.Ignore.Match(p)
	return ex
}

// excludedNested reports whether the ignore file excludes one of the
// target's nested paths but not its neighbour.
func (v *facts) excludedNested(t target) bool {
	for _, n := range t.nested {
		if v.excluded(n.probe) && !v.excluded(n.neighbour) {
			return true
		}
	}
	return false
}

// reincluded reports whether the pattern that decides for p is a `!`
// exception naming exactly name (p itself, or the directory a probe
// stands for): the path is sent on purpose.
func (v *facts) reincluded(p, name string) bool {
	ex, by := v.b.Ignore.Match(p)
	return !ex && by != nil && by.Exclusion && by.Text == name
}

// dockerfileRef names an instruction for messages about the .dockerignore:
// `COPY . .` (Dockerfile:7), with the Dockerfile's path relative to the
// ignore file's directory.
func (v *facts) dockerfileRef(in *dockerfile.Instruction) string {
	return fmt.Sprintf("`%s` (%s:%d)", instText(v.f, in), v.dockerfileName(), in.StartLine)
}

func (v *facts) dockerfileName() string {
	name := v.b.DockerfilePath
	if v.b.IgnorePath != "" {
		if rel, err := filepath.Rel(filepath.Dir(v.b.IgnorePath), name); err == nil && !strings.HasPrefix(rel, "..") {
			name = rel
		}
	}
	return filepath.ToSlash(name)
}

// instText is the instruction's first line as written, shortened.
func instText(f *dockerfile.File, in *dockerfile.Instruction) string {
	return locate.Text(in)
}

// anchor is where DI002–DI005 report on the .dockerignore: its first
// pattern line (so a `# seaworthy ignore=` comment at the top of the file
// silences them), or line 1 when it has no pattern.
func anchor(ig *dockerignore.File) analysis.Range {
	line := 1
	if len(ig.Patterns) > 0 {
		line = ig.Patterns[0].Line
	}
	return lineRange(ig, line)
}

func lineRange(ig *dockerignore.File, line int) analysis.Range {
	n := 0
	if line >= 1 && line <= len(ig.Lines) {
		n = len(strings.TrimSuffix(ig.Lines[line-1], "\r"))
	}
	return analysis.Range{Start: analysis.Pos{Line: line, Col: 1}, End: analysis.Pos{Line: line, Col: n + 1}}
}

// target is something a whole-context COPY should not bring in: a
// representative path tested against the .dockerignore and the pattern
// that excludes it.
type target struct {
	label   string // for messages: "`*.log`"
	probe   string // context-relative path tested with Match
	pattern string // appended by the fix
	// nested are other paths where the target is written (coverage of a
	// workspace package): a pattern that excludes one of them, and not
	// its neighbour, is written for the target (`**/coverage`,
	// `/packages/**/coverage`) and counts.
	nested []nestedProbe
}

// nestedProbe is a path of a target below the context root, with a
// neighbour outside the target (the package's sources) that a pattern
// written for the target leaves in.
type nestedProbe struct{ probe, neighbour string }

// top is the target's top-level name (`node_modules`, `.env.local`).
func (t target) top() string {
	top, _, _ := strings.Cut(t.probe, "/")
	return top
}

// missing returns the targets that a whole-context COPY brings in and the
// ignore file does not exclude, skipping those the Dockerfile copies by
// name, with the first COPY that brings one in.
func (v *facts) missing(targets []target) ([]target, *source) {
	var out []target
	var first *source
	for _, t := range targets {
		s := v.wholeCopy(t.probe)
		if s == nil || v.excluded(t.probe) || v.excludedNested(t) || v.named(t.top()) || v.reincluded(t.probe, t.top()) {
			continue
		}
		if first == nil || s.In.StartLine < first.In.StartLine {
			first = s
		}
		out = append(out, t)
	}
	return out, first
}

// appendFix returns a fix that appends the targets' patterns at the end
// of the ignore file (see patternsFor and fixAppending).
func (v *facts) appendFix(targets []target) *analysis.Fix {
	return v.fixAppending(v.patternsFor(targets))
}

// patternsFor returns the targets' patterns, each once, leaving out one
// whose probe an earlier pattern of the list already excludes.
func (v *facts) patternsFor(targets []target) []string {
	var patterns []string
	for _, t := range targets {
		if contains(patterns, t.pattern) {
			continue
		}
		if len(patterns) > 0 {
			if sim := simulate(v.b.Ignore, patterns); sim != nil {
				if ex, _ := sim.Match(t.probe); ex {
					continue
				}
			}
		}
		patterns = append(patterns, t.pattern)
	}
	return patterns
}

// fixAppending returns a fix that appends patterns as new lines at the end
// of the ignore file, or nil when there is nothing to append or appending
// would exclude a path the Dockerfile copies by name (the build would
// break).
func (v *facts) fixAppending(patterns []string) *analysis.Fix {
	ig := v.b.Ignore
	if len(patterns) == 0 {
		return nil
	}
	sim := simulate(ig, patterns)
	if sim == nil {
		return nil
	}
	for _, s := range v.sources {
		if s.Broad != "" || s.Glob {
			continue
		}
		if was, _ := ig.Match(s.Rel); was {
			continue
		}
		if now, _ := sim.Match(s.Rel); now {
			return nil
		}
	}
	quoted := make([]string, len(patterns))
	for i, p := range patterns {
		quoted[i] = "`" + p + "`"
	}
	return &analysis.Fix{
		Title: fmt.Sprintf("Append %s to %s", strings.Join(quoted, ", "), filepath.Base(ig.Path)),
		Edits: []analysis.Edit{appendEdit(ig, patterns)},
	}
}

// simulate parses the ignore file with patterns appended (nil if that
// does not parse).
func simulate(ig *dockerignore.File, patterns []string) *dockerignore.File {
	e := appendEdit(ig, patterns)
	out, err := analysis.ApplyEdits(ig.Source, []analysis.Edit{e})
	if err != nil {
		return nil
	}
	sim, err := dockerignore.Parse(ig.Path, out)
	if err != nil {
		return nil
	}
	return sim
}

// appendEdit inserts patterns as new lines at the end of the file, adding
// the missing final newline first and keeping CRLF line endings.
func appendEdit(ig *dockerignore.File, patterns []string) analysis.Edit {
	nl := "\n"
	if bytes.Contains(ig.Source, []byte("\r\n")) {
		nl = "\r\n"
	}
	var text strings.Builder
	src := ig.Source
	last := bytes.LastIndexByte(src, '\n')
	pos := analysis.Pos{Line: bytes.Count(src, []byte("\n")) + 1, Col: 1}
	if !ig.FinalNewline() {
		pos.Col = len(src) - last // the end of the last line
		text.WriteString(nl)
	}
	for _, p := range patterns {
		text.WriteString(p)
		text.WriteString(nl)
	}
	return analysis.Edit{Start: pos, End: pos, NewText: text.String()}
}

// contextScan is what a bounded walk of the build context found.
type contextScan struct {
	// nodeModules lists directories named node_modules ("node_modules"
	// at the root), not descended into.
	nodeModules []string
	// secretCandidates lists files named like DI004's classes (.env*,
	// .npmrc, *.pem, id_rsa*), whether or not they hold secrets.
	secretCandidates []string
	// truncated is set when the walk stopped at maxScanEntries.
	truncated bool
}

// maxScanEntries bounds the context walk.
const maxScanEntries = 50000

// scanSkipDirs are never descended into: VCS data, dependency trees and
// build or tool caches (they hold neither secrets nor nested packages).
var scanSkipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".next": true, ".nuxt": true, ".output": true,
	".svelte-kit": true, ".cache": true, ".turbo": true, ".yarn": true, ".pnpm-store": true,
	"coverage": true, ".terraform": true, "vendor": true, "__pycache__": true, ".venv": true,
}

// scan walks the build context once per build (lazily: only DI002 and
// DI004 need it). Directories the .dockerignore excludes for good are not
// entered, nor node_modules and .git.
func (v *facts) scan() *contextScan {
	v.scanOnce.Do(func() {
		if v.b.Ignore == nil {
			v.scanned = scanContext(v.b.ContextDir, nil)
			return
		}
		// Builds that share a context and its ignore file walk it once.
		scans := contextScansKey.Get(v.b.Ignore.Memo(), func() *contextScans { return &contextScans{byDir: map[string]*sharedScan{}} })
		v.scanned = scans.get(v.b.ContextDir, v.b.Ignore)
	})
	return v.scanned
}

var contextScansKey = memo.NewKey[*contextScans]("DI context scans")

// contextScans are the walks of the contexts an ignore file filters, by
// context directory.
type contextScans struct {
	mu    sync.Mutex
	byDir map[string]*sharedScan
}

type sharedScan struct {
	once sync.Once
	scan *contextScan
}

func (c *contextScans) get(dir string, ig *dockerignore.File) *contextScan {
	key := dir
	if abs, err := filepath.Abs(dir); err == nil {
		key = abs
	}
	c.mu.Lock()
	s := c.byDir[key]
	if s == nil {
		s = &sharedScan{}
		c.byDir[key] = s
	}
	c.mu.Unlock()
	s.once.Do(func() { s.scan = scanContext(dir, ig) })
	return s.scan
}

func scanContext(dir string, ig *dockerignore.File) *contextScan {
	s := &contextScan{}
	n := 0
	_ = project.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if n++; n > maxScanEntries {
			s.truncated = true
			return filepath.SkipAll
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if name == "node_modules" {
				s.nodeModules = append(s.nodeModules, rel)
				return filepath.SkipDir
			}
			if scanSkipDirs[name] {
				return filepath.SkipDir
			}
			if ig != nil {
				if ex, _ := ig.Match(rel); ex && !ig.MayReinclude(rel) {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if secretClassOf(name) != nil {
			s.secretCandidates = append(s.secretCandidates, rel)
		}
		return nil
	})
	return s
}

// exists reports whether the context-relative path exists.
func (v *facts) exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(v.b.ContextDir, filepath.FromSlash(rel)))
	return err == nil
}

// list joins up to max names for a message: "a, b and 3 more".
func list(names []string, max int) string {
	if len(names) == 0 {
		return ""
	}
	if len(names) > max {
		return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
