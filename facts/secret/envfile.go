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
