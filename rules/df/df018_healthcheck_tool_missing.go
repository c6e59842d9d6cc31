package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// HealthcheckToolMissing reports a HEALTHCHECK that calls curl or wget in an
// image that does not have it.
var HealthcheckToolMissing = register(&analysis.Rule{
	ID:       "DF018",
	Name:     "healthcheck-tool-missing",
	Title:    "healthcheck calls a tool the image does not have",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "`node:*-slim`, distroless and Chainguard Node images contain neither curl nor wget, and " +
			"`node:*-alpine` has only busybox `wget`. A HEALTHCHECK that calls a missing tool fails " +
			"every time: the container is reported `unhealthy` forever, Compose never starts services " +
			"that wait for it, and Swarm keeps killing healthy tasks.",
		Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\n" +
			"HEALTHCHECK --start-period=10s CMD curl -f http://127.0.0.1:3000/health || exit 1\n" +
			"CMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\n" +
			"HEALTHCHECK --start-period=10s \\\n" +
			"  CMD [\"node\", \"-e\", \"fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))\"]\n" +
			"CMD [\"node\", \"server.js\"]\n",
		Fix: "Check with Node itself, which every Node image has: " +
			"`HEALTHCHECK CMD [\"node\", \"-e\", \"fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))\"]` " +
			"(Node 18+ has a global `fetch`), or a small `healthcheck.js` copied into the image. " +
			"Installing curl only for the healthcheck also works on slim and alpine images, at the " +
			"cost of a larger image.",
		AppliesTo: "A HEALTHCHECK that calls a missing tool marks the container unhealthy wherever it runs, and a " +
			"compose stack that waits for it (`service_healthy`) never starts.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			hc := stage.LastInChain(st, "HEALTHCHECK")
			if hc == nil || stage.HealthcheckNone(hc) {
				continue
			}
			facts, ok := stage.Base(st)
			if !ok || !stage.VariantKnown(st.Root()) {
				continue
			}
			for _, tool := range []string{"curl", "wget"} {
				has := facts.Curl
				if tool == "wget" {
					has = facts.Wget
				}
				if has != knowledge.No {
					continue
				}
				c, uses := stage.HealthcheckTool(hc, tool)
				if !uses || toolInstalled(st, tool) {
					continue
				}
				rng := locate.Instruction(f, hc)
				if c != nil && !hc.Script.Exec && hc.Script.Parsed {
					rng = locate.Command(f, c)
				}
				pass.Report(analysis.Finding{
					Range:   rng,
					Message: fmt.Sprintf("HEALTHCHECK runs `%s` but %s has no %s: the check always fails", tool, st.Root().Expanded, tool),
					Help:    "check with node instead: `HEALTHCHECK CMD node -e \"fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))\"`",
				})
				break
			}
		}
	}),
})

// toolInstalled reports whether the stage (or a stage it builds on) installs
// tool with the OS package manager or copies it in.
func toolInstalled(st *dockerfile.Stage, tool string) bool {
	for _, in := range st.ChainInstructions() {
		switch in.Keyword {
		case "RUN":
			if in.Script == nil {
				continue
			}
			for _, c := range in.Script.Commands {
				if install.InstallsSystemPackage(c, tool) {
					return true
				}
			}
			// A script that did not parse: look for the package name next
			// to an install verb.
			if !in.Script.Parsed && strings.Contains(in.Script.Text, tool) &&
				(strings.Contains(in.Script.Text, "install") || strings.Contains(in.Script.Text, "apk add")) {
				return true
			}
		case "COPY", "ADD":
			for _, a := range in.Args() {
				if strings.Contains(a, tool) {
					return true
				}
			}
		}
	}
	return false
}
