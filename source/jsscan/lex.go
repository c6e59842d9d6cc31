package jsscan

import (
	"strings"
	"unicode/utf8"
)

// frameKind is the lexical context the lexer is in.
type frameKind uint8

const (
	frameCode        frameKind = iota // JavaScript code
	frameTemplate                     // inside a template literal's text
	frameJSXTag                       // inside a JSX tag, between `<name` and `>`
	frameJSXChildren                  // between a JSX element's tags
)

type frame struct {
	kind frameKind
	// braces counts the `{` opened in a code frame; a `}` at zero closes
	// the frame (a `${…}` substitution or a JSX `{…}` expression).
	braces int
	// head is set on a template frame until its first part is emitted.
	head bool
}

// maxNesting bounds the context stack (templates in JSX in templates …);
// deeper input is read as plain code.
const maxNesting = 256

// Lexer options.
type lexOptions struct {
	jsx bool // recognise JSX elements in expression position
	ts  bool // TypeScript: `<T,>` and `<T extends …>` are type parameters
}

type lexer struct {
	s     string
	pos   int
	line  int
	opts  lexOptions
	toks  []Token
	stack []frame
	nl    bool
	// valueEnd is set when a JSX element ended after the last token: the
	// next `/` is a division, the next `<` a comparison.
	valueEnd bool
	// exprStart is set when a JSX `{…}` expression opened after the last
	// token: an expression starts.
	exprStart bool
}

// Tokenize splits src into tokens. jsx enables JSX elements (use it for
// .js, .jsx, .mjs, .cjs and .tsx files); ts enables TypeScript's generic
// arrow functions in .tsx. Comments and JSX text produce no tokens.
func Tokenize(src string, jsx, ts bool) []Token {
	l := &lexer{s: src, line: 1, opts: lexOptions{jsx: jsx, ts: ts}}
	return l.run(nil)
}

func (l *lexer) run(buf []Token) []Token {
	l.toks = buf[:0]
	l.stack = append(l.stack[:0], frame{kind: frameCode})
	if strings.HasPrefix(l.s, "\uFEFF") {
		l.pos = 3
	}
	if strings.HasPrefix(l.s[l.pos:], "#!") {
		l.skipLine()
	}
	for l.pos < len(l.s) {
		top := &l.stack[len(l.stack)-1]
		switch top.kind {
		case frameCode:
			l.code(top)
		case frameTemplate:
			l.template(top)
		case frameJSXTag:
			l.jsxTag()
		case frameJSXChildren:
			l.jsxChildren()
		}
	}
	return l.toks
}

func (l *lexer) emit(k Kind, flags uint8, line int, text string) {
	l.toks = append(l.toks, Token{Kind: k, Flags: flags, NewlineBefore: l.nl, Line: line, Text: text})
	l.nl = false
	l.valueEnd = false
	l.exprStart = false
}

func (l *lexer) push(f frame) bool {
	if len(l.stack) >= maxNesting {
		return false
	}
	l.stack = append(l.stack, f)
	return true
}

func (l *lexer) pop() {
	if len(l.stack) > 1 {
		l.stack = l.stack[:len(l.stack)-1]
	}
}

// skipLine moves to the end of the line (not past the newline).
func (l *lexer) skipLine() {
	i := strings.IndexByte(l.s[l.pos:], '\n')
	if i < 0 {
		l.pos = len(l.s)
		return
	}
	l.pos += i
}

