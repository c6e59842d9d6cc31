package im

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageSecretInLowerLayer reports secret files that a later layer deleted
// or overwrote: still in the image.
var ImageSecretInLowerLayer = family.Add(&analysis.Rule{
	ID:       "IM006",
	Name:     "image-secret-in-lower-layer",
	Title:    "a secret file deleted by a later layer is still in the image",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Layers only add: `RUN rm .npmrc` in a later layer hides the file from the container's filesystem but " +
			"leaves it in the layer that added it, and `docker save` or a registry pull gets that layer whole. " +
			"Anyone with the image can extract the token, key or `.env` from it with tar. The audit reads every " +
			"layer, so it reports the file with the layer that added it and the one that deleted or rewrote it.",
		Bad: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"RUN /bin/sh -c echo \\\"//registry.npmjs.org/:_authToken=$NPM_TOKEN\\\" > .npmrc && npm ci # buildkit\"},\n" +
			"             {\"created_by\": \"RUN /bin/sh -c rm .npmrc # buildkit\"}]}\n" +
			"-- image/layer1/app/.npmrc --\n//registry.npmjs.org/:_authToken=npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6\n" +
			"-- image/layer2/app/.wh..npmrc --\n",
		Good: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"RUN --mount=type=secret,id=npmrc,target=/app/.npmrc /bin/sh -c npm ci # buildkit\"}]}\n" +
			"-- image/layer1/app/package-lock.json --\n{\"lockfileVersion\": 3}\n",
		ExampleFile: exampleFile,
		Fix: "Never write the secret into a layer: mount it for the one step that needs it " +
			"(`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`), or do the work in a build stage and " +
			"copy only the result into the final stage. Rotate the secret: deleting it later does not remove it.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		for _, s := range img.Secrets {
			if s.Hidden == nil {
				continue
			}
			how := "rewritten"
			if s.Hidden.Deleted {
				how = "deleted"
			}
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("/%s, %s (`%s`), was added by %s and %s by %s: still in the image, extractable from the lower layer",
					s.File.Path, s.Kind, s.Evidence, layerName(img, s.File.Layer), how, layerName(img, s.Hidden.By)),
				Help:  "mount the secret for the step that needs it (`RUN --mount=type=secret`) instead of writing and deleting it, and rotate it",
				Layer: img.Layers[s.File.Layer].Digest,
				Path:  "/" + s.File.Path,
			})
		}
	}),
})
