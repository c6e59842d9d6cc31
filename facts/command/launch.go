package command

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads the argv a container starts with: the words of CMD and
// ENTRYPOINT, and what inits, shells and wrappers at its front run.

// LaunchWord is one word of the argv Docker starts a container with.
type LaunchWord struct {
	Text string
	// In is the instruction the word comes from.
	In *dockerfile.Instruction
	// Shell is set for the `/bin/sh -c` words Docker adds for a shell form
	// and for the shell text itself.
	Shell bool
}

// InstructionArgs returns the argument list of a CMD or ENTRYPOINT and whether it
// is in shell form (then the list holds the shell text as one element).
func InstructionArgs(in *dockerfile.Instruction) (args []string, shell bool, ok bool) {
	if in == nil {
		return nil, false, false
	}
	switch c := in.Command.(type) {
	case *instructions.CmdCommand:
		return c.CmdLine, c.PrependShell, true
	case *instructions.EntrypointCommand:
		return c.CmdLine, c.PrependShell, true
	}
	return nil, false, false
}

// SkipInit returns the index of the first word after an init at words[0]
// and its options (and a `--` separator); 0 when words[0] is no init.
func SkipInit(words []LaunchWord) int {
	if len(words) == 0 || !IsInit(words[0].Text) {
		return 0
	}
	i := 1
	for i < len(words) {
		w := words[i].Text
		if w == "--" {
			return i + 1
		}
		if !strings.HasPrefix(w, "-") {
			break
		}
		// Options that take a separate value: tini -p/-e, dumb-init -r.
		if (w == "-p" || w == "-e" || w == "-r" || w == "--rewrite") && i+1 < len(words) {
			i++
		}
		i++
	}
	return i
}

// ShellScriptArg returns the index of the script of `sh -c script` (any
// shell, `-c` possibly combined with other one-letter options like `-ec`),
// or -1.
func ShellScriptArg(words []LaunchWord) int {
	if len(words) < 2 || !IsShell(words[0].Text) {
		return -1
	}
	for i := 1; i < len(words); i++ {
		w := words[i].Text
		if !strings.HasPrefix(w, "-") || strings.HasPrefix(w, "--") {
			return -1
		}
		if strings.Contains(w[1:], "c") && isLetters(w[1:]) {
			if i+1 < len(words) {
				return i + 1
			}
			return -1
		}
		if w == "-o" && i+1 < len(words) {
			i++
		}
	}
	return -1
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// ShellFileArg returns the index of the script file of `sh file.sh`, or -1.
func ShellFileArg(words []LaunchWord) int {
	if len(words) < 2 || !IsShell(words[0].Text) {
		return -1
	}
	for i := 1; i < len(words); i++ {
		w := words[i].Text
		if w == "-c" || strings.HasPrefix(w, "--") {
			return -1
		}
		if strings.HasPrefix(w, "-") {
			if strings.Contains(w, "c") {
				return -1
			}
			if w == "-o" {
				i++
			}
			continue
		}
		return i
	}
	return -1
}

// LooksLikeScript: `entrypoint.sh`, `./start.bash`, `/usr/local/bin/docker-entrypoint`.
func LooksLikeScript(name string) bool {
	b := BaseName(name)
	if strings.HasSuffix(b, ".sh") || strings.HasSuffix(b, ".bash") {
		return true
	}
	return !strings.Contains(b, ".") && strings.Contains(strings.ToLower(b), "entrypoint")
}

// NodeEntrypointArgs applies the official docker-entrypoint.sh to its
// arguments: an option or a JavaScript file gets `node` in front.
func NodeEntrypointArgs(words []LaunchWord) []LaunchWord {
	if len(words) == 0 || words[0].Shell {
		return words
	}
	w := words[0].Text
	if strings.HasPrefix(w, "-") || strings.HasSuffix(w, ".js") || strings.HasSuffix(w, ".mjs") || strings.HasSuffix(w, ".cjs") {
		return append([]LaunchWord{{Text: "node", In: words[0].In}}, words...)
	}
	return words
}

// TransparentWrapper returns how many words a wrapper that execs its
// command takes at the front (`gosu user`, `su-exec user`, `env A=b`,
// `sudo -u user`), or 0.
func TransparentWrapper(words []LaunchWord) int {
	return wrapped(words, func(w LaunchWord) string { return w.Text })
}

// ResolveArgs resolves a command passed to an entrypoint script: the last
// command of `sh -c script`, `exec` and wrappers removed.
func ResolveArgs(words []LaunchWord) []LaunchWord {
	for depth := 0; depth < 8 && len(words) > 0; depth++ {
		if k := ShellScriptArg(words); k >= 0 {
			call, _, ok := LastCall(words[k].Text)
			if !ok {
				return nil
			}
			script := words[k]
			words = make([]LaunchWord, len(call))
			for i, w := range call {
				words[i] = LaunchWord{Text: w, In: script.In, Shell: script.Shell}
			}
			continue
		}
		if n := TransparentWrapper(words); n > 0 {
			words = words[n:]
			continue
		}
		break
	}
	return words
}

// InitSignalsGroup reports whether launch starts with an init that sends
// the signals it receives to the child's whole process group, so that an
// app behind a package manager or a shell still gets SIGTERM: dumb-init by
// default (not with -c/--single-child), tini with -g.
func InitSignalsGroup(launch []LaunchWord) bool {
	if len(launch) == 0 || !IsInit(launch[0].Text) {
		return false
	}
	name := BaseName(launch[0].Text)
	end := SkipInit(launch)
	group := strings.HasPrefix(name, "dumb-init")
	for _, w := range launch[1:end] {
		switch {
		case strings.HasPrefix(name, "dumb-init") && (w.Text == "-c" || w.Text == "--single-child"):
			group = false
		case strings.HasPrefix(name, "tini") && w.Text == "-g":
			group = true
		}
	}
	return group
}
