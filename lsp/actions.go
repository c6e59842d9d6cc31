package lsp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/ruledoc"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// codeAction is a protocol.CodeAction whose edit may create a file:
// go.lsp.dev/protocol's WorkspaceEdit has no resource operations.
type codeAction struct {
	protocol.CodeAction
	Edit *workspaceEdit `json:"edit,omitempty"`
}

// workspaceEdit is a protocol.WorkspaceEdit whose documentChanges may hold
// a protocol.CreateFile before the protocol.TextDocumentEdit that fills
// the file.
type workspaceEdit struct {
	Changes         map[protocol.DocumentURI][]protocol.TextEdit `json:"changes,omitempty"`
	DocumentChanges []any                                        `json:"documentChanges,omitempty"`
}

// fixAll is the kind of the action that applies every safe fix to a
// document, as `seaworthy fix` would.
const fixAll protocol.CodeActionKind = "source.fixAll.seaworthy"

// codeActions offers, for each finding in the requested range, its fix
// (when the rule has one) and the comment that ignores it there; asked
// for source.fixAll (an editor's fix-on-save), every safe fix of the
// document.
func (w *workspace) codeActions(ctx context.Context, p *protocol.CodeActionParams) []codeAction {
	out := []codeAction{}
	if len(p.Context.Only) > 0 && wants(p.Context.Only, fixAll) {
		if a := w.fixAllAction(ctx, p.TextDocument.URI); a != nil {
			out = append(out, *a)
		}
	}
	if len(p.Context.Only) > 0 && !wants(p.Context.Only, protocol.QuickFix) {
		return out
	}
	path, findings := w.findingsAt(p.TextDocument.URI, p.Range.Start.Line, p.Range.End.Line)
	lines := w.lines[path]
	for _, f := range findings {
		diag := diagnostic(f, lines)
		if edit := w.fixEdit(f); edit != nil {
			out = append(out, codeAction{CodeAction: protocol.CodeAction{
				Title: f.Fix.Title, Kind: protocol.QuickFix, Diagnostics: []protocol.Diagnostic{diag}, IsPreferred: true,
			}, Edit: edit})
		}
		for _, ig := range w.ignoreEdits(path, f) {
			out = append(out, codeAction{CodeAction: protocol.CodeAction{
				Title: ig.title, Kind: protocol.QuickFix, Diagnostics: []protocol.Diagnostic{diag},
			}, Edit: &workspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{w.uriOf(path): {ig.edit}}}})
		}
	}
	return out
}

// wants says whether a request for the kinds in only asks for kind (a
// kind asks for the kinds below it: "source" for "source.fixAll.seaworthy").
func wants(only []protocol.CodeActionKind, kind protocol.CodeActionKind) bool {
	for _, k := range only {
		if k == kind || strings.HasPrefix(string(kind), string(k)+".") {
			return true
		}
	}
	return false
}

// fixAllAction applies checker.Fix to the document's project, with the
// open files' unsaved text, and keeps what it changes in the document: one
// edit replacing its text. nil when nothing changes.
func (w *workspace) fixAllAction(ctx context.Context, u protocol.DocumentURI) *codeAction {
	path := absPath(uri.URI(u).Filename())
	res, err := checker.Fix(ctx, checker.Request{Paths: []string{w.projectRoot(path)}, Rules: w.rules, Overlay: w.overlay()})
	if err != nil {
		return nil
	}
	for _, c := range res.Changes {
		if absPath(c.Path) != path || c.Created {
			continue
		}
		lines := splitLines(string(c.Old))
		end := protocol.Position{Line: uint32(len(lines) - 1), Character: utf16Len(lines[len(lines)-1])}
		return &codeAction{
			CodeAction: protocol.CodeAction{Title: "Apply every safe seaworthy fix", Kind: fixAll},
			Edit: &workspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{
				u: {{Range: protocol.Range{End: end}, NewText: string(c.New)}},
			}},
		}
	}
	return nil
}

// fixEdit is a finding's fix as an edit of the file it changes (see
// analysis.Finding.FixFile). A fix that creates a file (a missing
// .dockerignore) is offered to a client that can create files; nil when
// there is no fix to offer.
func (w *workspace) fixEdit(f analysis.Finding) *workspaceEdit {
	if f.Fix == nil || len(f.Fix.Edits) == 0 {
		return nil
	}
	path := absPath(f.FixFile())
	lines, known := w.lines[path]
	create := false
	if !known {
		src, err := checker.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			create = true
		case err != nil:
			return nil
		}
		lines = splitLines(string(src))
	}
	edits := make([]protocol.TextEdit, len(f.Fix.Edits))
	for i, e := range f.Fix.Edits {
		edits[i] = protocol.TextEdit{Range: editRange(e, lines), NewText: e.NewText}
	}
	u := w.uriOf(path)
	if !create {
		return &workspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{u: edits}}
	}
	if !w.createFiles {
		return nil
	}
	return &workspaceEdit{DocumentChanges: []any{
		protocol.CreateFile{Kind: protocol.CreateResourceOperation, URI: u, Options: &protocol.CreateFileOptions{IgnoreIfExists: true}},
		protocol.TextDocumentEdit{TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}}, Edits: edits},
	}}
}

// uriOf is the URI of a file: the open document's, else the file's.
func (w *workspace) uriOf(path string) protocol.DocumentURI {
	if d, ok := w.docs[path]; ok {
		return d.uri
	}
	return protocol.DocumentURI(uri.File(path))
}

// ignoreEdit is an action that inserts an ignore comment.
type ignoreEdit struct {
	title string
	edit  protocol.TextEdit
}

