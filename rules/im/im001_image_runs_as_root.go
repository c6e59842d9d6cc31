package im

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageRunsAsRoot reports an image whose config runs as root.
var ImageRunsAsRoot = family.Add(&analysis.Rule{
	ID:       "IM001",
	Name:     "image-runs-as-root",
	Title:    "the image runs as root",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "The image's config sets no user, or sets root (`root`, `0`, `0:0`), so its process runs with uid 0 " +
			"unless whoever runs it overrides the user. Root in a container is root on the host's kernel: a " +
			"vulnerability in the app, combined with any container escape, writable host mount or extra " +
			"capability, becomes root on the node. The config is what the built image says, whatever the " +
			"Dockerfile meant (a `USER` in a build stage that is not the last does not count).",
		Bad:         "-- image/config.json --\n{\"config\": {\"Cmd\": [\"node\", \"server.js\"]}}\n",
		Good:        "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n",
		ExampleFile: exampleFile,
		Fix: "Add `USER node` (official node images ship that user, uid 1000) or create a system user and switch to it " +
			"in the final stage; give it what it must write with `COPY --chown`.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		user := strings.TrimSpace(img.Config.Config.User)
		name, _, _ := strings.Cut(user, ":")
		var why string
		switch {
		case user == "":
			why = "its config sets no User"
		case name == "root" || name == "0":
			why = fmt.Sprintf("its config's User is %q", user)
		default:
			return
		}
		pass.Report(analysis.Finding{
			Message: "the image runs as root: " + why,
			Help:    "add `USER node` (or another non-root user) to the final stage",
		})
	}),
})
