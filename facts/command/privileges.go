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
// DropsPrivileges) anywhere: most scripts do it on their last line
// (`exec gosu node "$@"`), some in a branch for the app's command only.
func ScriptDropsPrivileges(text string) bool {
	file := ParseScript(text)
	if file == nil {
		return false
	}
	found := false
	syntax.Walk(file, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && DropsPrivileges(callWords(c)) {
			found = true
		}
		return !found
	})
	return found
}
