package df

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// DockerfileSyntax reports content Docker's parser rejects, and a file
// found as a Dockerfile that is none at all (empty, only comments, binary,
// unreadable), as a finding on the whole file.
var DockerfileSyntax = register(&analysis.Rule{
	ID:       "DF000",
	Name:     "dockerfile-syntax",
	Title:    "the Dockerfile does not parse",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Docker refuses to build a Dockerfile its parser rejects: an unknown instruction, " +
			"a malformed JSON array, an unterminated heredoc, an instruction other than ARG before the first FROM, " +
			"or a file with no FROM at all. seaworthy uses Docker's own parser (moby/buildkit), so it " +
			"reports exactly what `docker build` would reject, with the line. Other rules still check the " +
			"instructions that did parse. A file found in a project under a Dockerfile's name that is empty, " +
			"holds only comments, is binary (NUL bytes; text in any 8-bit encoding is text) or cannot be read " +
			"is reported on the whole file, and the rest of the project is still checked; named on the command " +
			"line, such a file is an error (exit code 2) instead.",
		Bad:       "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUNN npm ci --omit=dev\nUSER node\n",
		Good:      "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nUSER node\n",
		Fix:       "Correct the instruction at the reported line; the message is Docker's own.",
		AppliesTo: "A Dockerfile that does not parse does not build, whatever it is for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, e := range f.Errors {
			if e.Line == 0 {
				pass.Report(analysis.Finding{Message: e.Message}) // the whole file
				continue
			}
			pass.Report(analysis.Finding{
				Range:   analysis.Range{Start: analysis.Pos{Line: e.Line, Col: 1}, End: analysis.Pos{Line: e.Line, Col: f.LineLen(e.Line) + 1}},
				Message: e.Message,
			})
		}
	}),
})
