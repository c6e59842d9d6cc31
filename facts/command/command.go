// Package command tells what a shell command or a container command runs:
// shells, inits and wrappers looked through, the last command a script
// runs and whether it is exec'd.
package command

import (
	"regexp"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"mvdan.cc/sh/v3/syntax"
)

// firstPositional is c.Positional()[0], "" when there is none.
func FirstPositional(c *dockerfile.ShellCommand) string {
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

func BaseName(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// InstructionArgs returns the argument list of a CMD or ENTRYPOINT and whether it
// is in shell form (then the list holds the shell text as one element).
func InstructionArgs(in *dockerfile.Instruction) (args []string, shell bool, ok bool) {
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

// LaunchWord is one word of the argv Docker starts a container with.
type LaunchWord struct {
	Text string
	// In is the instruction the word comes from.
	In *dockerfile.Instruction
	// Shell is set for the `/bin/sh -c` words Docker adds for a shell form
	// and for the shell text itself.
	Shell bool
}

// IsShell: sh, bash and the other POSIX-like shells, any path.
func IsShell(name string) bool {
	switch BaseName(name) {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh":
		return true
	}
	return false
}

// IsInit: tini, dumb-init, docker-init, catatonit, s6-overlay's /init.
func IsInit(name string) bool {
	b := BaseName(name)
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

// SkipInit returns the index of the first word after an init at words[0]
// and its options (and a `--` separator); 0 when words[0] is no init.
func SkipInit(words []LaunchWord) int {
	if len(words) == 0 || !IsInit(words[0].Text) {
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

// ShellScriptArg returns the index of the script of `sh -c script` (any
// shell, `-c` possibly combined with other one-letter options like `-ec`),
// or -1.
func ShellScriptArg(words []LaunchWord) int {
	if len(words) < 2 || !IsShell(words[0].Text) {
		return -1
	}
	for i := 1; i < len(words); i++ {
		w := words[i].Text
		if !strings.HasPrefix(w, "-") || strings.HasPrefix(w, "--") {
			return -1
		}
		if strings.Contains(w[1:], "c") && isLetters(w[1:]) {
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

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// ShellFileArg returns the index of the script file of `sh file.sh`, or -1.
func ShellFileArg(words []LaunchWord) int {
	if len(words) < 2 || !IsShell(words[0].Text) {
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

// LooksLikeScript: `entrypoint.sh`, `./start.bash`, `/usr/local/bin/docker-entrypoint`.
func LooksLikeScript(name string) bool {
	b := BaseName(name)
	if strings.HasSuffix(b, ".sh") || strings.HasSuffix(b, ".bash") {
		return true
	}
	return !strings.Contains(b, ".") && strings.Contains(strings.ToLower(b), "entrypoint")
}

// NodeEntrypointArgs applies the official docker-entrypoint.sh to its
// arguments: an option or a JavaScript file gets `node` in front.
func NodeEntrypointArgs(words []LaunchWord) []LaunchWord {
	if len(words) == 0 || words[0].Shell {
		return words
	}
	w := words[0].Text
	if strings.HasPrefix(w, "-") || strings.HasSuffix(w, ".js") || strings.HasSuffix(w, ".mjs") || strings.HasSuffix(w, ".cjs") {
		return append([]LaunchWord{{Text: "node", In: words[0].In}}, words...)
	}
	return words
}

// TransparentWrapper returns how many words a wrapper that execs its
// command takes at the front (`gosu user`, `su-exec user`, `env A=b`,
// `s6-setuidgid user`), or 0.
func TransparentWrapper(words []LaunchWord) int {
	switch BaseName(words[0].Text) {
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

// ParseScript parses shell text with mvdan.cc/sh (bash dialect), nil
// when it does not parse.
func ParseScript(text string) (file *syntax.File) {
	defer func() {
		if recover() != nil {
			file = nil
		}
	}()
	p := shParsers.Get().(*syntax.Parser)
	f, err := p.Parse(strings.NewReader(text), "")
	shParsers.Put(p) // not reached after a panic: that parser is dropped
	if err != nil {
		return nil
	}
	return f
}

var shParsers = sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }}

// LastCall returns the words of the last command a shell script
// runs (`npm run migrate && npm start` → npm start), with `exec` removed,
// and whether it was exec'd. ok is false when the script does not parse
// or does not end in a simple command.
func LastCall(text string) (words []string, execd bool, ok bool) {
	file := ParseScript(text)
	if file == nil {
		return nil, false, false
	}
	ends := terminalCalls(file.Stmts, funcDecls(file), 0)
	if len(ends) == 0 {
		return nil, false, false
	}
	end := ends[len(ends)-1]
	if end.call == nil {
		return nil, false, false
	}
	w := callWords(end.call)
	if len(w) > 1 && w[0] == "exec" && !end.background {
		return w[1:], true, true
	}
	return w, false, true
}

// terminal is a statement a script can end with.
type terminal struct {
	stmt       *syntax.Stmt
	call       *syntax.CallExpr // nil when the statement is not a simple command
	background bool
}

// terminalCalls returns the statements the script may end with: the last
// statement, through `&&`/`||` chains, if/case branches, blocks, subshells
// and calls of functions the script defines. `exit`, `wait` and `true` at
// the end are looked through.
func terminalCalls(stmts []*syntax.Stmt, funcs map[string]*syntax.Stmt, depth int) []terminal {
	if depth > 10 {
		return nil
	}
	for len(stmts) > 0 {
		last := stmts[len(stmts)-1]
		if call, ok := last.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 && !last.Background {
			switch wordText(call.Args[0]) {
			case "exit", "wait", "true", ":":
				stmts = stmts[:len(stmts)-1]
				continue
			}
		}
		return terminalOf(last, funcs, depth)
	}
	return nil
}

func terminalOf(st *syntax.Stmt, funcs map[string]*syntax.Stmt, depth int) []terminal {
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return nil
		}
		if fn, ok := funcs[wordText(c.Args[0])]; ok && !st.Background {
			return terminalOf(fn, funcs, depth+1)
		}
		return []terminal{{stmt: st, call: c, background: st.Background}}
	case *syntax.BinaryCmd:
		if c.Op == syntax.AndStmt {
			return terminalOf(c.Y, funcs, depth+1)
		}
		if c.Op == syntax.OrStmt {
			// `a || b` runs b only when a fails: a is the main path.
			return terminalOf(c.X, funcs, depth+1)
		}
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			// The shell waits for the whole pipeline.
			t := terminalOf(c.Y, funcs, depth+1)
			for i := range t {
				if t[i].call != nil && len(t[i].call.Args) > 0 && wordText(t[i].call.Args[0]) == "exec" {
					t[i].background = true // exec in a pipeline does not replace the shell
				}
			}
			return t
		}
	case *syntax.IfClause:
		var out []terminal
		for cl := c; cl != nil; cl = cl.Else {
			out = append(out, terminalCalls(cl.Then, funcs, depth+1)...)
		}
		return out
	case *syntax.CaseClause:
		var out []terminal
		for _, item := range c.Items {
			out = append(out, terminalCalls(item.Stmts, funcs, depth+1)...)
		}
		return out
	case *syntax.Block:
		return terminalCalls(c.Stmts, funcs, depth+1)
	case *syntax.Subshell:
		return terminalCalls(c.Stmts, funcs, depth+1)
	case *syntax.FuncDecl:
		return nil
	}
	return []terminal{{stmt: st}}
}

func funcDecls(file *syntax.File) map[string]*syntax.Stmt {
	out := map[string]*syntax.Stmt{}
	for _, st := range file.Stmts {
		if fd, ok := st.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil {
			out[fd.Name.Value] = fd.Body
		}
	}
	return out
}

func callWords(c *syntax.CallExpr) []string {
	out := make([]string, 0, len(c.Args))
	for _, w := range c.Args {
		out = append(out, wordText(w))
	}
	return out
}

// wordText is a word's value with quotes removed around literal parts and
// expansions kept as written.
func wordText(w *syntax.Word) string { return dockerfile.WordString(w) }

// ScriptLastCommand inspects a shell script's body (an entrypoint
// script) and reports its last command, its 1-based line in the body, and
// whether that command runs without `exec`, which leaves the shell as PID 1
// between Docker and the app. Scripts that do not parse, are not shell
// scripts, or end in something other than a command report bad=false. It
// reads only the body, so files from the build context can be fed to it too.
func ScriptLastCommand(body string) (lastCmd string, line int, bad bool) {
	if strings.HasPrefix(body, "#!") {
		first, _, _ := strings.Cut(body, "\n")
		fields := strings.Fields(strings.TrimPrefix(first, "#!"))
		if len(fields) > 0 {
			name := fields[0]
			if BaseName(name) == "env" && len(fields) > 1 {
				name = fields[1]
			}
			if !IsShell(name) && BaseName(name) != "busybox" {
				return "", 0, false
			}
		}
	}
	file := ParseScript(body)
	if file == nil {
		return "", 0, false
	}
	for _, t := range terminalCalls(file.Stmts, funcDecls(file), 0) {
		if t.call == nil {
			continue
		}
		w := callWords(t.call)
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

// HasArgEq reports whether a command has `--name=value` or `--name value`.
func HasArgEq(c *dockerfile.ShellCommand, name string, values ...string) bool {
	for i, a := range c.Args {
		for _, v := range values {
			if a == name+"="+v || a == name && i+1 < len(c.Args) && c.Args[i+1] == v {
				return true
			}
		}
	}
	return false
}

// HasAssign reports whether a command is prefixed with NAME=value.
func HasAssign(c *dockerfile.ShellCommand, name, value string) bool {
	for _, a := range c.Assigns {
		k, v, _ := strings.Cut(a, "=")
		if k == name && strings.Trim(v, `"'`) == value {
			return true
		}
	}
	return false
}

// wrappers are commands that run their arguments as a command.
var wrappers = map[string]bool{"sudo": true, "env": true, "nice": true, "nohup": true, "time": true, "command": true, "exec": true}

// Words returns the command's words with wrappers (`sudo -E`, `env
// A=b`, `nice -n 5`) removed, so `sudo apt-get install` reads as
// `apt-get install`.
func Words(c *dockerfile.ShellCommand) []string {
	words := c.Words()
	if !wrappers[c.Base()] {
		return words // most commands: no wrapper
	}
	for len(words) > 1 && wrappers[BaseName(words[0])] {
		wrapper := BaseName(words[0])
		words = words[1:]
		for len(words) > 1 {
			w := words[0]
			switch {
			case strings.HasPrefix(w, "-"):
				words = words[1:]
				// sudo -u user, nice -n 5: the flag's value follows.
				if (wrapper == "sudo" && (w == "-u" || w == "-g" || w == "-C" || w == "-D" || w == "-h" || w == "-p" || w == "-U")) ||
					(wrapper == "nice" && w == "-n") {
					if len(words) > 1 {
						words = words[1:]
					}
				}
				continue
			case wrapper == "env" && strings.Contains(w, "="):
				words = words[1:]
				continue
			}
			break
		}
	}
	return words
}

// VarRefs returns the names of the variables a shell word references.
var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

func VarRefs(s string) []string {
	var out []string
	if !strings.Contains(s, "$") {
		return out
	}
	for _, m := range varRef.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// ResolveArgs resolves a command passed to an entrypoint script: the last
// command of `sh -c script`, `exec` and wrappers removed.
func ResolveArgs(words []LaunchWord) []LaunchWord {
	for depth := 0; depth < 8 && len(words) > 0; depth++ {
		if k := ShellScriptArg(words); k >= 0 {
			call, _, ok := LastCall(words[k].Text)
			if !ok {
				return nil
			}
			script := words[k]
			words = make([]LaunchWord, len(call))
			for i, w := range call {
				words[i] = LaunchWord{Text: w, In: script.In, Shell: script.Shell}
			}
			continue
		}
		if n := TransparentWrapper(words); n > 0 {
			words = words[n:]
			continue
		}
		break
	}
	return words
}
