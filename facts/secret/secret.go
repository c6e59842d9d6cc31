// Package secret tells what looks like a secret: variable names that hold
// one and credentials embedded in values. Dockerfile, compose and image
// rules share it.
package secret

import (
	"regexp"
	"strings"
	"unicode"
)

// secretWords are name components that mark a secret anywhere in a
// name; weakSecretWords only as the last component (`DB_PASS`,
// `BASIC_AUTH`, but not `AUTH_URL` or `PASS_THROUGH`).
var (
	secretWords = map[string]bool{
		"TOKEN": true, "TOKENS": true, "SECRET": true, "SECRETS": true, "PASSWORD": true, "PASSWORDS": true,
		"PASSWD": true, "PASSPHRASE": true, "APIKEY": true, "CREDENTIAL": true, "CREDENTIALS": true,
		"PRIVATEKEY": true, "ACCESSKEY": true, "SECRETKEY": true,
	}
	weakSecretWords = map[string]bool{"PASS": true, "AUTH": true, "PWD": true}
	// secretPairs are two-component secrets: API_KEY, PRIVATE_KEY, ACCESS_KEY.
	secretPairs = map[string]bool{"API_KEY": true, "PRIVATE_KEY": true, "ACCESS_KEY": true, "SECRET_KEY": true}
	// notSecretLast are last components that make the name about a
	// secret rather than the secret itself (`NPM_TOKEN_FILE`).
	notSecretLast = map[string]bool{
		"FILE": true, "FILES": true, "PATH": true, "DIR": true, "URL": true, "URI": true, "HOST": true, "PORT": true,
		"ENDPOINT": true, "NAME": true, "TYPE": true, "MODE": true, "ENABLED": true, "DISABLED": true, "ENABLE": true,
		"DISABLE": true, "METHOD": true, "PROVIDER": true, "STRATEGY": true, "REQUIRED": true, "EXPIRY": true,
		"EXPIRES": true, "EXPIRATION": true, "TTL": true, "TIMEOUT": true, "LENGTH": true, "HEADER": true,
		"SERVER": true, "DOMAIN": true, "ISSUER": true, "AUDIENCE": true, "REALM": true, "SCOPE": true,
		"SCOPES": true, "VERSION": true, "LOCATION": true, "REGION": true, "ALGORITHM": true,
		"ALG": true, "IN": true, "AGE": true, "PREFIX": true, "POLICY": true, "SOURCE": true, "KIND": true,
	}
)

// nameParts splits a variable name into upper-case components at `_`,
// `-`, `.` and lower-to-upper case changes (`npmToken` → NPM, TOKEN).
func nameParts(name string) []string {
	var parts []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			parts = append(parts, strings.ToUpper(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || r == '.':
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	return parts
}

// Name reports whether a variable name looks like it holds a
// secret: TOKEN, SECRET, PASSWORD, API_KEY, … as whole components, so
// `PASSPORT_URL`, `AUTHOR` and `BYPASS` do not match, and names that point
// at a secret (`*_FILE`, `*_PATH`, `*_URL`) do not either.
func Name(name string) bool {
	if !MayBeName(name) {
		return false
	}
	parts := nameParts(name)
	if len(parts) == 0 || notSecretLast[parts[len(parts)-1]] {
		return false
	}
	// SECRET_ID, TOKEN_ID name a secret; AWS_ACCESS_KEY_ID is a credential.
	if n := len(parts); n > 1 && parts[n-1] == "ID" && !(n > 2 && parts[n-3] == "ACCESS" && parts[n-2] == "KEY") {
		return false
	}
	for i, p := range parts {
		if secretWords[p] {
			return true
		}
		if i+1 < len(parts) && secretPairs[p+"_"+parts[i+1]] {
			return true
		}
		if i == len(parts)-1 && weakSecretWords[p] {
			// PWD alone is the shell's working directory.
			return !(p == "PWD" && len(parts) == 1)
		}
	}
	return false
}

// fragments are what a secret name's components contain: each
// secret word and pair holds one. Components are upper-cased substrings of
// the name, so a name whose upper case has none of these is no secret.
var fragments = []string{"TOKEN", "SECRET", "PASS", "PWD", "AUTH", "CREDENTIAL", "PRIVATE", "ACCESS", "API"}

// MayBeName is Name's quick test: false when no component
// can be a secret word.
func MayBeName(name string) bool {
	return containsAny(strings.ToUpper(name), fragments)
}

// credentialPatterns recognise credentials embedded in a value.
// Each has the literals one of which every match contains (hints), so
// values without any skip the regexp.
var credentialPatterns = []struct {
	kind  string
	hints []string
	re    *regexp.Regexp
}{
	{"a URL with a password", []string{"://"}, regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@$]*:[^/\s@$][^/\s@]*@`)},
	{"a GitHub token", []string{"gh", "github_pat_"}, regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`)},
	{"a Stripe live key", []string{"k_live_"}, regexp.MustCompile(`\b[sr]k_live_[A-Za-z0-9]{10,}`)},
	{"an AWS access key", []string{"AKIA", "ASIA"}, regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"a private key", []string{"-----BEGIN "}, regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY`)},
	{"a Slack token", []string{"xox"}, regexp.MustCompile(`\bxox[baprs]-[A-Za-z0-9-]{10,}`)},
	{"an npm token", []string{"npm_"}, regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`)},
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Credential reports what kind of credential a value embeds. A URL
// password that is a placeholder (`placeholder`, `dummy`, `changeme`, …)
// or for a database on localhost is a build-time stand-in, not a secret.
func Credential(value string) (string, bool) {
	for i, p := range credentialPatterns {
		if !containsAny(value, p.hints) {
			continue
		}
		for _, m := range p.re.FindAllString(value, -1) {
			if i == 0 && placeholderURL(value, m) {
				continue
			}
			return p.kind, true
		}
	}
	return "", false
}