// skipSpace skips white space and comments; it reports whether it moved.
func (l *lexer) skipSpace() bool {
	start := l.pos
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		switch c {
		case '\n':
			l.line++
			l.nl = true
			l.pos++
		case ' ', '\t', '\r', '\f', '\v':
			l.pos++
		case '/':
			if l.pos+1 < len(l.s) && l.s[l.pos+1] == '/' {
				l.skipLine()
				continue
			}
			if l.pos+1 < len(l.s) && l.s[l.pos+1] == '*' {
				end := strings.Index(l.s[l.pos+2:], "*/")
				var body string
				if end < 0 {
					body = l.s[l.pos:]
					l.pos = len(l.s)
				} else {
					body = l.s[l.pos : l.pos+2+end+2]
					l.pos += 2 + end + 2
				}
				if n := strings.Count(body, "\n"); n > 0 {
					l.line += n
					l.nl = true
				}
				continue
			}
			return l.pos > start
		case 0xC2: // U+00A0 no-break space
			if l.pos+1 < len(l.s) && l.s[l.pos+1] == 0xA0 {
				l.pos += 2
				continue
			}
			return l.pos > start
		case 0xE2: // U+2028/U+2029 line and paragraph separators
			if l.pos+2 < len(l.s) && l.s[l.pos+1] == 0x80 && (l.s[l.pos+2] == 0xA8 || l.s[l.pos+2] == 0xA9) {
				l.pos += 3
				l.line++
				l.nl = true
				continue
			}
			return l.pos > start
		case 0xEF: // U+FEFF
			if strings.HasPrefix(l.s[l.pos:], "\uFEFF") {
				l.pos += 3
				continue
			}
			return l.pos > start
		default:
			return l.pos > start
		}
	}
	return l.pos > start
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || c == '\\' || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// keywordsBeforeExpression are the keywords after which an expression (so
// a regular expression literal or a JSX element) may start.
var keywordsBeforeExpression = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "of": true,
	"new": true, "delete": true, "void": true, "throw": true, "case": true,
	"do": true, "else": true, "yield": true, "await": true, "extends": true,
}

// exprAllowed reports whether an expression may start here, judged by the
// previous significant token: then `/` starts a regular expression and
// `<` may start a JSX element.
func (l *lexer) exprAllowed() bool {
	if l.valueEnd {
		return false
	}
	if l.exprStart {
		return true
	}
	n := len(l.toks)
	if n == 0 {
		return true
	}
	t := l.toks[n-1]
	switch t.Kind {
	case Number, String, Regex:
		return false
	case Template:
		// Inside a template's `${`, an expression starts; after the
		// closing backtick, the template is a value.
		return t.Flags&TmplTail == 0
	case Ident:
		if !keywordsBeforeExpression[t.Text] {
			return false
		}
		// `x.return / 2`: a property name, not a keyword.
		return n < 2 || !(l.toks[n-2].Text == "." || l.toks[n-2].Text == "?.")
	case Punct:
		switch t.Text {
		case ")", "]", "++", "--":
			return false
		}
		return true
	}
	return true
}

func (l *lexer) code(top *frame) {
	if l.skipSpace() {
		return
	}
	c := l.s[l.pos]
	line := l.line
	switch {
	case c == '\'' || c == '"':
		l.str(c)
	case c == '`':
		l.pos++
		if !l.push(frame{kind: frameTemplate, head: true}) {
			// Too deep: read the template as one opaque token.
			l.flatTemplate(line)
		}
	case c == '{':
		l.pos++
		top.braces++
		l.emit(Punct, 0, line, "{")
	case c == '}':
		l.pos++
		if top.braces == 0 && len(l.stack) > 1 {
			l.pop()
			return
		}
		if top.braces > 0 {
			top.braces--
		}
		l.emit(Punct, 0, line, "}")
	case c == '/':
		if l.exprAllowed() {
			l.regex(line)
			return
		}
		l.punct(line)
	case c == '<' && l.opts.jsx && l.jsxStart():
		l.pos++
		l.openTag()
	case isDigit(c) || c == '.' && l.pos+1 < len(l.s) && isDigit(l.s[l.pos+1]):
		l.number(line)
	case c == '#' && l.pos+1 < len(l.s) && isIdentStart(l.s[l.pos+1]):
		start := l.pos
		l.pos++
		l.ident()
		l.emit(Ident, 0, line, l.s[start:l.pos])
	case isIdentStart(c):
		start := l.pos
		l.ident()
		l.emit(Ident, 0, line, l.s[start:l.pos])
	default:
		l.punct(line)
	}
}

