package secret

import (
	"reflect"
	"testing"
)

func TestNpmrcSecrets(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
		ok        bool
	}{
		// novu's .npmrc: settings only.
		{"settings", "auto-install-peers=true\nstrict-peer-dependencies=false\nfetch-retry-maxtimeout=10000\n", nil, true},
		{"settings and comments", "; pnpm\n# hoist\nshamefully-hoist\nregistry=https://registry.npmjs.org/\n@acme:registry=https://npm.pkg.github.com\n", nil, true},
		{"token reference", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", nil, true},
		{"quoted reference", "//npm.pkg.github.com/:_authToken=\"${GITHUB_TOKEN}\"\nalways-auth=true\n", nil, true},
		{"literal token", "//registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n", []string{"//registry.npmjs.org/:_authToken"}, true},
		{"literal legacy auth", "_auth=dXNlcjpwYXNz\nemail=dev@example.com\n", []string{"_auth"}, true},
		{"token around a reference", "//host/:_authToken=abc${SUFFIX}\n", []string{"//host/:_authToken"}, true},
		{"password in a registry URL", "registry=https://ci:hunter22@npm.internal.example/\n", []string{"registry"}, true},
		{"placeholder", "//registry.npmjs.org/:_authToken=changeme\n", nil, true},
		{"section", "[section]\n_password=c2VjcmV0\n", []string{"_password"}, true},
		{"unparseable", "[registry\n_authToken=abc\n", nil, false},
	} {
		got, ok := NpmrcSecrets([]byte(c.src))
		if ok != c.ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: NpmrcSecrets = %v, %v; want %v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
