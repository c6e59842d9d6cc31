package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// RunsAsRoot reports PID 1 running as uid 0.
var RunsAsRoot = register(observation.StepUser, &analysis.Rule{
	ID:       "RT003",
	Name:     "runs-as-root",
	Title:    "PID 1 runs as root",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "The container's main process runs with uid 0. Root in a container is root on the host's " +
			"kernel: a vulnerability in the app or one of its dependencies, combined with any container escape, " +
			"a writable host mount or a mis-set capability, becomes root on the node. `seaworthy verify` reads " +
			"the uid of PID 1 in the running container, so it also catches entrypoint scripts that were meant to " +
			"drop privileges and did not.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add `USER node` (official node images ship that user, uid 1000) or create a system user and " +
			"switch to it in the final stage. Give it ownership of what it must write with `COPY --chown`.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.User.Skipped != "" || r.User.UID != 0 {
			return
		}
		why := "the image sets no USER"
		if r.User.Configured != "" {
			why = fmt.Sprintf("the image's USER is %q", r.User.Configured)
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("PID 1 (`%s`) runs as uid 0 (root): %s", r.User.Command, why),
			Help:    "add `USER node` (or another non-root user) to the final stage",
		})
	}),
})
