package dockerfile

import (
	"bytes"
	"regexp"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"
)

// Script is the shell of one instruction split into commands.
type Script struct {
	// Text is the shell source that was parsed (or split into words).
	Text string
	// Parsed is false when the shell did not parse (or is not POSIX-like)
	// and Commands come from plain word splitting.
	Parsed bool
	// Exec is set for exec-form (JSON array) commands.
	Exec bool
	// Commands are the simple commands in source order, across `&&`, `;`,
	// `|`, subshells, command substitutions and heredoc bodies.
	Commands []*ShellCommand
}

// ShellCommand is one simple command.
type ShellCommand struct {
	// Name is the command word as written (`apt-get`, `/usr/bin/npm`).
	Name string
	// Args are the following words, unquoted where they are literal.
	Args []string
	// Assigns are leading `VAR=value` words.
	Assigns []string
	// Redirects lists output redirections (`> file`, `>> file`, heredocs).
	Redirects []Redirect
	// Line and Col locate the command in the Dockerfile (1-based).
	Line, Col       int
	EndLine, EndCol int
	// Nested is set for a command inside a subshell, a command
	// substitution or a process substitution, whose effects on the shell
	// (a `cd`, an `export`) end with it.
	Nested bool

	words []string // Name followed by Args, backing both
	base  string   // Base of words[0]
	// offsets of the statement in the parsed script (see Precedes)
	start, end uint
}

// Precedes reports whether c ends before o starts, for two commands of one
// parsed script (Script.Parsed).
func (c *ShellCommand) Precedes(o *ShellCommand) bool {
	return c.end <= o.start
}

// Redirect is one redirection of a command.
type Redirect struct {
	Op      string // ">", ">>", "<<", …
	Target  string // file name or heredoc delimiter
	Heredoc string // heredoc body, if any
}

// Base is the command name without its directory (`/usr/bin/npm` → `npm`).
func (c *ShellCommand) Base() string {
	if len(c.words) > 0 && c.words[0] == c.Name {
		return c.base // rules ask often: computed once
	}
	return CommandName(c.Name)
}

// CommandName is the name a command is known by: its path without the
// directory and without a Windows executable suffix (`/usr/bin/node`,
// `node_modules\.bin\nodemon.cmd` → node, nodemon).
func CommandName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' || path[i] == '\\' {
			path = path[i+1:]
			break
		}
	}
	if n := len(path); n > 4 && path[n-4] == '.' {
		switch path[n-3:] {
		case "cmd", "exe", "CMD", "EXE":
			return path[:n-4]
		}
	}
	return path
}

// HasArg reports whether any argument equals one of want.
func (c *ShellCommand) HasArg(want ...string) bool {
	for _, a := range c.Args {
		for _, w := range want {
			if a == w {
				return true
			}
		}
	}
	return false
}

// HasArgPrefix reports whether any argument starts with prefix.
func (c *ShellCommand) HasArgPrefix(prefix string) bool {
	for _, a := range c.Args {
		if strings.HasPrefix(a, prefix) {
			return true
		}
	}
	return false
}

// Positional returns the arguments that are not flags (do not start with -).
func (c *ShellCommand) Positional() []string {
	var out []string
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
		}
	}
	return out
}

// Words returns the command as one slice: name then arguments. The slice
// is shared: callers may reslice it but must not write to it.
func (c *ShellCommand) Words() []string {
	if len(c.words) == len(c.Args)+1 && c.words[0] == c.Name {
		return c.words[:len(c.words):len(c.words)]
	}
	return append([]string{c.Name}, c.Args...)
}

// newCommand makes a command whose Name and Args share one word slice.
func newCommand(words []string, line, col, endLine, endCol int) *ShellCommand {
	words = words[:len(words):len(words)]
	return &ShellCommand{Name: words[0], Args: words[1:], words: words, base: CommandName(words[0]), Line: line, Col: col, EndLine: endLine, EndCol: endCol}
}

// String renders the command on one line.
func (c *ShellCommand) String() string {
	return strings.Join(c.Words(), " ")
}

// Commands returns every shell command of the instructions of the stage.
func (s *Stage) Commands() []*ShellCommand {
	var out []*ShellCommand
	for _, in := range s.Instructions {
		if in.Keyword == "RUN" && in.Script != nil {
			out = append(out, in.Script.Commands...)
		}
	}
	return out
}

