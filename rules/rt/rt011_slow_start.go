package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// SlowStart reports a container that takes long to become ready.
var SlowStart = register(observation.StepReady, &analysis.Rule{
	ID:       "RT011",
	Name:     "slow-start",
	Title:    "the container takes long to become ready",
	Severity: analysis.Info,
	Doc: analysis.Doc{
		Why: "Time to ready is how long a new instance leaves a scale-up, a deploy or a crash recovery " +
			"without capacity. `seaworthy verify` always reports it; this rule fires when it is above the " +
			"threshold (`--slow-start`, default 10 s). Common causes: compiling TypeScript or bundling at start " +
			"(`ts-node`, `npm run build && node`), installing dependencies in the CMD, migrations run by every " +
			"replica, and synchronous warm-up before `listen()`.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"npx\", \"ts-node\", \"src/server.ts\"]\n",
		Good: "FROM node:22-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nUSER node\nCMD [\"node\", \"dist/server.js\"]\n",
		Fix: "Build ahead of time (compile in the image build, not at start), run migrations as a separate " +
			"job, and start listening before optional warm-up work.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.Settings.SlowStart <= 0 || r.Start.ReadyAfter <= r.Settings.SlowStart {
			return
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("the container took %s to become ready (threshold %s)", seconds(r.Start.ReadyAfter), seconds(r.Settings.SlowStart)),
			Help:    "build ahead of time and listen before optional warm-up; raise --slow-start if this is expected",
		})
	}),
})
