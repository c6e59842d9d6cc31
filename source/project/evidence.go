package project

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/tailscale/hujson"
	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// This file finds how a project builds its Dockerfiles and which compose
// files it passes together: the `docker build` and `docker compose -f`
// commands of its CI workflows, Makefiles, package.json scripts and shell
// scripts, and the build steps of GitHub workflows
// (docker/build-push-action and its look-alikes).

// Kinds of ContextSource: where a build's context comes from.
const (
	// FromCompose: a compose file's `build:` section.
	FromCompose = "compose"
	// FromWorkflow: a CI workflow (a build-push-action step or a `docker
	// build` in a `run:` step).
	FromWorkflow = "ci"
	// FromMakefile: a Makefile recipe runs `docker build`.
	FromMakefile = "makefile"
	// FromPackageScript: a package.json script runs `docker build`.
	FromPackageScript = "package.json"
	// FromScript: a shell script runs `docker build`.
	FromScript = "script"
	// FromPlatform: a hosting platform's service config names the
	// Dockerfile (Railway's railway.json `build.dockerfilePath`).
	FromPlatform = "platform"
	// FromDevcontainer: a dev container config (devcontainer.json
	// `build.dockerfile` and `build.context`).
	FromDevcontainer = "devcontainer"
	// FromCopies: nothing says; the nearest directory up from the
	// Dockerfile in which the paths it copies are found.
	FromCopies = "copied-paths"
	// FromDockerfileDir: nothing says; the Dockerfile's directory.
	FromDockerfileDir = "dockerfile-dir"
	// FromGiven: the caller named the context.
	FromGiven = "given"
)

// kindRank orders the kinds of evidence, strongest first.
var kindRank = map[string]int{FromCompose: 0, FromWorkflow: 1, FromMakefile: 2, FromPackageScript: 3, FromScript: 4, FromPlatform: 5, FromDevcontainer: 6}

// ContextSource says why a build uses its context directory.
type ContextSource struct {
	Kind string
	// File and Line locate the evidence (empty for the inferred kinds).
	File string
	Line int
	// Publishes is set when the command pushes the image it builds to a
	// registry (`docker buildx build --push`, `--output type=registry`,
	// build-push-action's `push: true`): whatever its name says, the
	// Dockerfile makes a published image.
	Publishes bool
}

// String is "from FILE:LINE" for evidence in a file, else what the
// context was inferred from.
func (s ContextSource) String() string {
	switch {
	case s.File != "" && s.Line > 0:
		return fmt.Sprintf("from %s:%d", s.File, s.Line)
	case s.File != "":
		return "from " + s.File
	case s.Kind == FromCopies:
		return "the nearest directory in which the paths the Dockerfile copies and uses are found"
	case s.Kind == FromGiven:
		return "as given"
	}
	return "the Dockerfile's directory: nothing in the project names another context"
}

// Invocation is a build of a Dockerfile that a file of the project runs.
type Invocation struct {
	Dockerfile string
	ContextDir string
	Source     ContextSource
	// Target is the stage the build stops at (`--target release`, a
	// workflow step's `target:`); "" for the last stage. TargetKnown is
	// false when a variable names it.
	Target      string
	TargetKnown bool
	// Named are the build's named contexts (`--build-context
	// api=./packages/api`, build-push-action's `build-contexts:`).
	Named []NamedContext
}

// NamedContext is a named build context of a build: `COPY --from=Name`
// and `FROM Name` read it instead of a stage or an image of that name.
type NamedContext struct {
	Name string
	// Dir is the directory (in the form the walk gives paths); empty when
	// the value is an image (Image: `docker-image://node:22`,
	// `oci-layout://…`, a URL), which `--from=Name` then names.
	Dir   string
	Image string
}

// String is "name=dir" (or "name=image").
func (n NamedContext) String() string {
	if n.Dir == "" {
		return n.Name + "=" + n.Image
	}
	return n.Name + "=" + filepath.ToSlash(n.Dir)
}