// ident consumes identifier characters (at least one byte).
func (l *lexer) ident() {
	start := l.pos
	for l.pos < len(l.s) && isIdentPart(l.s[l.pos]) {
		if l.s[l.pos] >= 0x80 {
			// Stop at Unicode white space that skipSpace handles.
			r, size := utf8.DecodeRuneInString(l.s[l.pos:])
			if r == 0xA0 || r == 0x2028 || r == 0x2029 || r == 0xFEFF {
				break
			}
			l.pos += size
			continue
		}
		l.pos++
	}
	if l.pos == start {
		l.pos++
	}
}

func (l *lexer) number(line int) {
	start := l.pos
	hex := strings.HasPrefix(l.s[l.pos:], "0x") || strings.HasPrefix(l.s[l.pos:], "0X")
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		if isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' {
			l.pos++
			continue
		}
		if c == '.' {
			l.pos++
			continue
		}
		if (c == '+' || c == '-') && !hex && l.pos > start && (l.s[l.pos-1] == 'e' || l.s[l.pos-1] == 'E') {
			l.pos++
			continue
		}
		break
	}
	l.emit(Number, 0, line, l.s[start:l.pos])
}

// punct reads a punctuator, the longest that matches: `>>>=`, `...`,
// `===`, `?.` (not before a digit: `a?.5:b` is a conditional), `=>`, ….
func (l *lexer) punct(line int) {
	s, i := l.s, l.pos
	at := func(k int) byte {
		if i+k < len(s) {
			return s[i+k]
		}
		return 0
	}
	c := s[i]
	n := 1
	switch c {
	case '>':
		switch {
		case at(1) == '>' && at(2) == '>' && at(3) == '=':
			n = 4
		case at(1) == '>' && (at(2) == '>' || at(2) == '='):
			n = 3
		case at(1) == '>' || at(1) == '=':
			n = 2
		}
	case '<':
		switch {
		case at(1) == '<' && at(2) == '=':
			n = 3
		case at(1) == '<' || at(1) == '=':
			n = 2
		}
	case '=', '!':
		switch {
		case at(1) == '=' && at(2) == '=':
			n = 3
		case at(1) == '=' || c == '=' && at(1) == '>':
			n = 2
		}
	case '*', '&', '|':
		switch {
		case at(1) == c && at(2) == '=':
			n = 3
		case at(1) == c || at(1) == '=':
			n = 2
		}
	case '?':
		switch {
		case at(1) == '?' && at(2) == '=':
			n = 3
		case at(1) == '?' || at(1) == '.' && !isDigit(at(2)):
			n = 2
		}
	case '.':
		if at(1) == '.' && at(2) == '.' {
			n = 3
		}
	case '+', '-':
		if at(1) == c || at(1) == '=' {
			n = 2
		}
	case '/', '%', '^':
		if at(1) == '=' {
			n = 2
		}
	default:
		if c >= 0x80 {
			if _, size := utf8.DecodeRuneInString(s[i:]); size > 1 {
				n = size
			}
		}
	}
	l.pos += n
	l.emit(Punct, 0, line, s[i:i+n])
}

// str reads a quoted string; an unescaped line break ends it (the string
// is unterminated, and the line break belongs to the code after it).
func (l *lexer) str(q byte) {
	line := l.line
	l.pos++
	start := l.pos
	escaped := false
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		if c == q {
			break
		}
		if c == '\n' {
			break
		}
		if c == '\\' {
			escaped = true
			if l.pos+1 < len(l.s) && l.s[l.pos+1] == '\n' {
				l.line++
			}
			l.pos += 2
			continue
		}
		l.pos++
	}
	end := min(l.pos, len(l.s))
	text := l.s[start:end]
	if escaped {
		text = unescape(text)
	}
	if l.pos < len(l.s) && l.s[l.pos] == q {
		l.pos++
	}
	l.emit(String, 0, line, text)
}

