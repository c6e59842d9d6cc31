package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// ContainerExitsEarly reports a container that stops (or never starts)
// before it is ready.
var ContainerExitsEarly = register(observation.StepStart, &analysis.Rule{
	ID:       "RT001",
	Name:     "container-exits-early",
	Title:    "the container exits before it becomes ready",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "`seaworthy verify` started the image and the container stopped before its readiness probe " +
			"passed: a crash at start-up (a missing module, a missing environment variable, a syntax error), " +
			"a command that does not exist in the image, or an out-of-memory kill. An orchestrator would restart " +
			"it in a loop (CrashLoopBackOff) and the service never comes up.\n\n" +
			"The finding quotes the exit code and the last line the container printed.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY server.js ./\nUSER node\n# server.js throws when DATABASE_URL is unset\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY server.js ./\nENV DATABASE_URL=postgres://db/app\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Run the image by hand (`docker run --rm IMAGE`) and read the error. Give the container what it " +
			"needs at start (`seaworthy verify --env K=V`), make sure the command exists in the final stage, and " +
			"raise the memory limit if it was OOM-killed.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if r == nil {
			return
		}
		st := r.Start
		var msg string
		switch {
		case st.StartFailed != "":
			msg = fmt.Sprintf("the container could not start: %s", st.StartFailed)
		case st.Exited:
			msg = fmt.Sprintf("the container exited with code %s %s after it started, before it became ready", exitCode(st.ExitCode), seconds(st.ExitAfter))
		case st.ExitedAfterReady:
			msg = fmt.Sprintf("the container exited by itself with code %s %s after it started, before it was asked to stop", exitCode(st.ExitCode), seconds(st.ExitAfter))
		default:
			return
		}
		if st.OOMKilled {
			msg += "; it was killed for using more memory than its limit"
		}
		if l := lastLog(st.Logs); l != "" {
			msg += fmt.Sprintf("; its last output: %q", l)
		}
		help := "run it with `docker run --rm " + r.Image + "` to see the error; pass what it needs with --env K=V"
		if st.StartFailed != "" {
			help = "the ENTRYPOINT/CMD must name a program that exists in the final image"
		}
		pass.Report(analysis.Finding{Message: msg, Help: help})
	}),
})
