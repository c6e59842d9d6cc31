package df

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/secret"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// SecretInEnvOrArg reports ENV and ARG that carry secrets.
var SecretInEnvOrArg = register(&analysis.Rule{
	ID:       "DF022",
	Name:     "secret-in-env-or-arg",
	Title:    "secret passed through ENV or ARG",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Neither `ENV` nor `ARG` keeps a secret. An `ENV` value is part of the image config: anyone who can " +
			"pull the image reads it with `docker inspect`, and every container started from it has it. A build " +
			"argument is recorded in the image history (`docker history` shows the RUN commands that used it, " +
			"with the value), and a default value sits in the Dockerfile itself, in version control.\n\n" +
			"The rule fires on `ENV` and `ARG` names that look like secrets (components such as TOKEN, SECRET, " +
			"PASSWORD, PASSWD, PASS, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS, AUTH — whole words, so " +
			"`PASSPORT_URL` or `AUTHOR` do not count, nor names that point at a secret such as `NPM_TOKEN_FILE` or " +
			"`*_PATH`), unless the value shows it holds none: a number, a duration (`30s`), a boolean, a path, or an obvious " +
			"placeholder (`placeholder`, `dummy`, `changeme`, `test`, `xxx`). Names with a client-public prefix " +
			"(`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`, `EXPO_PUBLIC_`) are bundled into client code by design and do not count. " +
			"An `ARG` without a default still counts: its value comes at build time; an `ENV` set from an `ARG` is judged by " +
			"the ARG's default (`ARG grace_period=0` then `ENV PRIVATE_KEY_ROTATION_GRACE_PERIOD=${grace_period}` holds a number). The rule also fires on any value that embeds a credential: a URL with a password, a GitHub, npm, Slack or " +
			"Stripe live token, an AWS access key, a PEM private key. An `ENV` with an empty value is fine, and so " +
			"is an `ARG` used only to name a BuildKit secret (`--mount=type=secret,id=$SECRET_ID`).\n\n" +
			"In a build stage that does not reach the final image, a secret-looking name is a warning: that stage's " +
			"config and history are not shipped, but its layers stay in the build cache. A credential written into " +
			"the Dockerfile itself is an error in any stage.",
		Bad: "FROM node:22-slim\nARG NPM_TOKEN\nWORKDIR /app\nCOPY package*.json .npmrc ./\nRUN npm ci --omit=dev\n" +
			"USER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "# syntax=docker/dockerfile:1\nFROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\n" +
			"RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "For build-time secrets use a BuildKit secret mount: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` " +
			"with `docker build --secret id=npm_token,env=NPM_TOKEN`. For runtime secrets, drop the `ENV` and let the " +
			"platform inject the value when the container starts (orchestrator environment, mounted secret files). " +
			"Rotate any credential that was ever committed or pushed in an image.",
		AppliesTo: "A secret in ENV or ARG ends up in the image's config or history, which travels with every copy " +
			"of the image: development and CI images are pushed and cached too.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, in := range f.Instructions {
			// A stage that does not reach the final image ships neither its
			// config nor its history: a secret-looking name there is a
			// warning. A credential written in the Dockerfile is an error
			// wherever it is.
			shipped := in.Stage == nil || stage.Shipped(f, in.Stage)
			byName := func(msg, help string) {
				fd := analysis.Finding{Range: locate.Instruction(f, in), Message: msg, Help: help}
				if !shipped {
					fd.Severity = analysis.Warning
					fd.Message += fmt.Sprintf(" (build stage %s is not shipped, but its layers stay in the build cache)", in.Stage.Label())
				}
				pass.Report(fd)
			}
			switch c := in.Command.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					value := ""
					if kv.Value != nil {
						value = *kv.Value
					}
					if kind, ok := secret.Credential(value); ok {
						pass.Report(analysis.Finding{
							Range:   locate.Instruction(f, in),
							Message: fmt.Sprintf("ARG %s has a default that embeds %s: it is in the Dockerfile and in the image history", kv.Key, kind),
							Help:    "remove the default and pass the secret with `--secret` and `RUN --mount=type=secret`",
						})
						continue
					}
					if !secret.Name(kv.Key) || secret.PublicName(kv.Key) || notSecretValue(value) || secretArgOnlyNamesSecret(f, in, kv.Key) {
						continue
					}
					msg := fmt.Sprintf("ARG %s looks like a secret: build arguments are recorded in the image history", kv.Key)
					if kv.Value != nil && strings.Trim(value, `"'`) != "" {
						msg = fmt.Sprintf("ARG %s looks like a secret and has a default value: it is in the Dockerfile and in the image history", kv.Key)
					}
					id := strings.ToLower(kv.Key)
					byName(msg, fmt.Sprintf("use a build secret instead: `RUN --mount=type=secret,id=%s,env=%s …` with `docker build --secret id=%s`", id, kv.Key, id))
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					value := strings.Trim(kv.Value, `"'`)
					if kind, ok := secret.Credential(value); ok {
						pass.Report(analysis.Finding{
							Range:   locate.Instruction(f, in),
							Message: fmt.Sprintf("ENV %s embeds %s: it is written in the Dockerfile and kept in the image config", kv.Key, kind),
							Help:    "inject the value when the container starts instead of baking it into the image",
						})
						continue
					}
					if value == "" || !secret.Name(kv.Key) || secret.PublicName(kv.Key) || notSecretValue(value) {
						continue
					}
					msg := fmt.Sprintf("ENV %s looks like a secret: its value is stored in the image config for anyone who pulls the image", kv.Key)
					if refs := command.VarRefs(value); len(refs) == 1 && (value == "$"+refs[0] || value == "${"+refs[0]+"}") {
						if d, ok := argDefault(in, refs[0]); ok && notSecretValue(d) {
							continue // set from an ARG whose default is a setting (`ARG grace_period=0`)
						}
						msg = fmt.Sprintf("ENV %s looks like a secret: the value of `%s` it is set from is stored in the image config for anyone who pulls the image", kv.Key, value)
					}
					byName(msg, "inject it at run time (orchestrator env, mounted secret file); at build time use `RUN --mount=type=secret`")
				}
			}
		}
	}),
})

