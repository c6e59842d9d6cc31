// Package stage derives what a Dockerfile stage does and ships: its base
// image facts, whether it runs Node, the process its container runs, its
// installs, copies, working directories and variables, which stages reach
// the final image. Each fact is computed once per stage or file.
package stage

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// The facts several rules share, each kept in the stage's or file's memo
// table so that it is computed once.
var (
	baseKey          = memo.NewKey[imageFacts]("base image facts")
	nodeKey          = memo.NewKey[bool]("node stage")
	commandKey       = memo.NewKey[[2]*dockerfile.Instruction]("effective command")
	scopesKey        = memo.NewKey[map[*dockerfile.Instruction]Scope]("scopes")
	processKey       = memo.NewKey[resolvedProcess]("stage process")
	heredocFilesKey  = memo.NewKey[[]HeredocFile]("heredoc files")
	shippedKey       = memo.NewKey[bool]("shipped")
	runsKey          = memo.NewKey[[]*dockerfile.Instruction]("runs")
	runCommandsKey   = memo.NewKey[[]RunCmd]("run commands")
	chainCommandsKey = memo.NewKey[[]RunCmd]("chain run commands")
)

// imageFacts is a base image lookup: the facts and whether any are known.
type imageFacts struct {
	knowledge.ImageFacts
	ok bool
}

// Base returns what is known about the external image a stage
// ultimately builds on.
func Base(st *dockerfile.Stage) (knowledge.ImageFacts, bool) {
	f := baseKey.Get(st.Memo(), func() imageFacts { return lookupBase(st) })
	return f.ImageFacts, f.ok
}

func lookupBase(st *dockerfile.Stage) imageFacts {
	b := st.Root()
	if !b.External() {
		return imageFacts{}
	}
	f, ok := knowledge.LookupImage(b.Registry, b.Repository, b.Tag)
	return imageFacts{f, ok}
}

// IsNode: the base is a known Node image, or the stage (or a stage it
// builds on) installs Node, or its command runs node or a package manager.
func IsNode(st *dockerfile.Stage) bool {
	return nodeKey.Get(st.Memo(), func() bool { return computeNode(st) })
}

func computeNode(st *dockerfile.Stage) bool {
	if f, ok := Base(st); ok && f.Node {
		return true
	}
	for _, s := range st.Ancestors() {
		for _, c := range s.Commands() {
			if install.InstallsSystemPackage(c, "nodejs") || install.InstallsSystemPackage(c, "node") {
				return true
			}
			if c.Base() == "curl" || c.Base() == "wget" {
				for _, a := range c.Args {
					if strings.Contains(a, "nodesource") {
						return true
					}
				}
			}
		}
	}
	ep, cmd := Command(st)
	for _, in := range []*dockerfile.Instruction{ep, cmd} {
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			switch c.Base() {
			case "node", "nodejs", "npm", "npx", "yarn", "pnpm", "ts-node", "tsx", "nodemon", "pm2", "pm2-runtime":
				return true
			}
		}
	}
	return false
}

// Command returns the ENTRYPOINT and CMD in force for a stage,
// inherited from the stages it builds on. An ENTRYPOINT resets a CMD
// inherited from an earlier stage, as Docker does; a CMD set earlier in
// the same stage survives it.
func Command(st *dockerfile.Stage) (entrypoint, cmd *dockerfile.Instruction) {
	c := commandKey.Get(st.Memo(), func() [2]*dockerfile.Instruction { return computeCommand(st) })
	return c[0], c[1]
}

// computeEffectiveCommand returns ENTRYPOINT and CMD (see Command).
func computeCommand(st *dockerfile.Stage) [2]*dockerfile.Instruction {
	var entrypoint, cmd *dockerfile.Instruction
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		cmdInStage := false
		for _, in := range chain[i].Instructions {
			switch in.Keyword {
			case "ENTRYPOINT":
				entrypoint = in
				if !cmdInStage {
					cmd = nil
				}
			case "CMD":
				cmd, cmdInStage = in, true
			}
		}
	}
	return [2]*dockerfile.Instruction{entrypoint, cmd}
}

// EnvBefore reports the value of an ENV variable set in the stage (or
// the stages it builds on) before the instruction at line (0: anywhere).
func EnvBefore(st *dockerfile.Stage, name string, line int) (string, bool) {
	chain := st.Ancestors()
	value, found := "", false
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if chain[i] == st && line > 0 && in.StartLine >= line {
				break
			}
			env, ok := in.Command.(*instructions.EnvCommand)
			if !ok {
				continue
			}
			for _, kv := range env.Env {
				if kv.Key == name {
					value, found = UnquoteEnv(kv.Value), true
				}
			}
		}
	}
	return value, found
}

// UnquoteEnv strips the quotes buildkit keeps on ENV values (`"production"`).
func UnquoteEnv(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}

