package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// UncleanExit reports a non-zero exit code after SIGTERM.
var UncleanExit = register(observation.StepSIGTERM, &analysis.Rule{
	ID:       "RT006",
	Name:     "unclean-exit",
	Title:    "the container exits with a non-zero code after SIGTERM",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "After SIGTERM the container stopped within the grace period, but with a non-zero exit code. " +
			"Exit code 143 (128 + 15) means the process was killed by the signal itself: nothing handled " +
			"SIGTERM, so the runtime died mid-work. Any other code means the shutdown path failed. " +
			"Orchestrators count these as failures: restart policies fire, alerts trigger, and `docker compose` " +
			"reports the service as failed on every stop.\n\nWhen the container had to be killed (RT004), its " +
			"exit code is SIGKILL's and this rule stays silent.",
		Bad:         "// no SIGTERM handler: node dies of the signal, exit code 143\nhttp.createServer(app).listen(3000);\n",
		Good:        "const server = http.createServer(app).listen(3000);\nprocess.on('SIGTERM', () => server.close(() => process.exit(0)));\n",
		ExampleFile: "server.js",
		Fix: "Handle SIGTERM and exit with code 0 once the shutdown is done. If a cleanup step can fail, log " +
			"the error and still decide deliberately what to exit with.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.Term.Skipped != "" || !r.Term.Exited || r.Term.Killed || r.Term.ExitCode == 0 {
			return
		}
		msg := fmt.Sprintf("after SIGTERM the container exited with code %s", exitCode(r.Term.ExitCode))
		if l := lastLog(r.Term.Logs); l != "" && r.Term.ExitCode != 143 {
			msg += fmt.Sprintf("; its last output: %q", l)
		}
		help := "exit with code 0 after a graceful shutdown"
		if r.Term.ExitCode == 143 {
			help = "handle SIGTERM: `process.on('SIGTERM', () => server.close(() => process.exit(0)))`"
		}
		pass.Report(analysis.Finding{Message: msg, Help: help})
	}),
})
