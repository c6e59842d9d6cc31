package stage

import (
	"path"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads the shell scripts that RUN instructions call
// (`RUN ./scripts/build.sh`) from the build context, so that what they do
// (a prune, a reinstall) counts as done by the RUN.

// CalledScript returns the commands of the shell script file that c, a
// command of the RUN in, runs: `./scripts/build.sh`, `sh
// scripts/build.sh`, `bash -e /app/ci/build.sh`, read from the build
// context where a COPY put it. Nil when c runs no script file, or the
// Dockerfile is checked without its context, or the context does not hold
// the script.
func CalledScript(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) []*dockerfile.ShellCommand {
	st := in.Stage
	if f.Context == nil || st == nil {
		return nil
	}
	words := command.Words(c)
	name, viaShell := "", false
	if command.LooksLikeScript(words[0]) && strings.Contains(words[0], "/") {
		name = words[0]
	} else {
		launch := make([]command.LaunchWord, len(words))
		for i, w := range words {
			launch[i] = command.LaunchWord{Text: w}
		}
		if k := command.ShellFileArg(launch); k >= 0 {
			name, viaShell = words[k], true
		}
	}
	if name == "" || strings.Contains(name, "$") {
		return nil
	}
	p := name
	if !strings.HasPrefix(p, "/") {
		chain := st.ChainInstructions()
		wd := ""
		for i, x := range chain {
			if x == in {
				wd = WorkdirAt(chain, i)
			}
		}
		if wd == "" || !viaShell && !strings.Contains(name, "/") {
			return nil
		}
		p = path.Join(wd, name)
	}
	rel, ok := ContextPath(f, st, p)
	if !ok || rel == "." {
		return nil
	}
	data, err := f.Context.ReadFile(rel)
	if err != nil {
		return nil
	}
	return dockerfile.ParseScript(string(data)).Commands
}
