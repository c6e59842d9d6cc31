package co

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/secret"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// LiteralSecret reports secret-looking environment variables and build
// arguments whose value is written in the compose file.
var LiteralSecret = register(&analysis.Rule{
	ID:       "CO006",
	Name:     "literal-secret",
	Title:    "secret written into the compose file",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A compose file is committed, shared and copied between projects. A password, token or API key " +
			"written into it is readable by everyone with access to the repository, stays in its history after " +
			"it is changed, and tends to become the production value too. Build arguments are worse: their " +
			"values are also recorded in the built image's history.\n\n" +
			"The rule reads `environment` (mapping and `KEY=value` list form) and `build.args` as written, " +
			"before interpolation, and fires for names that look like secrets (components such as TOKEN, SECRET, " +
			"PASSWORD, PASSWD, PASS, API_KEY, APIKEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS, AUTH, matched as whole " +
			"words; not `*_FILE` or `*_PATH`, which point at a secret) whose value is a literal. `${VAR}` " +
			"references, empty values, paths of mounted secrets (`/run/secrets/…`), and yes/no/true/false switches such as `MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"` " +
			"do not count. Neither do the public halves of credential pairs: access key IDs " +
			"(`AWS_ACCESS_KEY_ID`, `*_KEY_ID`), user names (`*_USER`, `*_USERNAME`), and an S3-style " +
			"`*_ACCESS_KEY` (MinIO's legacy `MINIO_ACCESS_KEY`) whose value is some service's `*_USER` " +
			"value, which makes it the user name; their pairs (`*_SECRET_ACCESS_KEY`, `*_SECRET_KEY`, " +
			"`*_PASSWORD`) are still reported. Nor do stand-ins and settings: a value that says it must be " +
			"replaced (`replace-me-with-a-random-string`, `changeme`, `placeholder`), a duration (`15m`), a path, " +
			"or a requirement level (`KAFKA_SSL_CLIENT_AUTH: required`); a number is still a password.",
		Bad: "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: s3cr3t\n",
		Good: "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n" +
			"\n# or, with a file secret:\n#   environment:\n#     POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n" +
			"#   secrets: [db_password]\n",
		Fix: "Reference a variable (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`) and keep the value in a `.env` file " +
			"that is not committed (commit a `.env.example` instead), load it with `env_file:`, or use compose " +
			"`secrets:` and the image's `*_FILE` variables. A URL with a password (`postgres://app:s3cret@db/app`) " +
			"under any name, and a literal fallback for a secret (`${NEXTAUTH_SECRET:-mysecret}`), are literals too: " +
			"require the variable with `${NEXTAUTH_SECRET:?}` instead. For build-time secrets use `build.secrets` and " +
			"`RUN --mount=type=secret` instead of build arguments. Rotate a credential that was committed.",
		ExampleFile: "compose.yaml",
		AppliesTo: "Development and test stacks hold throw-away credentials for containers on one machine " +
			"(`POSTGRES_PASSWORD: postgres`). Secrets that end up in image layers are found in every file by " +
			"DF022, DF023 and DF024.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		seen := map[string]bool{}
		users := userValues(p)
		for _, f := range p.Files {
			for _, name := range f.Keys("services") {
				for _, sec := range []struct {
					path []string
					what string
				}{
					{[]string{"services", name, "environment"}, "environment variable"},
					{[]string{"services", name, "build", "args"}, "build argument"},
				} {
					for _, e := range f.Entries(sec.path...) {
						if !e.HasValue {
							continue
						}
						key := fmt.Sprintf("%s:%d:%s", f.Path, e.Line, e.Key)
						if msg, ok := embeddedSecret(e.Key, e.Value); ok && !seen[key] {
							seen[key] = true
							report(pass, p, compose.Position{File: f.Path, Line: e.Line, Col: e.Col},
								fmt.Sprintf("%s %s of service %q %s", sec.what, e.Key, name, msg),
								"take the whole value from the environment (`${"+e.Key+"}` with the value in an uncommitted .env file), or compose `secrets:`; use `${VAR:?}` to require it")
							continue
						}
						if !literalSecretValue(e.Value) || !secret.Name(e.Key) || notSecretValue(e.Value) {
							continue
						}
						if secret.IdentifierName(e.Key) ||
							secret.AccessKeyName(e.Key) && users[strings.TrimSpace(e.Value)] {
							continue // the public half of a pair: a key ID or a user name
						}
						if seen[key] {
							continue // one anchor used by several services
						}
						seen[key] = true
						msg := fmt.Sprintf("%s %s of service %q is written into the compose file", sec.what, e.Key, name)
						help := fmt.Sprintf("use `%s: ${%s}` with the value in an uncommitted .env file, or compose `secrets:`", e.Key, e.Key)
						if sec.what == "build argument" {
							msg += " (and recorded in the image history)"
							help = "pass it as a build secret (`build.secrets` and `RUN --mount=type=secret`) instead of a build argument"
						}
						report(pass, p, compose.Position{File: f.Path, Line: e.Line, Col: e.Col}, msg, help)
					}
				}
			}
		}
	}),
})

