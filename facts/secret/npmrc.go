package secret

import (
	"regexp"
	"sort"
	"strings"

	"gopkg.in/ini.v1"
)

// npmrcAuthKeys are npm's credential settings (lower case), alone or
// scoped to a registry (`//registry.npmjs.org/:_authToken`); `password` and
// `token` are what older clients and private registries' setup pages use.
var npmrcAuthKeys = map[string]bool{"_auth": true, "_authtoken": true, "_password": true, "password": true, "token": true, "authtoken": true}

// npmrcReference is an environment reference npm expands in .npmrc values:
// `${NPM_TOKEN}` (npm has no `$NAME` form and no defaults).
var npmrcReference = regexp.MustCompile(`\$\{[^}]*\}`)

// NpmrcSecrets returns the keys of an .npmrc (npm's ini format) whose
// values are literal credentials: an auth setting (`_authToken`, `_auth`,
// `_password`, alone or after `//registry/:`) or a secret-looking name
// (Name) with a value that is neither a reference (`${NPM_TOKEN}`, which
// npm reads from the environment when it runs), a placeholder nor a typed
// setting (TypedValue); or any value that embeds a credential (Credential),
// such as a registry URL with a password. Settings alone
// (`auto-install-peers=true`, `registry=https://…`) hold none. ok is false
// when the file cannot be parsed: the caller cannot tell, and should
// assume it holds secrets.
func NpmrcSecrets(data []byte) (keys []string, ok bool) {
	f, err := ini.LoadSources(ini.LoadOptions{
		KeyValueDelimiters:  "=", // `//host/:_authToken=…`: the colon is part of the key
		IgnoreInlineComment: true,
		AllowBooleanKeys:    true,
		AllowShadows:        true,
	}, data)
	if err != nil {
		return nil, false
	}
	for _, sec := range f.Sections() {
		for _, k := range sec.Keys() {
			for _, v := range k.ValueWithShadows() {
				if npmrcSecret(k.Name(), v) {
					keys = append(keys, k.Name())
					break
				}
			}
		}
	}
	sort.Strings(keys)
	return keys, true
}

// npmrcSecret: the setting name = value holds a literal credential.
func npmrcSecret(name, value string) bool {
	literal := strings.TrimSpace(npmrcReference.ReplaceAllString(value, ""))
	if literal == "" {
		return false
	}
	if _, cred := Credential(literal); cred {
		return true
	}
	setting := name
	if i := strings.LastIndex(name, ":"); strings.HasPrefix(name, "//") && i >= 0 {
		setting = name[i+1:]
	}
	if !npmrcAuthKeys[strings.ToLower(setting)] && (!Name(setting) || IdentifierName(setting) || PublicName(setting)) {
		return false
	}
	if _, typed := TypedValue(literal); typed {
		return false
	}
	return !Placeholder(literal)
}
