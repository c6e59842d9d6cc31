package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// SigintIgnored reports a container SIGINT does not stop.
var SigintIgnored = register(observation.StepSIGINT, &analysis.Rule{
	ID:       "RT007",
	Name:     "sigint-ignored",
	Title:    "SIGINT does not stop the container",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "`seaworthy verify` sent SIGINT (what Ctrl-C sends to `docker run -it` and `docker compose up`) to " +
			"a fresh, ready container and it was still running at the end of the grace period. As PID 1, node " +
			"ignores every signal it has no handler for, and a handler that only logs swallows it. Developers " +
			"then kill containers by force and lose the shutdown path they would have tested.",
		Bad:         "process.on('SIGINT', () => console.log('press Ctrl-C again to quit'));\n",
		Good:        "for (const sig of ['SIGTERM', 'SIGINT']) {\n  process.on(sig, () => server.close(() => process.exit(0)));\n}\n",
		ExampleFile: "server.js",
		Fix: "Handle SIGINT like SIGTERM (close the server, then exit), and run an init such as tini as " +
			"PID 1 so a signal without a handler still has its default effect.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.Interrupt.Skipped != "" || !r.Interrupt.Killed {
			return
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("the container was still running %s after SIGINT and had to be killed; PID 1 is `%s`", seconds(r.Settings.Grace), r.Reap.Init),
			Help:    "handle SIGINT like SIGTERM, and run tini as ENTRYPOINT so unhandled signals still stop node",
		})
	}),
})
