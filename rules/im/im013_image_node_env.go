package im

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageNodeEnv reports a Node image without NODE_ENV=production.
var ImageNodeEnv = family.Add(&analysis.Rule{
	ID:       "IM013",
	Name:     "image-node-env",
	Title:    "a Node image without NODE_ENV=production",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "Express, Next.js and many libraries switch on `NODE_ENV`: without `production` Express renders stack " +
			"traces into error pages and recompiles views on every request, and other frameworks keep dev-only " +
			"checks and verbose logging on. The image is a Node image when it sets NODE_VERSION or has a node binary.",
		Bad:         "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Env\": [\"NODE_VERSION=22.12.0\"], \"Cmd\": [\"node\", \"server.js\"]}}\n",
		Good:        "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Env\": [\"NODE_VERSION=22.12.0\", \"NODE_ENV=production\"], \"Cmd\": [\"node\", \"server.js\"]}}\n",
		ExampleFile: exampleFile,
		Fix:         "Add `ENV NODE_ENV=production` to the final stage.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		if !img.IsNode() {
			return
		}
		v, ok := img.Env("NODE_ENV")
		if ok && v == "production" {
			return
		}
		why := "its Env does not set NODE_ENV"
		if ok {
			why = fmt.Sprintf("its Env sets NODE_ENV=%s", v)
		}
		pass.Report(analysis.Finding{
			Message: "a Node image where " + why + ": frameworks keep their development behaviour",
			Help:    "add `ENV NODE_ENV=production` to the final stage",
		})
	}),
})
