package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// ZombiesNotReaped reports a PID 1 that leaves orphans as zombies.
var ZombiesNotReaped = register(observation.StepReap, &analysis.Rule{
	ID:       "RT008",
	Name:     "zombies-not-reaped",
	Title:    "PID 1 does not reap orphaned processes",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "When a process exits, its parent must collect its exit status, or it stays in the process table " +
			"as a zombie. Processes whose parent died are re-parented to PID 1, so PID 1 must reap them: an init " +
			"does, node does not. `seaworthy verify` leaves an orphan behind with `docker exec` (a shell that " +
			"backgrounds a short `sleep` and exits) and checks that it is gone after it ends. Zombies from child " +
			"processes, health-check scripts and `docker exec` sessions accumulate until the pid limit is reached " +
			"and nothing can fork any more.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nUSER node\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Run an init as PID 1: `ENTRYPOINT [\"tini\", \"--\"]` (or dumb-init), or start the container " +
			"with `docker run --init` / `init: true` in compose.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.Reap.Skipped != "" || !r.Reap.Zombie {
			return
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("an orphaned child process (pid %d in the container) stayed a zombie: PID 1 (`%s`) does not reap children it did not start", r.Reap.PID, r.Reap.Init),
			Help:    "run an init as PID 1: `ENTRYPOINT [\"tini\", \"--\"]` or `docker run --init`",
		})
	}),
})
