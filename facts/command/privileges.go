package command

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// This file tells whether a command or a script switches to another user
// before starting the app (gosu, su-exec, setpriv --reuid, …).

// DropsPrivileges reports whether a command (its words, `exec` removed or
// not) runs the rest of its arguments as another user: `gosu node …`,
// `su-exec app …`, `setpriv --reuid …`, `runuser -u node -- …`, `chpst -u
// …`, `s6-setuidgid …`, `setuidgid …`, `sudo -u …`, `su node -c …`.
func DropsPrivileges(words []string) bool {
	if len(words) > 1 && words[0] == "exec" {
		words = words[1:]
	}
	if len(words) < 2 {
		return false
	}
	args := words[1:]
	switch BaseName(words[0]) {
	case "gosu", "su-exec", "runuser", "s6-setuidgid", "setuidgid":
		return true
	case "setpriv":
		return hasFlag(args, "--reuid", "--ruid", "--euid")
	case "chpst":
		return hasFlag(args, "-u", "-U")
	case "sudo":
		return hasFlag(args, "-u", "--user")
	case "su":
		return hasFlag(args, "-c", "--command", "-s", "--shell")
	}
	return false
}

func hasFlag(args []string, flags ...string) bool {
	for _, a := range args {
		for _, f := range flags {
			if a == f || strings.HasPrefix(a, f+"=") || (len(f) == 2 && strings.HasPrefix(a, f) && !strings.HasPrefix(a, "--")) {
				return true
			}
		}
	}
	return false
}

// ScriptDropsPrivileges reports whether a shell script (an entrypoint
// script's text) runs a command that switches to another user (see
// DropsPrivileges): most scripts do it on their last line (`exec gosu node
// "$@"`), some in a branch for the app's command only (`if [ "$1" = node
// ]`) or only when started as root (`if [ "$(id -u)" = 0 ]`). A switch
// under a condition on the configuration (`if [ "$PUID" != 0 ]`, homarr's,
// with PUID defaulting to 0) does not count: by default the app keeps the
// user the container starts as.
func ScriptDropsPrivileges(text string) bool {
	file := ParseScript(text)
	if file == nil {
		return false
	}
	configured := map[*syntax.CallExpr]bool{}
	syntax.Walk(file, func(n syntax.Node) bool {
		if ic, ok := n.(*syntax.IfClause); ok && configDependent(ic.Cond) {
			syntax.Walk(ic, func(m syntax.Node) bool {
				if c, ok := m.(*syntax.CallExpr); ok {
					configured[c] = true
				}
				return true
			})
			return false
		}
		return true
	})
	found := false
	syntax.Walk(file, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && !configured[c] && DropsPrivileges(callWords(c)) {
			found = true
		}
		return !found
	})
	return found
}

// configDependent reports whether an if condition depends on the
// container's configuration: it reads a variable other than the
// positional parameters ($1, $@) and the user's identity ($UID, $EUID,
// $USER), and does not ask who the process runs as (`id -u`, `whoami`).
func configDependent(cond []*syntax.Stmt) bool {
	dependent, identity := false, false
	for _, st := range cond {
		syntax.Walk(st, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.ParamExp:
				if n.Param != nil && !identityParams[n.Param.Value] && !isPositional(n.Param.Value) {
					dependent = true
				}
			case *syntax.CallExpr:
				if w := callWords(n); len(w) > 0 && (BaseName(w[0]) == "whoami" || BaseName(w[0]) == "id" && hasFlag(w[1:], "-u")) {
					identity = true
				}
			}
			return true
		})
	}
	return dependent && !identity
}

var identityParams = map[string]bool{"UID": true, "EUID": true, "USER": true, "@": true, "*": true, "#": true}

func isPositional(name string) bool {
	return name != "" && strings.Trim(name, "0123456789") == ""
}
