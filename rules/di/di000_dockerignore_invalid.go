package di

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// DockerignoreInvalid reports an ignore file that cannot be used.
var DockerignoreInvalid = register(&analysis.Rule{
	ID:       "DI000",
	Name:     "dockerignore-invalid",
	Title:    "the .dockerignore cannot be used",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "`docker build` reads the `.dockerignore` (or `<Dockerfile>.dockerignore`) before it sends the " +
			"context, and fails when a pattern is malformed (`*.sw[op` with no closing bracket) or the file " +
			"cannot be read (it is a directory, a named pipe, or unreadable). seaworthy checks patterns with " +
			"Docker's own matcher and reports the line. While the file cannot be used the other DI rules, " +
			"which judge what it excludes, stay silent on that build, and DI001 does not claim it is missing.",
		Bad:         "node_modules\n.git\n.env*\n*.sw[op\n",
		Good:        "node_modules\n.git\n.env*\n*.sw[op]\n",
		ExampleFile: ".dockerignore",
		Fix: "Correct the pattern at the reported line (close the bracket, or escape a literal `[` as `\\[`), " +
			"or make the file a readable regular file.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		e := b.IgnoreError
		if e == nil {
			return
		}
		fd := analysis.Finding{File: e.Path, Message: e.Msg, Help: "make it a readable regular file, or remove it"}
		if e.Line > 0 {
			fd.Range = analysis.LineRange(e.Line, e.Line)
			fd.Help = "correct the pattern, or delete the line"
		}
		pass.Report(fd)
	}),
})