// regex reads a regular expression literal: `/` to the `/` that is not
// escaped and not in a character class, then its flags. A line break ends
// an unterminated one.
func (l *lexer) regex(line int) {
	start := l.pos
	l.pos++
	class := false
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		if c == '\n' {
			break
		}
		if c == '\\' {
			if l.pos+1 < len(l.s) && l.s[l.pos+1] == '\n' {
				l.pos++
				break
			}
			l.pos += 2
			continue
		}
		if c == '[' {
			class = true
		} else if c == ']' {
			class = false
		} else if c == '/' && !class {
			l.pos++
			for l.pos < len(l.s) && isIdentPart(l.s[l.pos]) && l.s[l.pos] < 0x80 {
				l.pos++
			}
			break
		}
		l.pos++
	}
	l.pos = min(l.pos, len(l.s))
	l.emit(Regex, 0, line, l.s[start:l.pos])
}

// template reads template text up to the closing backtick or a `${`.
func (l *lexer) template(top *frame) {
	line := l.line
	start := l.pos
	escaped := false
	flags := uint8(0)
	if top.head {
		flags |= TmplHead
		top.head = false
	}
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		switch c {
		case '\\':
			escaped = true
			if l.pos+1 < len(l.s) && l.s[l.pos+1] == '\n' {
				l.line++
			}
			l.pos += 2
			continue
		case '\n':
			l.line++
		case '`':
			text := l.s[start:l.pos]
			if escaped {
				text = unescape(text)
			}
			l.pos++
			l.pop()
			l.emit(Template, flags|TmplTail, line, text)
			return
		case '$':
			if l.pos+1 < len(l.s) && l.s[l.pos+1] == '{' {
				text := l.s[start:l.pos]
				if escaped {
					text = unescape(text)
				}
				l.pos += 2
				l.emit(Template, flags, line, text)
				if !l.push(frame{kind: frameCode}) {
					// Too deep: skip the substitution as text.
					l.skipBalanced()
				}
				return
			}
		}
		l.pos++
	}
	l.pos = len(l.s)
	text := l.s[start:]
	if escaped {
		text = unescape(text)
	}
	l.pop()
	l.emit(Template, flags|TmplTail, line, text)
}

// flatTemplate reads a whole template literal as one token without
// looking into its substitutions (used when nesting is too deep).
func (l *lexer) flatTemplate(line int) {
	start := l.pos
	for l.pos < len(l.s) && l.s[l.pos] != '`' {
		if l.s[l.pos] == '\\' {
			l.pos++
		} else if l.s[l.pos] == '\n' {
			l.line++
		}
		l.pos++
	}
	end := min(l.pos, len(l.s))
	if l.pos < len(l.s) {
		l.pos++
	}
	l.pos = min(l.pos, len(l.s))
	l.emit(Template, TmplHead|TmplTail, line, l.s[start:end])
}

// skipBalanced skips to the `}` that balances an opening one already
// consumed, counting lines.
func (l *lexer) skipBalanced() {
	depth := 1
	for l.pos < len(l.s) && depth > 0 {
		switch l.s[l.pos] {
		case '{':
			depth++
		case '}':
			depth--
		case '\n':
			l.line++
		}
		l.pos++
	}
}

// jsxStart reports whether the `<` at pos starts a JSX element: it is in
// expression position and followed by a name or `>` (a fragment), and in
// TypeScript it is not a type parameter list (`<T,>`, `<T extends U>`).
func (l *lexer) jsxStart() bool {
	if !l.exprAllowed() || l.pos+1 >= len(l.s) {
		return false
	}
	c := l.s[l.pos+1]
	if c == '>' {
		return true
	}
	if !isIdentStart(c) || c == '\\' {
		return false
	}
	if l.opts.ts {
		i := l.pos + 1
		for i < len(l.s) && isIdentPart(l.s[i]) {
			i++
		}
		j := i
		for j < len(l.s) && (l.s[j] == ' ' || l.s[j] == '\t' || l.s[j] == '\n' || l.s[j] == '\r') {
			j++
		}
		if j < len(l.s) && l.s[j] == ',' {
			return false
		}
		if j > i && strings.HasPrefix(l.s[j:], "extends") && j+7 < len(l.s) && (l.s[j+7] == ' ' || l.s[j+7] == '\n' || l.s[j+7] == '\t') {
			rest := strings.TrimLeft(l.s[j+7:], " \t\r\n")
			if rest != "" && rest[0] != '=' && rest[0] != '>' && rest[0] != '/' {
				return false
			}
		}
	}
	return true
}