func (f *File) parseScripts() {
	posix := map[*Stage]bool{}
	for _, st := range f.Stages {
		posix[st] = true
		if st.Base.Stage != nil {
			posix[st] = posix[st.Base.Stage]
		}
		for _, in := range st.Instructions {
			if sh, ok := in.Command.(*instructions.ShellCommand); ok {
				posix[st] = isPOSIXShell(sh.Shell)
			}
			if in.Command == nil {
				continue
			}
			in.Script = f.scriptFor(in, posix[st] && f.Escape == '\\')
		}
	}
}

func isPOSIXShell(argv []string) bool {
	if len(argv) == 0 {
		return false
	}
	name := strings.ToLower(argv[0])
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	switch strings.TrimSuffix(name, ".exe") {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox":
		return true
	}
	return false
}

func (f *File) scriptFor(in *Instruction, posix bool) *Script {
	switch c := in.Command.(type) {
	case *instructions.RunCommand:
		if !c.PrependShell {
			return execScript(c.CmdLine, in.StartLine)
		}
		return f.shellScript(in, posix, false)
	case *instructions.CmdCommand:
		if !c.PrependShell {
			return execScript(c.CmdLine, in.StartLine)
		}
		return f.shellScript(in, posix, false)
	case *instructions.EntrypointCommand:
		if !c.PrependShell {
			return execScript(c.CmdLine, in.StartLine)
		}
		return f.shellScript(in, posix, false)
	case *instructions.HealthCheckCommand:
		if c.Health == nil || len(c.Health.Test) < 2 {
			return nil
		}
		if c.Health.Test[0] == "CMD" {
			return execScript(c.Health.Test[1:], in.StartLine)
		}
		return f.shellScript(in, posix, true)
	}
	return nil
}

func execScript(argv []string, line int) *Script {
	s := &Script{Parsed: true, Exec: true, Text: strings.Join(argv, " ")}
	if len(argv) > 0 {
		s.Commands = []*ShellCommand{newCommand(argv, line, 1, line, 0)}
	}
	return s
}

