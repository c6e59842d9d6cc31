package jsscan

import (
	"path/filepath"
	"strings"
	"sync"
)

// Options select what Scan records beyond module specifiers, `.listen(`
// calls and signal handlers, which it always records.
type Options struct {
	// JSX recognises JSX elements; TypeScript enables type-only imports
	// and generic arrow functions. SetLanguage sets both from a file name.
	JSX, TypeScript bool
	// Calls are callee names (the last name of `a.b.name(`) whose call
	// sites are recorded with their arguments.
	Calls map[string]bool
	// Props are object literal keys whose `key: value` pairs are recorded
	// wherever they appear.
	Props map[string]bool
	// Idents are identifiers whose first occurrence is recorded.
	Idents map[string]bool
	// KeepString selects the string literals (and template texts) to
	// record; nil keeps every one up to MaxStringLen bytes.
	KeepString func(string) bool
	// KeepAssign selects the declarations to record: those with a string
	// literal in their value that it accepts; nil records every one with
	// a string literal.
	KeepAssign func(string) bool
	// KeepAssignName also records the declarations whose name it
	// accepts, whatever their value (`const port = Number(process.env.PORT
	// || 3000)`).
	KeepAssignName func(string) bool
}

// MaxStringLen is the longest string literal Scan records.
const MaxStringLen = 256

// SetLanguage sets JSX and TypeScript from a file name: .ts/.mts/.cts are
// TypeScript without JSX, .tsx is TypeScript with JSX, every other
// extension is JavaScript with JSX (React code often lives in .js files).
func (o *Options) SetLanguage(name string) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ts", ".mts", ".cts":
		o.JSX, o.TypeScript = false, true
	case ".tsx":
		o.JSX, o.TypeScript = true, true
	default:
		o.JSX, o.TypeScript = true, false
	}
}

// ImportKind says how a module is loaded.
type ImportKind uint8

const (
	Require       ImportKind = iota + 1 // require("x")
	ImportFrom                          // import x from "x", import "x"
	ExportFrom                          // export … from "x"
	DynamicImport                       // import("x")
)

func (k ImportKind) String() string {
	switch k {
	case Require:
		return "require"
	case ImportFrom:
		return "import"
	case ExportFrom:
		return "export"
	case DynamicImport:
		return "import()"
	}
	return "?"
}

// Import is one module specifier the file loads.
type Import struct {
	Spec string
	Line int
	Kind ImportKind
	// TypeOnly is set for TypeScript imports that vanish at compile time:
	// `import type`, `export type`, imports whose every specifier is
	// `type`, and `import("x")` in type positions.
	TypeOnly bool
	// Conditional is set for a require/import() that may not run: inside
	// a try, catch, if or else block, after `&&`, `||`, `??` or `?`, or as
	// the body of a brace-less if.
	Conditional bool
	// DevOnly is set for a require/import() that runs only when NODE_ENV
	// is not production: under `if (process.env.NODE_ENV !== 'production')`
	// or `=== 'development'` (other conditions joined by `&&`).
	DevOnly bool
}

// Literal is a string literal or the static text of a template literal.
type Literal struct {
	Value string
	Line  int
	// Template is set for a piece of a template literal with
	// substitutions (`listening on ${HOST}:${PORT}` gives "listening on "
	// and ":"); TemplatePath then says whether the template's text, read
	// up to this piece, starts with `/` as a path does (`/api/${v}`,
	// `${prefix}/health`).
	Template, TemplatePath bool
}

// ArgKind classifies an expression.
type ArgKind uint8

const (
	ArgOther  ArgKind = iota // any other expression
	ArgString                // a string literal or a template without substitutions
	ArgNumber                // a numeric literal
	ArgName                  // an identifier or dotted name: port, process.env.PORT
	ArgObject                // an object literal
	ArgArray                 // an array literal
)

// Arg is an expression: a call argument, a property value or an
// initializer.
type Arg struct {
	Kind ArgKind
	// Value is the string's value, the number or the dotted name.
	Value string
	Line  int
	// Text is the expression's source, compacted and shortened.
	Text string
	// Strings are the string literals inside the expression (at most 8).
	Strings []string
	// Props are an object literal's properties.
	Props []Prop
	// Elems are an array literal's elements (at most 32).
	Elems []Arg
}

