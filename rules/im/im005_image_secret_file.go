package im

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageSecretFile reports secret files in the final filesystem.
var ImageSecretFile = family.Add(&analysis.Rule{
	ID:       "IM005",
	Name:     "image-secret-file",
	Title:    "the image's filesystem holds a secret file",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "A file in the image is in every copy of it: `docker cp`, `docker save` or any registry pull gets it. " +
			"Build contexts carry `.env` files, `.npmrc` files with registry tokens, SSH and TLS private keys, " +
			"`.aws/credentials`, `.git-credentials` and `.docker/config.json` when `.dockerignore` does not keep " +
			"them out, and an install step that writes an `.npmrc` leaves it behind. Files are recognised by name " +
			"and then by content (a token, a key header, a password in a URL), inside node_modules too, and " +
			"reported with the layer that added them, the value masked.",
		Bad: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"COPY . . # buildkit\"}]}\n" +
			"-- image/layer1/app/server.js --\nrequire('http').createServer().listen(3000)\n" +
			"-- image/layer1/app/.env --\nSTRIPE_KEY=sk_live_51Habcdefghijklmnopqrstuv\n",
		Good: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"COPY . . # buildkit\"}]}\n" +
			"-- image/layer1/app/server.js --\nrequire('http').createServer().listen(3000)\n" +
			"-- image/layer1/app/.env.example --\nSTRIPE_KEY=\n",
		ExampleFile: exampleFile,
		Fix: "Keep secret files out of the build context with `.dockerignore` (`.env*`, `*.pem`, `.npmrc`, `.git`), " +
			"pass registry tokens as BuildKit secrets (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`), " +
			"and rotate every secret the image has carried.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		for _, s := range img.Secrets {
			if s.Hidden != nil {
				continue
			}
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("/%s is %s (`%s`), added by %s", s.File.Path, s.Kind, s.Evidence, layerName(img, s.File.Layer)),
				Help:    "keep it out of the build context with .dockerignore or pass it as a BuildKit secret, and rotate it",
				Layer:   img.Layers[s.File.Layer].Digest,
				Path:    "/" + s.File.Path,
			})
		}
	}),
})
