package df

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// plainWord matches a shell word that means the same in exec form: no
// quotes, expansions, globs, operators, escapes or comments.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./:@%+,=-]+$`)

// execFormFix converts a single-line shell-form CMD/ENTRYPOINT whose text
// is plain words into exec form; nil when that is not safe.
func execFormFix(f *dockerfile.File, in *dockerfile.Instruction) *analysis.Fix {
	if in.StartLine != in.EndLine || len(in.Flags) > 0 || len(in.Node.Heredocs) > 0 {
		return nil
	}
	line := f.Line(in.StartLine)
	start := len(line) - len(strings.TrimLeft(line, " \t"))
	kw := start
	for kw < len(line) && line[kw] != ' ' && line[kw] != '\t' {
		kw++
	}
	if !strings.EqualFold(line[start:kw], in.Keyword) {
		return nil
	}
	argStart := kw
	for argStart < len(line) && (line[argStart] == ' ' || line[argStart] == '\t') {
		argStart++
	}
	text := strings.TrimRight(line[argStart:], " \t")
	if text == "" {
		return nil
	}
	words := strings.Fields(text)
	if words[0] == "exec" {
		words = words[1:]
	}
	if len(words) == 0 || strings.Contains(words[0], "=") || shellBuiltins[words[0]] {
		return nil
	}
	for _, w := range words {
		if !plainWord.MatchString(w) {
			return nil
		}
	}
	return &analysis.Fix{
		Title: "Use the exec form " + jsonArray(words),
		Edits: []analysis.Edit{{
			Start:   analysis.Pos{Line: in.StartLine, Col: argStart + 1},
			End:     analysis.Pos{Line: in.StartLine, Col: argStart + len(text) + 1},
			NewText: jsonArray(words),
		}},
	}
}

// shellBuiltins are words that only mean something to a shell.
var shellBuiltins = map[string]bool{
	"exec": true, "cd": true, "source": true, ".": true, "export": true, "set": true,
	"eval": true, "trap": true, "ulimit": true, "umask": true, "unset": true, "alias": true,
	"if": true, "for": true, "while": true, "until": true, "case": true, "function": true,
	"wait": true, "shift": true, "read": true, "exit": true, "return": true, "local": true,
}