// Prop is an object literal property `key: value` (or a shorthand `key`).
type Prop struct {
	Key   string
	Value Arg
	Line  int
}

// Prop returns the property with the key, if present.
func (a Arg) Prop(key string) (Prop, bool) {
	for _, p := range a.Props {
		if p.Key == key {
			return p, true
		}
	}
	return Prop{}, false
}

// Call is a call site.
type Call struct {
	// Callee is the dotted callee, e.g. [winston transports File]; a
	// callee on a call result has that call's name with "()" appended
	// (`http.createServer(h).listen(` → [http createServer() listen]),
	// or "()" when that call has no name.
	Callee []string
	New    bool
	Line   int
	Args   []Arg
}

// Name is the callee's last name.
func (c Call) Name() string {
	if len(c.Callee) == 0 {
		return ""
	}
	return c.Callee[len(c.Callee)-1]
}

// Signal is a `process.on('SIGTERM', …)`-style handler registration.
type Signal struct {
	Name   string
	Method string // on, once, addListener, prependListener, prependOnceListener
	Line   int
}

// Assign is a declaration or assignment whose value holds a string
// literal (one Options.KeepAssign accepts): `const host =
// process.env.HOST || 'localhost'`, or a destructuring default `{ HOST =
// 'localhost' } = process.env`.
type Assign struct {
	Name  string
	Value Arg
	Line  int
	// Default is set for a destructuring or parameter default
	// (`{ NAME = 'x' }`, `(a, NAME = 'x')`).
	Default bool
}

// File is what Scan extracted from one source file.
type File struct {
	Imports []Import
	// ComputedLoad is the line of the first require(…) or import(…) of a
	// computed specifier (`require(path.join(dir, f))`), 0 if none.
	ComputedLoad int
	Strings      []Literal
	// Listens are the `.listen(` calls.
	Listens []Call
	Signals []Signal
	Calls   []Call
	Props   []Prop
	Assigns []Assign
	// Idents maps each identifier of Options.Idents that occurs to the
	// line of its first occurrence.
	Idents map[string]int
}

// Limits that keep extraction linear in the input.
const (
	maxArgTokens    = 512
	maxClauseTokens = 512
	maxValueTokens  = 64
	maxObjectDepth  = 8
	maxStackDepth   = 4096
)

var lexers = sync.Pool{New: func() any { return &lexer{} }}

// Scan tokenizes src and extracts its facts.
func Scan(src []byte, opts Options) *File {
	l := lexers.Get().(*lexer)
	l.s, l.pos, l.line, l.nl, l.valueEnd = string(src), 0, 1, false, false
	l.opts = lexOptions{jsx: opts.JSX, ts: opts.TypeScript}
	toks := l.run(l.toks)
	x := extractor{toks: toks, opts: opts, f: &File{}, budget: 8*len(toks) + 4096}
	x.run()
	l.toks = toks[:0]
	l.s = ""
	if cap(l.toks) > 1<<16 {
		l.toks = nil
	}
	lexers.Put(l)
	return x.f
}

type extractor struct {
	toks []Token
	opts Options
	f    *File

	blocks   []bool   // per open `{`: inside a conditional block
	dev      []bool   // per open `{`: inside a block that only runs outside production
	parens   []string // per open `(`: the keyword before it
	parenAt  []int    // per open `(`: its token index
	overflow int      // pushes beyond maxStackDepth
	// closedOwner is the keyword of the `(` whose `)` is at closedAt,
	// closedFrom the index of that `(`.
	closedOwner string
	closedAt    int
	closedFrom  int
	// templates holds, per template literal with substitutions being
	// read, whether its text starts with `/` (see templateKind).
	templates []uint8
	// budget bounds the tokens the look-ahead helpers (argument lists,
	// clauses, values) may visit in total, so extraction stays linear
	// however the calls nest; realistic code never exhausts it.
	budget int
}

// spend takes one step from the budget; false when it is used up.
func (x *extractor) spend() bool {
	x.budget--
	return x.budget > 0
}

func (x *extractor) tok(i int) Token {
	if i < 0 || i >= len(x.toks) {
		return Token{}
	}
	return x.toks[i]
}

func (x *extractor) guarded() bool {
	return len(x.blocks) > 0 && x.blocks[len(x.blocks)-1]
}

