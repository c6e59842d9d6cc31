package df

import (
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file exports a few Dockerfile facts to the AP family (rules/app),
// so both families read installs and commands the same way. The logic
// stays with the DF rules that own it.

// ClassifyInstall recognises npm/yarn/pnpm/bun install commands (also
// through corepack and npx).
func ClassifyInstall(c *dockerfile.ShellCommand) (Install, bool) { return classifyInstall(c) }

// IsNodeStage is exported in exported_dockerignore.go.

// DevEnvironment reports whether the stage builds a development
// environment (a Dev Container or CodeSandbox Dockerfile, a final stage
// named dev/development/local) rather than something deployed.
func DevEnvironment(path string, st *dockerfile.Stage) bool { return devEnvironment(path, st) }

// EnvBefore returns the value of an ENV variable in force before the
// instruction at line of the stage (0: at its end), through the stages it
// builds on.
func EnvBefore(st *dockerfile.Stage, name string, line int) (string, bool) {
	return envSetBefore(st, name, line)
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
func StageProcess(f *dockerfile.File, st *dockerfile.Stage) ([]ProcessWord, bool) {
	p, ok := cmdStageProcess(f, st)
	if !ok && p.Script == nil {
		return nil, false
	}
	argv := p.Argv
	if p.Script != nil {
		if p.ScriptViaShell || len(p.ScriptArgs) == 0 {
			return nil, false
		}
		argv = cmdResolveArgs(p.ScriptArgs)
	}
	out := make([]ProcessWord, len(argv))
	for i, w := range argv {
		out[i] = ProcessWord{Text: w.Text, In: w.In}
	}
	return out, len(out) > 0
}

// OmitsDevDependencies reports whether the node_modules of a final stage
// hold production dependencies only, and which install makes it so: the
// last dependency install of the stage (or of the stages it is built
// FROM) omits devDependencies (`npm ci --omit=dev`, `--production`,
// `--prod`, or NODE_ENV=production in force) or is followed by a prune;
// or, when the stage installs nothing, the stage it copies node_modules
// from (`COPY --from=deps /app/node_modules …`) does.
func OmitsDevDependencies(f *dockerfile.File, st *dockerfile.Stage) (*dockerfile.ShellCommand, *dockerfile.Instruction, bool) {
	return omitsDev(f, st, 0)
}

func omitsDev(f *dockerfile.File, st *dockerfile.Stage, depth int) (*dockerfile.ShellCommand, *dockerfile.Instruction, bool) {
	if depth > 4 {
		return nil, nil, false
	}
	chain := st.ChainInstructions()
	cmds := instChainRunCommands(st)
	last := -1
	for idx, rc := range cmds {
		if i, ok := classifyInstall(rc.Cmd); ok && i.ProjectInstall() {
			last = idx
		}
	}
	if last >= 0 {
		rc := cmds[last]
		i, _ := classifyInstall(rc.Cmd)
		includesDev := instHasArgEq(rc.Cmd, "--include", "dev") || instHasArgEq(rc.Cmd, "--production", "false")
		stage := rc.In.Stage
		if stage == nil {
			stage = st
		}
		if !includesDev && (i.OmitDev || prodEnvFor(stage, cmds, last)) {
			return rc.Cmd, rc.In, true
		}
		if prunedLater(st, cmds, last) {
			return rc.Cmd, rc.In, true
		}
		return nil, nil, false
	}
	for _, in := range chain {
		cp, ok := instCopyOf(in)
		if !ok || cp.From == "" {
			continue
		}
		copiesModules := false
		for _, s := range cp.Sources {
			if baseName(trimSlash(s)) == "node_modules" {
				copiesModules = true
			}
		}
		if !copiesModules {
			continue
		}
		from := f.StageByName(cp.From)
		if from == nil || from == st {
			continue
		}
		if cmd, at, ok := omitsDev(f, from, depth+1); ok {
			return cmd, at, true
		}
	}
	return nil, nil, false
}

func trimSlash(s string) string {
	for len(s) > 1 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