// notSecretValue reports whether a literal value shows that a
// secret-looking variable holds no secret: a number, duration, boolean or
// path (a setting about a secret, or where to find it), or an obvious
// placeholder. A value that refers to a variable may carry a real secret.
func notSecretValue(value string) bool {
	value = strings.Trim(value, `"'`)
	if value == "" || strings.Contains(value, "$") {
		return false
	}
	if _, ok := secret.TypedValue(value); ok {
		return true
	}
	return secret.Placeholder(value)
}

// argDefault returns the value a variable has before in when the build
// passes no --build-arg: the default of the ARG (or ENV) of the stage.
func argDefault(in *dockerfile.Instruction, name string) (string, bool) {
	if in.Stage == nil {
		return "", false
	}
	v, ok := stage.Scopes(in.Stage)[in].Vars[name]
	return v, ok
}

// secretArgOnlyNamesSecret reports whether the ARG is used, after its
// declaration, only inside `--mount=type=secret` options (`id=$ID`,
// `env=NAME`): then its value names a secret and is not one.
func secretArgOnlyNamesSecret(f *dockerfile.File, arg *dockerfile.Instruction, name string) bool {
	inMount, elsewhere := false, false
	mentions := func(s string) bool {
		for _, r := range command.VarRefs(s) {
			if r == name {
				return true
			}
		}
		return false
	}
	started := false
	for _, in := range f.Instructions {
		if in == arg {
			started = true
			continue
		}
		if !started || (arg.Stage != nil && in.Stage != arg.Stage) {
			continue
		}
		var text strings.Builder
		for n := in.StartLine; n <= in.EndLine; n++ {
			text.WriteString(f.Line(n))
			text.WriteByte('\n')
		}
		body := text.String()
		secretEnv := false
		for _, fl := range in.Flags {
			body = strings.Replace(body, fl, "", 1)
		}
		for _, m := range in.Mounts {
			if m.Type != instructions.MountTypeSecret {
				if mentions(m.Target) || mentions(m.Source) || mentions(m.CacheID) {
					elsewhere = true
				}
				continue
			}
			if mentions(m.CacheID) || mentions(m.Target) || m.Env != nil && *m.Env == name {
				inMount = true
			}
			if m.Env != nil && *m.Env == name {
				secretEnv = true // $NAME in this RUN is the secret, not the ARG
			}
		}
		if !secretEnv && mentions(body) {
			elsewhere = true
		}
	}
	return inMount && !elsewhere
}
