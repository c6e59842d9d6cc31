package imagefs

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/secret"
)

// SecretFile is a file holding a secret, in the final filesystem or in a
// lower layer.
type SecretFile struct {
	File *File
	// Kind says what the file is ("an .npmrc with an auth token").
	Kind string
	// Evidence shows where the secret is, its value masked
	// (`_authToken=npm_****`).
	Evidence string
	// Hidden is set when the copy was deleted or rewritten by a later
	// layer (nil: the file is in the final filesystem).
	Hidden *Hidden
}

// findSecrets classifies the captured files of the final filesystem and
// of the hidden lower copies.
func findSecrets(img *Image) []SecretFile {
	var out []SecretFile
	img.Walk(func(f *File) {
		if kind, ev, ok := SecretIn(f); ok {
			out = append(out, SecretFile{File: f, Kind: kind, Evidence: ev})
		}
	})
	for i := range img.Hidden {
		h := &img.Hidden[i]
		if kind, ev, ok := SecretIn(h.File); ok {
			out = append(out, SecretFile{File: h.File, Kind: kind, Evidence: ev, Hidden: h})
		}
	}
	return out
}

// SecretIn says whether a captured file holds a secret, what kind of file
// it is and the masked evidence.
func SecretIn(f *File) (kind, evidence string, ok bool) {
	if f.Content == nil {
		return "", "", false
	}
	base := path.Base(f.Path)
	c := f.Content
	switch {
	case base == ".npmrc" || base == ".yarnrc" || base == ".yarnrc.yml":
		for _, line := range lines(c) {
			key, val, ok := assignment(line)
			if !ok {
				continue
			}
			k := key[strings.LastIndexAny(key, ":/")+1:]
			switch k {
			case "_authToken", "_auth", "_password", "npmAuthToken", "npmAuthIdent":
				if literal(val) {
					return "an " + base + " with an auth token", k + "=" + secret.Mask(val), true
				}
			}
		}
	case base == ".git-credentials":
		for _, line := range lines(c) {
			if kind, ok := secret.Credential(line); ok {
				return "a .git-credentials file with " + kind, secret.MaskCredentials(line), true
			}
		}
	case strings.HasSuffix(f.Path, ".aws/credentials"):
		for _, line := range lines(c) {
			if key, val, ok := assignment(line); ok && strings.EqualFold(key, "aws_secret_access_key") && literal(val) {
				return "AWS credentials", key + "=" + secret.Mask(val), true
			}
		}
	case strings.HasSuffix(f.Path, ".docker/config.json"):
		if i := bytes.Index(c, []byte(`"auth"`)); i >= 0 && bytes.Contains(c, []byte(`"auths"`)) {
			rest := strings.TrimLeft(string(c[i+len(`"auth"`):]), " \t\r\n:")
			if v, ok := strings.CutPrefix(rest, `"`); ok && !strings.HasPrefix(v, `"`) {
				end := strings.IndexByte(v, '"')
				if end < 0 {
					end = len(v)
				}
				return "a Docker config with registry credentials", `"auth": "` + secret.Mask(v[:end]) + `"`, true
			}
		}
	case strings.HasSuffix(f.Path, ".git/config"):
		for _, line := range lines(c) {
			if kind, ok := secret.Credential(line); ok {
				return "a Git config with " + kind, strings.TrimSpace(secret.MaskCredentials(line)), true
			}
		}
	case envFile(base):
		for _, line := range lines(c) {
			key, val, ok := assignment(strings.TrimPrefix(line, "export "))
			if !ok || val == "" {
				continue
			}
			if kind, ok := secret.Credential(val); ok {
				return "an env file with " + kind, key + "=" + secret.MaskCredentials(val), true
			}
			if secret.Name(key) && !secret.PublicName(key) && literal(val) && !secret.Placeholder(val) {
				if _, typed := secret.TypedValue(val); !typed {
					return "an env file with a secret", key + "=" + secret.Mask(val), true
				}
			}
		}
	case bytes.Contains(c, []byte("-----BEGIN ")) && bytes.Contains(c, []byte("PRIVATE KEY-----")):
		return "a private key", privateKeyHeader(c), true
	}
	return "", "", false
}

// envFile: `.env`, `.env.production`, `prod.env`; not the templates that
// document variables (`.env.example`, `.env.sample`, `.env.template`).
func envFile(base string) bool {
	if base != ".env" && !strings.HasPrefix(base, ".env.") && !strings.HasSuffix(base, ".env") {
		return false
	}
	switch path.Ext(base) {
	case ".example", ".sample", ".template", ".dist", ".defaults", ".schema":
		return false
	}
	return true
}

func lines(c []byte) []string {
	return strings.Split(strings.ReplaceAll(string(c), "\r\n", "\n"), "\n")
}

// assignment splits `key=value` or `key: value` (ini, .env, yaml), with
// quotes removed from the value.
func assignment(line string) (key, val string, ok bool) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' || line[0] == ';' {
		return "", "", false
	}
	i := strings.IndexAny(line, "=:")
	if i <= 0 {
		return "", "", false
	}
	// A key holding "//host/:_authToken" has colons before the "=".
	if j := strings.IndexByte(line, '='); j > 0 && line[i] == ':' && strings.HasPrefix(line, "//") {
		i = j
	}
	key = strings.TrimSpace(line[:i])
	val = strings.TrimSpace(line[i+1:])
	val = strings.Trim(val, `"'`)
	return key, val, true
}

// literal: a value that is written out, not a reference to the
// environment (`${NPM_TOKEN}`).
func literal(v string) bool {
	return v != "" && !strings.Contains(v, "${") && !strings.HasPrefix(v, "$")
}

func privateKeyHeader(c []byte) string {
	i := bytes.Index(c, []byte("-----BEGIN "))
	end := bytes.Index(c[i:], []byte("-----\n"))
	if end < 0 || end > 64 {
		return "-----BEGIN … PRIVATE KEY-----"
	}
	return fmt.Sprintf("%s-----", c[i:i+end])
}
