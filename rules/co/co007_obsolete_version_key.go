package co

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// ObsoleteVersionKey reports the top-level `version:` key.
var ObsoleteVersionKey = register(&analysis.Rule{
	ID:       "CO007",
	Name:     "obsolete-version-key",
	Title:    "obsolete top-level version key",
	Severity: analysis.Info,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "The Compose Specification dropped the `version:` key: docker compose ignores it and prints " +
			"\"the attribute `version` is obsolete\" on every command. It also misleads readers into thinking " +
			"that features are limited by the 2.x/3.x file formats, which no longer exist.",
		Bad:         "version: \"3.8\"\n\nservices:\n  api:\n    build: .\n",
		Good:        "services:\n  api:\n    build: .\n",
		Fix:         "Delete the `version:` line. `seaworthy fix` does it.",
		ExampleFile: "compose.yaml",
		AppliesTo:   "docker compose ignores the key and warns about it in every file.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, f := range p.Files {
			n := f.Node("version")
			if n == nil {
				continue
			}
			line := f.Line("version")
			finding := analysis.Finding{
				File:    f.Path,
				Range:   analysis.Range{Start: analysis.Pos{Line: line, Col: 1}, End: analysis.Pos{Line: line, Col: len(f.Lines[line-1]) + 1}},
				Message: fmt.Sprintf("top-level `version: %s` is obsolete: docker compose ignores it and warns", n.Value),
				Help:    "delete the line",
			}
			// Only a one-line `version:` at the start of a line is deleted.
			if n.Line == line && strings.HasPrefix(f.Lines[line-1], "version:") {
				start, end := analysis.Pos{Line: line, Col: 1}, analysis.Pos{Line: line + 1, Col: 1}
				switch {
				case line == len(f.Lines) && line > 1:
					// The last line: take the line break before it instead.
					start = analysis.Pos{Line: line - 1, Col: len(f.Lines[line-2]) + 1}
					end = analysis.Pos{Line: line, Col: len(f.Lines[line-1]) + 1}
				case line == len(f.Lines):
					end = analysis.Pos{Line: line, Col: len(f.Lines[line-1]) + 1}
				case strings.TrimSpace(f.Lines[line]) == "" && line+1 < len(f.Lines):
					end = analysis.Pos{Line: line + 2, Col: 1} // and the blank line after it
				}
				finding.Fix = &analysis.Fix{
					Title: "Delete the `version:` line",
					Edits: []analysis.Edit{{Start: start, End: end}},
				}
			}
			pass.Report(finding)
		}
	}),
})