// installs returns the dependency installs of a stage with the instruction
// that runs each.
func Installs(st *dockerfile.Stage) []Install {
	var out []Install
	for _, in := range st.Instructions {
		if in.Keyword != "RUN" || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if i, ok := install.Classify(c); ok {
				out = append(out, Install{Install: i, Instr: in})
			}
		}
	}
	return out
}

type Install struct {
	install.Install
	Instr *dockerfile.Instruction
}

// HasCacheMount reports whether a RUN mounts a cache (or tmpfs) at a path
// containing one of the fragments.
func HasCacheMount(in *dockerfile.Instruction, fragments ...string) bool {
	for _, m := range in.Mounts {
		if m.Type != instructions.MountTypeCache && m.Type != instructions.MountTypeTmpfs {
			continue
		}
		if len(fragments) == 0 {
			return true
		}
		for _, fr := range fragments {
			if strings.Contains(m.Target, fr) {
				return true
			}
		}
	}
	return false
}

// LastInChain returns the last instruction with keyword in force for the
// stage: in the stage itself or, failing that, in the stages it builds on.
func LastInChain(st *dockerfile.Stage, keyword string) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in.Keyword == keyword {
				last = in
			}
		}
	}
	return last
}

// LastEnv returns the last ENV instruction (stage and ancestors) that sets
// name, with the unquoted value.
func LastEnv(st *dockerfile.Stage, name string) (*dockerfile.Instruction, string) {
	var at *dockerfile.Instruction
	value := ""
	for _, in := range st.ChainInstructions() {
		env, ok := in.Command.(*instructions.EnvCommand)
		if !ok {
			continue
		}
		for _, kv := range env.Env {
			if kv.Key == name {
				at, value = in, UnquoteEnv(kv.Value)
			}
		}
	}
	return at, value
}

// HealthcheckTest returns the test of a HEALTHCHECK instruction
// (["NONE"], ["CMD", …], ["CMD-SHELL", …]); nil when it did not parse.
func HealthcheckTest(in *dockerfile.Instruction) []string {
	hc, ok := in.Command.(*instructions.HealthCheckCommand)
	if !ok || hc.Health == nil {
		return nil
	}
	return hc.Health.Test
}

// HealthcheckNone reports whether a HEALTHCHECK instruction is `HEALTHCHECK NONE`.
func HealthcheckNone(in *dockerfile.Instruction) bool {
	t := HealthcheckTest(in)
	return len(t) > 0 && strings.EqualFold(t[0], "NONE")
}

var shellWordSep = regexp.MustCompile(`[\s;&|()` + "`" + `]+`)

// HealthcheckTool returns the command of the healthcheck that runs tool
// (curl, wget), also inside an exec-form `sh -c "…"`; the command is nil
// for the latter, where only the instruction is known.
func HealthcheckTool(in *dockerfile.Instruction, tool string) (*dockerfile.ShellCommand, bool) {
	if in.Script == nil {
		return nil, false
	}
	for _, c := range in.Script.Commands {
		if c.Base() == tool {
			return c, true
		}
		if command.IsShell(c.Base()) {
			for i, a := range c.Args {
				if a != "-c" || i+1 >= len(c.Args) {
					continue
				}
				for _, w := range shellWordSep.Split(c.Args[i+1], -1) {
					if command.BaseName(w) == tool {
						return nil, true
					}
				}
			}
		}
	}
	return nil, false
}

// UserIsRoot classifies a USER value: root (root, 0, root:root, 0:0, …),
// unknown (a variable), or not root.
func UserIsRoot(user string) (root, known bool) {
	user = strings.TrimSpace(UnquoteEnv(user))
	if strings.Contains(user, "$") || user == "" {
		return false, false
	}
	name, _, _ := strings.Cut(user, ":")
	return name == "root" || name == "0", true
}

// VariantKnown reports whether the image's variant can be read from its
// reference: `node@sha256:…` without a tag could be any variant.
func VariantKnown(b dockerfile.BaseImage) bool {
	return b.Tag != "" || b.Digest == ""
}

// DevEnvironment reports whether the image is a development environment,
// not something deployed: a Dev Container or CodeSandbox Dockerfile, or a
// final stage named for development. Production-runtime advice (small
// base, NODE_ENV, healthcheck) does not apply to it.
func DevEnvironment(path string, st *dockerfile.Stage) bool {
	p := strings.ToLower(filepath.ToSlash(path))
	if strings.Contains(p, ".devcontainer") || strings.Contains(p, ".codesandbox") {
		return true
	}
	switch st.Name {
	case "dev", "development", "develop", "dev-envs", "devcontainer", "local":
		return true
	}
	return false
}

