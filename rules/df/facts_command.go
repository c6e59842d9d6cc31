package df

import (
	"bytes"
	"encoding/json"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file holds the facts of the "command" rules (DF013–DF016, DF033,
// DF034, DF036, DF038): how a final stage's CMD and ENTRYPOINT combine into
// the process the container runs, and what a shell script ends with.

// cmdInstrArgs returns the argument list of a CMD or ENTRYPOINT and whether it
// is in shell form (then the list holds the shell text as one element).
func cmdInstrArgs(in *dockerfile.Instruction) (args []string, shell bool, ok bool) {
	if in == nil {
		return nil, false, false
	}
	switch c := in.Command.(type) {
	case *instructions.CmdCommand:
		return c.CmdLine, c.PrependShell, true
	case *instructions.EntrypointCommand:
		return c.CmdLine, c.PrependShell, true
	}
	return nil, false, false
}

// cmdLaunchWord is one word of the argv Docker starts a container with.
type cmdLaunchWord struct {
	Text string
	// In is the instruction the word comes from.
	In *dockerfile.Instruction
	// Shell is set for the `/bin/sh -c` words Docker adds for a shell form
	// and for the shell text itself.
	Shell bool
}

// cmdStageLaunch returns the argv a container of the stage starts with:
// ENTRYPOINT then CMD, a shell form contributing `/bin/sh -c <text>` (a
// shell-form ENTRYPOINT ignores CMD). Nil when the Dockerfile sets neither.
func cmdStageLaunch(st *dockerfile.Stage) []cmdLaunchWord {
	ep, cmd := effectiveCommand(st)
	var out []cmdLaunchWord
	add := func(in *dockerfile.Instruction) bool {
		args, shell, ok := cmdInstrArgs(in)
		if !ok {
			return false
		}
		if shell {
			out = append(out,
				cmdLaunchWord{Text: "/bin/sh", In: in, Shell: true},
				cmdLaunchWord{Text: "-c", In: in, Shell: true},
				cmdLaunchWord{Text: strings.Join(args, " "), In: in, Shell: true})
			return true
		}
		for _, a := range args {
			out = append(out, cmdLaunchWord{Text: a, In: in})
		}
		return false
	}
	if add(ep) {
		return out
	}
	add(cmd)
	return out
}

// cmdIsShellName: sh, bash and the other POSIX-like shells, any path.
func cmdIsShellName(name string) bool {
	switch baseName(name) {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh":
		return true
	}
	return false
}

// cmdIsInitName: tini, dumb-init, docker-init, catatonit, s6-overlay's /init.
func cmdIsInitName(name string) bool {
	b := baseName(name)
	switch {
	case b == "tini" || strings.HasPrefix(b, "tini-") || strings.HasPrefix(b, "tini_"):
		return true
	case b == "dumb-init" || b == "docker-init" || b == "catatonit":
		return true
	case name == "/init": // s6-overlay
		return true
	}
	return false
}

// cmdSkipInit returns the index of the first word after an init at words[0]
// and its options (and a `--` separator); 0 when words[0] is no init.
func cmdSkipInit(words []cmdLaunchWord) int {
	if len(words) == 0 || !cmdIsInitName(words[0].Text) {
		return 0
	}
	i := 1
	for i < len(words) {
		w := words[i].Text
		if w == "--" {
			return i + 1
		}
		if !strings.HasPrefix(w, "-") {
			break
		}
		// Options that take a separate value: tini -p/-e, dumb-init -r.
		if (w == "-p" || w == "-e" || w == "-r" || w == "--rewrite") && i+1 < len(words) {
			i++
		}
		i++
	}
	return i
}

// cmdShellScriptArg returns the index of the script of `sh -c script` (any
// shell, `-c` possibly combined with other one-letter options like `-ec`),
// or -1.
func cmdShellScriptArg(words []cmdLaunchWord) int {
	if len(words) < 2 || !cmdIsShellName(words[0].Text) {
		return -1
	}
	for i := 1; i < len(words); i++ {
		w := words[i].Text
		if !strings.HasPrefix(w, "-") || strings.HasPrefix(w, "--") {
			return -1
		}
		if strings.Contains(w[1:], "c") && cmdIsLetters(w[1:]) {
			if i+1 < len(words) {
				return i + 1
			}
			return -1
		}
		if w == "-o" && i+1 < len(words) {
			i++
		}
	}
	return -1
}

func cmdIsLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// cmdShellFileArg returns the index of the script file of `sh file.sh`, or -1.
func cmdShellFileArg(words []cmdLaunchWord) int {
	if len(words) < 2 || !cmdIsShellName(words[0].Text) {
		return -1
	}
	for i := 1; i < len(words); i++ {
		w := words[i].Text
		if w == "-c" || strings.HasPrefix(w, "--") {
			return -1
		}
		if strings.HasPrefix(w, "-") {
			if strings.Contains(w, "c") {
				return -1
			}
			if w == "-o" {
				i++
			}
			continue
		}
		return i
	}
	return -1
}

// cmdLooksLikeScript: `entrypoint.sh`, `./start.bash`, `/usr/local/bin/docker-entrypoint`.
func cmdLooksLikeScript(name string) bool {
	b := baseName(name)
	if strings.HasSuffix(b, ".sh") || strings.HasSuffix(b, ".bash") {
		return true
	}
	return !strings.Contains(b, ".") && strings.Contains(strings.ToLower(b), "entrypoint")
}

// cmdProcess is what a final stage's command ends up running.
type cmdProcess struct {
	// Launch is the whole argv Docker starts.
	Launch []cmdLaunchWord
	// Init is the init at the front, "" if none.
	Init string
	// Argv is the command that runs the app, after an init, `sh -c`
	// scripts (their last command) and transparent wrappers (`gosu user`,
	// `su-exec user`, `env`).
	Argv []cmdLaunchWord
	// ShellFront is set when a shell stays in front of Argv (a shell form
	// or `sh -c` whose last command is not exec'd).
	ShellFront bool
	// Script is set when Argv runs a shell script file (`./entrypoint.sh`,
	// `sh start.sh`); ScriptArgs are the words after it.
	Script     *cmdLaunchWord
	ScriptArgs []cmdLaunchWord
	// ScriptViaShell is set for `sh start.sh` (as opposed to running the
	// file itself).
	ScriptViaShell bool
}

// cmdStageProcess resolves the process a final stage runs; ok is false when
// the Dockerfile sets no command or a shell script in it cannot be read.
// The official node image's docker-entrypoint.sh (which execs its
// arguments, prefixing `node` for a script file or an option) and the
// node ENTRYPOINT of distroless and Chainguard images are looked through.
func cmdStageProcess(f *dockerfile.File, st *dockerfile.Stage) (cmdProcess, bool) {
	r := stageFact(st, factStageProcess, func(st *dockerfile.Stage) resolvedProcess {
		p, ok := computeStageProcess(f, st)
		return resolvedProcess{p, ok}
	})
	return r.cmdProcess, r.ok
}

// resolvedProcess is a cmdStageProcess result.
type resolvedProcess struct {
	cmdProcess
	ok bool
}

func computeStageProcess(f *dockerfile.File, st *dockerfile.Stage) (cmdProcess, bool) {
	p := cmdProcess{Launch: cmdStageLaunch(st)}
	words := p.Launch
	if len(words) == 0 {
		return p, false
	}
	ep, _ := effectiveCommand(st)
	root := st.Root()
	if ep == nil && root.External() {
		switch {
		case cmdOfficialNodeBase(st):
			words = cmdNodeEntrypointArgs(words)
		case root.Registry == "gcr.io" && strings.HasPrefix(root.Repository, "distroless/nodejs"),
			root.Registry == "cgr.dev" && strings.HasSuffix(root.Repository, "/node") && !strings.Contains(root.Tag, "dev"):
			if _, shell, _ := cmdInstrArgs(words[0].In); !shell && baseName(words[0].Text) != "node" {
				words = append([]cmdLaunchWord{{Text: "node", In: words[0].In}}, words...)
			}
		}
	}
	if i := cmdSkipInit(words); i > 0 {
		p.Init = baseName(words[0].Text)
		words = words[i:]
	}
	for depth := 0; depth < 8 && len(words) > 0; depth++ {
		if k := cmdShellScriptArg(words); k >= 0 {
			script := words[k]
			call, execd, ok := cmdLastShellCall(script.Text)
			if !ok {
				return p, false
			}
			if !execd {
				p.ShellFront = true
			}
			words = make([]cmdLaunchWord, len(call))
			for i, w := range call {
				words[i] = cmdLaunchWord{Text: w, In: script.In, Shell: script.Shell}
			}
			continue
		}
		if k := cmdShellFileArg(words); k >= 0 {
			p.Script, p.ScriptArgs, p.ScriptViaShell = &words[k], words[k+1:], true
			break
		}
		if cmdLooksLikeScript(words[0].Text) {
			if cmdIsNodeDockerEntrypoint(f, st, words[0].Text) {
				words = cmdNodeEntrypointArgs(words[1:])
				continue
			}
			p.Script, p.ScriptArgs = &words[0], words[1:]
			break
		}
		if n := cmdTransparentWrapper(words); n > 0 {
			words = words[n:]
			continue
		}
		break
	}
	p.Argv = words
	return p, len(words) > 0
}

// cmdOfficialNodeBase: the stage builds on Docker Hub's node image (not alpine
// variants only: every tag ships docker-entrypoint.sh).
func cmdOfficialNodeBase(st *dockerfile.Stage) bool {
	b := st.Root()
	return b.External() && b.Registry == "" && b.Repository == "node"
}

// cmdIsNodeDockerEntrypoint: name is the official node image's
// docker-entrypoint.sh, the base is that image, and the Dockerfile does
// not COPY/ADD (or write) a file of that name.
func cmdIsNodeDockerEntrypoint(f *dockerfile.File, st *dockerfile.Stage, name string) bool {
	if name != "docker-entrypoint.sh" && name != "/usr/local/bin/docker-entrypoint.sh" {
		return false
	}
	if !cmdOfficialNodeBase(st) {
		return false
	}
	return !cmdDockerfileProvides(f, "docker-entrypoint.sh")
}

// cmdDockerfileProvides reports whether a COPY/ADD names a file with this base
// name as a source or destination, or a heredoc writes one.
func cmdDockerfileProvides(f *dockerfile.File, base string) bool {
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
			if baseName(strings.TrimSuffix(s, "/")) == base {
				return true
			}
		}
	}
	for _, h := range cmdHeredocFiles(f) {
		if baseName(h.Path) == base {
			return true
		}
	}
	return false
}

