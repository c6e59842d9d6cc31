package project

import (
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads shell text (CI `run:` steps, Makefile recipes,
// package.json scripts, shell scripts) for the docker commands that say
// how a Dockerfile is built or which compose files go together. It is not
// a shell: it follows `cd`, plain variable assignments and `for x in …`
// lists in order, and gives up on a word it cannot know (a command's
// output, an unset variable) rather than guess.

// maxLoopItems bounds how many items of a `for` list are followed.
const maxLoopItems = 16

// workdir is the directory a command runs in.
type workdir struct {
	// dir is the directory; relative to the unknown starting directory
	// when !known ("." for the start itself).
	dir   string
	known bool
	// lost is set when the directory cannot be followed (cd to a
	// variable or an absolute path of another machine).
	lost bool
}

// cd returns the directory `cd target` moves to. An absolute target is
// followed only inside root (absolute, "" for none): a path from `$0`;
// other absolute paths belong to the machine the commands were written
// for.
func (w workdir) cd(target string, ok bool, root string) workdir {
	if !ok || target == "" || target == "-" || target == "~" || strings.HasPrefix(target, "~/") {
		return workdir{lost: true}
	}
	if filepath.IsAbs(target) {
		if root != "" && Within(target, root) {
			return workdir{dir: filepath.Clean(target), known: true}
		}
		return workdir{lost: true}
	}
	if w.lost {
		return w
	}
	return workdir{dir: filepath.Join(w.dir, target), known: w.known}
}

// Within reports whether path is dir or below it (both absolute).
func Within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// shellState is what the commands before a command set up for it.
type shellState struct {
	wd   workdir
	vars map[string]string
}

func (s *shellState) clone() *shellState {
	vars := make(map[string]string, len(s.vars))
	for k, v := range s.vars {
		vars[k] = v
	}
	return &shellState{wd: s.wd, vars: vars}
}

// dockerRun is a docker command found in shell text.
type dockerRun struct {
	line int
	wd   workdir
	// compose is set for `docker compose` (files holds its -f files),
	// unset for `docker build` (file is the -f value, "" when none, "-"
	// for stdin; context is the context operand).
	compose bool
	files   []string
	file    string
	context string
	// target is the --target stage of a build ("" when none, or not
	// known: targetKnown is false then).
	target      string
	targetKnown bool
	// push is set for a build that pushes its image (--push, or an
	// --output to a registry).
	push bool
	// named are the --build-context values (`api=./packages/api`) whose
	// words are known.
	named []string
}

// shellReader finds the docker commands of shell text.
type shellReader struct {
	// script is the absolute path of the script file being read ("" when
	// the text is not a file of its own): `$0` and `dirname "$0"`.
	script string
	// root is the absolute project root: `cd` to an absolute path below
	// it is followed.
	root    string
	mapLine func(int) int
	found   []dockerRun
}

// readShell parses text and returns the docker commands it runs, in
// order. Text that does not parse gives none.
func readShell(text, script, root string, start workdir, vars map[string]string, mapLine func(int) int) []dockerRun {
	file, err := dockerfile.ParseShell(text)
	if err != nil {
		return nil
	}
	if mapLine == nil {
		mapLine = func(l int) int { return l }
	}
	r := &shellReader{script: script, root: root, mapLine: mapLine}
	st := &shellState{wd: start, vars: map[string]string{}}
	for k, v := range vars {
		st.vars[k] = v
	}
	r.stmts(file.Stmts, st)
	return r.found
}

func (r *shellReader) stmts(list []*syntax.Stmt, st *shellState) {
	for _, s := range list {
		r.stmt(s, st)
	}
}

func (r *shellReader) stmt(s *syntax.Stmt, st *shellState) {
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		r.call(c, st)
	case *syntax.DeclClause:
		for _, a := range c.Args {
			r.assign(a, st)
		}
	case *syntax.BinaryCmd:
		r.stmt(c.X, st)
		r.stmt(c.Y, st)
	case *syntax.Block:
		r.stmts(c.Stmts, st)
	case *syntax.Subshell:
		r.stmts(c.Stmts, st.clone())
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			r.stmts(ic.Cond, st)
			r.stmts(ic.Then, st.clone())
		}
	case *syntax.WhileClause:
		r.stmts(c.Cond, st)
		r.stmts(c.Do, st.clone())
	case *syntax.ForClause:
		wi, ok := c.Loop.(*syntax.WordIter)
		if !ok || wi.Name == nil {
			r.stmts(c.Do, st.clone())
			return
		}
		var items []string
		for _, w := range wi.Items {
			v, ok := r.word(w, st)
			if !ok || len(items) == maxLoopItems {
				items = nil
				break
			}
			items = append(items, strings.Fields(v)...)
		}
		if len(items) == 0 {
			inner := st.clone()
			delete(inner.vars, wi.Name.Value)
			r.stmts(c.Do, inner)
			return
		}
		for _, it := range items {
			inner := st.clone()
			inner.vars[wi.Name.Value] = it
			r.stmts(c.Do, inner)
		}
	case *syntax.FuncDecl:
		if c.Body != nil {
			r.stmt(c.Body, st.clone())
		}
	case *syntax.CaseClause:
		for _, it := range c.Items {
			r.stmts(it.Stmts, st.clone())
		}
	}
}