// RuntimeOnly reports whether the stage's command is a bare `node`
// (the REPL): the Dockerfile builds a Node runtime for others to build on
// (like the official node images), not an application.
func RuntimeOnly(st *dockerfile.Stage) bool {
	_, cmd := Command(st)
	if cmd == nil || cmd.Script == nil || len(cmd.Script.Commands) != 1 {
		return false
	}
	c := cmd.Script.Commands[0]
	return (c.Base() == "node" || c.Base() == "nodejs") && len(c.Args) == 0
}

// Windows reports whether the stage builds a Windows image: its base
// names a Windows image, or a SHELL in the chain is PowerShell or cmd.
func Windows(st *dockerfile.Stage) bool {
	if facts, ok := Base(st); ok && facts.Variant == knowledge.VariantWindows {
		return true
	}
	ref := strings.ToLower(st.Root().Expanded)
	for _, w := range []string{"windows", "nanoserver", "servercore", "microsoft/iis", "/dotnet/framework"} {
		if strings.Contains(ref, w) {
			return true
		}
	}
	for _, in := range st.ChainInstructions() {
		sh, ok := in.Command.(*instructions.ShellCommand)
		if !ok || len(sh.Shell) == 0 {
			continue
		}
		name := strings.ToLower(sh.Shell[0])
		if strings.Contains(name, "powershell") || strings.Contains(name, "pwsh") || strings.HasPrefix(name, "cmd") {
			return true
		}
	}
	return false
}

// Launch returns the argv a container of the stage starts with:
// ENTRYPOINT then CMD, a shell form contributing `/bin/sh -c <text>` (a
// shell-form ENTRYPOINT ignores CMD). Nil when the Dockerfile sets neither.
func Launch(st *dockerfile.Stage) []command.LaunchWord {
	ep, cmd := Command(st)
	var out []command.LaunchWord
	add := func(in *dockerfile.Instruction) bool {
		args, shell, ok := command.InstructionArgs(in)
		if !ok {
			return false
		}
		if shell {
			out = append(out,
				command.LaunchWord{Text: "/bin/sh", In: in, Shell: true},
				command.LaunchWord{Text: "-c", In: in, Shell: true},
				command.LaunchWord{Text: strings.Join(args, " "), In: in, Shell: true})
			return true
		}
		for _, a := range args {
			out = append(out, command.LaunchWord{Text: a, In: in})
		}
		return false
	}
	if add(ep) {
		return out
	}
	add(cmd)
	return out
}

// Process is what a final stage's command ends up running.
type Process struct {
	// Launch is the whole argv Docker starts.
	Launch []command.LaunchWord
	// Init is the init at the front, "" if none.
	Init string
	// Argv is the command that runs the app, after an init, `sh -c`
	// scripts (their last command) and transparent wrappers (`gosu user`,
	// `su-exec user`, `env`).
	Argv []command.LaunchWord
	// ShellFront is set when a shell stays in front of Argv (a shell form
	// or `sh -c` whose last command is not exec'd).
	ShellFront bool
	// Script is set when Argv runs a shell script file (`./entrypoint.sh`,
	// `sh start.sh`); ScriptArgs are the words after it.
	Script     *command.LaunchWord
	ScriptArgs []command.LaunchWord
	// ScriptViaShell is set for `sh start.sh` (as opposed to running the
	// file itself).
	ScriptViaShell bool
}

// ProcessOf resolves the process a final stage runs; ok is false when
// the Dockerfile sets no command or a shell script in it cannot be read.
// The official node image's docker-entrypoint.sh (which execs its
// arguments, prefixing `node` for a script file or an option) and the
// node ENTRYPOINT of distroless and Chainguard images are looked through.
func ProcessOf(f *dockerfile.File, st *dockerfile.Stage) (Process, bool) {
	r := processKey.Get(st.Memo(), func() resolvedProcess {
		p, ok := computeProcess(f, st)
		return resolvedProcess{p, ok}
	})
	return r.Process, r.ok
}

// resolvedProcess is a ProcessOf result.
type resolvedProcess struct {
	Process
	ok bool
}

