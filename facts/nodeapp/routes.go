package nodeapp

import (
	"path"
	"sort"
	"strings"
)

// This file reads the HTTP routes an app's sources define.

// Routes are the sources' string literals that look like routes:
// starting with `/`, no scheme, not a file path with an extension. A
// piece of a template literal with substitutions counts only when the
// template starts with `/` (`/api/${v}/health`), not in a log message
// (`listening on ${HOST}:${PORT}`).
func Routes(src *Sources) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range src.Files {
		for _, l := range f.Strings {
			v := l.Value
			if l.Template && !l.TemplatePath || len(v) < 2 || v[0] != '/' || strings.HasPrefix(v, "//") || seen[v] {
				continue
			}
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// RouteKnown reports whether the path is made of route pieces found in
// the sources (literals with or without slashes, e.g. NestJS
// `@Controller('health')`), or named by a source file path.
func RouteKnown(urlPath string, routes []string, src *Sources) bool {
	segs := SplitPath(urlPath)
	if len(segs) == 0 {
		return true
	}
	var pieces [][]string
	for _, f := range src.Files {
		for _, l := range f.Strings {
			if l.Template && !l.TemplatePath {
				continue
			}
			if p := SplitPath(l.Value); len(p) > 0 && len(p) <= len(segs) {
				pieces = append(pieces, p)
			}
		}
	}
	// reach[i]: segs[:i] is a concatenation of pieces.
	reach := make([]bool, len(segs)+1)
	reach[0] = true
	for i := 0; i < len(segs); i++ {
		if !reach[i] {
			continue
		}
		for _, p := range pieces {
			if i+len(p) <= len(segs) && segsMatch(p, segs[i:i+len(p)]) {
				reach[i+len(p)] = true
			}
		}
	}
	if reach[len(segs)] {
		return true
	}
	// File-based routing: the last segment names a source file or directory.
	last := segs[len(segs)-1]
	for _, f := range src.Files {
		for _, part := range strings.Split(strings.ToLower(f.Rel), "/") {
			if stem := strings.TrimSuffix(part, path.Ext(part)); stem == last || strings.Trim(stem, "[]()+_$") == last {
				return true
			}
		}
	}
	return false
}

// SplitPath splits a URL path into lower-case segments; nil for the root
// or a path with white space.
func SplitPath(p string) []string {
	p = strings.ToLower(strings.Trim(p, "/"))
	if p == "" || strings.ContainsAny(p, " \t") {
		return nil
	}
	return strings.Split(p, "/")
}

// segsMatch compares route segments; `:param`, `{param}`, `[param]` and
// `*` in the pattern match any segment (a bare `:`, as in `host + ':' +
// port`, is no parameter).
func segsMatch(pattern, segs []string) bool {
	for i, p := range pattern {
		if p == segs[i] || p == "*" || len(p) > 1 && (p[0] == ':' || p[0] == '{' || p[0] == '[') {
			continue
		}
		return false
	}
	return true
}