// trimEscapeBlanks turns a trailing `\` followed by blanks into `\`.
func trimEscapeBlanks(l string) string {
	if l == "" || (l[len(l)-1] != ' ' && l[len(l)-1] != '\t') {
		return l
	}
	t := strings.TrimRight(l, " \t")
	if strings.HasSuffix(t, `\`) {
		return t
	}
	return l
}

var flagWord = regexp.MustCompile(`^\s*--[A-Za-z0-9-]+(=("[^"]*"|'[^']*'|\S)*)?`)

// shellScript rebuilds the instruction's shell text with its original line
// layout (Docker joins continuation lines and drops comment and empty lines
// inside them), blanks out the keyword and flags so columns stay true, and
// parses it with mvdan.cc/sh. Line numbers map back to the Dockerfile.
func (f *File) shellScript(in *Instruction, posix, healthcheck bool) *Script {
	n := max(min(in.EndLine, len(f.Lines))-in.StartLine+1, 0)
	lines := make([]string, 0, n)
	lineNo := make([]int, 0, n)
	heredocs := len(in.Node.Heredocs) > 0
	for n := in.StartLine; n <= in.EndLine && n <= len(f.Lines); n++ {
		l := f.Lines[n-1]
		if n > in.StartLine && !heredocs {
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
		}
		if !heredocs && n < in.EndLine {
			// Docker takes `\` followed by blanks at the end of a line as a
			// continuation; the shell would read an escaped blank.
			l = trimEscapeBlanks(l)
		}
		lines = append(lines, l)
		lineNo = append(lineNo, n)
	}
	if len(lines) == 0 {
		return &Script{}
	}
	// Blank the keyword, the flags and (for HEALTHCHECK) the CMD word; flags
	// and the CMD word may sit on continuation lines.
	cur := &blankCursor{lines: lines, escape: byte(f.Escape)}
	cur.blankWord() // keyword
	for cur.blankFlag() {
	}
	if healthcheck {
		cur.blankWord()
	}

	if heredocs {
		if body, line, ok := heredocOnly(in, lines, lineNo); ok {
			if strings.HasPrefix(body, "#!") && !isShebangShell(body) {
				return &Script{Text: body}
			}
			return parseShell(body, posix, func(l int) int { return line + l - 1 })
		}
	}
	text := strings.Join(lines, "\n")
	return parseShell(text, posix, func(l int) int {
		if l-1 < len(lineNo) && l >= 1 {
			return lineNo[l-1]
		}
		return lineNo[len(lineNo)-1]
	})
}

// blankCursor walks the start of an instruction, across continuation
// lines, blanking words with spaces so columns stay true.
type blankCursor struct {
	lines  []string
	escape byte
	l, i   int
}

// skip moves past blanks, and past a line continuation to the next line.
func (c *blankCursor) skip() {
	for c.l < len(c.lines) {
		b := c.lines[c.l]
		for c.i < len(b) && (b[c.i] == ' ' || b[c.i] == '\t') {
			c.i++
		}
		rest := strings.TrimRight(b[c.i:], " \t")
		if (rest == "" || rest == string(c.escape)) && c.l+1 < len(c.lines) {
			c.l, c.i = c.l+1, 0
			continue
		}
		return
	}
}

// blank replaces bytes [c.i, end) of the current line with spaces and moves
// past them.
func (c *blankCursor) blank(end int) {
	if end <= c.i {
		return
	}
	line := c.lines[c.l]
	c.lines[c.l] = line[:c.i] + strings.Repeat(" ", end-c.i) + line[end:]
	c.i = end
}

// blankWord replaces the next word with spaces.
func (c *blankCursor) blankWord() {
	c.skip()
	if c.l >= len(c.lines) {
		return
	}
	b := c.lines[c.l]
	end := c.i
	for end < len(b) && b[end] != ' ' && b[end] != '\t' {
		end++
	}
	c.blank(end)
}

// blankFlag replaces the next word with spaces if it is a --flag.
func (c *blankCursor) blankFlag() bool {
	c.skip()
	if c.l >= len(c.lines) {
		return false
	}
	b := c.lines[c.l]
	if !strings.HasPrefix(b[c.i:], "--") {
		return false
	}
	m := flagWord.FindStringIndex(b[c.i:])
	if m == nil {
		return false
	}
	c.blank(c.i + m[1])
	return true
}

var heredocMarker = regexp.MustCompile(`^\s*(\d*<<-?\s*["']?[A-Za-z_][A-Za-z0-9_]*["']?\s*)+$`)

// heredocOnly handles `RUN <<EOF … EOF`, where the heredoc body is the
// script itself. It returns the body and the Dockerfile line it starts on.
func heredocOnly(in *Instruction, lines []string, lineNo []int) (string, int, bool) {
	if !heredocMarker.MatchString(lines[0]) || len(lineNo) < 2 {
		return "", 0, false
	}
	return in.Node.Heredocs[0].Content, lineNo[1], true
}

func isShebangShell(body string) bool {
	first, _, _ := strings.Cut(body, "\n")
	fields := strings.Fields(strings.TrimPrefix(first, "#!"))
	if len(fields) == 0 {
		return false
	}
	name := fields[0]
	if strings.HasSuffix(name, "/env") && len(fields) > 1 {
		name = fields[1]
	}
	return isPOSIXShell([]string{name})
}

func parseShell(text string, posix bool, mapLine func(int) int) *Script {
	s := &Script{Text: text}
	if posix {
		if file, err := ParseShell(text); err == nil {
			s.Parsed = true
			s.Commands = collectCommands(file, mapLine)
			return s
		}
	}
	s.Commands = splitWords(text, mapLine)
	return s
}

// ParseScript splits the text of a shell script file (one a RUN or an
// entrypoint runs, read from the build context) into its commands; their
// lines are the script's own. A script that does not parse is split into
// words.
func ParseScript(text string) *Script {
	return parseShell(text, true, func(line int) int { return line })
}

// ParseShell parses shell text (bash dialect) with a pooled parser; a
// parser panic is an error, not a crash.
func ParseShell(text string) (file *syntax.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			file, err = nil, errShellPanic
		}
	}()
	p := shParsers.Get().(*syntax.Parser)
	defer shParsers.Put(p)
	return p.Parse(strings.NewReader(text), "")
}

// shParsers reuses shell parsers: building one allocates its buffers.
var shParsers = sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }}

type shellPanic struct{}

func (shellPanic) Error() string { return "shell parser failure" }

var errShellPanic error = shellPanic{}

