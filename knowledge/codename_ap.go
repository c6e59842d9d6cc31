package knowledge

import "strings"

// NodeCodename returns the Node major of an LTS codename ("iron" → 20),
// as used by .nvmrc (`lts/iron`) and node image tags.
func NodeCodename(name string) (int, bool) {
	major, ok := codenames[strings.ToLower(strings.TrimSpace(name))]
	return major, ok
}