// cmdNodeEntrypointArgs applies the official docker-entrypoint.sh to its
// arguments: an option or a JavaScript file gets `node` in front.
func cmdNodeEntrypointArgs(words []cmdLaunchWord) []cmdLaunchWord {
	if len(words) == 0 || words[0].Shell {
		return words
	}
	w := words[0].Text
	if strings.HasPrefix(w, "-") || strings.HasSuffix(w, ".js") || strings.HasSuffix(w, ".mjs") || strings.HasSuffix(w, ".cjs") {
		return append([]cmdLaunchWord{{Text: "node", In: words[0].In}}, words...)
	}
	return words
}

// cmdTransparentWrapper returns how many words a wrapper that execs its
// command takes at the front (`gosu user`, `su-exec user`, `env A=b`,
// `s6-setuidgid user`), or 0.
func cmdTransparentWrapper(words []cmdLaunchWord) int {
	switch baseName(words[0].Text) {
	case "gosu", "su-exec", "s6-setuidgid":
		if len(words) > 2 {
			return 2
		}
	case "env":
		i := 1
		for i < len(words) && (strings.Contains(words[i].Text, "=") || strings.HasPrefix(words[i].Text, "-")) {
			i++
		}
		if i < len(words) {
			return i
		}
	}
	return 0
}

