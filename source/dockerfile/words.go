package dockerfile

import "strings"

// SourceWord is a word of a shell command as written in the Dockerfile.
type SourceWord struct {
	Line, Col int // 1-based line, byte column
	Text      string
}

// SourceWords returns the words of a shell command as written in the
// Dockerfile, from its start, following `\` line continuations (and
// skipping the blank and comment lines Docker drops inside them), up to
// the first shell operator. Quoted words come back as written. Fixes use
// the positions to edit one word. nil for exec-form or unparsed scripts,
// whose positions are not exact.
func (f *File) SourceWords(in *Instruction, c *ShellCommand) []SourceWord {
	if in.Script == nil || !in.Script.Parsed || in.Script.Exec || c.Line < 1 || c.Col < 1 {
		return nil
	}
	var out []SourceWord
	line, col := c.Line, c.Col-1 // col: 0-based byte index
	last := c.EndLine
	if last < line {
		last = line
	}
	for line <= last && line <= len(f.Lines) {
		text := f.Line(line)
		if col > len(text) {
			return out
		}
		// Skip blanks.
		for col < len(text) && (text[col] == ' ' || text[col] == '\t') {
			col++
		}
		if col >= len(text) {
			return out // end of line without continuation: command ends
		}
		ch := text[col]
		if ch == '\\' && strings.TrimSpace(text[col+1:]) == "" {
			// Continuation: go on with the next line Docker keeps.
			line++
			for line <= last && line <= len(f.Lines) {
				t := strings.TrimSpace(f.Line(line))
				if t != "" && !strings.HasPrefix(t, "#") {
					break
				}
				line++
			}
			col = 0
			continue
		}
		if strings.IndexByte(";&|<>()#`", ch) >= 0 {
			return out
		}
		start := col
		quote := byte(0)
		for col < len(text) {
			b := text[col]
			if quote != 0 {
				if b == quote {
					quote = 0
				}
				col++
				continue
			}
			if b == '"' || b == '\'' {
				quote = b
				col++
				continue
			}
			if b == ' ' || b == '\t' || strings.IndexByte(";&|<>()`", b) >= 0 {
				break
			}
			if b == '\\' && strings.TrimSpace(text[col+1:]) == "" {
				break
			}
			col++
		}
		if quote != 0 {
			// A quote spanning lines: stop, positions after it are unsure.
			return out
		}
		out = append(out, SourceWord{Line: line, Col: start + 1, Text: text[start:col]})
	}
	return out
}
