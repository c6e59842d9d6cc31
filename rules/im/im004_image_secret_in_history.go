package im

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/facts/secret"
)

// ImageSecretInHistory reports secrets in the image's history.
var ImageSecretInHistory = family.Add(&analysis.Rule{
	ID:       "IM004",
	Name:     "image-secret-in-history",
	Title:    "the image's history shows a secret",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "`docker history --no-trunc` prints how every layer was made, and both builders write each RUN's build " +
			"arguments into it in clear text (`|1 NPM_TOKEN=… /bin/sh -c npm ci`), as they do an `ARG`'s default. " +
			"A token passed with `--build-arg` is therefore published with the image even when no file keeps it. " +
			"Every secret of every history line is reported, masked, not only the first.",
		Bad: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"|1 NPM_TOKEN=npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6 /bin/sh -c npm ci\"}]}\n" +
			"-- image/layer1/app/package.json --\n{\"name\": \"app\"}\n",
		Good: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"RUN /bin/sh -c npm ci # buildkit\"}]}\n" +
			"-- image/layer1/app/package.json --\n{\"name\": \"app\"}\n",
		ExampleFile: exampleFile,
		Fix: "Pass secrets to the build as BuildKit secrets (`RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci`, " +
			"`docker build --secret id=npm,env=NPM_TOKEN`), which leave no trace in history or layers. Rotate the " +
			"secret: it is in every copy of the image already pushed.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		env := map[string]bool{}
		for _, e := range img.Config.Config.Env {
			env[e] = true
		}
		for i, h := range img.Config.History {
			var found []string
			for _, kv := range imagefs.BuildArgs(h.CreatedBy) {
				if env[kv.Key+"="+kv.Value] {
					continue // the config's Env: IM003
				}
				if kv.Value == "" {
					continue
				}
				if kind, ok := secret.Credential(kv.Value); ok {
					found = append(found, fmt.Sprintf("%s `%s=%s`", kind, kv.Key, secret.MaskCredentials(kv.Value)))
					continue
				}
				if secret.Name(kv.Key) && !secret.PublicName(kv.Key) && !secret.Placeholder(kv.Value) && !strings.Contains(kv.Value, "$") {
					if _, typed := secret.TypedValue(kv.Value); !typed {
						found = append(found, fmt.Sprintf("build argument `%s=%s`", kv.Key, secret.Mask(kv.Value)))
					}
				}
			}
			ins := imagefs.Instruction(h.CreatedBy)
			if len(found) == 0 && !strings.HasPrefix(ins, "ENV ") {
				if kind, ok := secret.Credential(ins); ok {
					found = append(found, kind+" in the command")
				}
			}
			if len(found) == 0 {
				continue
			}
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("history entry %d (`%s`) shows %s: `docker history` prints it to anyone who pulls the image",
					i+1, instruction(h.CreatedBy), listSome(found, 4)),
				Help: "pass the secret as a BuildKit secret (`RUN --mount=type=secret`) instead of a build argument, and rotate it",
			})
		}
	}),
})
