// Package command tells what a shell command or a container command runs:
// wrappers (sudo, env, gosu) and inits looked through, `sh -c` scripts
// read to the last command they run, and whether that command is exec'd.
// What it knows about programs (shells, inits, wrappers) is data in
// knowledge.
package command

import (
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// BaseName is a command's name without its directory and a Windows
// executable suffix (see dockerfile.CommandName).
func BaseName(s string) string { return dockerfile.CommandName(s) }

// IsShell reports whether a command (any path) is sh, bash or another
// POSIX-like shell.
func IsShell(name string) bool { return knowledge.IsShell(BaseName(name)) }

// IsInit reports whether a command is an init process (tini, dumb-init,
// docker-init, catatonit, s6-overlay's /init).
func IsInit(name string) bool { return knowledge.IsInit(name) }

// IsWrapper reports whether a command (a base name) runs the rest of its
// arguments as a command: sudo, env, gosu, nice, ….
func IsWrapper(name string) bool {
	_, ok := knowledge.CommandWrappers[name]
	return ok
}

// Words returns the command's words with wrappers (`sudo -E`, `env A=b`,
// `nice -n 5`, `gosu node`) removed, so `sudo apt-get install` reads as
// `apt-get install`.
func Words(c *dockerfile.ShellCommand) []string {
	words := c.Words()
	if !IsWrapper(c.Base()) {
		return words // most commands: no wrapper
	}
	for {
		n := wrapped(words, func(w string) string { return w })
		if n == 0 {
			return words
		}
		words = words[n:]
	}
}

// wrapped returns the index of the command that a wrapper at words[0]
// runs, after the wrapper's options, assignments and operands; 0 when
// words[0] is no wrapper or no command follows it.
func wrapped[W any](words []W, text func(W) string) int {
	if len(words) < 2 {
		return 0
	}
	spec, ok := knowledge.CommandWrappers[BaseName(text(words[0]))]
	if !ok {
		return 0
	}
	i := 1
	for i < len(words) {
		w := text(words[i])
		switch {
		case strings.HasPrefix(w, "-"):
			i++
			for _, f := range spec.ValueFlags {
				if w == f {
					i++ // the flag's value: sudo -u user, nice -n 5
					break
				}
			}
			continue
		case spec.Assignments && strings.Contains(w, "="):
			i++
			continue
		}
		break
	}
	i += spec.Operands
	if i >= len(words) {
		return 0
	}
	return i
}

// FirstPositional is c.Positional()[0], "" when there is none.
func FirstPositional(c *dockerfile.ShellCommand) string {
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// HasArgEq reports whether a command has `--name=value` or `--name value`.
func HasArgEq(c *dockerfile.ShellCommand, name string, values ...string) bool {
	for i, a := range c.Args {
		for _, v := range values {
			if a == name+"="+v || a == name && i+1 < len(c.Args) && c.Args[i+1] == v {
				return true
			}
		}
	}
	return false
}

// HasAssign reports whether a command is prefixed with NAME=value.
func HasAssign(c *dockerfile.ShellCommand, name, value string) bool {
	for _, a := range c.Assigns {
		k, v, _ := strings.Cut(a, "=")
		if k == name && strings.Trim(v, `"'`) == value {
			return true
		}
	}
	return false
}

var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// VarRefs returns the names of the variables a shell word references.
func VarRefs(s string) []string {
	var out []string
	if !strings.Contains(s, "$") {
		return out
	}
	for _, m := range varRef.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