// urlPlaceholders are URL passwords that only name what belongs there
// (beside the placeholders of Placeholder).
var urlPlaceholders = map[string]bool{"example": true, "password": true, "pass": true, "secret": true, "<password>": true}

// placeholderURL: m is the `scheme://user:pass@` prefix of a URL in value.
func placeholderURL(value, m string) bool {
	userinfo := strings.TrimSuffix(m[strings.Index(m, "://")+3:], "@")
	_, pw, _ := strings.Cut(userinfo, ":")
	if Placeholder(pw) || urlPlaceholders[strings.ToLower(pw)] {
		return true
	}
	rest := value[strings.Index(value, m)+len(m):]
	host := rest
	if i := strings.IndexAny(rest, ":/?#"); i >= 0 {
		host = rest[:i]
	}
	return host == "localhost" || host == "127.0.0.1" || host == "0.0.0.0"
}

// IdentifierName reports whether a name holds the public half of a
// credential pair, not the secret: an access key ID (`AWS_ACCESS_KEY_ID`,
// `*_KEY_ID`) or a user name (`*_USER`, `*_USERNAME`). The secret is its
// pair (`AWS_SECRET_ACCESS_KEY`, `*_PASSWORD`).
func IdentifierName(name string) bool {
	parts := nameParts(name)
	n := len(parts)
	if n == 0 {
		return false
	}
	switch parts[n-1] {
	case "USER", "USERNAME", "KEYID":
		return true
	case "ID":
		return n > 1 && parts[n-2] == "KEY"
	}
	return false
}

// publicPrefixes mark variables a front-end build inlines into the code it
// ships to browsers and apps: public by design.
var publicPrefixes = []string{"NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_"}