// devOnly reports whether an expression starting at token i runs only
// when NODE_ENV is not production: in such a block, or as the body of a
// brace-less if with such a condition.
func (x *extractor) devOnly(i int) bool {
	if len(x.dev) > 0 && x.dev[len(x.dev)-1] {
		return true
	}
	return x.tok(i-1).Is(")") && x.closedAt == i-1 && x.closedOwner == "if" && x.notProduction(x.closedFrom, i-1)
}

// notProduction reports whether the condition between the parentheses
// at tokens from and to holds only when NODE_ENV is not production:
// `NODE_ENV !== 'production'` or `NODE_ENV === 'development'` (also
// reversed, and `env['NODE_ENV']`), alone or joined to others by `&&`.
func (x *extractor) notProduction(from, to int) bool {
	if to-from > maxClauseTokens {
		return false
	}
	found := false
	for j := from + 1; j < to; j++ {
		t := x.toks[j]
		switch {
		case t.Is("||") || t.Is("?") || t.Is("??") || t.Is("!") && x.tok(j+1).Is("("):
			return false
		case t.Is("NODE_ENV") || t.Kind == String && t.Text == "NODE_ENV" && x.tok(j+1).Is("]"):
			next := j + 1
			if t.Kind == String {
				next++ // past `]`
			}
			if notProductionTest(x.tok(next), x.tok(next+1)) {
				found = true
				continue
			}
			// Reversed: 'production' !== process.env.NODE_ENV.
			k := j
			for k > from+2 && x.tok(k-1).Is(".") && x.tok(k-2).Kind == Ident {
				k -= 2
			}
			found = found || notProductionTest(x.tok(k-1), x.tok(k-2))
		}
	}
	return found
}

// notProductionTest reports whether `NODE_ENV <op> <v>` holds only
// outside production.
func notProductionTest(op, v Token) bool {
	if v.Kind != String {
		return false
	}
	switch {
	case op.Is("!==") || op.Is("!="):
		return v.Text == "production"
	case op.Is("===") || op.Is("=="):
		return v.Text == "development" || v.Text == "test"
	}
	return false
}

func (x *extractor) run() {
	for i := 0; i < len(x.toks); i++ {
		t := x.toks[i]
		switch t.Kind {
		case Punct:
			x.punct(i)
		case String, Template:
			x.literal(t)
		case Ident:
			x.ident(i)
		}
	}
}

func (x *extractor) punct(i int) {
	t := x.toks[i]
	switch t.Text {
	case "(":
		owner := ""
		if p := x.tok(i - 1); p.Kind == Ident {
			switch p.Text {
			case "if", "catch", "while", "for", "switch", "with":
				owner = p.Text
			}
		}
		if len(x.parens) >= maxStackDepth {
			x.overflow++
			return
		}
		x.parens = append(x.parens, owner)
		x.parenAt = append(x.parenAt, i)
	case ")":
		if x.overflow > 0 {
			x.overflow--
			return
		}
		if n := len(x.parens); n > 0 {
			x.closedOwner, x.closedAt, x.closedFrom = x.parens[n-1], i, x.parenAt[n-1]
			x.parens = x.parens[:n-1]
			x.parenAt = x.parenAt[:n-1]
		}
	case "{":
		g := x.guarded()
		p := x.tok(i - 1)
		switch {
		case p.Is("try") || p.Is("else") || p.Is("catch"):
			g = true
		case p.Is(")") && x.closedAt == i-1 && (x.closedOwner == "if" || x.closedOwner == "catch"):
			g = true
		}
		if len(x.blocks) >= maxStackDepth {
			x.overflow++
			return
		}
		x.dev = append(x.dev, x.devOnly(i))
		x.blocks = append(x.blocks, g)
	case "}":
		if x.overflow > 0 {
			x.overflow--
			return
		}
		if n := len(x.blocks); n > 0 {
			x.blocks = x.blocks[:n-1]
			x.dev = x.dev[:n-1]
		}
	}
}

// templateKind updates the state of a template literal with the text of
// its next piece: 0 while all its text so far is empty, then 1 when the
// first text starts with `/` (`/api/${v}`, `${prefix}/health`), 2 when not
// (`listening on ${HOST}:${PORT}`).
func templateKind(state uint8, text string) uint8 {
	switch {
	case state != 0 || text == "":
		return state
	case strings.HasPrefix(text, "/"):
		return 1
	}
	return 2
}

