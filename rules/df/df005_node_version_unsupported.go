package df

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// NodeVersionUnsupported reports base images on an end-of-life or
// never-LTS Node major.
var NodeVersionUnsupported = register(&analysis.Rule{
	ID:       "DF005",
	Name:     "node-version-unsupported",
	Title:    "node version is end-of-life or never LTS",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A Node.js major that has reached end-of-life gets no more security fixes, and the " +
			"official images for it are no longer rebuilt, so their OS packages go stale too. " +
			"Up to Node 25, odd majors were *Current* lines that never became LTS and were supported " +
			"for only about eight months; from Node 27 on every major becomes LTS. " +
			"seaworthy decides from an embedded copy of the Node.js release schedule " +
			"(nodejs/Release, schedule.json) and the check date (`--today` to make runs reproducible).",
		Bad:  "FROM node:18-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:24-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Move to a supported LTS major (even majors up to 26, any major from 27), run the test " +
			"suite on it, and let Renovate or Dependabot propose the next major before the current one " +
			"reaches end-of-life.",
		AppliesTo: "End of life means no more security fixes for a runtime that serves traffic. Development and " +
			"test images often run other Node lines on purpose (a support matrix, an old release under " +
			"test).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		sched := knowledge.NodeSchedule()
		var lts []int // the supported LTS lines, looked up for the first finding
		ltsKnown := false
		for _, st := range f.Stages {
			b := st.Base
			if !b.External() {
				continue
			}
			facts, ok := stage.Base(st) // the base itself: it is external
			if !ok || !facts.Node {
				continue
			}
			major := nodeMajor(b, facts)
			if major == 0 {
				continue
			}
			status, line := sched.Status(major, pass.Today)
			var why string
			switch status {
			case knowledge.EndOfLife:
				if line.End.IsZero() {
					why = fmt.Sprintf("node %d is long past end-of-life", major)
				} else {
					why = fmt.Sprintf("node %d reached end-of-life on %s", major, line.End.Format("2006-01-02"))
				}
				if line.LTS.IsZero() && major%2 == 1 && major <= 25 {
					why += " (an odd line that never became LTS)"
				}
				why += " and gets no security fixes"
			case knowledge.NeverLTS:
				why = fmt.Sprintf("node %d is an odd release line that never becomes LTS: its support ends on %s",
					major, line.End.Format("2006-01-02"))
			default:
				continue
			}
			help := "move to a supported LTS major"
			if !ltsKnown {
				lts, ltsKnown = sched.SupportedLTS(pass.Today), true
			}
			if len(lts) > 0 {
				help = fmt.Sprintf("move to Node %d, the newest supported LTS line", lts[0])
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, st.From),
				Message: fmt.Sprintf("base image `%s`: %s", b.Expanded, why),
				Help:    help,
			})
		}
	}),
})

var devcontainerTag = regexp.MustCompile(`^\d+-(\d+)(-|$)`)

// nodeMajor is the Node major of a Node base image, 0 when unknown. The
// leading number of the tag is trusted for official node, distroless and
// Chainguard images and for third-party images named plainly node/nodejs;
// for names like `java-node:11` it is another tool's version. Dev
// Container images put their own version first (`javascript-node:4-24-trixie`).
func nodeMajor(b dockerfile.BaseImage, facts knowledge.ImageFacts) int {
	switch facts.Variant {
	case knowledge.VariantOther:
	case knowledge.VariantDistroless:
		if facts.NodeMajor == 0 {
			// The old gcr.io/distroless/nodejs:16 naming.
			if m := leadingNumber.FindStringSubmatch(b.Tag); m != nil {
				n, _ := strconv.Atoi(m[1])
				return n
			}
		}
		return facts.NodeMajor
	default:
		return facts.NodeMajor
	}
	switch name := command.BaseName(b.Repository); {
	case name == "typescript-node" || name == "javascript-node":
		if m := devcontainerTag.FindStringSubmatch(b.Tag); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
		return facts.NodeMajor
	case b.Registry == "" && (name == "node" || name == "nodejs" || name == "alpine-node"):
		// Docker Hub images such as cimg/node:18.20, bitnami/node:18,
		// mhart/alpine-node:14. Elsewhere (mcr.microsoft.com/azure-functions/node:4)
		// the number is often the image's own version.
		return facts.NodeMajor
	}
	return 0
}

var leadingNumber = regexp.MustCompile(`^(\d+)`)
