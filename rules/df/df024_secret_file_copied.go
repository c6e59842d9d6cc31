package df

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/secret"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// SecretFileCopied reports COPY/ADD of secret-looking files from the context.
var SecretFileCopied = register(&analysis.Rule{
	ID:       "DF024",
	Name:     "secret-file-copied",
	Title:    "secret file copied into the image",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "A file copied from the build context becomes part of a layer, and everyone who can pull the image can " +
			"extract it, even when a later step deletes it. Environment files (`.env`, `.env.production`), an `.npmrc` " +
			"with a registry token, SSH keys (`id_rsa`), private keys and certificates' keys (`*.pem`, `*.key`), " +
			"`.aws/` and `.ssh/` directories, `credentials.json` and `.git-credentials` are the usual way secrets end " +
			"up in published images.\n\n" +
			"The rule matches the name of each COPY/ADD source from the build context (not `COPY --from`). " +
			"Templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`), public keys (`id_rsa.pub`) and " +
			"certificates named as such (`ca-bundle.pem`, `fullchain.pem`, `cert.pem`) are not secrets.\n\n" +
			"An `.npmrc` or an environment file that the build context holds is judged by what it holds: an `.npmrc` " +
			"of settings (`auto-install-peers=true`, `registry=…`) or whose token is a reference " +
			"(`//registry.npmjs.org/:_authToken=${NPM_TOKEN}`, read from the environment when npm runs), and an env " +
			"file of settings, empty values and placeholders, hold no secret. A literal token or password, or a file " +
			"the rule cannot read (checked without its build context, excluded by `.dockerignore`, not parseable), " +
			"is reported.\n\n" +
			"In a build stage that does not reach the final image the finding is a warning: the file is not " +
			"shipped, but the stage's layers stay in the build cache (and in a registry cache exported with `mode=max`).",
		Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json .npmrc ./\nRUN npm ci --omit=dev\nCOPY .env ./\n" +
			"COPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "# syntax=docker/dockerfile:1\nFROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\n" +
			"RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Do not copy the file. Build-time credentials go in a secret mount " +
			"(`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`); runtime configuration is injected when " +
			"the container starts (compose `env_file`/`secrets`, orchestrator secrets). Add the file to `.dockerignore` " +
			"so a broad `COPY . .` cannot bring it in either, and rotate anything that was already pushed.",
		AppliesTo: "A secret file in a layer travels with every copy of the image: development and CI images are " +
			"pushed and cached too.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				c, ok := stage.CopyOf(in)
				if !ok || c.From != "" {
					continue
				}
				for _, src := range c.Sources {
					kind, ok := secretFileKind(src)
					if !ok {
						continue
					}
					if held, read := contextSecrets(f.Context, src); read {
						if len(held) == 0 {
							continue // settings and references only
						}
						for i, k := range held {
							held[i] = "`" + k + "`"
						}
						kind = "it holds " + pkgList(held)
					}
					fd := analysis.Finding{
						Range:   locate.Instruction(f, in),
						Message: fmt.Sprintf("%s copies `%s` into the image: %s, and anyone who pulls the image can read it", in.Keyword, src, kind),
						Help:    "leave it out of the image (and add it to .dockerignore); mount it for the build with `RUN --mount=type=secret` or inject it at run time",
					}
					if !stage.Shipped(f, st) {
						fd.Severity = analysis.Warning
						fd.Message = fmt.Sprintf("%s copies `%s` into build stage %s: %s; the stage is not shipped, but its layers stay in the build cache", in.Keyword, src, st.Label(), kind)
					}
					pass.Report(fd)
				}
			}
		}
	}),
})

// contextSecrets reads the .npmrc or environment file a COPY source names
// from the build context and returns the settings in it that hold literal
// secrets (facts/secret); read is false when the source is not such a
// file, or the rule cannot read every file it names (no build context, a
// file absent or excluded by .dockerignore, a directory, unparseable). A
// glob is judged by the context files it matches that .dockerignore lets
// through.
func contextSecrets(ctx *buildcontext.Dir, src string) (held []string, read bool) {
	src = strings.Trim(src, `"'`)
	var judge func([]byte) ([]string, bool)
	switch base := strings.ToLower(path.Base(src)); {
	case strings.HasPrefix(base, ".npmrc"):
		judge = secret.NpmrcSecrets
	case strings.HasPrefix(base, ".env"):
		judge = secret.EnvFileSecrets
	default:
		return nil, false
	}
	if ctx == nil || strings.Contains(src, "$") {
		return nil, false
	}
	rel := path.Clean(strings.TrimPrefix(src, "/"))
	names := []string{rel}
	if strings.ContainsAny(rel, "*?[") {
		// What .dockerignore excludes is not copied.
		if names = ctx.Glob(rel); len(names) == 0 {
			return nil, false
		}
	}
	for _, name := range names {
		data, err := ctx.ReadFileUpTo(name, buildcontext.MaxFixFileSize)
		if err != nil {
			return nil, false
		}
		keys, ok := judge(data)
		if !ok {
			return nil, false
		}
		held = append(held, keys...)
	}
	return held, true
}

var (
	secretKeyNames = regexp.MustCompile(`^id_(rsa|dsa|ecdsa|ed25519)([._-].*)?$`)
	// secretCertParts are name components that say a .pem or .key holds a
	// certificate or a public (GPG) key, not a private key.
	secretCertParts = map[string]bool{"cert": true, "certs": true, "certificate": true, "chain": true, "fullchain": true,
		"ca": true, "cacert": true, "bundle": true, "pub": true, "public": true, "pubkey": true, "root": true, "rootca": true,
		"crt": true, "gpg": true, "asc": true}
)

// secretFileKind says what kind of secret a COPY source looks like.
func secretFileKind(src string) (string, bool) {
	if strings.Contains(src, "://") || strings.HasPrefix(src, "git@") {
		return "", false
	}
	src = strings.TrimSuffix(strings.Trim(src, `"'`), "/")
	base := path.Base(src)
	if strings.HasPrefix(base, "*") && !strings.HasSuffix(base, ".pem") && !strings.HasSuffix(base, ".key") {
		return "", false // `*.json` names far more than credentials.json
	}
	if strings.ContainsAny(base, "*?[") {
		// A glob: judge it by the names it would bring in.
		for _, name := range []string{".env", ".npmrc", "id_rsa", ".git-credentials", "x.pem", "x.key"} {
			if ok, _ := path.Match(base, name); ok {
				return secretFileKind(name)
			}
		}
		return "", false
	}
	lower := strings.ToLower(base)
	switch {
	case secret.EnvFileName(lower):
		return "environment files usually hold credentials", true
	case lower == ".npmrc":
		return "an .npmrc can hold a registry token", true
	case lower == ".git-credentials" || lower == ".netrc":
		return "it stores login credentials in plain text", true
	case lower == "credentials.json" || lower == ".aws" || lower == ".ssh" || lower == ".docker":
		return "it holds account credentials", true
	case secretKeyNames.MatchString(lower) && !strings.HasSuffix(lower, ".pub"):
		return "it is an SSH private key", true
	case strings.HasSuffix(lower, ".key") || strings.HasSuffix(lower, ".pem"):
		for _, p := range strings.FieldsFunc(strings.TrimSuffix(strings.TrimSuffix(lower, ".pem"), ".key"), func(r rune) bool {
			return r == '.' || r == '-' || r == '_'
		}) {
			if secretCertParts[p] {
				return "", false
			}
		}
		return "it looks like a private key", true
	}
	return "", false
}