func (x *extractor) literal(t Token) {
	l := Literal{Line: t.Line}
	if t.Kind == Template && !t.IsLiteralString() {
		// templatePath: 0 while only empty text was read, 1 a path, 2 not.
		l.Template = true
		if t.Flags&TmplHead != 0 {
			if len(x.templates) < maxStackDepth {
				x.templates = append(x.templates, templateKind(0, t.Text))
			}
		} else if n := len(x.templates); n > 0 {
			x.templates[n-1] = templateKind(x.templates[n-1], t.Text)
		}
		if n := len(x.templates); n > 0 {
			l.TemplatePath = x.templates[n-1] == 1
			if t.Flags&TmplTail != 0 {
				x.templates = x.templates[:n-1]
			}
		}
	}
	if len(t.Text) > MaxStringLen {
		return
	}
	if x.opts.KeepString != nil && !x.opts.KeepString(t.Text) {
		return
	}
	l.Value = strings.Clone(t.Text)
	x.f.Strings = append(x.f.Strings, l)
}

func (x *extractor) afterDot(i int) bool {
	p := x.tok(i - 1)
	return p.Is(".") || p.Is("?.")
}

func (x *extractor) ident(i int) {
	t := x.toks[i]
	next := x.tok(i + 1)
	if x.opts.Idents[t.Text] {
		if x.f.Idents == nil {
			x.f.Idents = map[string]int{}
		}
		if _, seen := x.f.Idents[t.Text]; !seen {
			x.f.Idents[strings.Clone(t.Text)] = t.Line
		}
	}
	switch t.Text {
	case "require":
		x.require(i)
	case "import":
		if !x.afterDot(i) {
			x.importDecl(i)
		}
	case "export":
		if !x.afterDot(i) {
			x.exportFrom(i)
		}
	case "process":
		x.signal(i)
	case "const", "let", "var":
		if n := x.tok(i + 1); n.Kind == Ident && x.tok(i+2).Is("=") {
			x.assign(i+1, i+3)
		}
	}
	if next.Is(":") && x.opts.Props[t.Text] {
		x.prop(i)
	}
	if next.Is("(") {
		if t.Text == "listen" && x.afterDot(i) {
			if c, ok := x.call(i); ok {
				x.f.Listens = append(x.f.Listens, c)
			}
		} else if x.opts.Calls[t.Text] {
			if c, ok := x.call(i); ok {
				x.f.Calls = append(x.f.Calls, c)
			}
		}
	}
	if next.Is("=") && !x.tok(i+2).Is("=") {
		p := x.tok(i - 1)
		v := x.tok(i + 2)
		switch {
		case (p.Is("{") || p.Is(",")) && (v.IsLiteralString() || v.Kind == Number):
			// Destructuring default or parameter default.
			x.assign(i, i+2)
			if n := len(x.f.Assigns); n > 0 && x.f.Assigns[n-1].Line == t.Line && x.f.Assigns[n-1].Name == t.Text {
				x.f.Assigns[n-1].Default = true
			}
		case !x.afterDot(i) && (p.Is(";") || p.Is("}") || p.Is("{") || t.NewlineBefore) && !p.Is("const") && !p.Is("let") && !p.Is("var"):
			x.assign(i, i+2)
		}
	}
}

// require records require("x").
func (x *extractor) require(i int) {
	p := x.tok(i - 1)
	if p.Is("function") || (p.Is(".") && !x.tok(i-2).Is("module")) {
		return
	}
	if !x.tok(i + 1).Is("(") {
		return
	}
	if n := x.tok(i + 3); !x.tok(i+2).IsLiteralString() || !n.Is(")") && !n.Is(",") {
		x.computedLoad(i)
		return
	}
	s := x.tok(i + 2)
	x.f.Imports = append(x.f.Imports, Import{Spec: strings.Clone(s.Text), Line: s.Line, Kind: Require, Conditional: x.conditional(i), DevOnly: x.devOnly(i)})
}

// computedLoad notes a require/import() at token i whose specifier is
// computed.
func (x *extractor) computedLoad(i int) {
	if x.f.ComputedLoad == 0 && !x.tok(i+2).Is(")") {
		x.f.ComputedLoad = x.toks[i].Line
	}
}

