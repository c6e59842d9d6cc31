package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// tabWidth is the tab stop used when expanding tabs in source excerpts.
const tabWidth = 4

// ANSI SGR sequences used by the text format.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[1;31m"
	sgrYellow = "\x1b[1;33m"
	sgrCyan   = "\x1b[1;36m"
)

// painter wraps text in SGR escapes when colour is on and is the identity
// otherwise.
type painter bool

func (p painter) paint(sgr, s string) string {
	if !p || s == "" {
		return s
	}
	return sgr + s + sgrReset
}

func severityColor(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return sgrRed
	case analysis.Warning:
		return sgrYellow
	}
	return sgrCyan
}

// writeText renders the human format: each finding's first line is
// `file:line:col: severity: ID [*] message`, the severity spelt out as
// in gcc's and clang's diagnostics (so CI logs without colour, editors
// and problem matchers see it), then the source excerpt with a caret,
// `help:` and `docs:` lines (ruff-like), and a summary.
func writeText(b *bytes.Buffer, res *Result, opts Options) error {
	p := painter(opts.Color)
	for i := range res.Findings {
		f := &res.Findings[i]
		id := ruleID(f)
		sev := severity(f)
		s, positioned := res.resolve(f.File, f.Range)

		loc := f.File + ":"
		if positioned {
			loc = fmt.Sprintf("%s:%d:%d:", f.File, s.StartLine, s.StartCol)
		}
		b.WriteString(p.paint(sgrBold, sanitize(loc)))
		b.WriteByte(' ')
		b.WriteString(p.paint(severityColor(sev), sev.String()+":"))
		b.WriteByte(' ')
		b.WriteString(p.paint(sgrBold, id))
		if f.Fix != nil {
			b.WriteString(" [*]")
		}
		b.WriteByte(' ')
		b.WriteString(sanitize(f.Message))
		b.WriteByte('\n')
		if opts.Quiet {
			continue
		}
		if positioned {
			if text, ok := res.line(f.File, s.StartLine); ok {
				writeExcerpt(b, p, sev, text, s)
			}
		}
		if f.Help != "" {
			b.WriteString("help: " + sanitize(f.Help) + "\n")
		}
		b.WriteString("docs: seaworthy explain " + id + "\n\n")
	}
	if !opts.Quiet {
		writePurposes(b, p, res)
		b.WriteString(summary(res) + "\n")
	}
	return nil
}