// userValues are the literal values of the user-name variables
// (`MINIO_ROOT_USER: grist`) of the project's services.
func userValues(p *compose.Project) map[string]bool {
	out := map[string]bool{}
	for _, f := range p.Files {
		for _, name := range f.Keys("services") {
			for _, e := range f.Entries("services", name, "environment") {
				if e.HasValue && secret.UserName(e.Key) && literalSecretValue(e.Value) {
					out[strings.TrimSpace(e.Value)] = true
				}
			}
		}
	}
	return out
}

var boolish = map[string]bool{
	"yes": true, "no": true, "true": true, "false": true, "on": true, "off": true, "y": true, "n": true,
	"0": true, "1": true, "null": true, "~": true,
}

// literalSecretValue reports whether a raw value is a literal (not a
// variable reference, not empty, not a switch).
func literalSecretValue(v string) bool {
	t := strings.TrimSpace(strings.ReplaceAll(v, "$$", ""))
	if t == "" || strings.Contains(t, "$") {
		return false
	}
	if strings.HasPrefix(t, "/run/secrets/") || strings.HasPrefix(t, "/var/run/secrets/") {
		return false // the path of a mounted secret
	}
	return !boolish[strings.ToLower(t)]
}

// notSecretValue reports whether a literal value is a stand-in
// (`replace-me-with-a-random-string`) or a setting (`required`, `15m`, a
// path) rather than a secret. A number is still reported: `123456` is a
// password too often.
func notSecretValue(v string) bool {
	v = strings.TrimSpace(v)
	if secret.Placeholder(v) {
		return true
	}
	kind, typed := secret.TypedValue(v)
	return typed && kind != "a number"
}

// fallbackDefault matches `${VAR:-value}` and `${VAR-value}`, the value
// used when VAR is unset.
var fallbackDefault = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}$]*)\}`)

// embeddedSecret says how a value holds a literal secret that a
// variable reference hides: a URL with a password (`postgres://app:s3cret@db/app`)
// under any name, or a literal fallback (`${NEXTAUTH_SECRET:-mysecret}`)
// for a secret-looking name.
func embeddedSecret(name, value string) (string, bool) {
	v := strings.ReplaceAll(value, "$$", "")
	if kind, ok := secret.Credential(v); ok && (strings.Contains(v, "://") || !secret.IdentifierName(name) && !secret.AccessKeyName(name)) {
		return "holds " + kind + " written into the compose file", true // an AKIA… key ID is the public half
	}
	if !secret.Name(name) || secret.IdentifierName(name) {
		return "", false
	}
	for _, m := range fallbackDefault.FindAllStringSubmatch(v, -1) {
		if kind, typed := secret.TypedValue(m[1]); typed && kind != "a number" {
			continue // a setting under a secret-looking name (`${API_KEY_RATE_LIMIT:-60/minute}`)
		}
		if literalSecretValue(m[1]) {
			return fmt.Sprintf("falls back to the literal secret %q when the variable is unset: a deployment that forgets it runs with a published secret", m[1]), true
		}
	}
	return "", false
}