func (r *shellReader) assign(a *syntax.Assign, st *shellState) {
	if a.Name == nil || a.Index != nil || a.Array != nil {
		return
	}
	if a.Value == nil {
		if !a.Naked {
			st.vars[a.Name.Value] = ""
		}
		return
	}
	if v, ok := r.word(a.Value, st); ok && !a.Append {
		st.vars[a.Name.Value] = v
	} else {
		delete(st.vars, a.Name.Value)
	}
}

// arg is a command word: its value when it is known (ok), else the
// literal parts of it that are.
type arg struct {
	s  string
	ok bool
}

func (r *shellReader) call(c *syntax.CallExpr, st *shellState) {
	if len(c.Args) == 0 {
		for _, a := range c.Assigns {
			r.assign(a, st)
		}
		return
	}
	args := make([]arg, 0, len(c.Args))
	for _, w := range c.Args {
		v, ok := r.word(w, st)
		args = append(args, arg{v, ok})
	}
	// Wrappers that run the command after them.
	for len(args) > 1 && args[0].ok {
		switch dockerfile.CommandName(args[0].s) {
		case "sudo", "time", "exec", "command", "nohup":
			args = args[1:]
			continue
		case "env":
			args = args[1:]
			for len(args) > 1 && args[0].ok && strings.Contains(args[0].s, "=") && !strings.HasPrefix(args[0].s, "-") {
				args = args[1:]
			}
			continue
		}
		break
	}
	if !args[0].ok {
		return
	}
	line := r.mapLine(int(c.Args[0].Pos().Line()))
	switch name := dockerfile.CommandName(args[0].s); name {
	case "cd", "pushd":
		if len(args) < 2 {
			st.wd = workdir{lost: true}
			return
		}
		st.wd = st.wd.cd(args[1].s, args[1].ok, r.root)
	case "docker", "podman", "nerdctl", "depot":
		if run, ok := dockerArgs(args[1:]); ok {
			run.line, run.wd = line, st.wd
			r.found = append(r.found, run)
		}
	case "docker-compose", "podman-compose":
		if run, ok := composeArgs(args[1:]); ok {
			run.line, run.wd = line, st.wd
			r.found = append(r.found, run)
		}
	}
}

// word expands a shell word: literals, quotes, known variables, `$0`,
// `$(dirname …)` and `$(pwd)`. ok is false when any part is unknown.
// word resolves a shell word; when part of it cannot be told (ok false),
// the text is what could be: its literal parts, for flags' values whose
// literal part is enough (`--output "type=registry,name=$IMAGE"`).
func (r *shellReader) word(w *syntax.Word, st *shellState) (string, bool) {
	var b strings.Builder
	ok := true
	for _, p := range w.Parts {
		if !r.part(&b, p, st) {
			ok = false
		}
	}
	return b.String(), ok
}

func (r *shellReader) part(b *strings.Builder, p syntax.WordPart, st *shellState) bool {
	switch x := p.(type) {
	case *syntax.Lit:
		b.WriteString(x.Value)
	case *syntax.SglQuoted:
		b.WriteString(x.Value)
	case *syntax.DblQuoted:
		for _, in := range x.Parts {
			if !r.part(b, in, st) {
				return false
			}
		}
	case *syntax.ParamExp:
		v, ok := r.param(x, st)
		if !ok {
			return false
		}
		b.WriteString(v)
	case *syntax.CmdSubst:
		v, ok := r.subst(x, st)
		if !ok {
			return false
		}
		b.WriteString(v)
	default:
		return false
	}
	return true
}