func computeProcess(f *dockerfile.File, st *dockerfile.Stage) (Process, bool) {
	p := Process{Launch: Launch(st)}
	words := p.Launch
	if len(words) == 0 {
		return p, false
	}
	ep, _ := Command(st)
	root := st.Root()
	if ep == nil && root.External() {
		switch {
		case OfficialNodeBase(st):
			words = command.NodeEntrypointArgs(words)
		case root.Registry == "gcr.io" && strings.HasPrefix(root.Repository, "distroless/nodejs"),
			root.Registry == "cgr.dev" && strings.HasSuffix(root.Repository, "/node") && !strings.Contains(root.Tag, "dev"):
			if _, shell, _ := command.InstructionArgs(words[0].In); !shell && command.BaseName(words[0].Text) != "node" {
				words = append([]command.LaunchWord{{Text: "node", In: words[0].In}}, words...)
			}
		}
	}
	if i := command.SkipInit(words); i > 0 {
		p.Init = command.BaseName(words[0].Text)
		words = words[i:]
	}
	for depth := 0; depth < 8 && len(words) > 0; depth++ {
		if k := command.ShellScriptArg(words); k >= 0 {
			script := words[k]
			call, execd, ok := command.LastCall(script.Text)
			if !ok {
				return p, false
			}
			if !execd {
				p.ShellFront = true
			}
			words = make([]command.LaunchWord, len(call))
			for i, w := range call {
				words[i] = command.LaunchWord{Text: w, In: script.In, Shell: script.Shell}
			}
			continue
		}
		if k := command.ShellFileArg(words); k >= 0 {
			p.Script, p.ScriptArgs, p.ScriptViaShell = &words[k], words[k+1:], true
			break
		}
		if command.LooksLikeScript(words[0].Text) {
			if isNodeDockerEntrypoint(f, st, words[0].Text) {
				words = command.NodeEntrypointArgs(words[1:])
				continue
			}
			p.Script, p.ScriptArgs = &words[0], words[1:]
			break
		}
		if n := command.TransparentWrapper(words); n > 0 {
			words = words[n:]
			continue
		}
		break
	}
	p.Argv = words
	return p, len(words) > 0
}

// OfficialNodeBase: the stage builds on Docker Hub's node image (not alpine
// variants only: every tag ships docker-entrypoint.sh).
func OfficialNodeBase(st *dockerfile.Stage) bool {
	b := st.Root()
	return b.External() && b.Registry == "" && b.Repository == "node"
}

// isNodeDockerEntrypoint: name is the official node image's
// docker-entrypoint.sh, the base is that image, and the Dockerfile does
// not COPY/ADD (or write) a file of that name.
func isNodeDockerEntrypoint(f *dockerfile.File, st *dockerfile.Stage, name string) bool {
	if name != "docker-entrypoint.sh" && name != "/usr/local/bin/docker-entrypoint.sh" {
		return false
	}
	if !OfficialNodeBase(st) {
		return false
	}
	return !provides(f, "docker-entrypoint.sh")
}

// provides reports whether a COPY/ADD names a file with this base
// name as a source or destination, or a heredoc writes one.
func provides(f *dockerfile.File, base string) bool {
	for _, in := range f.Instructions {
		var sd *instructions.SourcesAndDest
		switch c := in.Command.(type) {
		case *instructions.CopyCommand:
			sd = &c.SourcesAndDest
		case *instructions.AddCommand:
			sd = &c.SourcesAndDest
		default:
			continue
		}
		for _, s := range append(append([]string(nil), sd.SourcePaths...), sd.DestPath) {
			if command.BaseName(strings.TrimSuffix(s, "/")) == base {
				return true
			}
		}
	}
	for _, h := range HeredocFiles(f) {
		if command.BaseName(h.Path) == base {
			return true
		}
	}
	return false
}

// HeredocFile is a file the Dockerfile writes from a heredoc.
type HeredocFile struct {
	Path string
	Body string
	In   *dockerfile.Instruction
	// Line is the Dockerfile line of the body's first line, 0 if unknown.
	Line int
}

// HeredocFiles returns the files the Dockerfile writes from heredocs:
// `COPY <<EOF /path` and `RUN cat <<EOF > /path` (also `tee`).
func HeredocFiles(f *dockerfile.File) []HeredocFile {
	return heredocFilesKey.Get(f.Memo(), func() []HeredocFile { return computeHeredocFiles(f) })
}

func computeHeredocFiles(f *dockerfile.File) []HeredocFile {
	var out []HeredocFile
	for _, in := range f.Instructions {
		switch c := in.Command.(type) {
		case *instructions.CopyCommand:
			out = append(out, sourceContents(f, in, c.SourcesAndDest)...)
		case *instructions.AddCommand:
			out = append(out, sourceContents(f, in, c.SourcesAndDest)...)
		case *instructions.RunCommand:
			if in.Script == nil {
				continue
			}
			for _, cmd := range in.Script.Commands {
				body, found := "", false
				for _, r := range cmd.Redirects {
					if strings.HasPrefix(r.Op, "<<") && r.Op != "<<<" {
						body, found = r.Heredoc, true
					}
				}
				if !found {
					continue
				}
				var targets []string
				for _, r := range cmd.Redirects {
					if r.Op == ">" || r.Op == ">>" || r.Op == ">|" {
						targets = append(targets, r.Target)
					}
				}
				if cmd.Base() == "tee" {
					targets = append(targets, cmd.Positional()...)
				}
				for _, t := range targets {
					out = append(out, HeredocFile{Path: t, Body: body, In: in, Line: bodyLine(f, in, body)})
				}
			}
		}
	}
	return out
}