func collectCommands(file *syntax.File, mapLine func(int) int) []*ShellCommand {
	c := commandCollectors.Get().(*commandCollector)
	defer c.release()
	c.mapLine = mapLine
	c.stmtList(file.Stmts)
	if len(c.found) == 0 {
		return nil
	}
	// One allocation each for the commands, the pointers to them and
	// their words, sized exactly.
	cmds := make([]ShellCommand, len(c.found))
	out := make([]*ShellCommand, len(c.found))
	words := append([]string(nil), c.words...)
	for i, fc := range c.found {
		cmd := &cmds[i]
		*cmd = fc.cmd
		w := words[fc.from:fc.to:fc.to]
		cmd.Name, cmd.Args, cmd.words, cmd.base = w[0], w[1:], w, CommandName(w[0])
		for _, sp := range c.nested {
			if cmd.start >= sp.from && cmd.end <= sp.to {
				cmd.Nested = true
				break
			}
		}
		out[i] = cmd
	}
	return out
}

// commandCollector gathers the simple commands of a parsed script in the
// order syntax.Walk visits them. It walks the statement structure itself
// (lists, `&&`/`||`/`|`, blocks, subshells, command words) and hands every
// other node, and every word that may hold a command, to syntax.Walk with
// visitNode, which sees the same nodes in the same order. Its slices are
// scratch space, reused through commandCollectors.
type commandCollector struct {
	mapLine func(int) int
	visit   func(syntax.Node) bool // visitNode, bound once
	found   []foundCommand
	words   []string // the words of found, in order
	// the offsets of subshells and substitutions
	nested []offsetSpan
}

// foundCommand is a command without its words, which are words[from:to].
type foundCommand struct {
	cmd      ShellCommand
	from, to int
}

var commandCollectors = sync.Pool{New: func() any {
	c := &commandCollector{}
	c.visit = c.visitNode
	return c
}}

// release empties the scratch slices (dropping what they point to) and
// returns the collector to the pool.
func (c *commandCollector) release() {
	clear(c.found)
	clear(c.words)
	c.found, c.words, c.nested = c.found[:0], c.words[:0], c.nested[:0]
	c.mapLine = nil
	commandCollectors.Put(c)
}

type offsetSpan struct{ from, to uint }

func (c *commandCollector) stmtList(list []*syntax.Stmt) {
	for _, st := range list {
		c.stmt(st)
	}
}

func (c *commandCollector) stmt(st *syntax.Stmt) {
	c.record(st) // comments hold no commands
	switch x := st.Cmd.(type) {
	case nil:
	case *syntax.CallExpr:
		for _, a := range x.Assigns {
			if a.Index != nil || a.Array != nil || (a.Value != nil && !literalWord(a.Value)) {
				syntax.Walk(a, c.visit)
			}
		}
		for _, w := range x.Args {
			c.word(w)
		}
	case *syntax.BinaryCmd:
		c.stmt(x.X)
		c.stmt(x.Y)
	case *syntax.Block:
		c.stmtList(x.Stmts)
	case *syntax.Subshell:
		c.nested = append(c.nested, offsetSpan{x.Pos().Offset(), x.End().Offset()})
		c.stmtList(x.Stmts)
	default:
		syntax.Walk(x, c.visit)
	}
	for _, r := range st.Redirs {
		if r.Word != nil {
			c.word(r.Word)
		}
		if r.Hdoc != nil {
			c.word(r.Hdoc)
		}
	}
}

// word walks a word that may hold commands.
func (c *commandCollector) word(w *syntax.Word) {
	if !literalWord(w) {
		syntax.Walk(w, c.visit)
	}
}

// visitNode is the syntax.Walk callback for the nodes stmt leaves to it.
func (c *commandCollector) visitNode(n syntax.Node) bool {
	switch x := n.(type) {
	case *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst:
		c.nested = append(c.nested, offsetSpan{x.Pos().Offset(), x.End().Offset()})
		return true
	case *syntax.Stmt:
		c.record(x)
		return true
	}
	return !literalWord(n)
}