func (r *shellReader) param(x *syntax.ParamExp, st *shellState) (string, bool) {
	if x.Param == nil || x.Excl || x.Length || x.Slice != nil || x.Repl != nil {
		return "", false
	}
	name := x.Param.Value
	if (name == "0" || name == "BASH_SOURCE") && r.script != "" {
		return r.script, true
	}
	if x.Index != nil {
		return "", false
	}
	v, ok := st.vars[name]
	if name == "PWD" && st.wd.known {
		v, ok = st.wd.dir, true
	}
	if x.Exp != nil {
		switch x.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull:
			if !ok || (v == "" && x.Exp.Op == syntax.DefaultUnsetOrNull) {
				if x.Exp.Word == nil {
					return "", true
				}
				return r.word(x.Exp.Word, st)
			}
			return v, true
		default:
			return "", false
		}
	}
	return v, ok
}

// subst knows `$(pwd)`, `$(dirname X)`, `$(realpath X)` and `$(cd X &&
// pwd)`: the value is a directory path.
func (r *shellReader) subst(x *syntax.CmdSubst, st *shellState) (string, bool) {
	inner := st.clone()
	out, known := "", false
	for _, s := range x.Stmts {
		var calls []*syntax.CallExpr
		collectCalls(s, &calls)
		for _, c := range calls {
			if len(c.Args) == 0 {
				continue
			}
			args := make([]arg, 0, len(c.Args))
			for _, w := range c.Args {
				v, ok := r.word(w, inner)
				args = append(args, arg{v, ok})
			}
			if !args[0].ok {
				return "", false
			}
			known = false
			switch args[0].s {
			case "cd":
				if len(args) < 2 {
					return "", false
				}
				inner.wd = inner.wd.cd(args[1].s, args[1].ok, r.root)
			case "pwd":
				if !inner.wd.known {
					return "", false
				}
				out, known = inner.wd.dir, true
			case "dirname", "realpath", "readlink":
				last := args[len(args)-1]
				if !last.ok || strings.HasPrefix(last.s, "-") {
					return "", false
				}
				out, known = last.s, true
				if args[0].s == "dirname" {
					out = filepath.Dir(out)
				}
			default:
				return "", false
			}
		}
	}
	return out, known
}

func collectCalls(s *syntax.Stmt, out *[]*syntax.CallExpr) {
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		*out = append(*out, c)
	case *syntax.BinaryCmd:
		collectCalls(c.X, out)
		collectCalls(c.Y, out)
	}
}

// dockerGlobalValue are the docker CLI's global flags that take a value.
var dockerGlobalValue = map[string]bool{
	"--config": true, "-c": true, "--context": true, "-H": true, "--host": true,
	"-l": true, "--log-level": true, "--tlscacert": true, "--tlscert": true, "--tlskey": true,
}

// dockerArgs reads the arguments after `docker`: a build (`build`,
// `buildx build`, `buildx b`, `image build`, `builder build`) or a
// `compose` command. podman, nerdctl and depot take `build` with docker's
// flags.
func dockerArgs(args []arg) (dockerRun, bool) {
	i := 0
	for i < len(args) && args[i].ok && strings.HasPrefix(args[i].s, "-") {
		if dockerGlobalValue[args[i].s] {
			i++
		}
		i++
	}
	if i >= len(args) || !args[i].ok {
		return dockerRun{}, false
	}
	switch sub := args[i].s; {
	case sub == "build":
		return buildArgs(args[i+1:])
	case sub == "buildx" || sub == "image" || sub == "builder":
		j := i + 1
		for j < len(args) && args[j].ok && strings.HasPrefix(args[j].s, "-") {
			if args[j].s == "--builder" {
				j++
			}
			j++
		}
		if j < len(args) && args[j].ok && (args[j].s == "build" || (sub == "buildx" && args[j].s == "b")) {
			return buildArgs(args[j+1:])
		}
	case sub == "compose":
		return composeArgs(args[i+1:])
	}
	return dockerRun{}, false
}

