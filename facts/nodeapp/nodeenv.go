package nodeapp

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file tells whether what a final stage starts sets NODE_ENV to
// production itself, read from the build context: the package.json script
// the command runs (`"start": "NODE_ENV=production node ."`), or the entry
// file that assigns `process.env.NODE_ENV` before it loads any package.

// StartSetsNodeEnv reports whether the final stage's command sets
// NODE_ENV=production through what it starts, and says how (for
// messages and tests): `package.json script "start"`, the entry file's
// context path, the shell script file's context path, or the Next.js
// standalone server. A shell script the command runs (`CMD
// ["/home/nextjs/start.sh"]`, `sh start.sh`), read from the build
// context, counts when it exports NODE_ENV=production or when the command
// it ends with does (`exec node apps/web/server.js` of a Next.js
// standalone build, `exec npm start`).
func StartSetsNodeEnv(f *dockerfile.File, st *dockerfile.Stage) (how string, ok bool) {
	s, argv, ok := newStartReader(f, st)
	if ok {
		if how, ok := s.command(argv, 0); ok {
			return how, true
		}
	}
	return startScriptSetsNodeEnv(f, st)
}

// startScriptSetsNodeEnv reads the shell script file the stage's command
// runs: it exports NODE_ENV=production, or its last command sets it.
func startScriptSetsNodeEnv(f *dockerfile.File, st *dockerfile.Stage) (string, bool) {
	p, _ := stage.ProcessOf(f, st)
	if p.Script == nil {
		return "", false
	}
	wd := stage.Workdir(st)
	file := stage.Script(f, st, p.Script.Text, wd, p.ScriptViaShell)
	if !file.Read {
		return "", false
	}
	text := string(file.Data)
	if exportsProduction(text) {
		return file.Rel, true
	}
	last, _, ok := command.LastCall(text)
	if !ok || len(last) == 0 || strings.Contains(last[0], "$") {
		return "", false // `exec "$@"`: the CMD was read already
	}
	if scriptSetsProduction(strings.Join(last, " ")) {
		return file.Rel, true
	}
	s := &startReader{f: f, st: st, wd: wd}
	return s.command(last, 1)
}

// exportsProduction reports whether a shell script exports
// NODE_ENV=production (`export NODE_ENV=production`) for the commands
// after it: a prefix of one command (`NODE_ENV=production node
// migrate.js`) or a `local` does not count.
func exportsProduction(text string) bool {
	file, err := dockerfile.ParseShell(text)
	if err != nil {
		return false
	}
	found := false
	syntax.Walk(file, func(n syntax.Node) bool {
		if d, ok := n.(*syntax.DeclClause); ok && d.Variant != nil && d.Variant.Value == "export" {
			found = setsProduction(d.Args)
		}
		return !found
	})
	return found
}

// NextStandaloneServer reports whether argv runs the server.js of a
// Next.js standalone build the stage copies (`COPY --from=build
// /app/.next/standalone ./`, `node server.js`, `node apps/web/server.js`):
// the server Next generates sets NODE_ENV=production itself.
func NextStandaloneServer(st *dockerfile.Stage, argv []string) bool {
	if len(argv) < 2 || command.BaseName(argv[0]) != "node" || path.Base(argv[len(argv)-1]) != "server.js" {
		return false
	}
	for _, in := range st.ChainInstructions() {
		if c, ok := in.Command.(*instructions.CopyCommand); ok {
			for _, src := range c.SourcePaths {
				if strings.Contains(path.Clean(src), ".next/standalone") {
					return true
				}
			}
		}
	}
	return false
}

// StartedCommand returns the name of the command that stays running in
// the final stage's container: its command, or the last command of the
// package.json script it runs, followed through script runs
// (`npm start` → `react-router-serve ./build/server/index.js`). ok is
// false when it cannot be told.
func StartedCommand(f *dockerfile.File, st *dockerfile.Stage) (string, bool) {
	s, argv, ok := newStartReader(f, st)
	if !ok {
		return "", false
	}
	return s.lastCommand(argv, 0)
}

