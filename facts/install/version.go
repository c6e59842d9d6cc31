package install

import "strings"

// This file tells whether a package spec a global install, npx or
// corepack names pins a version.

// UnpinnedSpec reports whether spec (`serve`, `pnpm@latest`,
// `@nestjs/cli@next`) names a registry package without a version or with
// a dist-tag (latest, next, stable, …) instead of one; name is the
// package name and tag the dist-tag ("" when there is no version at
// all). Versions and ranges (`pm2@5`, `pnpm@^9.1`), variables
// (`pnpm@$PNPM_VERSION`), local paths, tarballs, URLs and git specs are
// not unpinned.
func UnpinnedSpec(spec string) (name, tag string, unpinned bool) {
	if spec == "" || strings.ContainsAny(spec, "$<>:") || strings.HasPrefix(spec, ".") ||
		strings.HasPrefix(spec, "/") || strings.HasPrefix(spec, "~") ||
		strings.HasSuffix(spec, ".tgz") || strings.HasSuffix(spec, ".tar.gz") {
		return "", "", false
	}
	name, version := spec, ""
	if i := strings.LastIndex(spec, "@"); i > 0 {
		name, version = spec[:i], spec[i+1:]
	}
	if strings.Count(name, "/") > 1 || strings.Contains(name, "/") && !strings.HasPrefix(name, "@") {
		return "", "", false // user/repo on GitHub, a path
	}
	switch {
	case version == "":
		return name, "", true
	case version == "*" || version == "x":
		return name, version, true
	}
	c := version[0]
	if c >= '0' && c <= '9' || strings.ContainsRune("^~=v", rune(c)) {
		return name, "", false
	}
	return name, version, true
}