// buildBoolFlags are the flags of `docker build` and `docker buildx
// build` that take no value.
var buildBoolFlags = map[string]bool{
	"no-cache": true, "pull": true, "quiet": true, "rm": true, "force-rm": true,
	"squash": true, "compress": true, "disable-content-trust": true, "push": true,
	"load": true, "check": true, "detach": true, "debug": true, "q": true,
}

// buildArgs reads the flags and operand of a build: -f/--file (also
// -fX, -f=X, --file=X), the context operand (the last one, after the
// values of the flags that take one).
func buildArgs(args []arg) (dockerRun, bool) {
	run := dockerRun{targetKnown: true}
	fileKnown := true
	var operands []arg
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !a.ok {
			operands = append(operands, a)
			continue
		}
		switch {
		case a.s == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a.s, "--"):
			name, val, hasVal := strings.Cut(a.s[2:], "=")
			if name == "file" {
				if !hasVal {
					if i+1 >= len(args) {
						return dockerRun{}, false
					}
					i++
					val, fileKnown = args[i].s, args[i].ok
				}
				run.file = val
				continue
			}
			if name == "target" {
				if !hasVal {
					if i+1 >= len(args) {
						return dockerRun{}, false
					}
					i++
					val, run.targetKnown = args[i].s, args[i].ok
				}
				run.target = val
				continue
			}
			if name == "build-context" {
				ok := true
				if !hasVal {
					if i+1 >= len(args) {
						return dockerRun{}, false
					}
					i++
					val, ok = args[i].s, args[i].ok
				}
				if ok {
					run.named = append(run.named, val)
				}
				continue
			}
			if name == "push" || name == "output" && hasVal && pushesOutput(val) {
				run.push = true
			}
			if !hasVal && !buildBoolFlags[name] {
				if name == "output" && i+1 < len(args) && pushesOutput(args[i+1].s) {
					run.push = true
				}
				i++
			}
		case strings.HasPrefix(a.s, "-") && a.s != "-":
			letters := a.s[1:]
			switch {
			case letters[0] == 'f':
				val := strings.TrimPrefix(letters[1:], "=")
				if val == "" {
					if i+1 >= len(args) {
						return dockerRun{}, false
					}
					i++
					val, fileKnown = args[i].s, args[i].ok
				}
				run.file = val
			case letters[0] == 'o':
				val := strings.TrimPrefix(letters[1:], "=")
				if val == "" && i+1 < len(args) {
					i++
					val = args[i].s
				}
				run.push = run.push || pushesOutput(val)
			case buildBoolFlags[letters]:
			case len(letters) == 1:
				i++
			}
		default:
			operands = append(operands, a)
		}
	}
	if !fileKnown || len(operands) == 0 {
		return dockerRun{}, false
	}
	ctx := operands[len(operands)-1]
	if !ctx.ok || ctx.s == "" {
		return dockerRun{}, false
	}
	run.context = ctx.s
	return run, true
}

// pushesOutput reports whether a build's --output value sends the image
// to a registry: `type=registry,…` or an image output with `push=true`.
func pushesOutput(v string) bool {
	for _, part := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		if k == "type" && val == "registry" || k == "push" && val == "true" {
			return true
		}
	}
	return false
}

// composeValueFlags are docker compose's global flags that take a value.
var composeValueFlags = map[string]bool{
	"-p": true, "--project-name": true, "--project-directory": true, "--env-file": true,
	"--profile": true, "--ansi": true, "--progress": true, "--parallel": true,
}

// composeArgs reads the -f/--file flags of `docker compose`, up to its
// subcommand.
func composeArgs(args []arg) (dockerRun, bool) {
	run := dockerRun{compose: true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !a.ok {
			return dockerRun{}, false
		}
		if !strings.HasPrefix(a.s, "-") {
			break
		}
		name, val, hasVal := strings.Cut(a.s, "=")
		switch {
		case name == "-f" || name == "--file":
			if !hasVal {
				if i+1 >= len(args) || !args[i+1].ok {
					return dockerRun{}, false
				}
				i++
				val = args[i].s
			}
			run.files = append(run.files, val)
		case strings.HasPrefix(name, "-f") && len(name) > 2 && !strings.HasPrefix(name, "--"):
			run.files = append(run.files, name[2:])
		case composeValueFlags[name] && !hasVal:
			i++
		}
	}
	if len(run.files) == 0 {
		return dockerRun{}, false
	}
	return run, true
}
