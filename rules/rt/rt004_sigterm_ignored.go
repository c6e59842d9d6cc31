package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// SigtermIgnored reports a container still running at the end of the
// grace period after SIGTERM.
var SigtermIgnored = register(observation.StepSIGTERM, &analysis.Rule{
	ID:       "RT004",
	Name:     "sigterm-ignored",
	Title:    "SIGTERM does not stop the container",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "`docker stop`, Kubernetes and every orchestrator stop a container by sending SIGTERM to PID 1, " +
			"waiting a grace period (10 s in Docker, 30 s in Kubernetes) and then sending SIGKILL. " +
			"`seaworthy verify` sent SIGTERM and the container was still running at the deadline, so it had to " +
			"be killed: in-flight requests are cut, connections are not closed, and every deploy and scale-down " +
			"takes the whole grace period.\n\nThe usual causes: a shell-form `CMD` makes `/bin/sh` PID 1, and a " +
			"shell does not pass the signal on; node as PID 1 ignores SIGTERM unless the app installs a handler; " +
			"a handler that stops accepting but never exits.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD node server.js\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nUSER node\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n# server.js: process.on('SIGTERM', () => server.close(() => process.exit(0)))\n",
		Fix: "Use the exec form (`CMD [\"node\", \"server.js\"]`), run an init such as tini as ENTRYPOINT, " +
			"and handle SIGTERM in the app: stop accepting connections with `server.close()`, let in-flight " +
			"requests finish, close pools, then exit.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.Term.Skipped != "" || !r.Term.Killed {
			return
		}
		p := parsePID1(r.User.Command)
		help := "handle SIGTERM in the app: `process.on('SIGTERM', () => server.close(() => process.exit(0)))`"
		switch {
		case p.shell():
			help = "PID 1 is a shell (shell-form CMD/ENTRYPOINT), which does not pass SIGTERM on: use the exec form, `CMD [\"node\", \"server.js\"]`"
		case p.node():
			help = "node is PID 1 and ignores SIGTERM without a handler: handle it in the app, and run tini as ENTRYPOINT"
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("the container was still running %s after SIGTERM and had to be killed with SIGKILL; PID 1 is `%s`",
				seconds(r.Settings.Grace), r.User.Command),
			Help: help,
		})
	}),
})