// cmdParseShellScript parses shell text with mvdan.cc/sh (bash dialect), nil
// when it does not parse.
func cmdParseShellScript(text string) (file *syntax.File) {
	defer func() {
		if recover() != nil {
			file = nil
		}
	}()
	p := cmdShParsers.Get().(*syntax.Parser)
	f, err := p.Parse(strings.NewReader(text), "")
	cmdShParsers.Put(p) // not reached after a panic: that parser is dropped
	if err != nil {
		return nil
	}
	return f
}

var cmdShParsers = sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }}

// cmdLastShellCall returns the words of the last command a shell script
// runs (`npm run migrate && npm start` → npm start), with `exec` removed,
// and whether it was exec'd. ok is false when the script does not parse
// or does not end in a simple command.
func cmdLastShellCall(text string) (words []string, execd bool, ok bool) {
	file := cmdParseShellScript(text)
	if file == nil {
		return nil, false, false
	}
	ends := cmdTerminalCalls(file.Stmts, cmdFuncDecls(file), 0)
	if len(ends) == 0 {
		return nil, false, false
	}
	end := ends[len(ends)-1]
	if end.call == nil {
		return nil, false, false
	}
	w := cmdCallWords(end.call)
	if len(w) > 1 && w[0] == "exec" && !end.background {
		return w[1:], true, true
	}
	return w, false, true
}

