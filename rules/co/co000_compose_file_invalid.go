package co

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// ComposeFileInvalid reports a compose file set that docker compose's
// loader rejects.
var ComposeFileInvalid = register(&analysis.Rule{
	ID:       "CO000",
	Name:     "compose-file-invalid",
	Title:    "the compose file cannot be loaded",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "docker compose starts nothing from a compose file it cannot load: invalid YAML, a key the " +
			"Compose Specification does not allow, a value of the wrong form (a port mapping such as " +
			"`127.0.0.1:3001` that names no container port), an empty file, or a file that cannot be read. " +
			"seaworthy loads compose files with docker compose's own loader (compose-go), so it reports what " +
			"`docker compose config` would reject, with the line where it can be found. An override file " +
			"that fails takes its base file with it, as in docker compose. The other CO rules check the file " +
			"once it loads; the rest of the project (Dockerfiles, other compose files) is still checked.",
		Bad:         "services:\n  api:\n    build: .\n    ports:\n      - \"127.0.0.1:3001\"\n",
		Good:        "services:\n  api:\n    build: .\n    ports:\n      - \"127.0.0.1:3001:3000\"\n",
		ExampleFile: "compose.yaml",
		Fix: "Correct the file at the reported line; `docker compose config` shows the same error. A file " +
			"that cannot be read must be a readable regular file.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		e := p.Err
		if e == nil {
			return
		}
		fd := analysis.Finding{
			File:    e.File,
			Message: e.Msg,
			Help:    "fix the file until `docker compose config` accepts it",
		}
		if f := p.File(e.File); f != nil && e.Line >= 1 && len(f.Lines) > 0 {
			// YAML errors at the end of the input name the line after it.
			line := min(e.Line, len(f.Lines))
			fd.Range = analysis.LineRange(line, line)
		}
		pass.Report(fd)
	}),
})
