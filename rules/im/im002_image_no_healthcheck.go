package im

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageNoHealthcheck reports an image without a HEALTHCHECK.
var ImageNoHealthcheck = family.Add(&analysis.Rule{
	ID:       "IM002",
	Name:     "image-no-healthcheck",
	Title:    "the image has no HEALTHCHECK",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "Without a health check Docker, compose and Swarm know only whether the process is alive, not whether " +
			"it serves: a Node server stuck on a dead database connection or a full event loop stays \"running\" " +
			"and keeps receiving traffic, and `depends_on: condition: service_healthy` cannot wait for it. " +
			"(Kubernetes ignores HEALTHCHECK and uses its own probes: there, set those instead.)",
		Bad:         "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n",
		Good:        "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"],\n  \"Healthcheck\": {\"Test\": [\"CMD\", \"node\", \"healthcheck.js\"], \"Interval\": 30000000000}}}\n",
		ExampleFile: exampleFile,
		Fix: "Add `HEALTHCHECK CMD [\"node\", \"healthcheck.js\"]` with a small script that requests the app's health " +
			"endpoint and exits non-zero on failure (slim images have no curl or wget).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		hc := img.Config.Config.Healthcheck
		switch {
		case hc == nil || len(hc.Test) == 0:
			pass.Report(analysis.Finding{
				Message: "the image has no HEALTHCHECK: the engine knows only whether the process is alive, not whether it serves",
				Help:    "add `HEALTHCHECK CMD [\"node\", \"healthcheck.js\"]` with a script that requests the health endpoint",
			})
		case hc.Test[0] == "NONE":
			pass.Report(analysis.Finding{
				Message: "the image disables the health check of its base (`HEALTHCHECK NONE`)",
				Help:    "add a HEALTHCHECK of its own that requests the app's health endpoint",
			})
		}
	}),
})
