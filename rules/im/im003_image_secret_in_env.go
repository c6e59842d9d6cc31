package im

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/facts/secret"
)

// ImageSecretInEnv reports secrets in the config's environment.
var ImageSecretInEnv = family.Add(&analysis.Rule{
	ID:       "IM003",
	Name:     "image-secret-in-env",
	Title:    "the image's environment holds a secret",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Every `ENV` of the image is in its config: `docker inspect` prints it, every registry that stores the " +
			"image and every machine that pulls it has it, and every process and child process of the container " +
			"inherits it. A password, token or key there is published with the image. Values are checked by name " +
			"(`API_KEY`, `DB_PASSWORD`, `*_TOKEN`, not `*_FILE` or `*_URL`) and by form (a URL with a password, " +
			"GitHub, npm, Stripe, Slack and AWS key formats), whatever the name; seaworthy masks them in its output.",
		Bad:         "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"],\n  \"Env\": [\"NODE_ENV=production\", \"DATABASE_URL=postgres://app:S3cretPassw0rd@db:5432/app\"]}}\n",
		Good:        "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"],\n  \"Env\": [\"NODE_ENV=production\", \"DATABASE_URL_FILE=/run/secrets/database_url\"]}}\n",
		ExampleFile: exampleFile,
		Fix: "Remove the `ENV` and pass the value when the container starts (`docker run -e`, compose `environment:` " +
			"from an untracked `.env`, a secrets manager), or mount it as a secret file and read it from `*_FILE`. " +
			"Rotate the secret: it is in every copy of the image already pushed.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		for _, e := range img.Config.Config.Env {
			key, val, ok := strings.Cut(e, "=")
			if !ok || val == "" {
				continue
			}
			what, ok := envSecret(key, val)
			if !ok {
				continue
			}
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("the image's Env %s: anyone who pulls the image can read it", what),
				Help:    "remove the ENV, pass the value at run time or as a secret file, and rotate it",
			})
		}
	}),
})

// envSecret says what secret a KEY=VALUE pair holds, value masked.
func envSecret(key, val string) (string, bool) {
	if kind, ok := secret.Credential(val); ok {
		return fmt.Sprintf("%s holds %s (`%s=%s`)", key, kind, key, secret.MaskCredentials(val)), true
	}
	if !secret.Name(key) || secret.PublicName(key) || secret.Placeholder(val) || strings.Contains(val, "${") {
		return "", false
	}
	if _, typed := secret.TypedValue(val); typed {
		return "", false
	}
	return fmt.Sprintf("%s holds a secret-looking value (`%s=%s`)", key, key, secret.Mask(val)), true
}
