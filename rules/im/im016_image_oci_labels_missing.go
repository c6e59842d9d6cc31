package im

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ociLabels are the labels that say where an image came from.
var ociLabels = []string{"org.opencontainers.image.source", "org.opencontainers.image.revision"}

// ImageOCILabelsMissing reports an image that does not say where it came
// from.
var ImageOCILabelsMissing = family.Add(&analysis.Rule{
	ID:       "IM016",
	Name:     "image-oci-labels-missing",
	Title:    "the image does not say which source and revision it was built from",
	Severity: analysis.Info,
	Doc: analysis.Doc{
		Why: "`org.opencontainers.image.source` and `org.opencontainers.image.revision` tie an image to the " +
			"repository and commit it was built from: registries (GitHub's, Docker Hub) link them, Renovate and " +
			"Dependabot use them for changelogs, and whoever investigates a running container can tell which code " +
			"it runs.",
		Bad: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n",
		Good: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"], \"Labels\": {\n" +
			"  \"org.opencontainers.image.source\": \"https://github.com/acme/api\",\n" +
			"  \"org.opencontainers.image.revision\": \"4f1c2a9\"}}}\n",
		ExampleFile: exampleFile,
		Fix: "Set them at build time: `docker build --label org.opencontainers.image.source=$REPO_URL --label " +
			"org.opencontainers.image.revision=$(git rev-parse HEAD)`, or docker/metadata-action in GitHub Actions.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		var missing []string
		for _, l := range ociLabels {
			if img.Config.Config.Labels[l] == "" {
				missing = append(missing, l)
			}
		}
		if len(missing) == 0 {
			return
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("the image has no %s label", listSome(missing, 2)),
			Help:    "add --label org.opencontainers.image.source=… --label org.opencontainers.image.revision=… to the build",
		})
	}),
})