// openTag reads a JSX tag name after `<` and enters the tag.
func (l *lexer) openTag() {
	for l.pos < len(l.s) && (isIdentPart(l.s[l.pos]) || l.s[l.pos] == '.' || l.s[l.pos] == ':' || l.s[l.pos] == '-') {
		l.pos++
	}
	if !l.push(frame{kind: frameJSXTag}) {
		return
	}
}

// elementEnded is called when a JSX element closed: back in code, the
// element is a value.
func (l *lexer) elementEnded() {
	if l.stack[len(l.stack)-1].kind == frameCode {
		l.valueEnd = true
	}
}

func (l *lexer) jsxTag() {
	if l.skipSpace() {
		return
	}
	c := l.s[l.pos]
	line := l.line
	switch {
	case c == '/' && l.pos+1 < len(l.s) && l.s[l.pos+1] == '>':
		l.pos += 2
		l.pop()
		l.elementEnded()
	case c == '>':
		l.pos++
		l.stack[len(l.stack)-1].kind = frameJSXChildren
	case c == '{':
		l.pos++
		if !l.push(frame{kind: frameCode}) {
			l.skipBalanced()
		}
		l.exprStart = true
	case c == '"' || c == '\'':
		l.pos++
		start := l.pos
		for l.pos < len(l.s) && l.s[l.pos] != c {
			if l.s[l.pos] == '\n' {
				l.line++
			}
			l.pos++
		}
		text := l.s[start:min(l.pos, len(l.s))]
		if l.pos < len(l.s) {
			l.pos++
		}
		l.emit(String, 0, line, text)
	case c == '<' && l.pos+1 < len(l.s) && (isIdentStart(l.s[l.pos+1]) || l.s[l.pos+1] == '>'):
		// An element as an attribute value.
		l.pos++
		l.openTag()
	default:
		l.pos++
	}
}

func (l *lexer) jsxChildren() {
	c := l.s[l.pos]
	switch c {
	case '{':
		l.pos++
		if !l.push(frame{kind: frameCode}) {
			l.skipBalanced()
		}
		l.exprStart = true
	case '<':
		if l.pos+1 < len(l.s) && l.s[l.pos+1] == '/' {
			// Closing tag.
			for l.pos < len(l.s) && l.s[l.pos] != '>' {
				if l.s[l.pos] == '\n' {
					l.line++
				}
				l.pos++
			}
			if l.pos < len(l.s) {
				l.pos++
			}
			l.pop()
			l.elementEnded()
			return
		}
		l.pos++
		if l.pos < len(l.s) && (isIdentStart(l.s[l.pos]) || l.s[l.pos] == '>') {
			l.openTag()
		}
	default:
		// Text up to the next `{` or `<`.
		for l.pos < len(l.s) && l.s[l.pos] != '{' && l.s[l.pos] != '<' {
			if l.s[l.pos] == '\n' {
				l.line++
			}
			l.pos++
		}
	}
}

// unescape decodes the escapes of a string or template text; unknown
// escapes stand for the character itself, a line continuation for
// nothing.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0':
			b.WriteByte(0)
		case '\n':
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case 'x':
			if i+2 < len(s) {
				if v, ok := hexValue(s[i+1 : i+3]); ok {
					b.WriteRune(rune(v))
					i += 2
					continue
				}
			}
			b.WriteByte(e)
		case 'u':
			if i+1 < len(s) && s[i+1] == '{' {
				if end := strings.IndexByte(s[i:], '}'); end > 0 && end <= 10 {
					if v, ok := hexValue(s[i+2 : i+end]); ok && v <= utf8.MaxRune {
						b.WriteRune(rune(v))
						i += end
						continue
					}
				}
			} else if i+4 < len(s) {
				if v, ok := hexValue(s[i+1 : i+5]); ok {
					b.WriteRune(rune(v))
					i += 4
					continue
				}
			}
			b.WriteByte(e)
		default:
			b.WriteByte(e)
		}
	}
	return b.String()
}

func hexValue(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*16 + int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v*16 + int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v*16 + int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