// ignoreEdits are the comments that ignore a finding (see "Suppressions"
// in the CLI spec and config.ParseDirective): in a Dockerfile `# seaworthy
// ignore=ID` on the line before the finding's instruction, and `#
// seaworthy global ignore=ID` for the whole file (after the parser
// directives, which must stay first); in a .dockerignore or compose file
// `# seaworthy ignore=ID` on the line before the finding's line (and the
// global form in a .dockerignore); in JavaScript and TypeScript sources
// `// seaworthy ignore=ID`. A comment already on that line gets the rule
// added to its list. package.json and Node version files have no
// comments: nothing is offered there.
func (w *workspace) ignoreEdits(path string, f analysis.Finding) []ignoreEdit {
	lines := w.lines[path]
	id := f.Rule.ID
	var out []ignoreEdit
	switch {
	case w.isDockerfile(path):
		if line := instructionLine(path, lines, f.Range.Start.Line); line > 0 {
			out = append(out, lineIgnore(lines, line, "#", id))
		}
		out = append(out, globalIgnore(lines, dockerfileHeader(lines), id))
	case isIgnoreFile(path):
		if f.Range.Start.Line > 0 {
			out = append(out, lineIgnore(lines, f.Range.Start.Line, "#", id))
		}
		out = append(out, globalIgnore(lines, 1, id))
	case isYAML(path):
		if f.Range.Start.Line > 0 {
			out = append(out, lineIgnore(lines, f.Range.Start.Line, "#", id))
		}
	case isScript(path):
		if f.Range.Start.Line > 0 {
			out = append(out, lineIgnore(lines, f.Range.Start.Line, "//", id))
		}
	}
	return out
}

// instructionLine is the first line of the Dockerfile instruction that
// holds line (0 when none does).
func instructionLine(path string, lines []string, line int) int {
	if line < 1 {
		return 0
	}
	f, err := dockerfile.Parse(path, []byte(strings.Join(lines, "\n")), dockerfile.Options{})
	if err != nil {
		return 0
	}
	for _, in := range f.Instructions {
		if in.StartLine <= line && line <= in.EndLine {
			return in.StartLine
		}
	}
	return 0
}

// ignoreComment matches a `seaworthy ignore=` comment: its list of codes
// ends at index 2 of the submatches.
var ignoreComment = regexp.MustCompile(`^\s*(#|//)\s*seaworthy\s+ignore\s*=\s*[^\s]*()`)

// lineIgnore ignores rule id on line (1-based): the comment goes on a new
// line above it, indented as it is, or into the ignore comment already
// there.
func lineIgnore(lines []string, line int, mark, id string) ignoreEdit {
	title := fmt.Sprintf("Ignore %s here (%s seaworthy ignore=%s)", id, mark, id)
	above := lineText(lines, line-1)
	if m := ignoreComment.FindStringSubmatchIndex(above); line > 1 && m != nil && above[m[2]:m[3]] == mark {
		at := position(lines, line-1, m[4]+1)
		return ignoreEdit{title: title, edit: protocol.TextEdit{Range: protocol.Range{Start: at, End: at}, NewText: "," + id}}
	}
	text := lineText(lines, line)
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	at := protocol.Position{Line: uint32(line - 1)}
	return ignoreEdit{title: title, edit: protocol.TextEdit{
		Range: protocol.Range{Start: at, End: at}, NewText: fmt.Sprintf("%s%s seaworthy ignore=%s\n", indent, mark, id),
	}}
}

// globalIgnore ignores rule id in the whole file, with a comment on a new
// line at line (1-based).
func globalIgnore(lines []string, line int, id string) ignoreEdit {
	at := protocol.Position{Line: uint32(line - 1)}
	return ignoreEdit{
		title: fmt.Sprintf("Ignore %s in this file (# seaworthy global ignore=%s)", id, id),
		edit:  protocol.TextEdit{Range: protocol.Range{Start: at, End: at}, NewText: fmt.Sprintf("# seaworthy global ignore=%s\n", id)},
	}
}

// parserDirective matches BuildKit's parser directives (`# syntax=`,
// `# escape=`, `# check=`), which only count before any other line.
var parserDirective = regexp.MustCompile(`(?i)^#\s*(syntax|escape|check)\s*=`)

// dockerfileHeader is the first line after a Dockerfile's parser
// directives (1-based).
func dockerfileHeader(lines []string) int {
	n := 0
	for n < len(lines) && parserDirective.MatchString(strings.TrimSpace(lines[n])) {
		n++
	}
	return n + 1
}

func isIgnoreFile(path string) bool {
	return strings.HasSuffix(filepath.Base(path), ".dockerignore")
}

func isYAML(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".yaml" || ext == ".yml"
}

func isScript(path string) bool {
	switch filepath.Ext(path) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx":
		return true
	}
	return false
}

// hover shows the documentation of the rules of the findings on the
// hovered line.
func (w *workspace) hover(p *protocol.HoverParams) *protocol.Hover {
	line := p.Position.Line
	path, findings := w.findingsAt(p.TextDocument.URI, line, line)
	if len(findings) == 0 {
		return nil
	}
	var b strings.Builder
	seen := map[string]bool{}
	r := lspRange(findings[0].Range, w.lines[path])
	for _, f := range findings {
		if seen[f.Rule.ID] {
			continue
		}
		seen[f.Rule.ID] = true
		if b.Len() > 0 {
			b.WriteString("\n---\n\n")
		}
		fmt.Fprintf(&b, "**%s** %s\n\n", f.Rule.ID, f.Message)
		b.WriteString(ruledoc.Page(f.Rule))
	}
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: b.String()}, Range: &r}
}