// cmdTerminal is a statement a script can end with.
type cmdTerminal struct {
	stmt       *syntax.Stmt
	call       *syntax.CallExpr // nil when the statement is not a simple command
	background bool
}

// cmdTerminalCalls returns the statements the script may end with: the last
// statement, through `&&`/`||` chains, if/case branches, blocks, subshells
// and calls of functions the script defines. `exit`, `wait` and `true` at
// the end are looked through.
func cmdTerminalCalls(stmts []*syntax.Stmt, funcs map[string]*syntax.Stmt, depth int) []cmdTerminal {
	if depth > 10 {
		return nil
	}
	for len(stmts) > 0 {
		last := stmts[len(stmts)-1]
		if call, ok := last.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 && !last.Background {
			switch cmdWordText(call.Args[0]) {
			case "exit", "wait", "true", ":":
				stmts = stmts[:len(stmts)-1]
				continue
			}
		}
		return cmdTerminalOf(last, funcs, depth)
	}
	return nil
}

func cmdTerminalOf(st *syntax.Stmt, funcs map[string]*syntax.Stmt, depth int) []cmdTerminal {
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return nil
		}
		if fn, ok := funcs[cmdWordText(c.Args[0])]; ok && !st.Background {
			return cmdTerminalOf(fn, funcs, depth+1)
		}
		return []cmdTerminal{{stmt: st, call: c, background: st.Background}}
	case *syntax.BinaryCmd:
		if c.Op == syntax.AndStmt {
			return cmdTerminalOf(c.Y, funcs, depth+1)
		}
		if c.Op == syntax.OrStmt {
			// `a || b` runs b only when a fails: a is the main path.
			return cmdTerminalOf(c.X, funcs, depth+1)
		}
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			// The shell waits for the whole pipeline.
			t := cmdTerminalOf(c.Y, funcs, depth+1)
			for i := range t {
				if t[i].call != nil && len(t[i].call.Args) > 0 && cmdWordText(t[i].call.Args[0]) == "exec" {
					t[i].background = true // exec in a pipeline does not replace the shell
				}
			}
			return t
		}
	case *syntax.IfClause:
		var out []cmdTerminal
		for cl := c; cl != nil; cl = cl.Else {
			out = append(out, cmdTerminalCalls(cl.Then, funcs, depth+1)...)
		}
		return out
	case *syntax.CaseClause:
		var out []cmdTerminal
		for _, item := range c.Items {
			out = append(out, cmdTerminalCalls(item.Stmts, funcs, depth+1)...)
		}
		return out
	case *syntax.Block:
		return cmdTerminalCalls(c.Stmts, funcs, depth+1)
	case *syntax.Subshell:
		return cmdTerminalCalls(c.Stmts, funcs, depth+1)
	case *syntax.FuncDecl:
		return nil
	}
	return []cmdTerminal{{stmt: st}}
}

