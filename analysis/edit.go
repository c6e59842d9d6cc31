package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// ApplyEdits applies non-overlapping edits to src. Positions are 1-based
// lines and byte columns; an End column past the line end means end of line.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	lineStart := []int{0}
	for i, b := range src {
		if b == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	offset := func(p Pos) (int, error) {
		if p.Line < 1 || p.Line > len(lineStart) {
			return 0, fmt.Errorf("edit position line %d outside the file (%d lines)", p.Line, len(lineStart))
		}
		start := lineStart[p.Line-1]
		end := len(src)
		if p.Line < len(lineStart) {
			end = lineStart[p.Line] - 1
			if end > start && src[end-1] == '\r' {
				end--
			}
		}
		off := start + p.Col - 1
		if p.Col < 1 {
			off = start
		}
		if off > end {
			off = end
		}
		return off, nil
	}
	type span struct {
		from, to int
		text     string
	}
	spans := make([]span, 0, len(edits))
	for _, e := range edits {
		from, err := offset(e.Start)
		if err != nil {
			return nil, err
		}
		to, err := offset(e.End)
		if err != nil {
			return nil, err
		}
		if to < from {
			return nil, fmt.Errorf("edit ends before it starts (line %d)", e.Start.Line)
		}
		spans = append(spans, span{from, to, e.NewText})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	var b strings.Builder
	last := 0
	for _, s := range spans {
		if s.from < last {
			return nil, fmt.Errorf("overlapping edits")
		}
		b.Write(src[last:s.from])
		b.WriteString(s.text)
		last = s.to
	}
	b.Write(src[last:])
	return []byte(b.String()), nil
}

// PickEdits takes each finding's fix, in the order of the findings'
// positions, unless one of its edits overlaps a fix already taken (`fix`
// retries the skipped ones after checking again). It returns the edits and
// the number of findings they fix.
func PickEdits(findings []Finding) (edits []Edit, fixed int) {
	type span struct{ from, to Pos }
	var taken []span
	less := func(a, b Pos) bool { return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col }
	overlaps := func(a, b span) bool { return !less(a.to, b.from) && !less(b.to, a.from) }
	sort.SliceStable(findings, func(i, j int) bool { return less(findings[i].Range.Start, findings[j].Range.Start) })
	for _, f := range findings {
		if f.Fix == nil || len(f.Fix.Edits) == 0 {
			continue
		}
		ok := true
		for _, e := range f.Fix.Edits {
			for _, t := range taken {
				if overlaps(span{e.Start, e.End}, t) {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		for _, e := range f.Fix.Edits {
			taken = append(taken, span{e.Start, e.End})
		}
		edits = append(edits, f.Fix.Edits...)
		fixed++
	}
	return edits, fixed
}