// namedContext reads a named context value `name=value` (value relative
// to base); ok is false when it is malformed, holds a value that cannot
// be known or names a directory that does not exist.
func (ev *evidence) namedContext(base, val string) (NamedContext, bool) {
	name, v, found := strings.Cut(strings.TrimSpace(val), "=")
	name, v = strings.TrimSpace(name), strings.TrimSpace(v)
	if !found || name == "" || v == "" || strings.Contains(v, "$") || strings.Contains(name, "$") {
		return NamedContext{}, false
	}
	if strings.Contains(v, "://") || compose.IsRemoteContext(v) {
		return NamedContext{Name: name, Image: v}, true
	}
	dir := ev.abs(base, v)
	if dir == "" || !isDir(dir) {
		return NamedContext{}, false
	}
	return NamedContext{Name: name, Dir: ev.display(dir)}, true
}

// namedContexts reads a list of named context values, dropping those
// namedContext cannot read.
func (ev *evidence) namedContexts(base string, vals []string) []NamedContext {
	var out []NamedContext
	for _, v := range vals {
		if n, ok := ev.namedContext(base, v); ok {
			out = append(out, n)
		}
	}
	return out
}

// ComposeRun is a `docker compose` command that passes compose files with
// -f: docker compose merges them in order.
type ComposeRun struct {
	Files  []string
	Source ContextSource
}

// evidenceFile is a file that may run docker commands.
type evidenceFile struct{ path, kind string }

// maxEvidenceSize bounds the files read for evidence.
const maxEvidenceSize = 1 << 20

// evidenceKind tells whether a file may hold docker commands and of which
// kind: a GitHub workflow, a Makefile, a package.json or a shell script.
func evidenceKind(path, name string) string {
	switch {
	case strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml"):
		dir := filepath.Dir(path)
		if filepath.Base(dir) == "workflows" && filepath.Base(filepath.Dir(dir)) == ".github" {
			return FromWorkflow
		}
	case name == "Makefile" || name == "makefile" || name == "GNUmakefile" || strings.HasSuffix(name, ".mk"):
		return FromMakefile
	case name == "package.json":
		return FromPackageScript
	case strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, ".bash"):
		return FromScript
	case name == "railway.json":
		return FromPlatform
	case name == "devcontainer.json" || name == ".devcontainer.json":
		return FromDevcontainer
	}
	return ""
}

// evidence gathers what the evidence files say.
type evidence struct {
	root    string // the project root as given
	rootAbs string
	builds  []Invocation
	compose []ComposeRun
}

// readEvidence reads every evidence file and resolves the commands found
// to existing files. Files that cannot be read or parsed say nothing.
func readEvidence(root string, files []evidenceFile) *evidence {
	ev := &evidence{root: root}
	ev.rootAbs, _ = filepath.Abs(root)
	for _, f := range files {
		src, err := readSmall(f.path)
		if err != nil || !mentionsDocker(src) {
			continue
		}
		abs, err := filepath.Abs(f.path)
		if err != nil {
			continue
		}
		switch f.kind {
		case FromWorkflow:
			ev.workflow(f.path, abs, src)
		case FromMakefile:
			ev.makefile(f.path, abs, src)
		case FromPackageScript:
			ev.packageScripts(f.path, abs, src)
		case FromScript:
			runs := readShell(string(src), abs, ev.rootAbs, workdir{dir: "."}, nil, nil)
			ev.add(runs, f.path, FromScript, ev.upward(filepath.Dir(abs)))
		case FromPlatform:
			ev.railway(f.path, abs, src)
		case FromDevcontainer:
			ev.devcontainer(f.path, abs, src)
		}
	}
	sort.SliceStable(ev.builds, func(i, j int) bool {
		return kindRank[ev.builds[i].Source.Kind] < kindRank[ev.builds[j].Source.Kind]
	})
	return ev
}

// railway reads a Railway service config: `build.dockerfilePath` names the
// Dockerfile, and Railway builds from the repository root (unless the
// service's root directory, set outside the file, says otherwise). So the
// context is the project root when the path is found from it, else the
// config's own directory.
func (ev *evidence) railway(path, abs string, src []byte) {
	var c struct {
		Build struct {
			DockerfilePath string `json:"dockerfilePath"`
		} `json:"build"`
	}
	if json.Unmarshal(src, &c) != nil || c.Build.DockerfilePath == "" {
		return
	}
	line := nodeproject.JSONKeyLine(src, "build", "dockerfilePath")
	for _, base := range []string{ev.rootAbs, filepath.Dir(abs)} {
		df := ev.abs(base, c.Build.DockerfilePath)
		if df != "" && isFile(df) {
			ev.builds = append(ev.builds, Invocation{Dockerfile: ev.display(df), ContextDir: ev.display(base), Source: ContextSource{Kind: FromPlatform, File: path, Line: line}, TargetKnown: true})
			return
		}
	}
}

