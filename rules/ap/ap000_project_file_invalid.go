package ap

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// ProjectFileInvalid reports a package.json, .nvmrc or .node-version that
// cannot be used.
var ProjectFileInvalid = register(&analysis.Rule{
	ID:       "AP000",
	Name:     "project-file-invalid",
	Title:    "a project file cannot be used",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "npm, yarn and pnpm refuse a package.json that is not valid JSON (a trailing comma, a comment, " +
			"a missing quote), so the install step of the image build fails; a field of the wrong type " +
			"(`\"scripts\": []`) breaks the tools that read it. A package.json, `.nvmrc` or `.node-version` " +
			"that cannot be read at all (a directory, a named pipe, no permission) fails the tools that read " +
			"it the same way. seaworthy reports the file with the line where the JSON goes wrong; the AP " +
			"rules that need the package skip it until it parses, and everything else is still checked.",
		Bad:         "{\n  \"name\": \"api\",\n  \"dependencies\": {\n    \"express\": \"^4.21.0\",\n  }\n}\n",
		Good:        "{\n  \"name\": \"api\",\n  \"dependencies\": {\n    \"express\": \"^4.21.0\"\n  }\n}\n",
		ExampleFile: "package.json",
		Fix: "Correct the JSON at the reported line (`npm pkg get name` fails until it parses), or make the " +
			"file a readable regular file.\n\n" +
			"package.json has no comments, so this finding cannot be ignored inline; use `.seaworthy.yaml` " +
			"or `--ignore`.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		if b.PackageError != nil {
			reportFileError(pass, b.PackageError)
		}
		if b.Package != nil {
			for _, e := range b.Package.Errors {
				reportFileError(pass, e)
			}
		}
	}),
})

func reportFileError(pass *analysis.Pass, e *nodeproject.FileError) {
	fd := analysis.Finding{File: e.Path, Message: e.Msg, Help: "make it a readable regular file"}
	if e.Line > 0 {
		fd.Range = lineRange(e.Line)
		fd.Help = "correct the JSON here: npm, yarn and pnpm refuse the file until it parses"
	}
	pass.Report(fd)
}
