package stage

import (
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// CalledScript returns the commands of the shell script file that c, a
// command of the RUN in, runs (`./scripts/build.sh`, `sh
// scripts/build.sh`), read from the build context (see RunScript), so
// that what it does (a prune, a reinstall) counts as done by the RUN. Nil
// when c runs no script file or it cannot be read.
func CalledScript(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) []*dockerfile.ShellCommand {
	file := RunScript(f, in, c)
	if !file.Read {
		return nil
	}
	return dockerfile.ParseScript(string(file.Data)).Commands
}
