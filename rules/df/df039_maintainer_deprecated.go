package df

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// MaintainerDeprecated reports the deprecated MAINTAINER instruction.
var MaintainerDeprecated = register(&analysis.Rule{
	ID:       "DF039",
	Name:     "maintainer-deprecated",
	Title:    "MAINTAINER is deprecated",
	Severity: analysis.Info,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`MAINTAINER` has been deprecated since Docker 1.13: it sets a legacy image field that tools " +
			"no longer read. The OCI annotation `org.opencontainers.image.authors`, set with `LABEL`, is " +
			"where registries, scanners and `docker inspect` users look for the image's authors.",
		Bad:       "FROM node:22-slim\nMAINTAINER Jane Doe <jane@example.com>\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good:      "FROM node:22-slim\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix:       "Replace it with `LABEL org.opencontainers.image.authors=\"…\"`; `seaworthy fix` does this.",
		AppliesTo: "MAINTAINER is deprecated in every Dockerfile.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, in := range f.Instructions {
			if in.Keyword != "MAINTAINER" {
				continue
			}
			value := ""
			if m, ok := in.Command.(*instructions.MaintainerCommand); ok {
				value = m.Maintainer
			} else if args := in.Args(); len(args) > 0 {
				value = strings.Join(args, " ")
			}
			label := "LABEL org.opencontainers.image.authors=" + cmdLabelQuote(value)
			finding := analysis.Finding{
				Range:   locate.Instruction(f, in),
				Message: fmt.Sprintf("MAINTAINER %s is deprecated: record the authors with the `org.opencontainers.image.authors` label", value),
				Help:    "use `" + label + "`",
			}
			if in.StartLine == in.EndLine && value != "" && f.Escape == '\\' {
				line := f.Line(in.StartLine)
				start := len(line) - len(strings.TrimLeft(line, " \t"))
				finding.Fix = &analysis.Fix{
					Title: "Replace MAINTAINER with the org.opencontainers.image.authors label",
					Edits: []analysis.Edit{{
						Start:   analysis.Pos{Line: in.StartLine, Col: start + 1},
						End:     analysis.Pos{Line: in.StartLine, Col: len(strings.TrimRight(line, " \t")) + 1},
						NewText: label,
					}},
				}
			}
			pass.Report(finding)
		}
	}),
})

// cmdLabelQuote double-quotes a LABEL value, escaping what the Dockerfile
// parser would otherwise interpret (quotes, backslashes, variables).
func cmdLabelQuote(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`)
	return `"` + r.Replace(v) + `"`
}