func cmdFuncDecls(file *syntax.File) map[string]*syntax.Stmt {
	out := map[string]*syntax.Stmt{}
	for _, st := range file.Stmts {
		if fd, ok := st.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil {
			out[fd.Name.Value] = fd.Body
		}
	}
	return out
}

func cmdCallWords(c *syntax.CallExpr) []string {
	out := make([]string, 0, len(c.Args))
	for _, w := range c.Args {
		out = append(out, cmdWordText(w))
	}
	return out
}

// cmdWordText is a word's value with quotes removed around literal parts and
// expansions kept as written.
func cmdWordText(w *syntax.Word) string { return dockerfile.WordString(w) }

// cmdScriptLastCommand inspects a shell script's body (an entrypoint
// script) and reports its last command, its 1-based line in the body, and
// whether that command runs without `exec`, which leaves the shell as PID 1
// between Docker and the app. Scripts that do not parse, are not shell
// scripts, or end in something other than a command report bad=false. It
// reads only the body, so files from the build context can be fed to it too.
func cmdScriptLastCommand(body string) (lastCmd string, line int, bad bool) {
	if strings.HasPrefix(body, "#!") {
		first, _, _ := strings.Cut(body, "\n")
		fields := strings.Fields(strings.TrimPrefix(first, "#!"))
		if len(fields) > 0 {
			name := fields[0]
			if baseName(name) == "env" && len(fields) > 1 {
				name = fields[1]
			}
			if !cmdIsShellName(name) && baseName(name) != "busybox" {
				return "", 0, false
			}
		}
	}
	file := cmdParseShellScript(body)
	if file == nil {
		return "", 0, false
	}
	for _, t := range cmdTerminalCalls(file.Stmts, cmdFuncDecls(file), 0) {
		if t.call == nil {
			continue
		}
		w := cmdCallWords(t.call)
		if len(w) > 1 && w[0] == "exec" && !t.background {
			continue
		}
		if len(w) == 1 && w[0] == "exec" {
			continue // `exec` with redirections only: not a start command
		}
		text := strings.Join(w, " ")
		if t.background {
			text += " &"
		}
		return text, int(t.stmt.Pos().Line()), true
	}
	return "", 0, false
}

// cmdHeredocFile is a file the Dockerfile writes from a heredoc.
type cmdHeredocFile struct {
	Path string
	Body string
	In   *dockerfile.Instruction
	// Line is the Dockerfile line of the body's first line, 0 if unknown.
	Line int
}

// cmdHeredocFiles returns the files the Dockerfile writes from heredocs:
// `COPY <<EOF /path` and `RUN cat <<EOF > /path` (also `tee`).
func cmdHeredocFiles(f *dockerfile.File) []cmdHeredocFile {
	return fileFact(f, factHeredocFiles, computeHeredocFiles)
}

func computeHeredocFiles(f *dockerfile.File) []cmdHeredocFile {
	var out []cmdHeredocFile
	for _, in := range f.Instructions {
		switch c := in.Command.(type) {
		case *instructions.CopyCommand:
			out = append(out, cmdSourceContents(f, in, c.SourcesAndDest)...)
		case *instructions.AddCommand:
			out = append(out, cmdSourceContents(f, in, c.SourcesAndDest)...)
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
					out = append(out, cmdHeredocFile{Path: t, Body: body, In: in, Line: cmdBodyLine(f, in, body)})
				}
			}
		}
	}
	return out
}