// conditional reports whether an expression starting at token i may not
// run: in a conditional block, after a short-circuit or conditional
// operator, or as the body of a brace-less if/else.
func (x *extractor) conditional(i int) bool {
	if x.guarded() {
		return true
	}
	p := x.tok(i - 1)
	switch {
	case p.Is("&&") || p.Is("||") || p.Is("??") || p.Is("?") || p.Is("else"):
		return true
	case p.Is(")") && x.closedAt == i-1 && x.closedOwner == "if":
		return true
	}
	// `const x = cond ? require('a') : …` and `cond && (require('a'))`.
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		q := x.toks[j]
		if q.Is("(") || q.Is("await") {
			continue
		}
		return q.Is("&&") || q.Is("||") || q.Is("??") || q.Is("?")
	}
	return false
}

// typePosition reports whether the token before i puts an `import(…)` in
// a TypeScript type: `typeof import("x")`, `x: import("x").T`.
func (x *extractor) typePosition(i int) bool {
	if !x.opts.TypeScript {
		return false
	}
	p := x.tok(i - 1)
	switch {
	case p.Is("typeof") || p.Is(":") || p.Is("<") || p.Is("|") || p.Is("&") || p.Is("extends"):
		return true
	case p.Is("=") && x.tok(i-3).Is("type"):
		return true
	}
	return false
}

func (x *extractor) importDecl(i int) {
	n := x.tok(i + 1)
	switch {
	case n.Is("("):
		s := x.tok(i + 2)
		if s.IsLiteralString() && (x.tok(i+3).Is(")") || x.tok(i+3).Is(",")) {
			x.f.Imports = append(x.f.Imports, Import{
				Spec: strings.Clone(s.Text), Line: s.Line, Kind: DynamicImport,
				TypeOnly: x.typePosition(i), Conditional: x.conditional(i), DevOnly: x.devOnly(i),
			})
		} else if !x.typePosition(i) {
			x.computedLoad(i)
		}
		return
	case n.Is("."):
		return // import.meta
	case n.IsLiteralString():
		x.f.Imports = append(x.f.Imports, Import{Spec: strings.Clone(n.Text), Line: n.Line, Kind: ImportFrom})
		return
	}
	typeOnly := x.opts.TypeScript && n.Is("type") && !x.tok(i+2).Is("from") && !x.tok(i+2).Is(",") && !x.tok(i+2).Is("=")
	if spec, line, ok := x.fromClause(i + 1); ok {
		x.f.Imports = append(x.f.Imports, Import{
			Spec: spec, Line: line, Kind: ImportFrom,
			TypeOnly: typeOnly || x.opts.TypeScript && x.allTypeSpecifiers(i+1),
		})
	}
}

func (x *extractor) exportFrom(i int) {
	n := x.tok(i + 1)
	start := i + 1
	typeOnly := false
	if x.opts.TypeScript && n.Is("type") {
		typeOnly = true
		start++
		n = x.tok(start)
	}
	if !n.Is("*") && !n.Is("{") {
		return
	}
	if spec, line, ok := x.fromClause(start); ok {
		x.f.Imports = append(x.f.Imports, Import{
			Spec: spec, Line: line, Kind: ExportFrom,
			TypeOnly: typeOnly || x.opts.TypeScript && x.allTypeSpecifiers(start),
		})
	}
}

// fromClause reads an import/export clause from token start to `from
// "x"`; only names, braces, commas, `*` and strings may come before it.
func (x *extractor) fromClause(start int) (string, int, bool) {
	for j := start; j < len(x.toks) && j < start+maxClauseTokens && x.spend(); j++ {
		t := x.toks[j]
		if t.Is("from") && x.tok(j+1).IsLiteralString() && j > start {
			s := x.toks[j+1]
			return strings.Clone(s.Text), s.Line, true
		}
		switch {
		case t.Kind == Ident, t.Kind == String:
		case t.Is("{"), t.Is("}"), t.Is(","), t.Is("*"):
		default:
			return "", 0, false
		}
	}
	return "", 0, false
}

// allTypeSpecifiers reports whether the clause at start is `{ type A,
// type B as C }`: every specifier type-only, no default or namespace.
func (x *extractor) allTypeSpecifiers(start int) bool {
	if !x.tok(start).Is("{") {
		return false
	}
	n := 0
	expect := true // at the start of a specifier
	for j := start + 1; j < len(x.toks) && j < start+maxClauseTokens && x.spend(); j++ {
		t := x.toks[j]
		switch {
		case t.Is("}"):
			return n > 0 && x.tok(j+1).Is("from")
		case t.Is(","):
			expect = true
		case expect:
			if !t.Is("type") || x.tok(j+1).Is(",") || x.tok(j+1).Is("}") || x.tok(j+1).Is("as") {
				return false
			}
			n++
			expect = false
		}
	}
	return false
}