// devcontainer reads a dev container config (JSON with comments):
// `build.dockerfile` names the Dockerfile and `build.context` the context
// (default: the config's folder), both relative to the config's folder,
// as the dev containers CLI builds them; `build.target` the stage. The
// older top-level `dockerFile` and `context` say the same.
func (ev *evidence) devcontainer(path, abs string, src []byte) {
	std, err := hujson.Standardize(src)
	if err != nil {
		return
	}
	var c struct {
		Build struct {
			Dockerfile string `json:"dockerfile"`
			Context    string `json:"context"`
			Target     string `json:"target"`
		} `json:"build"`
		DockerFile string `json:"dockerFile"`
		Context    string `json:"context"`
	}
	if json.Unmarshal(std, &c) != nil {
		return
	}
	file, ctx, line := c.Build.Dockerfile, c.Build.Context, nodeproject.JSONKeyLine(std, "build", "dockerfile")
	if file == "" {
		file, ctx, line = c.DockerFile, c.Context, nodeproject.JSONKeyLine(std, "dockerFile")
	}
	if file == "" || strings.Contains(file, "${") || strings.Contains(ctx, "${") {
		return
	}
	if ctx == "" {
		ctx = "."
	}
	base := filepath.Dir(abs)
	df, ctxAbs := ev.abs(base, file), ev.abs(base, ctx)
	if df == "" || ctxAbs == "" || !isFile(df) || !isDir(ctxAbs) {
		return
	}
	ev.builds = append(ev.builds, Invocation{Dockerfile: ev.display(df), ContextDir: ev.display(ctxAbs), Source: ContextSource{Kind: FromDevcontainer, File: path, Line: line}, Target: c.Build.Target, TargetKnown: true})
}

// readSmall reads an evidence file that is a regular file of at most
// maxEvidenceSize bytes.
func readSmall(path string) ([]byte, error) {
	return regular.ReadFile(path, maxEvidenceSize)
}

func mentionsDocker(src []byte) bool {
	for _, w := range [][]byte{[]byte("docker"), []byte("podman"), []byte("nerdctl"), []byte("depot"), []byte("build-push-action")} {
		if bytes.Contains(src, w) {
			return true
		}
	}
	return false
}

// upward lists dir and its parents up to the project root: where a script
// whose working directory is unknown may run from.
func (ev *evidence) upward(dir string) []string {
	var out []string
	for {
		out = append(out, dir)
		if dir == ev.rootAbs || !Within(dir, ev.rootAbs) {
			return out
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return out
		}
		dir = parent
	}
}

// add resolves the docker commands found in file: a build names an
// existing Dockerfile and a context directory; a compose run names
// existing compose files. starts are the directories the commands may
// start in when their working directory is unknown.
func (ev *evidence) add(runs []dockerRun, file, kind string, starts []string) {
	for _, run := range runs {
		if run.wd.lost {
			continue
		}
		bases := []string{run.wd.dir}
		if !run.wd.known {
			bases = bases[:0]
			for _, s := range starts {
				bases = append(bases, filepath.Join(s, run.wd.dir))
			}
		}
		src := ContextSource{Kind: kind, File: file, Line: run.line, Publishes: run.push}
		if run.compose {
			ev.addCompose(run, bases, src)
			continue
		}
		if run.file == "-" || compose.IsRemoteContext(run.context) || run.context == "-" {
			continue
		}
		for _, base := range bases {
			ctx := ev.abs(base, run.context)
			df := filepath.Join(ctx, "Dockerfile")
			if run.file != "" {
				df = ev.abs(base, run.file)
			}
			if ctx == "" || df == "" || !isFile(df) || !isDir(ctx) {
				continue
			}
			ev.builds = append(ev.builds, Invocation{Dockerfile: ev.display(df), ContextDir: ev.display(ctx), Source: src, Target: run.target, TargetKnown: run.targetKnown, Named: ev.namedContexts(base, run.named)})
			break
		}
	}
}