// jsonArray renders words as a Dockerfile exec-form array:
// ["node", "server.js"].
func jsonArray(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(w)
		parts[i] = strings.TrimSuffix(buf.String(), "\n")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// commandToken is a word of a shell command as written in the Dockerfile.
// commandToken is a shell word with its position in the Dockerfile.
type commandToken = dockerfile.SourceWord

// commandTokens returns the words of a shell command as written in the
// Dockerfile (see dockerfile.File.SourceWords).
func commandTokens(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) []commandToken {
	return f.SourceWords(in, c)
}

// wordEdit replaces one token's text.
func wordEdit(t commandToken, newText string) analysis.Edit {
	return analysis.Edit{
		Start:   analysis.Pos{Line: t.Line, Col: t.Col},
		End:     analysis.Pos{Line: t.Line, Col: t.Col + len(t.Text)},
		NewText: newText,
	}
}

// token is a word of a shell command as written in the Dockerfile.
type token = dockerfile.SourceWord

// tokens returns the words of a shell command as written in the
// Dockerfile (see dockerfile.File.SourceWords); nil for heredoc scripts, whose
// fixes this family does not offer.
func tokens(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) []token {
	if len(in.Node.Heredocs) > 0 {
		return nil
	}
	return f.SourceWords(in, c)
}

// insertAfter returns an edit inserting text right after the first
// token equal to word, skipping the command name; nil when not found.
func insertAfter(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand, word, text string) *analysis.Edit {
	toks := tokens(f, in, c)
	for i, t := range toks {
		if i > 0 && t.Text == word {
			pos := analysis.Pos{Line: t.Line, Col: t.Col + len(t.Text)}
			return &analysis.Edit{Start: pos, End: pos, NewText: text}
		}
	}
	return nil
}

// keywordEdit replaces the instruction keyword at the start of its
// first line, keeping the way it was written (`add` → `copy`).
func keywordEdit(f *dockerfile.File, in *dockerfile.Instruction, newKeyword string) *analysis.Edit {
	line := f.Line(in.StartLine)
	start := len(line) - len(strings.TrimLeft(line, " \t"))
	end := start + len(in.Keyword)
	if end > len(line) || !strings.EqualFold(line[start:end], in.Keyword) {
		return nil
	}
	written := line[start:end]
	text := newKeyword
	switch {
	case written == strings.ToLower(written):
		text = strings.ToLower(newKeyword)
	case written != strings.ToUpper(written):
		text = strings.ToUpper(newKeyword[:1]) + strings.ToLower(newKeyword[1:])
	}
	return &analysis.Edit{
		Start:   analysis.Pos{Line: in.StartLine, Col: start + 1},
		End:     analysis.Pos{Line: in.StartLine, Col: end + 1},
		NewText: text,
	}
}

// andList reports whether a shell script is simple commands joined by
// `&&` only (or one command): prefixing or appending `… &&` then keeps what
// runs, and a failure still fails the RUN.
func andList(text string) bool {
	file, err := dockerfile.ParseShell(text)
	if err != nil || len(file.Stmts) != 1 {
		return false
	}
	var leaf func(st *syntax.Stmt) bool
	leaf = func(st *syntax.Stmt) bool {
		if st.Negated || st.Background || st.Coprocess || len(st.Redirs) > 0 && st.Cmd == nil {
			return false
		}
		switch c := st.Cmd.(type) {
		case *syntax.CallExpr:
			return len(c.Args) > 0
		case *syntax.BinaryCmd:
			return c.Op == syntax.AndStmt && leaf(c.X) && leaf(c.Y)
		}
		return false
	}
	return leaf(file.Stmts[0])
}

// plainRun reports whether a RUN is a shell-form script without flags or
// heredocs whose text is an `&&` list (see andList).
func plainRun(in *dockerfile.Instruction) bool {
	s := in.Script
	return in.Keyword == "RUN" && s != nil && s.Parsed && !s.Exec && len(in.Flags) == 0 &&
		len(in.Node.Heredocs) == 0 && andList(s.Text)
}

// neighbour returns the instruction of in's stage right before (step -1)
// or after (step 1) it; nil at the stage's ends.
func neighbour(in *dockerfile.Instruction, step int) *dockerfile.Instruction {
	if in.Stage == nil {
		return nil
	}
	list := in.Stage.Instructions
	for i, x := range list {
		if x == in {
			if j := i + step; j >= 0 && j < len(list) {
				return list[j]
			}
			return nil
		}
	}
	return nil
}

// deleteInstruction removes an instruction's lines.
func deleteInstruction(in *dockerfile.Instruction) analysis.Edit {
	return analysis.Edit{
		Start: analysis.Pos{Line: in.StartLine, Col: 1},
		End:   analysis.Pos{Line: in.EndLine + 1, Col: 1},
	}
}

// scriptStart is where the script of a RUN without flags starts: after
// the keyword and its spaces on the first line.
func scriptStart(f *dockerfile.File, in *dockerfile.Instruction) (analysis.Pos, bool) {
	line := f.Line(in.StartLine)
	start := len(line) - len(strings.TrimLeft(line, " \t"))
	kw := start + len(in.Keyword)
	if kw > len(line) || !strings.EqualFold(line[start:kw], in.Keyword) {
		return analysis.Pos{}, false
	}
	argStart := kw
	for argStart < len(line) && (line[argStart] == ' ' || line[argStart] == '\t') {
		argStart++
	}
	if argStart == kw || argStart >= len(line) {
		return analysis.Pos{}, false
	}
	return analysis.Pos{Line: in.StartLine, Col: argStart + 1}, true
}

// oneLineScript returns the script of a one-line RUN as written.
func oneLineScript(f *dockerfile.File, in *dockerfile.Instruction) (analysis.Pos, string, bool) {
	pos, ok := scriptStart(f, in)
	if !ok || in.StartLine != in.EndLine {
		return analysis.Pos{}, "", false
	}
	text := strings.TrimRight(f.Line(in.StartLine)[pos.Col-1:], " \t")
	if strings.HasSuffix(text, string(f.Escape)) || strings.Contains(text, "#") {
		// A continuation, or a comment (`RUN apt-get update # lists`) that
		// would swallow what follows it.
		return analysis.Pos{}, "", false
	}
	return pos, text, text != ""
}
