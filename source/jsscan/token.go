// Package jsscan is a small JavaScript/TypeScript scanner. It tokenizes
// source text the way a JavaScript engine would at the lexical level —
// strings, template literals with nested `${}` substitutions, comments,
// regular expression literals (told apart from division by the previous
// significant token) and JSX — and extracts the facts seaworthy's
// application rules need: module specifiers, string literals, `.listen(`
// calls, signal handlers and selected call sites, object properties and
// declarations. It is not a parser: it never fails, and on text that is
// not JavaScript it produces tokens anyway, in time linear in the input.
package jsscan

// Kind is a token's lexical class.
type Kind uint8

const (
	// Ident is an identifier or keyword (also `#private` names).
	Ident Kind = iota + 1
	// Punct is a punctuator (`(`, `=>`, `?.`, …).
	Punct
	// String is a single- or double-quoted string (or a JSX attribute
	// string); Text holds its value with simple escapes decoded.
	String
	// Template is the static text of a template literal between its
	// backticks and `${…}` substitutions; Text holds the cooked text.
	Template
	// Number is a numeric literal as written.
	Number
	// Regex is a regular expression literal as written.
	Regex
)

func (k Kind) String() string {
	switch k {
	case Ident:
		return "Ident"
	case Punct:
		return "Punct"
	case String:
		return "String"
	case Template:
		return "Template"
	case Number:
		return "Number"
	case Regex:
		return "Regex"
	}
	return "?"
}

// Template flags.
const (
	// TmplHead marks the part that starts a template literal (after its
	// opening backtick).
	TmplHead uint8 = 1 << iota
	// TmplTail marks the part that ends it (before the closing backtick).
	TmplTail
)

// Token is one lexical token.
type Token struct {
	Kind Kind
	// Flags holds TmplHead/TmplTail for Template tokens.
	Flags uint8
	// NewlineBefore is set when a line break separates the token from the
	// previous one.
	NewlineBefore bool
	// Line is the 1-based line the token starts on.
	Line int
	// Text is the identifier, punctuator or literal (decoded value for
	// String and Template).
	Text string
}

// IsLiteralString reports whether the token is a complete string literal:
// a quoted string or a template literal without substitutions.
func (t Token) IsLiteralString() bool {
	return t.Kind == String || t.Kind == Template && t.Flags&(TmplHead|TmplTail) == TmplHead|TmplTail
}

// Is reports whether the token is the identifier or punctuator text.
func (t Token) Is(text string) bool {
	return (t.Kind == Ident || t.Kind == Punct) && t.Text == text
}
