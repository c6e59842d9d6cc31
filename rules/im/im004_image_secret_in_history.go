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
		// The classic builder repeats every build argument on each later
		// RUN: one finding per argument, at its first entry.
		type arg struct {
			what        string
			first, more int
		}
		var args []*arg
		seen := map[string]*arg{}
		for i, h := range img.Config.History {
			for _, kv := range imagefs.BuildArgs(h.CreatedBy) {
				if kv.Value == "" || env[kv.Key+"="+kv.Value] {
					continue // empty, or the config's Env: IM003
				}
				what, ok := buildArgSecret(kv)
				if !ok {
					continue
				}
				if a := seen[kv.Key+"="+kv.Value]; a != nil {
					a.more++
					continue
				}
				a := &arg{what: what, first: i}
				seen[kv.Key+"="+kv.Value] = a
				args = append(args, a)
			}
		}
		report := func(what string, entry int, more int) {
			later := ""
			switch more {
			case 0:
			case 1:
				later = " and 1 later entry"
			default:
				later = fmt.Sprintf(" and %d later entries", more)
			}
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("%s is in history entry %d (`%s`)%s: `docker history` prints it to anyone who pulls the image",
					what, entry+1, instruction(img.Config.History[entry].CreatedBy), later),
				Help: "pass the secret as a BuildKit secret (`RUN --mount=type=secret`) instead of a build argument, and rotate it",
			})
		}
		for _, a := range args {
			report(a.what, a.first, a.more)
		}
		for i, h := range img.Config.History {
			ins := imagefs.Instruction(h.CreatedBy)
			if strings.HasPrefix(ins, "ENV ") || strings.HasPrefix(ins, "ARG ") {
				continue // IM003, and the build arguments above
			}
			if kind, ok := secret.Credential(ins); ok {
				report(kind+" in the command", i, 0)
			}
		}
	}),
})

// buildArgSecret says what secret a build argument holds, value masked.
func buildArgSecret(kv imagefs.KV) (string, bool) {
	if kind, ok := secret.Credential(kv.Value); ok {
		return fmt.Sprintf("build argument `%s=%s` (%s)", kv.Key, secret.MaskCredentials(kv.Value), kind), true
	}
	if !secret.Name(kv.Key) || secret.PublicName(kv.Key) || secret.Placeholder(kv.Value) || strings.Contains(kv.Value, "$") {
		return "", false
	}
	if _, typed := secret.TypedValue(kv.Value); typed {
		return "", false
	}
	return fmt.Sprintf("build argument `%s=%s`", kv.Key, secret.Mask(kv.Value)), true
}