var signalMethods = map[string]bool{"on": true, "once": true, "addListener": true, "prependListener": true, "prependOnceListener": true}

func (x *extractor) signal(i int) {
	if x.afterDot(i) || !x.tok(i+1).Is(".") || !x.tok(i+3).Is("(") || !signalMethods[x.tok(i+2).Text] {
		return
	}
	s := x.tok(i + 4)
	if !s.IsLiteralString() || !strings.HasPrefix(s.Text, "SIG") {
		return
	}
	x.f.Signals = append(x.f.Signals, Signal{Name: strings.Clone(s.Text), Method: strings.Clone(x.tok(i + 2).Text), Line: x.toks[i].Line})
}

// call parses the call whose callee name is at i (toks[i+1] is `(`).
func (x *extractor) call(i int) (Call, bool) {
	p := x.tok(i - 1)
	if p.Is("function") || p.Is("async") && !x.afterDot(i-1) {
		return Call{}, false
	}
	callee := []string{strings.Clone(x.toks[i].Text)}
	j := i
	for j >= 2 && (x.toks[j-1].Is(".") || x.toks[j-1].Is("?.")) && x.toks[j-2].Kind == Ident && len(callee) < 8 {
		callee = append([]string{strings.Clone(x.toks[j-2].Text)}, callee...)
		j -= 2
	}
	if j >= 1 && (x.toks[j-1].Is(".") || x.toks[j-1].Is("?.")) {
		callee = append(x.receiverCall(j-2), callee...)
	}
	args, end := x.args(i + 1)
	// `name(a) {` is a method definition, not a call.
	if end < len(x.toks) && x.toks[end].Is(")") && x.tok(end+1).Is("{") && j == i && !p.Is("new") && !p.Is("=") && !p.Is("(") && !p.Is(",") && !p.Is("return") {
		return Call{}, false
	}
	return Call{Callee: callee, New: j >= 1 && x.toks[j-1].Is("new"), Line: x.toks[i].Line, Args: args}, true
}

// receiverCall names the call whose `)` is at close, for a callee on
// its result: `http.createServer(app).listen(` → [http createServer()];
// ["()"] when it is not a named call.
func (x *extractor) receiverCall(close int) []string {
	if close < 0 || !x.toks[close].Is(")") {
		return []string{"()"}
	}
	depth := 0
	for k := close; k >= 0 && k > close-maxArgTokens && x.spend(); k-- {
		t := x.toks[k]
		if t.Kind != Punct {
			continue
		}
		switch t.Text {
		case ")", "]", "}":
			depth++
		case "(", "[", "{":
			depth--
			if depth != 0 {
				continue
			}
			if t.Text != "(" || k < 1 || x.toks[k-1].Kind != Ident {
				return []string{"()"}
			}
			names := []string{strings.Clone(x.toks[k-1].Text) + "()"}
			for m := k - 1; m >= 2 && (x.toks[m-1].Is(".") || x.toks[m-1].Is("?.")) && x.toks[m-2].Kind == Ident && len(names) < 8; m -= 2 {
				names = append([]string{strings.Clone(x.toks[m-2].Text)}, names...)
			}
			return names
		}
	}
	return []string{"()"}
}

// args splits the arguments of the call whose `(` is at open; end is the
// index of the closing `)` (or where reading stopped).
func (x *extractor) args(open int) ([]Arg, int) {
	var out []Arg
	depth := 0
	start := open + 1
	limit := min(len(x.toks), open+maxArgTokens)
	for j := open + 1; j < limit; j++ {
		if !x.spend() {
			limit = j
			break
		}
		t := x.toks[j]
		if t.Kind != Punct {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth == 0 {
				if j > start {
					out = append(out, x.expr(start, j, 0))
				}
				return out, j
			}
			depth--
		case ",":
			if depth == 0 {
				out = append(out, x.expr(start, j, 0))
				start = j + 1
			}
		}
	}
	if limit > start {
		out = append(out, x.expr(start, limit, 0))
	}
	return out, limit
}