// record adds the statement's simple command, if it is one.
func (c *commandCollector) record(stmt *syntax.Stmt) {
	call, ok := stmt.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return
	}
	from := len(c.words)
	for _, w := range call.Args {
		c.words = append(c.words, WordString(w))
	}
	cmd := ShellCommand{
		Line: c.mapLine(int(call.Pos().Line())), Col: int(call.Pos().Col()),
		EndLine: c.mapLine(int(stmt.End().Line())), EndCol: int(stmt.End().Col()),
		start: stmt.Pos().Offset(), end: stmt.End().Offset(),
	}
	for _, a := range call.Assigns {
		cmd.Assigns = append(cmd.Assigns, printNode(a))
	}
	for _, r := range stmt.Redirs {
		rd := Redirect{Op: r.Op.String()}
		if r.Word != nil {
			rd.Target = WordString(r.Word)
		}
		if r.Hdoc != nil {
			rd.Heredoc = WordString(r.Hdoc)
		}
		cmd.Redirects = append(cmd.Redirects, rd)
	}
	c.found = append(c.found, foundCommand{cmd, from, len(c.words)})
}

// literalWord reports whether n is a word whose parts hold no commands
// (literals, quotes of them, plain `$NAME` expansions): the walk need not
// enter it.
func literalWord(n syntax.Node) bool {
	w, ok := n.(*syntax.Word)
	return ok && partsWithoutCommands(w.Parts)
}

func partsWithoutCommands(parts []syntax.WordPart) bool {
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
		case *syntax.DblQuoted:
			if !partsWithoutCommands(p.Parts) {
				return false
			}
		case *syntax.ParamExp:
			if p.Flags != nil || p.NestedParam != nil || p.Index != nil || p.Slice != nil || p.Repl != nil || p.Exp != nil {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// WordString returns a shell word's value with quotes removed when its
// parts are literal; expansions are kept as written (`$HOME`, `$(id -u)`).
// Rules that parse shell of their own (entrypoint scripts) use it too.
func WordString(w *syntax.Word) string {
	if len(w.Parts) == 1 {
		// Most words are one literal: its value is the string.
		switch p := w.Parts[0].(type) {
		case *syntax.Lit:
			return p.Value
		case *syntax.SglQuoted:
			return p.Value
		}
	}
	var b strings.Builder
	for _, part := range w.Parts {
		writePart(&b, part)
	}
	return b.String()
}

func writePart(b *strings.Builder, part syntax.WordPart) {
	switch p := part.(type) {
	case *syntax.Lit:
		b.WriteString(p.Value)
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, inner := range p.Parts {
			writePart(b, inner)
		}
	default:
		b.WriteString(printNode(part))
	}
}

// printers reuses shell printers (one allocates its buffers).
var printers = sync.Pool{New: func() any { return syntax.NewPrinter(syntax.SingleLine(true)) }}

func printNode(n syntax.Node) string {
	var buf bytes.Buffer
	p := printers.Get().(*syntax.Printer)
	defer printers.Put(p)
	if err := p.Print(&buf, n); err != nil {
		return ""
	}
	return buf.String()
}

// separatorIndexes returns the [start, end) of each command separator in
// text, left to right: `&&`, `||`, `;`, `|` and newlines.
func separatorIndexes(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '&':
			if i+1 < len(text) && text[i+1] == '&' {
				out = append(out, [2]int{i, i + 2})
				i++
			}
		case '|':
			if i+1 < len(text) && text[i+1] == '|' {
				out = append(out, [2]int{i, i + 2})
				i++
			} else {
				out = append(out, [2]int{i, i + 1})
			}
		case ';', '\n':
			out = append(out, [2]int{i, i + 1})
		}
	}
	return out
}

// splitWords is the fallback when the shell does not parse: commands split
// on separators, words on blanks, quotes stripped.
func splitWords(text string, mapLine func(int) int) []*ShellCommand {
	var out []*ShellCommand
	line := 1
	offset := 0
	for _, idx := range append(separatorIndexes(text), [2]int{len(text), len(text)}) {
		seg := text[offset:idx[0]]
		segLine := line
		line += strings.Count(text[offset:idx[1]], "\n")
		offset = idx[1]
		seg = strings.ReplaceAll(seg, "\\\n", " ")
		fields := strings.Fields(seg)
		for len(fields) > 0 && (fields[0] == "(" || fields[0] == "{" || fields[0] == "then" || fields[0] == "do" || fields[0] == "else") {
			fields = fields[1:]
		}
		if len(fields) == 0 {
			continue
		}
		for i := range fields {
			fields[i] = strings.Trim(fields[i], `"'`)
		}
		l := mapLine(segLine)
		out = append(out, newCommand(fields, l, 1, l, 0))
		if offset >= len(text) {
			break
		}
	}
	return out
}
