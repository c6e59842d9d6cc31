package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// MultipleCommands reports CMD, ENTRYPOINT or HEALTHCHECK given more than
// once in a stage.
var MultipleCommands = register(&analysis.Rule{
	ID:       "DF034",
	Name:     "multiple-commands",
	Title:    "CMD, ENTRYPOINT or HEALTHCHECK given more than once in a stage",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "A stage has one CMD, one ENTRYPOINT and one HEALTHCHECK: each new one replaces the previous one, " +
			"so only the last takes effect. An earlier one is dead code that misleads the reader, and " +
			"often a sign that two commands were meant to run (which needs a script or a process manager) " +
			"or that a leftover was not cleaned up.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"migrate.js\"]\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Keep only the instruction that should take effect. To run a step before the app, use an " +
			"entrypoint script that ends with `exec`, or a separate job.",
		AppliesTo: "Only the last instruction counts in any image: the others are mistakes.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			last := map[string]*dockerfile.Instruction{}
			for _, in := range st.Instructions {
				switch in.Keyword {
				case "CMD", "ENTRYPOINT", "HEALTHCHECK":
					last[in.Keyword] = in
				}
			}
			for _, in := range st.Instructions {
				l, ok := last[in.Keyword]
				if !ok || l == in {
					continue
				}
				pass.Report(analysis.Finding{
					Range: locate.Instruction(f, in),
					Message: fmt.Sprintf("stage %s has more than one %s: only the last %s, on line %d, takes effect",
						st.Label(), in.Keyword, in.Keyword, l.StartLine),
					Help: fmt.Sprintf("remove this %s", in.Keyword),
				})
			}
		}
	}),
})
