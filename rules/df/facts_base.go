package df

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Facts shared by the base-image and runtime-contract rules (DF002–DF005,
// DF010, DF011, DF017–DF019).

// lastInChain returns the last instruction with keyword in force for the
// stage: in the stage itself or, failing that, in the stages it builds on.
func lastInChain(st *dockerfile.Stage, keyword string) *dockerfile.Instruction {
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

// lastEnv returns the last ENV instruction (stage and ancestors) that sets
// name, with the unquoted value.
func lastEnv(st *dockerfile.Stage, name string) (*dockerfile.Instruction, string) {
	var at *dockerfile.Instruction
	value := ""
	for _, in := range st.ChainInstructions() {
		env, ok := in.Command.(*instructions.EnvCommand)
		if !ok {
			continue
		}
		for _, kv := range env.Env {
			if kv.Key == name {
				at, value = in, unquoteEnv(kv.Value)
			}
		}
	}
	return at, value
}

// healthcheckTest returns the test of a HEALTHCHECK instruction
// (["NONE"], ["CMD", …], ["CMD-SHELL", …]); nil when it did not parse.
func healthcheckTest(in *dockerfile.Instruction) []string {
	hc, ok := in.Command.(*instructions.HealthCheckCommand)
	if !ok || hc.Health == nil {
		return nil
	}
	return hc.Health.Test
}

// healthcheckNone reports whether a HEALTHCHECK instruction is `HEALTHCHECK NONE`.
func healthcheckNone(in *dockerfile.Instruction) bool {
	t := healthcheckTest(in)
	return len(t) > 0 && strings.EqualFold(t[0], "NONE")
}

var shellWordSep = regexp.MustCompile(`[\s;&|()` + "`" + `]+`)

// healthcheckTool returns the command of the healthcheck that runs tool
// (curl, wget), also inside an exec-form `sh -c "…"`; the command is nil
// for the latter, where only the instruction is known.
func healthcheckTool(in *dockerfile.Instruction, tool string) (*dockerfile.ShellCommand, bool) {
	if in.Script == nil {
		return nil, false
	}
	for _, c := range in.Script.Commands {
		if c.Base() == tool {
			return c, true
		}
		if isShell(c.Base()) {
			for i, a := range c.Args {
				if a != "-c" || i+1 >= len(c.Args) {
					continue
				}
				for _, w := range shellWordSep.Split(c.Args[i+1], -1) {
					if baseName(w) == tool {
						return nil, true
					}
				}
			}
		}
	}
	return nil, false
}

func isShell(name string) bool {
	switch name {
	case "sh", "bash", "ash", "dash", "zsh":
		return true
	}
	return false
}

// userIsRoot classifies a USER value: root (root, 0, root:root, 0:0, …),
// unknown (a variable), or not root.
func userIsRoot(user string) (root, known bool) {
	user = strings.TrimSpace(unquoteEnv(user))
	if strings.Contains(user, "$") || user == "" {
		return false, false
	}
	name, _, _ := strings.Cut(user, ":")
	return name == "root" || name == "0", true
}

// finalStageName is "the final stage", with its name when it has one.
func finalStageName(st *dockerfile.Stage) string {
	if st.Name != "" {
		return fmt.Sprintf("the final stage %q", st.Name)
	}
	return "the final stage"
}

// variantKnown reports whether the image's variant can be read from its
// reference: `node@sha256:…` without a tag could be any variant.
func variantKnown(b dockerfile.BaseImage) bool {
	return b.Tag != "" || b.Digest == ""
}

// devEnvironment reports whether the image is a development environment,
// not something deployed: a Dev Container or CodeSandbox Dockerfile, or a
// final stage named for development. Production-runtime advice (small
// base, NODE_ENV, healthcheck) does not apply to it.
func devEnvironment(path string, st *dockerfile.Stage) bool {
	p := strings.ToLower(filepath.ToSlash(path))
	if strings.Contains(p, ".devcontainer") || strings.Contains(p, ".codesandbox") {
		return true
	}
	switch st.Name {
	case "dev", "development", "develop", "dev-envs", "devcontainer", "local":
		return true
	}
	return false
}

// runtimeOnlyImage reports whether the stage's command is a bare `node`
// (the REPL): the Dockerfile builds a Node runtime for others to build on
// (like the official node images), not an application.
func runtimeOnlyImage(st *dockerfile.Stage) bool {
	_, cmd := effectiveCommand(st)
	if cmd == nil || cmd.Script == nil || len(cmd.Script.Commands) != 1 {
		return false
	}
	c := cmd.Script.Commands[0]
	return (c.Base() == "node" || c.Base() == "nodejs") && len(c.Args) == 0
}

// windowsImage reports whether the stage builds a Windows image: its base
// names a Windows image, or a SHELL in the chain is PowerShell or cmd.
func windowsImage(st *dockerfile.Stage) bool {
	if facts, ok := baseFacts(st); ok && facts.Variant == knowledge.VariantWindows {
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
