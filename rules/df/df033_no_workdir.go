package df

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// NoWorkdir reports stages that work in a relative path without WORKDIR,
// and `cd` inside RUN.
var NoWorkdir = register(&analysis.Rule{
	ID:       "DF033",
	Name:     "no-workdir",
	Title:    "relative paths without WORKDIR, or cd inside RUN",
	Severity: analysis.Info,
	Doc: analysis.Doc{
		Why: "Without a `WORKDIR`, `COPY . .` and `RUN npm ci` work in the base image's working directory, " +
			"which for most images is `/`: the project's files end up mixed with the system's (`/package.json`, " +
			"`/node_modules`, `/src`), and a later change of base image can silently move them. " +
			"`RUN cd /app && …` changes directory for that one RUN only; the next instruction is back where it " +
			"started, which is easy to forget and hard to read. `WORKDIR` sets the directory once, for every " +
			"following instruction and for the container's command, and creates it if needed.",
		Bad:  "FROM node:22-slim\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add `WORKDIR /app` (or another absolute directory) before the first COPY or RUN that works " +
			"in the project, and replace `RUN cd dir && cmd` with `WORKDIR dir` followed by `RUN cmd`.",
		AppliesTo: "Without WORKDIR the files land wherever the base image says, in any image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			cmdReportMissingWorkdir(pass, f, st)
			for _, in := range st.Instructions {
				if in.Keyword != "RUN" || in.Script == nil {
					continue
				}
				// One finding per RUN: the first `cd` into a directory the
				// following commands work in. Going back (`cd /`, `cd ..`)
				// and scratch directories for a one-RUN build (`cd /tmp`)
				// are not what WORKDIR is for.
				for _, c := range cmdCdsFollowed(in) {
					dir := ""
					if len(c.Args) > 0 {
						dir = c.Args[0]
					}
					if cmdScratchDir(dir) {
						break
					}
					if cmdGoingBack(dir) {
						continue
					}
					pass.Report(analysis.Finding{
						Range:   locate.Command(f, c),
						Message: fmt.Sprintf("`%s` inside RUN changes directory for this RUN only: use WORKDIR for the directory the next commands work in", c.String()),
						Help:    fmt.Sprintf("set `WORKDIR %s` before this RUN and drop the `cd`", dir),
					})
					break
				}
			}
		}
	}),
})

// cmdReportMissingWorkdir reports the first instruction of the stage that
// copies to a relative destination or runs a project command while no
// WORKDIR is set (in the stage or the stages it builds on).
func cmdReportMissingWorkdir(pass *analysis.Pass, f *dockerfile.File, st *dockerfile.Stage) {
	for _, in := range st.Instructions {
		if in.Keyword == "WORKDIR" {
			return
		}
		if stage.HasWorkdirBefore(st, in.StartLine) {
			return
		}
		var msg string
		if c, ok := stage.CopyOf(in); ok {
			if cmdRelativeDest(c.Dest) {
				msg = fmt.Sprintf("%s to the relative destination `%s` with no WORKDIR set: the files land in the base image's working directory (`/` for most images)", in.Keyword, c.Dest)
			}
		}
		switch in.Command.(type) {
		case *instructions.RunCommand:
			if in.Script == nil {
				continue
			}
			for _, cmd := range in.Script.Commands {
				if cmdProjectCommand(cmd) {
					msg = fmt.Sprintf("`%s` runs in the project directory but no WORKDIR is set: it works in the base image's working directory (`/` for most images)", cmd.String())
					break
				}
				if cmd.Name == "cd" {
					break // the RUN chooses its directory itself
				}
			}
		}
		if msg == "" {
			continue
		}
		pass.Report(analysis.Finding{
			Range:   locate.Instruction(f, in),
			Message: msg,
			Help:    "add `WORKDIR /app` (or another absolute directory) before this instruction",
		})
		return
	}
}

// cmdRelativeDest: a COPY/ADD destination that is not absolute (variables,
// whose value is unknown, and Windows paths are not judged).
func cmdRelativeDest(dest string) bool {
	if dest == "" || strings.HasPrefix(dest, "/") || strings.ContainsAny(dest, `$\`) {
		return false
	}
	if len(dest) >= 2 && dest[1] == ':' {
		return false // C:\app
	}
	return true
}

// cmdProjectCommand: a package-manager command that works on ./package.json
// (a project install, `npm run x`, `yarn build`).
func cmdProjectCommand(c *dockerfile.ShellCommand) bool {
	if i, ok := install.Classify(c); ok {
		return i.ProjectInstall() && !c.HasArg("--prefix", "-C", "--cwd", "--dir") && !c.HasArgPrefix("--prefix=") && !c.HasArgPrefix("--cwd=") && !c.HasArgPrefix("--dir=")
	}
	switch c.Base() {
	case "npm", "pnpm":
		pos := c.Positional()
		if len(pos) > 0 && (pos[0] == "run" || pos[0] == "run-script" || pos[0] == "build" || pos[0] == "test") {
			return !c.HasArgPrefix("--prefix") && !c.HasArg("-C") && !c.HasArgPrefix("--dir")
		}
	case "yarn":
		pos := c.Positional()
		if len(pos) > 0 && (pos[0] == "run" || pos[0] == "build") {
			return !c.HasArgPrefix("--cwd")
		}
	}
	return false
}

// cmdCdsFollowed returns the `cd` commands of a RUN that other commands
// follow, outside subshells and command substitutions (whose directory
// change ends with them).
func cmdCdsFollowed(in *dockerfile.Instruction) []*dockerfile.ShellCommand {
	s := in.Script
	var cds []int // indexes into s.Commands
	for i, c := range s.Commands {
		if c.Name == "cd" {
			cds = append(cds, i)
		}
	}
	if len(cds) == 0 {
		return nil
	}
	var out []*dockerfile.ShellCommand
	for _, i := range cds {
		c := s.Commands[i]
		if !s.Parsed {
			// Words split without the shell: a cd is followed unless last.
			if i < len(s.Commands)-1 {
				out = append(out, c)
			}
			continue
		}
		if c.Nested {
			continue
		}
		for _, o := range s.Commands {
			if c.Precedes(o) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// cmdScratchDir: a temporary directory (`/tmp/build`, `$(mktemp -d)`).
func cmdScratchDir(dir string) bool {
	d := strings.ToLower(dir)
	return d == "/tmp" || strings.HasPrefix(d, "/tmp/") || strings.HasPrefix(d, "/var/tmp") ||
		strings.Contains(d, "mktemp") || strings.Contains(d, "tmpdir") || strings.Contains(d, "$tmp") || strings.Contains(d, "${tmp")
}

// cmdGoingBack: `cd`, `cd -`, `cd /`, `cd ..`, `cd ~`: leaving a directory.
func cmdGoingBack(dir string) bool {
	switch strings.TrimSuffix(dir, "/") {
	case "", "-", "..", "../..", "~", "$HOME", "${HOME}":
		return true
	}
	return dir == "/"
}
