package df

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// HealthcheckNoStartPeriod reports HEALTHCHECK without --start-period.
var HealthcheckNoStartPeriod = register(&analysis.Rule{
	ID:       "DF019",
	Name:     "healthcheck-no-start-period",
	Title:    "healthcheck has no start period",
	Severity: analysis.Info,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Without `--start-period`, failed checks count from the moment the container starts. " +
			"An app that needs a few seconds to connect to its database or warm caches can be " +
			"marked `unhealthy` (and restarted by Swarm, or block Compose dependants) before it ever " +
			"had a chance to answer. During the start period failures do not count, while a success " +
			"marks the container healthy at once.",
		Bad:  "FROM node:22-slim\nUSER node\nHEALTHCHECK --interval=30s CMD [\"node\", \"healthcheck.js\"]\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nUSER node\nHEALTHCHECK --interval=30s --start-period=20s CMD [\"node\", \"healthcheck.js\"]\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add `--start-period=<time>` covering the app's worst-case startup (`--start-period=20s`); " +
			"with Docker 25+ also `--start-interval=2s` to check often while starting.",
		AppliesTo: "It is about restarts of a deployed container that starts slowly; development and test " +
			"containers are watched by hand.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				if in.Keyword != "HEALTHCHECK" || in.Command == nil || stage.HealthcheckNone(in) {
					continue
				}
				if _, ok := in.Flag("start-period"); ok {
					continue
				}
				pass.Report(analysis.Finding{
					Range:   locate.Instruction(f, in),
					Message: "HEALTHCHECK has no `--start-period`: failures while the app is still starting count towards `unhealthy`",
					Help:    "add `--start-period=<startup time>`, e.g. `--start-period=20s`",
				})
			}
		}
	}),
})
