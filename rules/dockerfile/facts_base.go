package dockerfile

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Facts shared by the base-image and runtime-contract rules (DF002–DF005,
// DF010, DF011, DF017–DF019).

// lastInChain returns the last instruction with keyword in force for the
// stage: in the stage itself or, failing that, in the stages it builds on.
func lastInChain(st *df.Stage, keyword string) *df.Instruction {
	var last *df.Instruction
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

// chainInstructions returns the instructions of the stage and the stages it
// builds on, oldest first.
func chainInstructions(st *df.Stage) []*df.Instruction {
	var out []*df.Instruction
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i].Instructions...)
	}
	return out
}

// lastEnv returns the last ENV instruction (stage and ancestors) that sets
// name, with the unquoted value.
func lastEnv(st *df.Stage, name string) (*df.Instruction, string) {
	var at *df.Instruction
	value := ""
	for _, in := range chainInstructions(st) {
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
func healthcheckTest(in *df.Instruction) []string {
	hc, ok := in.Command.(*instructions.HealthCheckCommand)
	if !ok || hc.Health == nil {
		return nil
	}
	return hc.Health.Test
}

// healthcheckNone reports whether a HEALTHCHECK instruction is `HEALTHCHECK NONE`.
func healthcheckNone(in *df.Instruction) bool {
	t := healthcheckTest(in)
	return len(t) > 0 && strings.EqualFold(t[0], "NONE")
}

var shellWordSep = regexp.MustCompile(`[\s;&|()` + "`" + `]+`)

// healthcheckTool returns the command of the healthcheck that runs tool
// (curl, wget), also inside an exec-form `sh -c "…"`; the command is nil
// for the latter, where only the instruction is known.
func healthcheckTool(in *df.Instruction, tool string) (*df.ShellCommand, bool) {
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
func finalStageName(st *df.Stage) string {
	if st.Name != "" {
		return fmt.Sprintf("the final stage %q", st.Name)
	}
	return "the final stage"
}

// variantKnown reports whether the image's variant can be read from its
// reference: `node@sha256:…` without a tag could be any variant.
func variantKnown(b df.BaseImage) bool {
	return b.Tag != "" || b.Digest == ""
}
