package secret

import (
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// EnvFileSecrets returns the names of the variables of an env file
// (`.env`, `.env.test`; parsed as docker compose parses them) whose values
// are secrets: a secret-looking name (Name) with a value that is not a
// user name or key ID, not client-public (PublicName), not a typed setting
// (TypedValue) and not a placeholder; or a value that embeds a credential
// (Credential). Interpolations (`${NPM_TOKEN}`) are references, never
// resolved. ok is false when the file cannot be parsed: the caller cannot
// tell, and should assume it holds secrets.
func EnvFileSecrets(data []byte) (names []string, ok bool) {
	// Every interpolation resolves to a marker that is then cut out: the
	// literal rest of the value is what the file itself holds.
	const ref = "\x00"
	vars, err := dotenv.UnmarshalBytesWithLookup(data, func(string) (string, bool) { return ref, true })
	if err != nil {
		return nil, false
	}
	for k, v := range vars {
		if v = strings.ReplaceAll(v, ref, ""); v == "" {
			continue
		}
		if _, cred := Credential(v); cred {
			names = append(names, k)
			continue
		}
		if !Name(k) || IdentifierName(k) || PublicName(k) || Placeholder(v) {
			continue
		}
		if _, typed := TypedValue(v); typed {
			continue
		}
		names = append(names, k)
	}
	sort.Strings(names)
	return names, true
}

// envNotEnvFile are the last extensions of `.env.*` names that are not env
// files: committed templates, REUSE licence sidecars (`.env.license`), and
// code or data named after the env file it handles (lago-front's
// `.env.sh` script).
var envNotEnvFile = map[string]bool{
	"example": true, "sample": true, "template": true, "dist": true, "tmpl": true, "tpl": true,
	"default": true, "defaults": true, "vault": true, "schema": true, "license": true,
	"sh": true, "bash": true, "js": true, "mjs": true, "cjs": true, "ts": true, "mts": true, "cts": true,
	"json": true, "yml": true, "yaml": true, "py": true, "rb": true, "md": true, "d": true,
}

// EnvFileName reports whether a file name (a base name) is an environment
// file that may hold values: `.env`, `.env.local`, `.env.production`; not
// `.env.example` and other templates, `.env.license`, or `.env.sh`.
func EnvFileName(base string) bool {
	b := strings.ToLower(base)
	if b == ".env" {
		return true
	}
	if !strings.HasPrefix(b, ".env.") {
		return false
	}
	return !envNotEnvFile[b[strings.LastIndexByte(b, '.')+1:]]
}
