// Package stage derives what a Dockerfile stage does and ships: its base
// image facts, whether it runs Node, the process its container runs, its
// installs, copies, working directories and variables, which stages reach
// the final image. Each fact is computed once per stage or file.
package stage

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// The facts several rules share, each kept in the stage's or file's memo
// table so that it is computed once.
var (
	baseKey          = memo.NewKey[imageFacts]("base image facts")
	nodeKey          = memo.NewKey[bool]("node stage")
	commandKey       = memo.NewKey[[2]*dockerfile.Instruction]("effective command")
	scopesKey        = memo.NewKey[map[*dockerfile.Instruction]Scope]("scopes")
	processKey       = memo.NewKey[resolvedProcess]("stage process")
	heredocFilesKey  = memo.NewKey[[]HeredocFile]("heredoc files")
	shippedKey       = memo.NewKey[bool]("shipped")
	runsKey          = memo.NewKey[[]*dockerfile.Instruction]("runs")
	runCommandsKey   = memo.NewKey[[]RunCmd]("run commands")
	chainCommandsKey = memo.NewKey[[]RunCmd]("chain run commands")
)

// imageFacts is a base image lookup: the facts and whether any are known.
type imageFacts struct {
	knowledge.ImageFacts
	ok bool
}

// Base returns what is known about the external image a stage
// ultimately builds on.
func Base(st *dockerfile.Stage) (knowledge.ImageFacts, bool) {
	f := baseKey.Get(st.Memo(), func() imageFacts { return lookupBase(st) })
	return f.ImageFacts, f.ok
}

func lookupBase(st *dockerfile.Stage) imageFacts {
	b := st.Root()
	if !b.External() {
		return imageFacts{}
	}
	f, ok := knowledge.LookupImage(b.Registry, b.Repository, b.Tag)
	return imageFacts{f, ok}
}

// IsNode: the base is a known Node image, or the stage (or a stage it
// builds on) installs Node, or its command runs node or a package manager.
func IsNode(st *dockerfile.Stage) bool {
	return nodeKey.Get(st.Memo(), func() bool { return computeNode(st) })
}

func computeNode(st *dockerfile.Stage) bool {
	if f, ok := Base(st); ok && f.Node {
		return true
	}
	for _, s := range st.Ancestors() {
		for _, c := range s.Commands() {
			if install.InstallsSystemPackage(c, "nodejs") || install.InstallsSystemPackage(c, "node") {
				return true
			}
			if c.Base() == "curl" || c.Base() == "wget" {
				for _, a := range c.Args {
					if strings.Contains(a, "nodesource") {
						return true
					}
				}
			}
		}
	}
	ep, cmd := Command(st)
	for _, in := range []*dockerfile.Instruction{ep, cmd} {
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			switch c.Base() {
			case "node", "nodejs", "npm", "npx", "yarn", "pnpm", "ts-node", "tsx", "nodemon", "pm2", "pm2-runtime":
				return true
			}
		}
	}
	return false
}

// Command returns the ENTRYPOINT and CMD in force for a stage,
// inherited from the stages it builds on. An ENTRYPOINT resets a CMD
// inherited from an earlier stage, as Docker does; a CMD set earlier in
// the same stage survives it.
func Command(st *dockerfile.Stage) (entrypoint, cmd *dockerfile.Instruction) {
	c := commandKey.Get(st.Memo(), func() [2]*dockerfile.Instruction { return computeCommand(st) })
	return c[0], c[1]
}

// computeCommand returns ENTRYPOINT and CMD (see Command).
func computeCommand(st *dockerfile.Stage) [2]*dockerfile.Instruction {
	var entrypoint, cmd *dockerfile.Instruction
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		cmdInStage := false
		for _, in := range chain[i].Instructions {
			switch in.Keyword {
			case "ENTRYPOINT":
				entrypoint = in
				if !cmdInStage {
					cmd = nil
				}
			case "CMD":
				cmd, cmdInStage = in, true
			}
		}
	}
	return [2]*dockerfile.Instruction{entrypoint, cmd}
}

