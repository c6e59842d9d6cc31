package jsscan

import "strings"

// SpecKind classifies a module specifier.
type SpecKind uint8

const (
	// SpecPackage is a package from node_modules: `express`, `@scope/name/sub`.
	SpecPackage SpecKind = iota + 1
	// SpecBuiltin is a Node.js core module: `fs`, `node:fs`, `fs/promises`.
	SpecBuiltin
	// SpecLocal is a file of the project: `./x`, `../x`, `/abs`, `#internal`
	// (package.json imports), `file:` URLs.
	SpecLocal
	// SpecOther is anything else: URLs, empty or malformed specifiers,
	// path aliases that are not package names (`@/x`, `~/x`).
	SpecOther
)

// PackageName maps a module specifier to the package it loads:
// `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; `node:fs` and
// other core modules → (the module, SpecBuiltin); relative and absolute
// paths → ("", SpecLocal).
func PackageName(spec string) (string, SpecKind) {
	switch {
	case spec == "":
		return "", SpecOther
	case strings.HasPrefix(spec, "node:"):
		return strings.TrimPrefix(spec, "node:"), SpecBuiltin
	case spec == "." || spec == ".." || strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") ||
		strings.HasPrefix(spec, "/") || strings.HasPrefix(spec, "#") || strings.HasPrefix(spec, "file:") ||
		strings.HasPrefix(spec, `.\`) || strings.HasPrefix(spec, `..\`):
		return "", SpecLocal
	case strings.Contains(spec, "://") || strings.HasPrefix(spec, "data:"):
		return "", SpecOther
	}
	name := spec
	if strings.HasPrefix(spec, "@") {
		scope, rest, ok := strings.Cut(spec, "/")
		if !ok || len(scope) < 2 || rest == "" {
			return "", SpecOther
		}
		pkg, _, _ := strings.Cut(rest, "/")
		name = scope + "/" + pkg
		if !validNamePart(scope[1:]) || !validNamePart(pkg) {
			return "", SpecOther
		}
		return name, SpecPackage
	}
	name, _, _ = strings.Cut(spec, "/")
	// `fs/promises`, `util/types`; core modules shadow packages of the
	// same name unless loaded with a trailing slash (`punycode/`).
	if builtins[name] && !strings.HasSuffix(spec, "/") {
		return name, SpecBuiltin
	}
	if !validNamePart(name) {
		return "", SpecOther
	}
	return name, SpecPackage
}

// validNamePart accepts the characters npm allows in a package name (old
// packages may have capitals).
func validNamePart(s string) bool {
	if s == "" || s[0] == '.' || s[0] == '_' || s[0] == '~' || len(s) > 214 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// builtins are the core modules of Node.js (require('module').builtinModules,
// Node 24) that load without the `node:` prefix. `node:`-only modules
// (node:test, node:sqlite, node:sea) need the prefix and are caught by it.
var builtins = map[string]bool{
	"assert": true, "async_hooks": true, "buffer": true, "child_process": true,
	"cluster": true, "console": true, "constants": true, "crypto": true,
	"dgram": true, "diagnostics_channel": true, "dns": true, "domain": true,
	"events": true, "fs": true, "http": true, "http2": true, "https": true,
	"inspector": true, "module": true, "net": true, "os": true, "path": true,
	"perf_hooks": true, "process": true, "punycode": true, "querystring": true,
	"readline": true, "repl": true, "stream": true, "string_decoder": true,
	"sys": true, "timers": true, "tls": true, "trace_events": true, "tty": true,
	"url": true, "util": true, "v8": true, "vm": true, "wasi": true,
	"worker_threads": true, "zlib": true,
}
