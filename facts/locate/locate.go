// Package locate turns positions in the Dockerfile model into the ranges
// findings carry.
package locate

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Instruction is the source range of a whole Dockerfile instruction.
func Instruction(f *dockerfile.File, in *dockerfile.Instruction) analysis.Range {
	return analysis.Range{
		Start: analysis.Pos{Line: in.StartLine, Col: 1},
		End:   analysis.Pos{Line: in.EndLine, Col: f.LineLen(in.EndLine) + 1},
	}
}

// Command is the range of one shell command inside a RUN.
func Command(f *dockerfile.File, c *dockerfile.ShellCommand) analysis.Range {
	end := c.EndCol
	if end <= c.Col {
		end = f.LineLen(c.EndLine) + 1
	}
	return analysis.Range{Start: analysis.Pos{Line: c.Line, Col: c.Col}, End: analysis.Pos{Line: c.EndLine, Col: end}}
}

// Text is an instruction as quoted in a message: its whole text with line
// continuations joined and white space collapsed (`COPY --link . /app/`
// also when written over several lines), cut to a readable length.
func Text(in *dockerfile.Instruction) string {
	t := in.Node.Original
	if t == "" {
		t = in.Keyword
	}
	return analysis.Snippet(t, 72)
}
