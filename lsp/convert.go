package lsp

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
)

// diagnostic is a finding as the editor shows it.
func diagnostic(f analysis.Finding, lines []string) protocol.Diagnostic {
	msg := f.Message
	if f.Help != "" {
		msg += "\nhelp: " + f.Help
	}
	return protocol.Diagnostic{
		Range:           lspRange(f.Range, lines),
		Severity:        severity(f.Severity),
		Code:            f.Rule.ID,
		CodeDescription: &protocol.CodeDescription{Href: protocol.URI(docsURL + f.Rule.DocsPath())},
		Source:          "seaworthy",
		Message:         msg,
	}
}

// unknownCodeDiagnostic warns about an ignore comment's code that names
// no rule: it silently suppresses nothing.
func unknownCodeDiagnostic(u config.UnknownCode, lines []string) protocol.Diagnostic {
	hint := u.Hint
	if hint == "" {
		hint = " (see `seaworthy rules`)"
	}
	return protocol.Diagnostic{
		Range:    lspRange(analysis.LineRange(u.Line, u.Line), lines),
		Severity: protocol.DiagnosticSeverityWarning,
		Source:   "seaworthy",
		Message:  fmt.Sprintf("ignore comment names no rule: %q%s", u.Code, hint),
	}
}

// docsURL is where the rules' doc pages are published.
const docsURL = "https://github.com/seaworthy-dev/seaworthy/blob/main/"

func severity(s analysis.Severity) protocol.DiagnosticSeverity {
	switch s {
	case analysis.Error:
		return protocol.DiagnosticSeverityError
	case analysis.Warning:
		return protocol.DiagnosticSeverityWarning
	}
	return protocol.DiagnosticSeverityInformation
}

// lspRange converts a finding's range (1-based lines, byte columns, End
// column exclusive or 0 for the end of the line) to the editor's (0-based
// lines, UTF-16 columns). A finding with no position covers the first
// line; one with no end, the rest of its first line.
func lspRange(r analysis.Range, lines []string) protocol.Range {
	if r.Start.Line < 1 {
		return protocol.Range{End: protocol.Position{Character: lineLength(lines, 1)}}
	}
	end := r.End
	if end.Line < r.Start.Line {
		end = analysis.Pos{Line: r.Start.Line}
	}
	start := position(lines, r.Start.Line, max(r.Start.Col, 1))
	var stop protocol.Position
	if end.Col < 1 {
		stop = protocol.Position{Line: uint32(end.Line - 1), Character: lineLength(lines, end.Line)}
	} else {
		stop = position(lines, end.Line, end.Col)
	}
	return protocol.Range{Start: start, End: stop}
}

// editRange converts an edit's span (see analysis.ApplyEdits: a column
// below 1 is the line's start, one past its end is the end).
func editRange(e analysis.Edit, lines []string) protocol.Range {
	return protocol.Range{Start: position(lines, e.Start.Line, max(e.Start.Col, 1)), End: position(lines, e.End.Line, max(e.End.Col, 1))}
}

// position converts a 1-based line and byte column, clamped to the line.
func position(lines []string, line, col int) protocol.Position {
	text := lineText(lines, line)
	off := min(col-1, len(text))
	return protocol.Position{Line: uint32(max(line-1, 0)), Character: utf16Len(text[:off])}
}

// lineLength is a line's length in UTF-16 code units.
func lineLength(lines []string, line int) uint32 {
	return utf16Len(lineText(lines, line))
}

// lineText is a 1-based line without its "\r"; "" past the end.
func lineText(lines []string, line int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	t := lines[line-1]
	if n := len(t); n > 0 && t[n-1] == '\r' {
		t = t[:n-1]
	}
	return t
}

func utf16Len(s string) uint32 {
	n := uint32(0)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if l := utf16.RuneLen(r); l > 0 {
			n += uint32(l)
		} else {
			n++ // invalid UTF-8: one unit per byte, as the editor shows U+FFFD
		}
	}
	return n
}
