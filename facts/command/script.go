package command

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads shell scripts (`sh -c` text, entrypoint scripts) for the
// command they end with.

// ParseScript parses shell text (bash dialect), nil when it does not
// parse.
func ParseScript(text string) *syntax.File {
	f, err := dockerfile.ParseShell(text)
	if err != nil {
		return nil
	}
	return f
}

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
// the end are looked through, and before a `wait` the messages printed
// after starting the background jobs it waits for (hyperdx's
// entry.local.base.sh: `… &`, `echo "Visit …"`, `wait -n`, `exit $?`).
func terminalCalls(stmts []*syntax.Stmt, funcs map[string]*syntax.Stmt, depth int) []terminal {
	if depth > 10 {
		return nil
	}
	waited := false
	for len(stmts) > 0 {
		last := stmts[len(stmts)-1]
		if call, ok := last.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 && !last.Background {
			switch name := wordText(call.Args[0]); {
			case name == "exit" || name == "wait" || name == "true" || name == ":",
				waited && (name == "echo" || name == "printf"):
				waited = waited || name == "wait"
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
		// As written, quotes kept: a suggested `exec` must not split
		// `nginx -g "daemon off;"` or `"$@"` (chartdb, dittofeed).
		text := strings.Join(w, " ")
		if from, to := int(t.call.Pos().Offset()), int(t.call.End().Offset()); from < to && to <= len(body) && !strings.Contains(body[from:to], "\n") {
			text = body[from:to]
		}
		if t.background {
			text += " &"
		}
		return text, int(t.stmt.Pos().Line()), true
	}
	return "", 0, false
}

// ScriptCalls returns the words of every simple command of a shell
// script, in order (nested ones included); nil when it does not parse.
func ScriptCalls(text string) [][]string {
	file := ParseScript(text)
	if file == nil {
		return nil
	}
	var out [][]string
	syntax.Walk(file, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 {
			out = append(out, callWords(c))
		}
		return true
	})
	return out
}
