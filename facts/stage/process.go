package stage

import (
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file resolves the process a stage's container runs: CMD and
// ENTRYPOINT combined, inits, shells, wrappers and known entrypoint
// scripts looked through.

// Launch returns the argv a container of the stage starts with:
// ENTRYPOINT then CMD, a shell form contributing `/bin/sh -c <text>` (a
// shell-form ENTRYPOINT ignores CMD). Nil when the Dockerfile sets neither.
func Launch(st *dockerfile.Stage) []command.LaunchWord {
	ep, cmd := Command(st)
	var out []command.LaunchWord
	add := func(in *dockerfile.Instruction) bool {
		args, shell, ok := command.InstructionArgs(in)
		if !ok {
			return false
		}
		if shell {
			out = append(out,
				command.LaunchWord{Text: "/bin/sh", In: in, Shell: true},
				command.LaunchWord{Text: "-c", In: in, Shell: true},
				command.LaunchWord{Text: strings.Join(args, " "), In: in, Shell: true})
			return true
		}
		for _, a := range args {
			out = append(out, command.LaunchWord{Text: a, In: in})
		}
		return false
	}
	if add(ep) {
		return out
	}
	add(cmd)
	return out
}

// Process is what a final stage's command ends up running.
type Process struct {
	// Launch is the whole argv Docker starts.
	Launch []command.LaunchWord
	// Init is the init at the front, "" if none.
	Init string
	// Argv is the command that runs the app, after an init, `sh -c`
	// scripts (their last command) and transparent wrappers (`gosu user`,
	// `su-exec user`, `env`).
	Argv []command.LaunchWord
	// ShellFront is set when a shell stays in front of Argv (a shell form
	// or `sh -c` whose last command is not exec'd).
	ShellFront bool
	// Script is set when Argv runs a shell script file (`./entrypoint.sh`,
	// `sh start.sh`); ScriptArgs are the words after it.
	Script     *command.LaunchWord
	ScriptArgs []command.LaunchWord
	// ScriptViaShell is set for `sh start.sh` (as opposed to running the
	// file itself).
	ScriptViaShell bool
}

// ProcessOf resolves the process a final stage runs; ok is false when
// the Dockerfile sets no command or a shell script in it cannot be read.
// The official node image's docker-entrypoint.sh (which execs its
// arguments, prefixing `node` for a script file or an option) and the
// node ENTRYPOINT of distroless and Chainguard images are looked through.
func ProcessOf(f *dockerfile.File, st *dockerfile.Stage) (Process, bool) {
	r := processKey.Get(st.Memo(), func() resolvedProcess {
		p, ok := computeProcess(f, st)
		return resolvedProcess{p, ok}
	})
	return r.Process, r.ok
}

// resolvedProcess is a ProcessOf result.
type resolvedProcess struct {
	Process
	ok bool
}

func computeProcess(f *dockerfile.File, st *dockerfile.Stage) (Process, bool) {
	p := Process{Launch: Launch(st)}
	words := p.Launch
	if len(words) == 0 {
		return p, false
	}
	ep, _ := Command(st)
	root := st.Root()
	if ep == nil && root.External() {
		switch {
		case OfficialNodeBase(st):
			words = command.NodeEntrypointArgs(words)
		case root.Registry == "gcr.io" && strings.HasPrefix(root.Repository, "distroless/nodejs"),
			root.Registry == "cgr.dev" && strings.HasSuffix(root.Repository, "/node") && !strings.Contains(root.Tag, "dev"):
			if _, shell, _ := command.InstructionArgs(words[0].In); !shell && command.BaseName(words[0].Text) != "node" {
				words = append([]command.LaunchWord{{Text: "node", In: words[0].In}}, words...)
			}
		}
	}
	if i := command.SkipInit(words); i > 0 {
		p.Init = command.BaseName(words[0].Text)
		words = words[i:]
	}
	for depth := 0; depth < 8 && len(words) > 0; depth++ {
		if k := command.ShellScriptArg(words); k >= 0 {
			script := words[k]
			call, execd, ok := command.LastCall(script.Text)
			if !ok {
				return p, false
			}
			if !execd {
				p.ShellFront = true
			}
			words = make([]command.LaunchWord, len(call))
			for i, w := range call {
				words[i] = command.LaunchWord{Text: w, In: script.In, Shell: script.Shell}
			}
			continue
		}
		if k := command.ShellFileArg(words); k >= 0 {
			p.Script, p.ScriptArgs, p.ScriptViaShell = &words[k], words[k+1:], true
			break
		}
		if command.LooksLikeScript(words[0].Text) {
			if isNodeDockerEntrypoint(f, st, words[0].Text) {
				words = command.NodeEntrypointArgs(words[1:])
				continue
			}
			p.Script, p.ScriptArgs = &words[0], words[1:]
			break
		}
		if n := command.TransparentWrapper(words); n > 0 {
			words = words[n:]
			continue
		}
		break
	}
	p.Argv = words
	return p, len(words) > 0
}

// OfficialNodeBase: the stage builds on Docker Hub's node image (not alpine
// variants only: every tag ships docker-entrypoint.sh).
func OfficialNodeBase(st *dockerfile.Stage) bool { return OfficialNodeBaseImage(st.Root()) }

// OfficialNodeBaseImage: the image is Docker Hub's node image.
func OfficialNodeBaseImage(b dockerfile.BaseImage) bool {
	return b.External() && b.Registry == "" && b.Repository == "node"
}

// isNodeDockerEntrypoint: name is the official node image's
// docker-entrypoint.sh, the base is that image, and the Dockerfile does
// not COPY/ADD (or write) a file of that name.
func isNodeDockerEntrypoint(f *dockerfile.File, st *dockerfile.Stage, name string) bool {
	if name != "docker-entrypoint.sh" && name != "/usr/local/bin/docker-entrypoint.sh" {
		return false
	}
	if !OfficialNodeBase(st) {
		return false
	}
	return !provides(f, "docker-entrypoint.sh")
}

// provides reports whether a COPY/ADD names a file with this base
// name as a source or destination, or a heredoc writes one.
func provides(f *dockerfile.File, base string) bool {
	for _, in := range f.Instructions {
		c, ok := CopyOf(in)
		if !ok {
			continue
		}
		for _, s := range append(append([]string(nil), c.Sources...), c.Dest) {
			if command.BaseName(strings.TrimSuffix(s, "/")) == base {
				return true
			}
		}
	}
	for _, h := range HeredocFiles(f) {
		if command.BaseName(h.Path) == base {
			return true
		}
	}
	return false
}

// ProcessWord is one word of the command a final stage's container runs.
type ProcessWord struct {
	Text string
	// In is the CMD or ENTRYPOINT the word comes from.
	In *dockerfile.Instruction
}

// StageProcess returns the command the container of a final stage runs,
// resolved as DF014 resolves it: inits, `sh -c` scripts (their last
// command), transparent wrappers (gosu, su-exec, env) and the official
// node image's docker-entrypoint.sh are looked through, and an entrypoint
// script's arguments are taken as the command it execs. ok is false when
// the Dockerfile sets no command or the command cannot be resolved.
func ProcessWords(f *dockerfile.File, st *dockerfile.Stage) ([]ProcessWord, bool) {
	p, ok := ProcessOf(f, st)
	if !ok && p.Script == nil {
		return nil, false
	}
	argv := p.Argv
	if p.Script != nil {
		if p.ScriptViaShell || len(p.ScriptArgs) == 0 {
			return nil, false
		}
		argv = command.ResolveArgs(p.ScriptArgs)
	}
	out := make([]ProcessWord, len(argv))
	for i, w := range argv {
		out[i] = ProcessWord{Text: w.Text, In: w.In}
	}
	return out, len(out) > 0
}