func sourceContents(f *dockerfile.File, in *dockerfile.Instruction, sd instructions.SourcesAndDest) []HeredocFile {
	var out []HeredocFile
	for _, sc := range sd.SourceContents {
		p := sd.DestPath
		if strings.HasSuffix(p, "/") || len(sd.SourceContents)+len(sd.SourcePaths) > 1 {
			p = path.Join(p, sc.Path)
		}
		out = append(out, HeredocFile{Path: p, Body: sc.Data, In: in, Line: bodyLine(f, in, sc.Data)})
	}
	return out
}

// bodyLine finds the Dockerfile line where a heredoc body starts inside
// the instruction, 0 if it cannot be found.
func bodyLine(f *dockerfile.File, in *dockerfile.Instruction, body string) int {
	first, _, _ := strings.Cut(body, "\n")
	first = strings.TrimSpace(first)
	if first == "" {
		return 0
	}
	for n := in.StartLine + 1; n <= in.EndLine; n++ {
		if strings.TrimSpace(f.Line(n)) == first {
			return n
		}
	}
	return 0
}

// HasWorkdirBefore reports whether a WORKDIR is set in the stage before
// the instruction at line, or in any stage it builds on.
func HasWorkdirBefore(st *dockerfile.Stage, line int) bool {
	for _, s := range st.Ancestors() {
		for _, in := range s.Instructions {
			if s == st && in.StartLine >= line {
				break
			}
			if in.Keyword == "WORKDIR" {
				return true
			}
		}
	}
	return false
}

// Workdir returns the working directory at the end of a stage (its
// last WORKDIR, relative ones joined), "" when none is set or it uses a
// variable.
func Workdir(st *dockerfile.Stage) string {
	chain := st.Ancestors()
	wd := ""
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			w, ok := in.Command.(*instructions.WorkdirCommand)
			if !ok {
				continue
			}
			p := w.Path
			if strings.Contains(p, "$") {
				wd = "$"
				continue
			}
			if !strings.HasPrefix(p, "/") {
				if wd == "$" {
					continue
				}
				p = path.Join("/", wd, p)
			}
			wd = path.Clean(p)
		}
	}
	if wd == "$" {
		return ""
	}
	return wd
}

// Copy is a COPY or ADD instruction's sources and destination.
type Copy struct {
	In      *dockerfile.Instruction
	Add     bool
	From    string // --from of COPY
	Sources []string
	// Heredocs are the names of inline (heredoc) sources.
	Heredocs []string
	Dest     string
}

// CopyOf returns the sources of a COPY/ADD that parsed.
func CopyOf(in *dockerfile.Instruction) (Copy, bool) {
	switch c := in.Command.(type) {
	case *instructions.CopyCommand:
		out := Copy{In: in, From: c.From, Sources: c.SourcePaths, Dest: c.DestPath}
		for _, h := range c.SourceContents {
			out.Heredocs = append(out.Heredocs, h.Path)
		}
		return out, true
	case *instructions.AddCommand:
		out := Copy{In: in, Add: true, Sources: c.SourcePaths, Dest: c.DestPath}
		for _, h := range c.SourceContents {
			out.Heredocs = append(out.Heredocs, h.Path)
		}
		return out, true
	}
	return Copy{}, false
}

// WholeContext reports whether a COPY/ADD source is the whole build
// context (or, with --from, a whole stage's root).
func WholeContext(src string) bool {
	switch strings.TrimSpace(src) {
	case ".", "./", "./.", "/", "*", "./*", "/*", ".*":
		return true
	}
	return false
}

// BroadCopy reports whether the instruction is a COPY/ADD of the whole
// build context (not --from another stage). It returns the source.
func BroadCopy(in *dockerfile.Instruction) (string, bool) {
	if in.Keyword != "COPY" && in.Keyword != "ADD" {
		return "", false
	}
	cp, ok := CopyOf(in)
	if !ok || cp.From != "" {
		return "", false
	}
	for _, s := range cp.Sources {
		if WholeContext(s) {
			return s, true
		}
	}
	return "", false
}

// WorkdirAt is the working directory in force for an instruction of
// the stage chain at index i of instChain; "" when it depends on a variable.
func WorkdirAt(chain []*dockerfile.Instruction, i int) string {
	dir := "/"
	for _, in := range chain[:i] {
		if in.Keyword != "WORKDIR" {
			continue
		}
		w, ok := in.Command.(*instructions.WorkdirCommand)
		if !ok {
			continue
		}
		p := w.Path
		if strings.Contains(p, "$") || dir == "" {
			dir = ""
			continue
		}
		if !strings.HasPrefix(p, "/") {
			p = path.Join(dir, p)
		}
		dir = path.Clean(p)
	}
	return dir
}

// runCommands lists the shell commands of the RUNs in instrs, in order,
// with the instruction of each.
type RunCmd struct {
	In  *dockerfile.Instruction
	Cmd *dockerfile.ShellCommand
}