// writePurposes lists the files checked without the production-only
// rules (development and test files), each with its purpose and why.
func writePurposes(b *bytes.Buffer, p painter, res *Result) {
	var rows [][3]string
	width := 0
	for _, fp := range res.Purposes {
		if fp.Purpose != analysis.Development && fp.Purpose != analysis.Test {
			continue
		}
		file := sanitize(fp.File)
		width = max(width, utf8.RuneCountInString(file))
		rows = append(rows, [3]string{file, fp.Purpose.String(), sanitize(fp.Reason)})
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString(p.paint(sgrBold, "Checked as development or test files, without the production-only rules:") + "\n")
	for _, r := range rows {
		line := "  " + r[0] + strings.Repeat(" ", width-utf8.RuneCountInString(r[0])) + "  " + fmt.Sprintf("%-11s", r[1])
		if r[2] != "" {
			line += "  " + r[2]
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	b.WriteString("help: `seaworthy rules` shows where each rule applies; `purpose:` in .seaworthy.yaml sets a file's " +
		"purpose, --production checks every file as production\n\n")
}

// writeExcerpt prints the start line of s with a gutter and a caret line
// under the range (to the end of the line for multi-line ranges).
func writeExcerpt(b *bytes.Buffer, p painter, sev analysis.Severity, text string, s span) {
	num := strconv.Itoa(s.StartLine)
	pad := strings.Repeat(" ", len(num))
	display, col := expand(text)
	from := min(s.StartCol-1, len(text))
	to := len(text)
	if s.EndLine == s.StartLine && s.EndCol > 0 {
		to = min(s.EndCol-1, len(text))
	}
	to = max(to, from)
	width := max(col[to]-col[from], 1)

	b.WriteString(p.paint(sgrDim, pad+" |") + "\n")
	b.WriteString(p.paint(sgrDim, num+" |") + " " + display + "\n")
	b.WriteString(p.paint(sgrDim, pad+" |") + " " + strings.Repeat(" ", col[from]) +
		p.paint(severityColor(sev), strings.Repeat("^", width)) + "\n")
}

// expand returns text as displayed (tabs expanded to tabWidth stops, control
// characters and invalid UTF-8 replaced by U+FFFD) and, for every byte offset
// 0..len(text), the display column at which that byte starts.
func expand(text string) (string, []int) {
	var out strings.Builder
	col := make([]int, len(text)+1)
	c := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		for k := range size {
			col[i+k] = c
		}
		switch {
		case r == '\t':
			n := tabWidth - c%tabWidth
			out.WriteString(strings.Repeat(" ", n))
			c += n
		case r == utf8.RuneError && size == 1, isControl(r):
			out.WriteRune(utf8.RuneError)
			c++
		default:
			out.WriteString(text[i : i+size])
			c++
		}
		i += size
	}
	col[len(text)] = c
	return out.String(), col
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// sanitize replaces control characters (including ESC) in one-line text so
// that user input can never inject terminal escapes or break the layout.
func sanitize(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return isControl(r) && r != '\t' }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case r == '\n' || r == '\r':
			return ' '
		case isControl(r):
			return utf8.RuneError
		}
		return r
	}, s)
}

// summary is the closing line of the text format: what was found, in
// what was read, what --min-severity hid, and what `seaworthy fix` fixes.
func summary(res *Result) string {
	c := tally(res.Findings)
	in := readText(res)
	hidden := ""
	if h := res.Hidden; h.Total() > 0 {
		hidden = fmt.Sprintf("; %s not shown (below --min-severity)", severityCounts(h, " and "))
	}
	if len(res.Findings) == 0 {
		line := "No problems found"
		if hidden != "" {
			line = "No problems shown"
		}
		return line + " in " + in + hidden + "."
	}
	line := fmt.Sprintf("Found %s (%s)", plural(len(res.Findings), "problem", "problems"), severityCounts(c, ", "))
	if res.Read != (Read{}) {
		line += " in " + in
	}
	line += hidden + "."
	if c.Fixable > 0 {
		line += fmt.Sprintf(" %d fixable with `seaworthy fix`.", c.Fixable)
	}
	return line
}

// severityCounts is "1 error, 2 warnings, 3 info", leaving out zeros.
func severityCounts(c Counts, sep string) string {
	var parts []string
	if c.Error > 0 {
		parts = append(parts, plural(c.Error, "error", "errors"))
	}
	if c.Warning > 0 {
		parts = append(parts, plural(c.Warning, "warning", "warnings"))
	}
	if c.Info > 0 {
		parts = append(parts, plural(c.Info, "info", "info"))
	}
	return strings.Join(parts, sep)
}

// readText says what the run read: "1 Dockerfile, 1 .dockerignore and 1
// package (3 source files)"; "N files" when Read is zero.
func readText(res *Result) string {
	r := res.Read
	if r == (Read{}) {
		return plural(res.Files, "file", "files")
	}
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, plural(n, one, many))
		}
	}
	add(r.Images, "image", "images")
	add(r.Dockerfiles, "Dockerfile", "Dockerfiles")
	add(r.IgnoreFiles, ".dockerignore", ".dockerignore files")
	add(r.ComposeFiles, "compose file", "compose files")
	pkgs := plural(r.Packages, "package", "packages")
	if r.Sources > 0 {
		pkgs += " (" + plural(r.Sources, "source file", "source files") + ")"
	}
	if r.Packages > 0 {
		parts = append(parts, pkgs)
	}
	switch len(parts) {
	case 0:
		return plural(res.Files, "file", "files")
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