func newStartReader(f *dockerfile.File, st *dockerfile.Stage) (*startReader, []string, bool) {
	words, ok := stage.ProcessWords(f, st)
	if !ok {
		return nil, nil, false
	}
	argv := make([]string, len(words))
	for i, w := range words {
		argv[i] = w.Text
	}
	wd := stage.Workdir(st)
	if wd == "" {
		return nil, nil, false
	}
	return &startReader{f: f, st: st, wd: wd}, argv, true
}

// lastCommand follows script runs to the command that stays running, the
// last one of each script.
func (s *startReader) lastCommand(argv []string, depth int) (string, bool) {
	argv = command.Unwrap(argv)
	if depth > 4 || len(argv) == 0 {
		return "", false
	}
	if _, text, isRun, ok := s.runScript(argv); isRun {
		cmds := ScriptCommands(text)
		if !ok || len(cmds) == 0 {
			return "", false
		}
		return s.lastCommand(cmds[len(cmds)-1], depth+1)
	}
	return command.BaseName(argv[0]), true
}

// startReader reads what a stage's command starts from the build context.
type startReader struct {
	f       *dockerfile.File
	st      *dockerfile.Stage
	wd      string
	scripts map[string]string
	read    bool
}

// command reports whether argv sets NODE_ENV=production: a package.json
// script it runs, or the entry file of `node file`.
func (s *startReader) command(argv []string, depth int) (string, bool) {
	if depth > 4 || len(argv) == 0 {
		return "", false
	}
	if name, text, isRun, ok := s.runScript(argv); isRun {
		if !ok {
			return "", false
		}
		if scriptSetsProduction(text) {
			return "package.json script \"" + name + "\"", true
		}
		for _, c := range ScriptCommands(text) {
			if how, ok := s.command(c, depth+1); ok {
				return how, true
			}
		}
		return "", false
	}
	if command.BaseName(argv[0]) != "node" {
		return "", false
	}
	if NextStandaloneServer(s.st, argv) {
		return "the Next.js standalone server.js", true
	}
	entry := ""
	for _, a := range argv[1:] {
		if !strings.HasPrefix(a, "-") {
			entry = a
			break
		}
	}
	if entry == "" || strings.Contains(entry, "$") {
		return "", false
	}
	file := stage.ImageFile(s.f, s.st, path.Join(s.wd, entry))
	if !file.Read {
		return "", false
	}
	if codeSetsProduction(file.Data, file.Rel) {
		return file.Rel, true
	}
	return "", false
}

// runScript tells whether argv runs a package.json script (`npm run
// NAME`, `yarn NAME`, …) and, when the package.json in the working
// directory has it, the script's name and text.
func (s *startReader) runScript(argv []string) (name, text string, isRun, ok bool) {
	name = command.ScriptRun(argv)
	if name == "" {
		return "", "", false, false
	}
	text, ok = s.script(name)
	return name, text, true, ok
}

// script returns a script of the package.json in the working directory.
func (s *startReader) script(name string) (string, bool) {
	if !s.read {
		s.read = true
		file := stage.ImageFile(s.f, s.st, path.Join(s.wd, "package.json"))
		if file.Read {
			if m, typeErr, err := nodeproject.DecodeManifest(file.Data); err == nil && typeErr == nil {
				s.scripts = m.Scripts
			}
		}
	}
	text, ok := s.scripts[name]
	return text, ok
}