// RunCommands is runCommands of the stage's own instructions,
// computed once per stage.
func RunCommands(st *dockerfile.Stage) []RunCmd {
	return runCommandsKey.Get(st.Memo(), func() []RunCmd { return runCommands(st.Instructions) })
}

// ChainRunCommands is runCommands of the stage's chain (see
// dockerfile.Stage.ChainInstructions), computed once per stage.
func ChainRunCommands(st *dockerfile.Stage) []RunCmd {
	return chainCommandsKey.Get(st.Memo(), func() []RunCmd { return runCommands(st.ChainInstructions()) })
}

func runCommands(instrs []*dockerfile.Instruction) []RunCmd {
	var out []RunCmd
	for _, in := range instrs {
		if in.Keyword != "RUN" || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			out = append(out, RunCmd{In: in, Cmd: c})
		}
	}
	return out
}

// NamesFile reports whether a COPY source (a path or a glob) can name
// one of the files.
func NamesFile(src string, names []string) bool {
	base := path.Base(strings.TrimSuffix(src, "/"))
	for _, n := range names {
		if base == n {
			return true
		}
		if ok, err := path.Match(base, n); err == nil && ok {
			return true
		}
	}
	return false
}

// LooksLikeDir reports whether a COPY source may be a directory: it
// ends in `/`, has no extension, or uses a variable.
func LooksLikeDir(src string) bool {
	if strings.Contains(src, "$") || strings.HasSuffix(src, "/") {
		return true
	}
	base := path.Base(src)
	if strings.ContainsAny(base, "*?[") {
		return base == "*"
	}
	return !strings.Contains(strings.TrimPrefix(base, "."), ".")
}

// IsArchiveOrRemote: ADD sources Docker fetches or unpacks.
func IsArchiveOrRemote(src string) bool {
	l := strings.ToLower(src)
	if strings.Contains(l, "://") || strings.HasPrefix(l, "git@") {
		return true
	}
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// Shipped reports whether the stage's filesystem ends up in a final
// image: it is a final stage or a final stage builds FROM it. Files left in
// other stages are discarded (COPY --from takes only what it names), so
// rules about image size skip them.
func Shipped(f *dockerfile.File, st *dockerfile.Stage) bool {
	return shippedKey.Get(st.Memo(), func() bool { return computeShipped(f, st) })
}

func computeShipped(f *dockerfile.File, st *dockerfile.Stage) bool {
	for _, fin := range f.FinalStages() {
		for _, a := range fin.Ancestors() {
			if a == st {
				return true
			}
		}
	}
	return false
}

// Removes reports whether a command of the RUN removes a path under
// one of the prefixes (`rm -rf /var/lib/apt/lists/*`).
func Removes(in *dockerfile.Instruction, prefixes ...string) bool {
	if in.Script == nil {
		return false
	}
	for _, c := range in.Script.Commands {
		words := command.Words(c)
		if command.BaseName(words[0]) != "rm" {
			continue
		}
		for _, a := range words[1:] {
			for _, p := range prefixes {
				if strings.HasPrefix(a, p) {
					return true
				}
			}
		}
	}
	return false
}

// Runs returns the RUN instructions of the stage that have a script.
func Runs(st *dockerfile.Stage) []*dockerfile.Instruction {
	return runsKey.Get(st.Memo(), func() []*dockerfile.Instruction { return computeRuns(st) })
}

func computeRuns(st *dockerfile.Stage) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, in := range st.Instructions {
		if in.Keyword == "RUN" && in.Script != nil {
			out = append(out, in)
		}
	}
	return out
}

// Scope is what is in force before an instruction: the WORKDIR and the
// values of ENV and ARG (defaults) variables.
type Scope struct {
	Workdir string
	Vars    map[string]string
}

// Resolve makes a path absolute against the WORKDIR, with known variables
// substituted.
func (s Scope) Resolve(p string) string {
	return Resolve(s.Expand(p), s.Workdir)
}

// Expand substitutes the known variables of a word (`$APP_HOME`,
// `${APP_HOME}`); unknown ones stay as written.
func (s Scope) Expand(w string) string {
	if !strings.Contains(w, "$") {
		return w
	}
	return varWord.ReplaceAllStringFunc(w, func(m string) string {
		name := strings.Trim(m, "${}")
		if v, ok := s.Vars[name]; ok && !strings.Contains(v, "$") {
			return v
		}
		return m
	})
}

var varWord = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// Scopes returns the scope before each instruction of the stage,
// following the stages it builds on (WORKDIR "/" when none is set).
func Scopes(st *dockerfile.Stage) map[*dockerfile.Instruction]Scope {
	return scopesKey.Get(st.Memo(), func() map[*dockerfile.Instruction]Scope { return computeScopes(st) })
}

