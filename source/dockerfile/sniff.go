package dockerfile

import (
	"bytes"
	"regexp"
	"strings"
)

// argName is a build argument's name, with or without a default.
var argName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(=.*)?$`)

// LooksLike reports whether src reads as a Dockerfile whatever its file
// name: its first line that is neither blank nor a comment is a FROM
// (`FROM [--flag…] image [AS name]`) or an ARG (`ARG NAME[=value]…`), the
// only instructions a Dockerfile may start with; or a parser directive
// (`# syntax=`, `# escape=`, `# check=`) comes before it.
func LooksLike(src []byte) bool {
	src = bytes.TrimPrefix(src, []byte("\ufeff")) // a UTF-8 byte order mark, as Docker's parser allows
	for _, raw := range bytes.Split(src, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" {
			continue
		}
		if comment, ok := strings.CutPrefix(line, "#"); ok {
			key, _, ok := strings.Cut(strings.TrimSpace(comment), "=")
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "syntax", "escape", "check":
				if ok {
					return true
				}
			}
			continue
		}
		fields := strings.Fields(line)
		switch strings.ToUpper(fields[0]) {
		case "FROM":
			rest := fields[1:]
			for len(rest) > 0 && strings.HasPrefix(rest[0], "--") {
				rest = rest[1:]
			}
			switch len(rest) {
			case 1:
				return true
			case 3:
				return strings.EqualFold(rest[1], "AS")
			}
		case "ARG":
			if len(fields) < 2 {
				return false
			}
			for _, f := range fields[1:] {
				if !argName.MatchString(f) {
					return false
				}
			}
			return true
		}
		return false
	}
	return false
}