// exprEnd finds where the expression starting at start ends: a `,` or
// `;` at depth 0, an unbalanced closer, or a line break where automatic
// semicolon insertion would end the statement.
func (x *extractor) exprEnd(start, limit int) int {
	depth := 0
	end := min(len(x.toks), start+limit)
	for j := start; j < end; j++ {
		if !x.spend() {
			return j
		}
		t := x.toks[j]
		if j > start && depth == 0 && t.NewlineBefore && !continues(x.toks[j-1], t) {
			return j
		}
		if t.Kind != Punct {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth == 0 {
				return j
			}
			depth--
		case ",", ";":
			if depth == 0 {
				return j
			}
		}
	}
	return end
}

// continues reports whether a line break between prev and t leaves the
// expression open (an operator on either side).
func continues(prev, t Token) bool {
	if t.Kind == Template && t.Flags&TmplHead == 0 {
		return true
	}
	if prev.Kind == Template && prev.Flags&TmplTail == 0 {
		return true
	}
	if prev.Kind == Punct {
		switch prev.Text {
		case ")", "]", "}", "++", "--":
		default:
			return true
		}
	}
	if t.Kind == Punct {
		switch t.Text {
		case "(", "[", "{", "++", "--", "!", "~", ";", "}":
			return false
		}
		return true
	}
	return false
}

func (x *extractor) prop(i int) {
	p := x.tok(i - 1)
	if !p.Is("{") && !p.Is(",") {
		return
	}
	end := x.exprEnd(i+2, maxValueTokens)
	if end <= i+2 {
		return
	}
	x.f.Props = append(x.f.Props, Prop{Key: strings.Clone(x.toks[i].Text), Value: x.expr(i+2, end, 0), Line: x.toks[i].Line})
}

// assign records `name = value` (name at i, value from v) when the value
// holds a string literal.
func (x *extractor) assign(i, v int) {
	end := x.exprEnd(v, maxValueTokens)
	if end <= v {
		return
	}
	has := x.opts.KeepAssignName != nil && x.opts.KeepAssignName(x.toks[i].Text)
	for j := v; j < end && !has && x.spend(); j++ {
		if t := x.toks[j]; (t.Kind == String || t.Kind == Template) && (x.opts.KeepAssign == nil || x.opts.KeepAssign(t.Text)) {
			has = true
			break
		}
	}
	if !has {
		return
	}
	x.f.Assigns = append(x.f.Assigns, Assign{Name: strings.Clone(x.toks[i].Text), Value: x.expr(v, end, 0), Line: x.toks[i].Line})
}

// expr classifies the tokens [a, b).
func (x *extractor) expr(a, b, depth int) Arg {
	if a >= b {
		return Arg{}
	}
	first := x.toks[a]
	arg := Arg{Line: first.Line, Text: x.text(a, b)}
	for j := a; j < b && len(arg.Strings) < 8 && x.spend(); j++ {
		if t := x.toks[j]; (t.Kind == String || t.Kind == Template) && len(t.Text) <= MaxStringLen {
			arg.Strings = append(arg.Strings, strings.Clone(t.Text))
		}
	}
	switch {
	case b-a == 1 && first.IsLiteralString():
		arg.Kind, arg.Value = ArgString, strings.Clone(first.Text)
		return arg
	case b-a == 1 && first.Kind == Number:
		arg.Kind, arg.Value = ArgNumber, strings.Clone(first.Text)
		return arg
	case first.Kind == Ident && x.dottedName(a, b):
		var parts []string
		for j := a; j < b; j += 2 {
			parts = append(parts, x.toks[j].Text)
		}
		arg.Kind, arg.Value = ArgName, strings.Join(parts, ".")
		return arg
	case first.Is("{") && x.toks[b-1].Is("}") && x.matching(a, b) == b-1:
		arg.Kind = ArgObject
		if depth < maxObjectDepth {
			arg.Props = x.props(a, b, depth)
		}
	case first.Is("[") && x.toks[b-1].Is("]") && x.matching(a, b) == b-1:
		arg.Kind = ArgArray
		if depth < maxObjectDepth {
			arg.Elems = x.elems(a, b, depth)
		}
	}
	return arg
}

// maxElems caps the elements read from an array literal.
const maxElems = 32

