package lsp

import (
	"testing"

	"go.lsp.dev/protocol"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// Findings count byte columns; the editor counts UTF-16 code units.
func TestRanges(t *testing.T) {
	lines := []string{
		`LABEL description="café ☕ 𝄞" x=1`, // é and ☕: 2 and 3 bytes, 1 unit; 𝄞: 4 bytes, 2 units
		"RUN echo hi\r",
		"",
	}
	pos := func(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }
	for _, c := range []struct {
		name string
		r    analysis.Range
		want protocol.Range
	}{
		{"after multi-byte runes: x=1", analysis.Range{Start: analysis.Pos{Line: 1, Col: 36}, End: analysis.Pos{Line: 1, Col: 39}},
			protocol.Range{Start: pos(0, 30), End: pos(0, 33)}},
		{"whole lines, CR left out", analysis.LineRange(1, 2), protocol.Range{Start: pos(0, 0), End: pos(1, 11)}},
		{"no end: the rest of the line", analysis.Range{Start: analysis.Pos{Line: 2, Col: 5}}, protocol.Range{Start: pos(1, 4), End: pos(1, 11)}},
		{"no position: the first line", analysis.Range{}, protocol.Range{End: pos(0, 33)}},
		{"columns past the end are clamped", analysis.Range{Start: analysis.Pos{Line: 2, Col: 50}, End: analysis.Pos{Line: 2, Col: 60}},
			protocol.Range{Start: pos(1, 11), End: pos(1, 11)}},
	} {
		if got := lspRange(c.r, lines); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	// An edit's column below 1 is the line's start (analysis.ApplyEdits).
	e := analysis.Edit{Start: analysis.Pos{Line: 3}, End: analysis.Pos{Line: 3}, NewText: "x"}
	if got := editRange(e, lines); got != (protocol.Range{Start: pos(2, 0), End: pos(2, 0)}) {
		t.Errorf("edit at a line's start: %+v", got)
	}
}
