package dockerfile

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/knowledge"
)

// NodeVersionUnsupported reports base images on an end-of-life or
// never-LTS Node major.
var NodeVersionUnsupported = register(&analysis.Rule{
	ID:       "DF005",
	Name:     "node-version-unsupported",
	Title:    "node version is end-of-life or never LTS",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "A Node.js major that has reached end-of-life gets no more security fixes, and the " +
			"official images for it are no longer rebuilt, so their OS packages go stale too. " +
			"Up to Node 25, odd majors were *Current* lines that never became LTS and were supported " +
			"for only about eight months; from Node 27 on every major becomes LTS. " +
			"seaworthy decides from an embedded copy of the Node.js release schedule " +
			"(nodejs/Release, schedule.json) and the check date (`--today` to make runs reproducible).",
		Bad:  "FROM node:18-slim\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:24-slim\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Move to a supported LTS major (even majors up to 26, any major from 27), run the test " +
			"suite on it, and let Renovate or Dependabot propose the next major before the current one " +
			"reaches end-of-life.",
	},
	Run: func(pass *analysis.Pass) {
		f := pass.Dockerfile
		sched := knowledge.NodeSchedule()
		suggest := ""
		if lts := sched.SupportedLTS(pass.Today); len(lts) > 0 {
			suggest = fmt.Sprintf("Node %d", lts[0])
		}
		for _, st := range f.Stages {
			b := st.Base
			if !b.External() {
				continue
			}
			facts, ok := knowledge.LookupImage(b.Registry, b.Repository, b.Tag)
			if !ok || !facts.Node || facts.NodeMajor == 0 || !nodeMajorTrusted(b.Repository, facts) {
				continue
			}
			status, line := sched.Status(facts.NodeMajor, pass.Today)
			var why string
			switch status {
			case knowledge.EndOfLife:
				if line.End.IsZero() {
					why = fmt.Sprintf("node %d is long past end-of-life", facts.NodeMajor)
				} else {
					why = fmt.Sprintf("node %d reached end-of-life on %s", facts.NodeMajor, line.End.Format("2006-01-02"))
				}
				if line.LTS.IsZero() && facts.NodeMajor%2 == 1 && facts.NodeMajor <= 25 {
					why += " (an odd line that never became LTS)"
				}
				why += ": it gets no security fixes"
			case knowledge.NeverLTS:
				why = fmt.Sprintf("node %d is an odd release line that never becomes LTS: its support ends on %s",
					facts.NodeMajor, line.End.Format("2006-01-02"))
			default:
				continue
			}
			help := "move to a supported LTS major"
			if suggest != "" {
				help = fmt.Sprintf("move to %s, the newest supported LTS line", suggest)
			}
			pass.Report(analysis.Finding{
				Range:   analysis.InstructionRange(f, st.From),
				Message: fmt.Sprintf("base image `%s`: %s", b.Expanded, why),
				Help:    help,
			})
		}
	},
})

// nodeMajorTrusted reports whether the leading number of the tag really is
// the Node major: official node, distroless and Chainguard images, and
// third-party images named plainly node/nodejs. For names like
// `java-node:11` the number is another tool's version.
func nodeMajorTrusted(repository string, facts knowledge.ImageFacts) bool {
	if facts.Variant != knowledge.VariantOther {
		return true
	}
	name := baseName(repository)
	return name == "node" || name == "nodejs" || name == "typescript-node" || name == "javascript-node"
}