func cmdSourceContents(f *dockerfile.File, in *dockerfile.Instruction, sd instructions.SourcesAndDest) []cmdHeredocFile {
	var out []cmdHeredocFile
	for _, sc := range sd.SourceContents {
		p := sd.DestPath
		if strings.HasSuffix(p, "/") || len(sd.SourceContents)+len(sd.SourcePaths) > 1 {
			p = path.Join(p, sc.Path)
		}
		out = append(out, cmdHeredocFile{Path: p, Body: sc.Data, In: in, Line: cmdBodyLine(f, in, sc.Data)})
	}
	return out
}

// cmdBodyLine finds the Dockerfile line where a heredoc body starts inside
// the instruction, 0 if it cannot be found.
func cmdBodyLine(f *dockerfile.File, in *dockerfile.Instruction, body string) int {
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

// cmdHasWorkdirBefore reports whether a WORKDIR is set in the stage before
// the instruction at line, or in any stage it builds on.
func cmdHasWorkdirBefore(st *dockerfile.Stage, line int) bool {
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

// cmdStageWorkdir returns the working directory at the end of a stage (its
// last WORKDIR, relative ones joined), "" when none is set or it uses a
// variable.
func cmdStageWorkdir(st *dockerfile.Stage) string {
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

// cmdPlainWord matches a shell word that means the same in exec form: no
// quotes, expansions, globs, operators, escapes or comments.
var cmdPlainWord = regexp.MustCompile(`^[A-Za-z0-9_./:@%+,=-]+$`)

// cmdExecFormFix converts a single-line shell-form CMD/ENTRYPOINT whose text
// is plain words into exec form; nil when that is not safe.
func cmdExecFormFix(f *dockerfile.File, in *dockerfile.Instruction) *analysis.Fix {
	if in.StartLine != in.EndLine || len(in.Flags) > 0 || len(in.Node.Heredocs) > 0 {
		return nil
	}
	line := f.Line(in.StartLine)
	start := len(line) - len(strings.TrimLeft(line, " \t"))
	kw := start
	for kw < len(line) && line[kw] != ' ' && line[kw] != '\t' {
		kw++
	}
	if !strings.EqualFold(line[start:kw], in.Keyword) {
		return nil
	}
	argStart := kw
	for argStart < len(line) && (line[argStart] == ' ' || line[argStart] == '\t') {
		argStart++
	}
	text := strings.TrimRight(line[argStart:], " \t")
	if text == "" {
		return nil
	}
	words := strings.Fields(text)
	if words[0] == "exec" {
		words = words[1:]
	}
	if len(words) == 0 || strings.Contains(words[0], "=") || cmdShellBuiltins[words[0]] {
		return nil
	}
	for _, w := range words {
		if !cmdPlainWord.MatchString(w) {
			return nil
		}
	}
	return &analysis.Fix{
		Title: "Use the exec form " + cmdJsonArray(words),
		Edits: []analysis.Edit{{
			Start:   analysis.Pos{Line: in.StartLine, Col: argStart + 1},
			End:     analysis.Pos{Line: in.StartLine, Col: argStart + len(text) + 1},
			NewText: cmdJsonArray(words),
		}},
	}
}

// cmdShellBuiltins are words that only mean something to a shell.
var cmdShellBuiltins = map[string]bool{
	"exec": true, "cd": true, "source": true, ".": true, "export": true, "set": true,
	"eval": true, "trap": true, "ulimit": true, "umask": true, "unset": true, "alias": true,
	"if": true, "for": true, "while": true, "until": true, "case": true, "function": true,
	"wait": true, "shift": true, "read": true, "exit": true, "return": true, "local": true,
}

// cmdJsonArray renders words as a Dockerfile exec-form array:
// ["node", "server.js"].
func cmdJsonArray(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(w)
		parts[i] = strings.TrimSuffix(buf.String(), "\n")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// cmdQuoteWords renders words for a message, shell-like.
func cmdQuoteWords(words []cmdLaunchWord) string {
	s := make([]string, len(words))
	for i, w := range words {
		s[i] = w.Text
	}
	return strings.Join(s, " ")
}