func (ev *evidence) addCompose(run dockerRun, bases []string, src ContextSource) {
	if len(run.files) < 2 {
		return // one file: a set of its own anyway
	}
	for _, base := range bases {
		var files []string
		for _, f := range run.files {
			p := ev.abs(base, f)
			if p == "" || !isFile(p) {
				files = nil
				break
			}
			files = append(files, ev.display(p))
		}
		if files != nil {
			ev.compose = append(ev.compose, ComposeRun{Files: files, Source: src})
			return
		}
	}
}

// abs joins p to base (absolute); absolute paths are kept only inside
// the project root.
func (ev *evidence) abs(base, p string) string {
	if filepath.IsAbs(p) {
		if !Within(p, ev.rootAbs) {
			return ""
		}
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// display turns an absolute path below the root into the form the walk
// gives paths in (the root as given, joined with the relative path);
// paths outside the root stay absolute.
func (ev *evidence) display(abs string) string {
	rel, err := filepath.Rel(ev.rootAbs, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}
	return filepath.Join(ev.root, rel)
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// packageScripts reads the scripts of a package.json: npm, yarn, pnpm and
// bun run them in the package's directory.
func (ev *evidence) packageScripts(path, abs string, src []byte) {
	var m struct {
		Scripts map[string]string `json:"scripts"`
	}
	if json.Unmarshal(src, &m) != nil {
		return
	}
	names := make([]string, 0, len(m.Scripts))
	for name := range m.Scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	dir := filepath.Dir(abs)
	for _, name := range names {
		text := m.Scripts[name]
		if !mentionsDocker([]byte(text)) {
			continue
		}
		line := nodeproject.JSONKeyLine(src, "scripts", name)
		runs := readShell(text, "", ev.rootAbs, workdir{dir: dir, known: true}, nil, func(int) int { return line })
		ev.add(runs, path, FromPackageScript, nil)
	}
}

// makeVar matches a Makefile variable assignment.
var makeVar = regexp.MustCompile(`^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:=|::=|=|\+=)\s*(.*)$`)

// makefile reads the recipes of a Makefile: each recipe line is a shell
// command run in the Makefile's directory, after make expands its
// variables (those assigned in the file; `$(CURDIR)`).
func (ev *evidence) makefile(path, abs string, src []byte) {
	dir := filepath.Dir(abs)
	vars := map[string]string{"CURDIR": dir}
	lines := strings.Split(string(src), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "\t") {
			continue
		}
		if m := makeVar.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			val := strings.TrimSpace(m[3])
			switch m[2] {
			case "?=":
				if _, ok := vars[m[1]]; !ok {
					vars[m[1]] = val
				}
			case "+=":
				vars[m[1]] = strings.TrimSpace(vars[m[1]] + " " + val)
			default:
				vars[m[1]] = val
			}
		}
	}
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "\t") {
			continue
		}
		start := i
		text := strings.TrimLeft(lines[i][1:], "@-+ ")
		for strings.HasSuffix(text, "\\") && i+1 < len(lines) {
			i++
			text += "\n" + strings.TrimPrefix(lines[i], "\t")
		}
		if !mentionsDocker([]byte(text)) {
			continue
		}
		text = expandMake(text, vars, 0)
		line := start + 1
		runs := readShell(text, "", ev.rootAbs, workdir{dir: dir, known: true}, nil, func(l int) int { return line + l - 1 })
		ev.add(runs, path, FromMakefile, nil)
	}
}

