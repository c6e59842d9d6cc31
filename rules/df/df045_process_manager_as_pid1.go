package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// ProcessManagerAsPID1 reports a container whose main process is a
// process manager (pm2, concurrently, forever, nodemon, supervisord).
var ProcessManagerAsPID1 = register(&analysis.Rule{
	ID:       "DF045",
	Name:     "process-manager-as-pid1",
	Title:    "the container runs a process manager",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Docker, Kubernetes and every other orchestrator already supervise the container: they restart " +
			"it when its process exits, scale it by running more containers, and collect its logs from " +
			"stdout. A process manager inside (`pm2 start`, `forever`, `concurrently`, `nodemon`, " +
			"supervisord) does the same job a second time and hides what the orchestrator needs to see: a " +
			"crashed app is restarted inside a container that still looks healthy, `concurrently` keeps the " +
			"container up when one of its processes died, `pm2 start` daemonizes so the container exits at " +
			"once, and signals on `docker stop` do not reliably reach the app.",
		Bad:  "FROM node:22-slim\nRUN npm install -g pm2@5.4.2\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"pm2\", \"start\", \"server.js\", \"--no-daemon\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Run one process per container with node directly (`CMD [\"node\", \"server.js\"]`) and let the " +
			"orchestrator restart it; run each process of a `concurrently` command in a service of its own. " +
			"When pm2's cluster mode or its features are wanted, use `pm2-runtime`, made for containers " +
			"(`CMD [\"pm2-runtime\", \"ecosystem.config.js\"]`).",
		AppliesTo: "It is about how a deployed container is supervised. Development containers run watchers such " +
			"as nodemon on purpose.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range f.FinalStages() {
			words, ok := stage.ProcessWords(f, st)
			if !ok {
				continue
			}
			argv := make([]string, len(words))
			for i, w := range words {
				argv[i] = w.Text
			}
			run := command.Unwrap(argv) // npx pm2, cross-env … forever
			if len(run) == 0 {
				continue
			}
			name := command.BaseName(run[0])
			why, ok := knowledge.ProcessManager(name)
			in := words[0].In
			if !ok || seen[in] {
				continue
			}
			seen[in] = true
			help := "run the app with node directly, `CMD [\"node\", \"<main>\"]`, one process per container"
			if name == "pm2" {
				help = "run `pm2-runtime` (pm2's container mode) instead of `pm2`, or node directly"
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, in),
				Message: fmt.Sprintf("the container's main process is %s: it %s", "`"+analysis.Snippet(strings.Join(run, " "), 60)+"`", why),
				Help:    help,
			})
		}
	}),
})