// scriptSetsProduction reports whether a package.json script sets
// NODE_ENV=production for the commands it runs: `NODE_ENV=production node
// .`, `cross-env NODE_ENV=production node .`, `env NODE_ENV=production
// …`, `export NODE_ENV=production && …`, and an env wrapper passed to
// another command (`npm run with:env -- cross-env NODE_ENV=production …`).
func scriptSetsProduction(text string) bool {
	file, err := dockerfile.ParseShell(text)
	if err != nil {
		return false
	}
	found := false
	syntax.Walk(file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CallExpr:
			found = setsProduction(n.Assigns)
			// The env wrapper may itself be an argument of another
			// wrapper: `npm run with:env -- cross-env NODE_ENV=production
			// node …` (documenso), `dotenv -- cross-env …`.
			wrapped := false
			for _, w := range n.Args {
				word := dockerfile.WordString(w)
				switch {
				case wrapped && word == "NODE_ENV=production":
					found = true
				case !wrapped && (command.BaseName(word) == "env" || command.BaseName(word) == "cross-env" || command.BaseName(word) == "cross-env-shell"):
					wrapped = true
				}
			}
		case *syntax.DeclClause:
			found = setsProduction(n.Args)
		}
		return !found
	})
	return found
}

// setsProduction reports whether one of the assignments is
// NODE_ENV=production.
func setsProduction(as []*syntax.Assign) bool {
	for _, a := range as {
		if a.Name != nil && a.Name.Value == "NODE_ENV" && a.Value != nil && dockerfile.WordString(a.Value) == "production" {
			return true
		}
	}
	return false
}

// codeSetsProduction reports whether a JavaScript file assigns
// `process.env.NODE_ENV = "production"` (or `??=`, `||=`) as a statement
// of its own before it loads any package: before the first require of
// one, and in a file without static imports of packages (those are
// loaded before the file's code runs).
func codeSetsProduction(src []byte, name string) bool {
	var opts jsscan.Options
	opts.SetLanguage(name)
	firstLoad := -1
	for _, imp := range jsscan.Scan(src, opts).Imports {
		if _, kind := jsscan.PackageName(imp.Spec); kind != jsscan.SpecPackage || imp.TypeOnly {
			continue
		}
		if imp.Kind == jsscan.ImportFrom || imp.Kind == jsscan.ExportFrom {
			return false
		}
		if firstLoad < 0 || imp.Line < firstLoad {
			firstLoad = imp.Line
		}
	}
	toks := jsscan.Tokenize(string(src), opts.JSX, opts.TypeScript)
	for i, t := range toks {
		if firstLoad >= 0 && t.Line >= firstLoad {
			return false
		}
		if t.Kind == jsscan.Ident && t.Text == "process" && statementStart(toks, i) && assignsProduction(toks[i:]) {
			return true
		}
	}
	return false
}

// assignsProduction matches `process.env.NODE_ENV = "production"` (also
// `process.env["NODE_ENV"]`, `??=`, `||=`, and a value that falls back
// to it: `process.env.NODE_ENV || "production"`) at the front of toks.
func assignsProduction(toks []jsscan.Token) bool {
	text := func(i int) string {
		if i < len(toks) {
			return toks[i].Text
		}
		return ""
	}
	j := 0
	switch {
	case text(1) == "." && text(2) == "env" && text(3) == "." && text(4) == "NODE_ENV":
		j = 5
	case text(1) == "." && text(2) == "env" && text(3) == "[" && text(4) == "NODE_ENV" && text(5) == "]":
		j = 6
	default:
		return false
	}
	switch text(j) {
	case "=", "??=", "||=":
	default:
		return false
	}
	// The value: up to the end of the statement.
	end := j + 1
	for end < len(toks) && end < j+16 && toks[end].Text != ";" && (end == j+1 || !toks[end].NewlineBefore) {
		end++
	}
	last := end - 1
	if last <= j || toks[last].Kind != jsscan.String || toks[last].Text != "production" {
		return false
	}
	return last == j+1 || text(last-1) == "||" || text(last-1) == "??"
}

// statementStart: the token at i starts a statement (first of the file,
// after `;` or `}`, or on a new line after anything but an operator).
func statementStart(toks []jsscan.Token, i int) bool {
	if i == 0 {
		return true
	}
	prev := toks[i-1].Text
	return prev == ";" || prev == "}" || (toks[i].NewlineBefore && prev != ")" && prev != "=" && prev != "&&" && prev != "||" && prev != "?" && prev != ":")
}