// makeRef matches a make variable reference: $(NAME) or ${NAME}.
var makeRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}`)

// expandMake expands the make variables it knows and turns `$$` into the
// shell's `$`. Unknown references stay as written: the shell reader sees
// them as command substitutions or unset variables, which it does not
// guess.
func expandMake(text string, vars map[string]string, depth int) string {
	const dollar = "\x00"
	text = strings.ReplaceAll(text, "$$", dollar)
	text = makeRef.ReplaceAllStringFunc(text, func(ref string) string {
		m := makeRef.FindStringSubmatch(ref)
		name := m[1] + m[2]
		v, ok := vars[name]
		if !ok {
			return ref
		}
		if depth < 5 && strings.Contains(v, "$") {
			v = expandMake(v, vars, depth+1)
		}
		return v
	})
	return strings.ReplaceAll(text, dollar, "$")
}

// unknownExpr replaces a GitHub expression whose value cannot be known:
// the shell reader treats it as a command's output, and a `with:` value
// holding it is not used.
const unknownExpr = "$(github-expression)"

// ghExpr matches a GitHub Actions expression.
var ghExpr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// workflow reads a GitHub workflow: build-push-action steps (`context`,
// `file`) and `run:` steps, with `${{ matrix.X }}` and `${{ env.X }}`
// expanded for every matrix row.
func (ev *evidence) workflow(path, abs string, src []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return
	}
	top := doc.Content[0]
	repo := filepath.Dir(filepath.Dir(filepath.Dir(abs)))
	wfEnv := scalarMap(compose.MappingValue(top, "env"))
	wfDir := scalar(compose.MappingValue(compose.MappingValue(compose.MappingValue(top, "defaults"), "run"), "working-directory"))
	jobs := compose.MappingValue(top, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(jobs.Content); i += 2 {
		job := jobs.Content[i]
		env := merged(wfEnv, scalarMap(compose.MappingValue(job, "env")))
		jobDir := wfDir
		if d := scalar(compose.MappingValue(compose.MappingValue(compose.MappingValue(job, "defaults"), "run"), "working-directory")); d != "" {
			jobDir = d
		}
		rows := matrixRows(compose.MappingValue(compose.MappingValue(job, "strategy"), "matrix"))
		steps := compose.MappingValue(job, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, step := range steps.Content {
			stepEnv := merged(env, scalarMap(compose.MappingValue(step, "env")))
			if uses := scalar(compose.MappingValue(step, "uses")); strings.Contains(uses, "/build-push-action") {
				ev.buildPushStep(path, repo, step, rows, stepEnv)
				continue
			}
			run := compose.MappingValue(step, "run")
			if run == nil || run.Kind != yaml.ScalarNode || !mentionsDocker([]byte(run.Value)) {
				continue
			}
			dir := jobDir
			if d := scalar(compose.MappingValue(step, "working-directory")); d != "" {
				dir = d
			}
			first := run.Line
			if run.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				first++
			}
			seen := map[string]bool{}
			for _, row := range rows {
				text := expandExpr(run.Value, row, stepEnv)
				wd := expandExpr(dir, row, stepEnv)
				if seen[text+"\x00"+wd] || strings.Contains(wd, unknownExpr) {
					continue
				}
				seen[text+"\x00"+wd] = true
				vars := map[string]string{}
				for k, v := range stepEnv {
					if v = expandExpr(v, row, stepEnv); !strings.Contains(v, unknownExpr) {
						vars[k] = v
					}
				}
				runs := readShell(text, "", ev.rootAbs, workdir{dir: filepath.Join(repo, wd), known: true}, vars, func(l int) int { return first + l - 1 })
				ev.add(runs, path, FromWorkflow, nil)
			}
		}
	}
}

// buildPushStep reads a docker/build-push-action step: `context` (default:
// the repository, as the action's Git context) and `file` (default:
// <context>/Dockerfile; relative to the repository).
func (ev *evidence) buildPushStep(path, repo string, step *yaml.Node, rows []map[string]string, env map[string]string) {
	with := compose.MappingValue(step, "with")
	ctxNode, fileNode := compose.MappingValue(with, "context"), compose.MappingValue(with, "file")
	targetNode := compose.MappingValue(with, "target")
	line := compose.MappingValue(step, "uses").Line
	switch {
	case fileNode != nil:
		line = fileNode.Line
	case ctxNode != nil:
		line = ctxNode.Line
	}
	src := ContextSource{Kind: FromWorkflow, File: path, Line: line}
	switch push := scalar(compose.MappingValue(with, "push")); {
	case push == "true":
		src.Publishes = true
	case push == "":
		src.Publishes = pushesOutput(scalar(compose.MappingValue(with, "outputs")))
	}
	seen := map[string]bool{}
	for _, row := range rows {
		ctx := expandExpr(scalar(ctxNode), row, env)
		ctx = strings.TrimPrefix(strings.TrimPrefix(ctx, "{{defaultContext}}:"), "{{defaultContext}}")
		if ctx == "" {
			ctx = "."
		}
		file := expandExpr(scalar(fileNode), row, env)
		if strings.Contains(ctx, unknownExpr) || strings.Contains(file, unknownExpr) || compose.IsRemoteContext(ctx) || file == "-" {
			continue
		}
		ctxAbs := ev.abs(repo, ctx)
		df := filepath.Join(ctxAbs, "Dockerfile")
		if file != "" {
			df = ev.abs(repo, file)
		}
		if ctxAbs == "" || df == "" || !isFile(df) || !isDir(ctxAbs) {
			continue
		}
		target := expandExpr(scalar(targetNode), row, env)
		known := !strings.Contains(target, unknownExpr)
		if !known {
			target = ""
		}
		var named []NamedContext
		for _, l := range strings.Split(expandExpr(scalar(compose.MappingValue(with, "build-contexts")), row, env), "\n") {
			if strings.TrimSpace(l) != "" && !strings.Contains(l, unknownExpr) {
				if n, ok := ev.namedContext(repo, l); ok {
					named = append(named, n)
				}
			}
		}
		inv := Invocation{Dockerfile: ev.display(df), ContextDir: ev.display(ctxAbs), Source: src, Target: target, TargetKnown: known, Named: named}
		if key := fmt.Sprint(inv); !seen[key] {
			seen[key] = true
			ev.builds = append(ev.builds, inv)
		}
	}
}

// expandExpr replaces the GitHub expressions of text with their values
// (see evalExpr); one whose value cannot be known with unknownExpr.
func expandExpr(text string, row, env map[string]string) string {
	if !strings.Contains(text, "${{") {
		return text
	}
	return ghExpr.ReplaceAllStringFunc(text, func(e string) string {
		v, ok := evalExpr(ghExpr.FindStringSubmatch(e)[1], row, env)
		if !ok {
			return unknownExpr
		}
		return v
	})
}

// dynamicMatrix marks the row of a matrix built at run time
// (`${{ fromJSON(…) }}`).
const dynamicMatrix = "\x00dynamic"

// maxMatrixRows bounds the matrix rows followed.
const maxMatrixRows = 64

// matrixRows lists a job's matrix combinations: the product of its
// list-valued keys, with `include` entries extending the rows they agree
// with or added as rows of their own. No matrix gives one empty row.
func matrixRows(m *yaml.Node) []map[string]string {
	rows := []map[string]string{{}}
	if m == nil {
		return rows
	}
	if m.Kind != yaml.MappingNode {
		return []map[string]string{{dynamicMatrix: ""}}
	}
	var include *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i].Value, m.Content[i+1]
		switch {
		case key == "include":
			include = val
			continue
		case key == "exclude" || val.Kind != yaml.SequenceNode:
			continue
		}
		var next []map[string]string
		for _, row := range rows {
			for _, item := range val.Content {
				if item.Kind != yaml.ScalarNode || len(next) == maxMatrixRows {
					continue
				}
				r := merged(row, map[string]string{key: item.Value})
				next = append(next, r)
			}
		}
		if len(next) > 0 {
			rows = next
		}
	}
	if include == nil || include.Kind != yaml.SequenceNode {
		return rows
	}
	for _, inc := range include.Content {
		extra := scalarMap(inc)
		matched := false
		for i, row := range rows {
			agrees := true
			for k, v := range extra {
				if rv, ok := row[k]; ok && rv != v {
					agrees = false
				}
			}
			if agrees && len(row) > 0 {
				rows[i] = merged(row, extra)
				matched = true
			}
		}
		if !matched && len(rows) < maxMatrixRows {
			if len(rows) == 1 && len(rows[0]) == 0 {
				rows = rows[:0]
			}
			rows = append(rows, extra)
		}
	}
	return rows
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func scalarMap(n *yaml.Node) map[string]string {
	out := map[string]string{}
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := n.Content[i+1]; v.Kind == yaml.ScalarNode {
			out[n.Content[i].Value] = v.Value
		}
	}
	return out
}

func merged(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