// LastInChain returns the last instruction with keyword in force for the
// stage: in the stage itself or, failing that, in the stages it builds on.
func LastInChain(st *dockerfile.Stage, keyword string) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in.Keyword == keyword {
				last = in
			}
		}
	}
	return last
}

// HealthcheckTest returns the test of a HEALTHCHECK instruction
// (["NONE"], ["CMD", …], ["CMD-SHELL", …]); nil when it did not parse.
func HealthcheckTest(in *dockerfile.Instruction) []string {
	hc, ok := in.Command.(*instructions.HealthCheckCommand)
	if !ok || hc.Health == nil {
		return nil
	}
	return hc.Health.Test
}

// HealthcheckNone reports whether a HEALTHCHECK instruction is `HEALTHCHECK NONE`.
func HealthcheckNone(in *dockerfile.Instruction) bool {
	t := HealthcheckTest(in)
	return len(t) > 0 && strings.EqualFold(t[0], "NONE")
}

var shellWordSep = regexp.MustCompile(`[\s;&|()` + "`" + `]+`)

// HealthcheckTool returns the command of the healthcheck that runs tool
// (curl, wget), also inside an exec-form `sh -c "…"`; the command is nil
// for the latter, where only the instruction is known.
func HealthcheckTool(in *dockerfile.Instruction, tool string) (*dockerfile.ShellCommand, bool) {
	if in.Script == nil {
		return nil, false
	}
	for _, c := range in.Script.Commands {
		if c.Base() == tool {
			return c, true
		}
		if command.IsShell(c.Base()) {
			for i, a := range c.Args {
				if a != "-c" || i+1 >= len(c.Args) {
					continue
				}
				for _, w := range shellWordSep.Split(c.Args[i+1], -1) {
					if command.BaseName(w) == tool {
						return nil, true
					}
				}
			}
		}
	}
	return nil, false
}

// UserIsRoot classifies a USER value: root (root, 0, root:root, 0:0, …),
// unknown (a variable), or not root.
func UserIsRoot(user string) (root, known bool) {
	user = strings.TrimSpace(UnquoteEnv(user))
	if strings.Contains(user, "$") || user == "" {
		return false, false
	}
	name, _, _ := strings.Cut(user, ":")
	return name == "root" || name == "0", true
}

// VariantKnown reports whether the image's variant can be read from its
// reference: `node@sha256:…` without a tag could be any variant.
func VariantKnown(b dockerfile.BaseImage) bool {
	return b.Tag != "" || b.Digest == ""
}

// RuntimeOnly reports whether the stage's command is a bare `node`
// (the REPL): the Dockerfile builds a Node runtime for others to build on
// (like the official node images), not an application.
func RuntimeOnly(st *dockerfile.Stage) bool {
	_, cmd := Command(st)
	if cmd == nil || cmd.Script == nil || len(cmd.Script.Commands) != 1 {
		return false
	}
	c := cmd.Script.Commands[0]
	return (c.Base() == "node" || c.Base() == "nodejs") && len(c.Args) == 0
}

// Windows reports whether the stage builds a Windows image: its base
// names a Windows image, or a SHELL in the chain is PowerShell or cmd.
func Windows(st *dockerfile.Stage) bool {
	if facts, ok := Base(st); ok && facts.Variant == knowledge.VariantWindows {
		return true
	}
	ref := strings.ToLower(st.Root().Expanded)
	for _, w := range []string{"windows", "nanoserver", "servercore", "microsoft/iis", "/dotnet/framework"} {
		if strings.Contains(ref, w) {
			return true
		}
	}
	for _, in := range st.ChainInstructions() {
		sh, ok := in.Command.(*instructions.ShellCommand)
		if !ok || len(sh.Shell) == 0 {
			continue
		}
		name := strings.ToLower(sh.Shell[0])
		if strings.Contains(name, "powershell") || strings.Contains(name, "pwsh") || strings.HasPrefix(name, "cmd") {
			return true
		}
	}
	return false
}