func computeScopes(st *dockerfile.Stage) map[*dockerfile.Instruction]Scope {
	out := make(map[*dockerfile.Instruction]Scope, len(st.Instructions))
	cur := Scope{Workdir: "/", Vars: map[string]string{}}
	// Scopes share the variable map until ENV/ARG changes it (copy on
	// write): most instructions change nothing. shared is set while a
	// scope holds cur.Vars.
	shared := false
	writable := func() {
		if shared {
			cur.Vars = cloneVars(cur.Vars)
			shared = false
		}
	}
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if chain[i] == st {
				out[in] = Scope{Workdir: cur.Workdir, Vars: cur.Vars}
				shared = true
			}
			switch c := in.Command.(type) {
			case *instructions.WorkdirCommand:
				cur.Workdir = cur.Resolve(c.Path)
			case *instructions.EnvCommand:
				writable()
				for _, kv := range c.Env {
					cur.Vars[kv.Key] = cur.Expand(strings.Trim(kv.Value, `"'`))
				}
			case *instructions.ArgCommand:
				writable()
				for _, kv := range c.Args {
					if kv.Value != nil {
						if _, set := cur.Vars[kv.Key]; !set {
							cur.Vars[kv.Key] = cur.Expand(strings.Trim(*kv.Value, `"'`))
						}
					}
				}
			}
		}
	}
	return out
}

var braceVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Resolve makes p absolute against dir and cleans it; `${X}` is written
// `$X` so both spellings compare equal, and a trailing `/*` or `/.` is
// dropped (it names the directory's content).
func Resolve(p, dir string) string {
	p = strings.Trim(p, `"'`)
	if strings.Contains(p, "${") {
		p = braceVar.ReplaceAllString(p, "$$$1")
	}
	if p == "" {
		return dir
	}
	if strings.HasPrefix(p, "~") {
		p = "$HOME" + p[1:]
	}
	if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "$") {
		p = dir + "/" + p
	}
	p = path.Clean(p)
	for strings.HasSuffix(p, "/*") {
		p = strings.TrimSuffix(p, "/*")
	}
	return p
}

// Home writes a path under /root or /home/<user> as $HOME/….
func Home(p string) string {
	if p == "/root" || strings.HasPrefix(p, "/root/") {
		return "$HOME" + strings.TrimPrefix(p, "/root")
	}
	if rest, ok := strings.CutPrefix(p, "/home/"); ok {
		if i := strings.Index(rest, "/"); i >= 0 {
			return "$HOME" + rest[i:]
		}
		return "$HOME"
	}
	return p
}

// Under reports whether p is dir or inside it.
func Under(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// ArgNames returns the ARG names declared before the first FROM and in
// the stage (and the stages it builds on).
func ArgNames(f *dockerfile.File, st *dockerfile.Stage) map[string]bool {
	out := map[string]bool{}
	add := func(in *dockerfile.Instruction) {
		if a, ok := in.Command.(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				out[kv.Key] = true
			}
		}
	}
	for _, in := range f.MetaArgs {
		add(in)
	}
	for _, s := range st.Ancestors() {
		for _, in := range s.Instructions {
			add(in)
		}
	}
	return out
}

func cloneVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ProcessWord is one word of the command a final stage's container runs.
type ProcessWord struct {
	Text string
	// In is the CMD or ENTRYPOINT the word comes from.
	In *dockerfile.Instruction
}

// StageProcess returns the command the container of a final stage runs,
// resolved as DF014 resolves it: inits, `sh -c` scripts (their last
// command), transparent wrappers (gosu, su-exec, env) and the official
// node image's docker-entrypoint.sh are looked through, and an entrypoint
// script's arguments are taken as the command it execs. ok is false when
// the Dockerfile sets no command or the command cannot be resolved.
func ProcessWords(f *dockerfile.File, st *dockerfile.Stage) ([]ProcessWord, bool) {
	p, ok := ProcessOf(f, st)
	if !ok && p.Script == nil {
		return nil, false
	}
	argv := p.Argv
	if p.Script != nil {
		if p.ScriptViaShell || len(p.ScriptArgs) == 0 {
			return nil, false
		}
		argv = command.ResolveArgs(p.ScriptArgs)
	}
	out := make([]ProcessWord, len(argv))
	for i, w := range argv {
		out[i] = ProcessWord{Text: w.Text, In: w.In}
	}
	return out, len(out) > 0
}

// OmitsDevDependencies reports whether the node_modules of a final stage
// hold production dependencies only, and which install makes it so: the
// last dependency install of the stage (or of the stages it is built
// FROM) omits devDependencies (`npm ci --omit=dev`, `--production`,
// `--prod`, or NODE_ENV=production in force) or is followed by a prune;
// or, when the stage installs nothing, the stage it copies node_modules
// from (`COPY --from=deps /app/node_modules …`) does.
func OmitsDevDependencies(f *dockerfile.File, st *dockerfile.Stage) (*dockerfile.ShellCommand, *dockerfile.Instruction, bool) {
	return omitsDev(f, st, 0)
}