// elems reads the elements of the array literal [a, b).
func (x *extractor) elems(a, b, depth int) []Arg {
	var out []Arg
	start := a + 1
	d := 0
	for j := a + 1; j < b && len(out) < maxElems && x.spend(); j++ {
		t := x.toks[j]
		if t.Kind != Punct {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			d++
		case ")", "}":
			d--
		case "]":
			if d == 0 {
				if j > start {
					out = append(out, x.expr(start, j, depth+1))
				}
				return out
			}
			d--
		case ",":
			if d == 0 {
				if j > start {
					out = append(out, x.expr(start, j, depth+1))
				}
				start = j + 1
			}
		}
	}
	return out
}

func (x *extractor) dottedName(a, b int) bool {
	if (b-a)%2 != 1 {
		return false
	}
	for j := a; j < b; j++ {
		t := x.toks[j]
		if (j-a)%2 == 0 && t.Kind != Ident {
			return false
		}
		if (j-a)%2 == 1 && !t.Is(".") && !t.Is("?.") {
			return false
		}
	}
	return true
}

// matching returns the index of the closer of the bracket at a, within
// [a, b), or -1.
func (x *extractor) matching(a, b int) int {
	depth := 0
	for j := a; j < b && x.spend(); j++ {
		t := x.toks[j]
		if t.Kind != Punct {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// props reads the properties of the object literal [a, b).
func (x *extractor) props(a, b, depth int) []Prop {
	var out []Prop
	start := a + 1
	d := 0
	for j := a + 1; j < b && x.spend(); j++ {
		t := x.toks[j]
		if t.Kind != Punct {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			d++
		case ")", "]":
			d--
		case "}":
			if d == 0 {
				if p, ok := x.entry(start, j, depth); ok {
					out = append(out, p)
				}
				return out
			}
			d--
		case ",":
			if d == 0 {
				if p, ok := x.entry(start, j, depth); ok {
					out = append(out, p)
				}
				start = j + 1
			}
		}
	}
	return out
}

func (x *extractor) entry(a, b, depth int) (Prop, bool) {
	if a >= b {
		return Prop{}, false
	}
	k := x.toks[a]
	if k.Kind != Ident && k.Kind != String && k.Kind != Number {
		return Prop{}, false
	}
	if b-a == 1 && k.Kind == Ident {
		return Prop{Key: strings.Clone(k.Text), Line: k.Line, Value: Arg{Kind: ArgName, Value: strings.Clone(k.Text), Line: k.Line, Text: k.Text}}, true
	}
	if b-a >= 3 && x.toks[a+1].Is(":") {
		return Prop{Key: strings.Clone(k.Text), Line: k.Line, Value: x.expr(a+2, b, depth+1)}, true
	}
	return Prop{}, false
}

// maxText caps Arg.Text.
const maxText = 120

// text renders tokens [a, b) compactly for messages.
func (x *extractor) text(a, b int) string {
	var sb strings.Builder
	for j := a; j < b && sb.Len() < maxText && x.spend(); j++ {
		t := x.toks[j]
		if j > a && needSpace(x.toks[j-1], t) {
			sb.WriteByte(' ')
		}
		switch t.Kind {
		case String:
			sb.WriteByte('\'')
			sb.WriteString(t.Text)
			sb.WriteByte('\'')
		case Template:
			if t.Flags&TmplHead != 0 {
				sb.WriteByte('`')
			} else {
				sb.WriteByte('}')
			}
			sb.WriteString(t.Text)
			if t.Flags&TmplTail != 0 {
				sb.WriteByte('`')
			} else {
				sb.WriteString("${")
			}
		default:
			sb.WriteString(t.Text)
		}
	}
	s := sb.String()
	if len(s) > maxText {
		cut := maxText
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func needSpace(prev, t Token) bool {
	word := func(k Token) bool { return k.Kind == Ident || k.Kind == Number }
	switch {
	case word(prev) && word(t):
		return true
	case t.Is(":") || t.Is(",") || t.Is(")") || t.Is("]") || t.Is(".") || t.Is("?."):
		return false
	case prev.Is("{") && t.Is("}"):
		return false
	case prev.Is("{") || t.Is("}") || prev.Is(",") || prev.Is(":"):
		return true
	}
	for _, k := range []Token{prev, t} {
		if k.Kind == Punct {
			switch k.Text {
			case "||", "&&", "??", "?", "=>", "=", "+", "-", "*", "===", "!==", "==", "!=":
				return true
			}
		}
	}
	return false
}