// PublicName reports whether a variable name has a client-public prefix
// (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`, `EXPO_PUBLIC_`): the framework
// bundles its value into client code, so it is no secret whatever the name
// says (a literal credential in its value still is one, see Credential).
func PublicName(name string) bool {
	for _, p := range publicPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// UserName reports whether a name holds a user name (`MINIO_ROOT_USER`,
// `POSTGRES_USER`, `DB_USERNAME`).
func UserName(name string) bool {
	parts := nameParts(name)
	n := len(parts)
	return n > 0 && (parts[n-1] == "USER" || parts[n-1] == "USERNAME")
}

// AccessKeyName reports whether a name ends in ACCESS_KEY without SECRET
// before it (`MINIO_ACCESS_KEY`, not `AWS_SECRET_ACCESS_KEY`): in S3-style
// pairs the access key is the user name, the secret key the password.
func AccessKeyName(name string) bool {
	parts := nameParts(name)
	n := len(parts)
	if n >= 2 && parts[n-2] == "ACCESS" && parts[n-1] == "KEY" {
		return n < 3 || parts[n-3] != "SECRET"
	}
	return n >= 1 && parts[n-1] == "ACCESSKEY"
}

var (
	durationRe = regexp.MustCompile(`^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w|y))+$`)
	numberRe   = regexp.MustCompile(`^[-+]?\d+(\.\d+)?$`)
	// rateRe matches a rate limit: `60/minute`, `100/hour`, `10/s`.
	rateRe = regexp.MustCompile(`^\d+\s*/\s*(\d+\s*)?(s|sec|second|seconds|m|min|minute|minutes|h|hr|hour|hours|d|day|days)$`)
)

// TypedValue reports what a value is when its form shows that the
// variable holding it is not a secret: "a number", "a duration" (`30s`,
// `5m`, `1h30m`), "a boolean", "a requirement level" (`required`, `none`:
// client authentication settings such as KAFKA_SSL_CLIENT_AUTH), "a path"
// (`/run/secrets/x`, `./key.pem`).
// A secret-looking name with such a value is a setting about a secret
// (`PRIVATE_KEY_ROTATION_GRACE_PERIOD=0`) or points at one.
func TypedValue(value string) (string, bool) {
	v := strings.TrimSpace(value)
	switch {
	case v == "":
		return "", false
	case numberRe.MatchString(v):
		return "a number", true
	case durationRe.MatchString(v):
		return "a duration", true
	case rateRe.MatchString(strings.ToLower(v)):
		return "a rate", true
	}
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off":
		return "a boolean", true
	case "required", "requested", "optional", "none", "want", "need":
		// What `KAFKA_SSL_CLIENT_AUTH: required` and the like set.
		return "a requirement level", true
	}
	if (strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/")) &&
		!strings.ContainsAny(v, " \t$") {
		return "a path", true
	}
	return "", false
}

// placeholderWords are what a stand-in value contains
// (`replace-me-with-a-random-string`, `change-this-in-production`,
// `your-jwt-secret`, `random string that is unique to every install`).
var placeholderWords = []string{"placeholder", "dummy", "changeme", "change_me", "change-me", "change-this", "change_this",
	"replace_me", "replace-me", "replace-this", "replace_this", "your-", "your_", "your ", "random string", "random characters"}

// Placeholder reports whether a value is an obvious stand-in rather than a
// secret: `placeholder` (or a value containing it, such as
// `build-time-placeholder-min-32-chars-long`), `dummy…`, `changeme`,
// `replace-me-with-a-random-string`, `your-secret-here`, instructions
// such as `random string that is unique to every install`,
// `test`, `xxx`, `***`. Build steps that need some value to run (a
// framework that checks its secret is set at build time) use them.
func Placeholder(value string) bool {
	v := strings.ToLower(strings.TrimSpace(value))
	if v == "" {
		return false
	}
	if strings.Trim(v, "x") == "" || strings.Trim(v, "*") == "" {
		return len(v) >= 3
	}
	switch v {
	case "test", "todo", "<placeholder>", "replaceme":
		return true
	}
	for _, w := range placeholderWords {
		if strings.Contains(v, w) {
			return true
		}
	}
	return false
}

// Mask hides a secret value for messages: its first four characters when
// it is long enough to keep most of it hidden, then asterisks
// (`npm_****`), or only asterisks. Every report of a secret value goes
// through it.
func Mask(value string) string {
	if len(value) >= 16 {
		return value[:4] + "****"
	}
	return "****"
}

// MaskCredentials masks every credential Credential recognises in a text
// (a URL's password, a token), leaving the rest readable.
func MaskCredentials(text string) string {
	for _, p := range credentialPatterns {
		if !containsAny(text, p.hints) {
			continue
		}
		text = p.re.ReplaceAllStringFunc(text, func(m string) string {
			if i := strings.Index(m, "://"); i >= 0 {
				userinfo := strings.TrimSuffix(m[i+3:], "@")
				user, _, _ := strings.Cut(userinfo, ":")
				return m[:i+3] + user + ":****@"
			}
			if strings.HasPrefix(m, "-----BEGIN ") {
				return m
			}
			return Mask(m)
		})
	}
	return text
}