func omitsDev(f *dockerfile.File, st *dockerfile.Stage, depth int) (*dockerfile.ShellCommand, *dockerfile.Instruction, bool) {
	if depth > 4 {
		return nil, nil, false
	}
	chain := st.ChainInstructions()
	cmds := ChainRunCommands(st)
	last := -1
	for idx, rc := range cmds {
		if i, ok := install.Classify(rc.Cmd); ok && i.ProjectInstall() {
			last = idx
		}
	}
	if last >= 0 {
		rc := cmds[last]
		i, _ := install.Classify(rc.Cmd)
		includesDev := command.HasArgEq(rc.Cmd, "--include", "dev") || command.HasArgEq(rc.Cmd, "--production", "false")
		stage := rc.In.Stage
		if stage == nil {
			stage = st
		}
		if !includesDev && (i.OmitDev || ProdEnvFor(stage, cmds, last)) {
			return rc.Cmd, rc.In, true
		}
		if PrunedLater(st, cmds, last) {
			return rc.Cmd, rc.In, true
		}
		return nil, nil, false
	}
	for _, in := range chain {
		cp, ok := CopyOf(in)
		if !ok || cp.From == "" {
			continue
		}
		copiesModules := false
		for _, s := range cp.Sources {
			if command.BaseName(trimSlash(s)) == "node_modules" {
				copiesModules = true
			}
		}
		if !copiesModules {
			continue
		}
		from := f.StageByName(cp.From)
		if from == nil || from == st {
			continue
		}
		if cmd, at, ok := omitsDev(f, from, depth+1); ok {
			return cmd, at, true
		}
	}
	return nil, nil, false
}

func trimSlash(s string) string {
	for len(s) > 1 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// ProdEnvFor reports whether the install at cmds[idx] runs with npm told to
// omit devDependencies by the environment: NODE_ENV=production (ENV before
// the RUN, a `NODE_ENV=production cmd` prefix, or an `export` earlier in the
// RUN), or NPM_CONFIG_PRODUCTION / NPM_CONFIG_OMIT. A NODE_ENV from a
// variable is given the benefit of the doubt.
func ProdEnvFor(st *dockerfile.Stage, cmds []RunCmd, idx int) bool {
	rc := cmds[idx]
	line := rc.In.StartLine
	if v, ok := EnvBefore(st, "NODE_ENV", line); ok && (v == "production" || strings.Contains(v, "$")) {
		return true
	}
	for _, name := range []string{"NPM_CONFIG_PRODUCTION", "npm_config_production"} {
		if v, ok := EnvBefore(st, name, line); ok && v == "true" {
			return true
		}
	}
	for _, name := range []string{"NPM_CONFIG_OMIT", "npm_config_omit"} {
		if v, ok := EnvBefore(st, name, line); ok && strings.Contains(v, "dev") {
			return true
		}
	}
	if command.HasAssign(rc.Cmd, "NODE_ENV", "production") {
		return true
	}
	// `export NODE_ENV=production` is a declaration, not a simple command.
	return rc.In.Script != nil && strings.Contains(rc.In.Script.Text, "NODE_ENV=") && exportProd.MatchString(rc.In.Script.Text)
}

var exportProd = regexp.MustCompile(`\bexport\s+([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*NODE_ENV=["']?production\b`)

// PrunedLater reports whether devDependencies are removed after the
// install at cmds[idx]: `npm prune --omit=dev`/`--production` (or a bare
// `npm prune` under NODE_ENV=production), `pnpm prune --prod`, `yarn
// workspaces focus --production`, or a later install that omits dev.
func PrunedLater(st *dockerfile.Stage, cmds []RunCmd, idx int) bool {
	for j := idx + 1; j < len(cmds); j++ {
		c := cmds[j].Cmd
		if i, ok := install.Classify(c); ok && i.ProjectInstall() && i.OmitDev {
			return true
		}
		words := install.ManagerWords(c)
		args := words[1:]
		has := func(want ...string) bool {
			for _, a := range args {
				for _, w := range want {
					if a == w {
						return true
					}
				}
			}
			return false
		}
		switch command.BaseName(words[0]) {
		case "npm":
			pos := install.Positional(args)
			if len(pos) == 0 || pos[0] != "prune" {
				continue
			}
			if has("--omit=dev", "--production", "--only=production", "--only=prod", "--production=true") ||
				command.HasArgEq(c, "--omit", "dev") {
				return true
			}
			if ProdEnvFor(st, cmds, j) {
				return true
			}
		case "pnpm":
			pos := install.Positional(args)
			if len(pos) > 0 && pos[0] == "prune" && has("--prod", "--production", "-P") {
				return true
			}
		case "yarn":
			pos := install.Positional(args)
			if len(pos) >= 2 && pos[0] == "workspaces" && pos[1] == "focus" && has("--production") {
				return true
			}
		}
	}
	return false
}
