package im

import (
	"fmt"
	"path"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageNoInit reports node (or a package manager) as PID 1 with no init.
var ImageNoInit = family.Add(&analysis.Rule{
	ID:       "IM011",
	Name:     "image-no-init",
	Title:    "node runs as PID 1 with no init",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "PID 1 has special duties: the kernel gives it no default signal handlers (a SIGTERM the app does not " +
			"handle does nothing) and it must reap orphaned child processes, which Node does not do. An app that " +
			"spawns processes fills the process table with zombies; one that does not handle SIGTERM is killed " +
			"after the grace period. An init (tini, dumb-init) as PID 1 forwards signals and reaps children. " +
			"npm, yarn and pnpm as PID 1 are worse: they do not forward signals reliably either.",
		Bad:         "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n",
		Good:        "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Entrypoint\": [\"/usr/bin/tini\", \"--\"], \"Cmd\": [\"node\", \"server.js\"]}}\n",
		ExampleFile: exampleFile,
		Fix: "Install tini and make it the entrypoint (`ENTRYPOINT [\"/usr/bin/tini\", \"--\"]`), or run the " +
			"container with `docker run --init` / compose `init: true`, and run node, not npm, as the command.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		argv := img.Command()
		if _, shell := shellForm(argv); shell || len(argv) == 0 {
			return // IM010
		}
		// The official images' entrypoint execs its arguments.
		if path.Base(argv[0]) == "docker-entrypoint.sh" && len(argv) > 1 {
			argv = argv[1:]
		}
		switch path.Base(argv[0]) {
		case "node", "nodejs", "npm", "npx", "yarn", "pnpm":
		default:
			return
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("PID 1 is %s with no init: it gets no default signal handling and does not reap child processes", quoteCommand(argv)),
			Help:    "make tini the entrypoint (`ENTRYPOINT [\"/usr/bin/tini\", \"--\"]`) or run with `--init`",
		})
	}),
})
