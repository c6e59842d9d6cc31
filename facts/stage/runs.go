package stage

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads a stage's RUN instructions: their commands, the
// dependency installs among them, whether devDependencies are omitted or
// pruned, and which stages reach the final image.

// Installs returns the dependency installs of a stage with the instruction
// that runs each.
func Installs(st *dockerfile.Stage) []Install {
	var out []Install
	for _, in := range st.Instructions {
		if in.Keyword != "RUN" || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if i, ok := install.Classify(c); ok {
				out = append(out, Install{Install: i, Instr: in})
			}
		}
	}
	return out
}

// Install is a dependency install with the RUN instruction that runs it.
type Install struct {
	install.Install
	Instr *dockerfile.Instruction
}

// HasCacheMount reports whether a RUN mounts a cache (or tmpfs) at a path
// containing one of the fragments.
func HasCacheMount(in *dockerfile.Instruction, fragments ...string) bool {
	for _, m := range in.Mounts {
		if m.Type != instructions.MountTypeCache && m.Type != instructions.MountTypeTmpfs {
			continue
		}
		if len(fragments) == 0 {
			return true
		}
		for _, fr := range fragments {
			if strings.Contains(m.Target, fr) {
				return true
			}
		}
	}
	return false
}

// RunCmd is a shell command of a RUN, with the instruction.
type RunCmd struct {
	In  *dockerfile.Instruction
	Cmd *dockerfile.ShellCommand
}

// RunCommands is runCommands of the stage's own instructions,
// computed once per stage.
func RunCommands(st *dockerfile.Stage) []RunCmd {
	return runCommandsKey.Get(st.Memo(), func() []RunCmd { return runCommands(st.Instructions) })
}

// ChainRunCommands is runCommands of the stage's chain (see
// dockerfile.Stage.ChainInstructions), computed once per stage.
func ChainRunCommands(st *dockerfile.Stage) []RunCmd {
	return chainCommandsKey.Get(st.Memo(), func() []RunCmd { return runCommands(st.ChainInstructions()) })
}

// runCommands lists the shell commands of the RUNs in instrs, in order,
// with the instruction of each.
func runCommands(instrs []*dockerfile.Instruction) []RunCmd {
	var out []RunCmd
	for _, in := range instrs {
		if in.Keyword != "RUN" || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			out = append(out, RunCmd{In: in, Cmd: c})
		}
	}
	return out
}

// Shipped reports whether the stage's filesystem ends up in a final
// image: it is a final stage or a final stage builds FROM it. Files left in
// other stages are discarded (COPY --from takes only what it names), so
// rules about image size skip them.
func Shipped(f *dockerfile.File, st *dockerfile.Stage) bool {
	return shippedKey.Get(st.Memo(), func() bool { return computeShipped(f, st) })
}

func computeShipped(f *dockerfile.File, st *dockerfile.Stage) bool {
	for _, fin := range f.FinalStages() {
		for _, a := range fin.Ancestors() {
			if a == st {
				return true
			}
		}
	}
	return false
}

// Removes reports whether a command of the RUN removes a path under
// one of the prefixes (`rm -rf /var/lib/apt/lists/*`).
func Removes(in *dockerfile.Instruction, prefixes ...string) bool {
	if in.Script == nil {
		return false
	}
	for _, c := range in.Script.Commands {
		words := command.Words(c)
		if command.BaseName(words[0]) != "rm" {
			continue
		}
		for _, a := range words[1:] {
			for _, p := range prefixes {
				if strings.HasPrefix(a, p) {
					return true
				}
			}
		}
	}
	return false
}

// Runs returns the RUN instructions of the stage that have a script.
func Runs(st *dockerfile.Stage) []*dockerfile.Instruction {
	return runsKey.Get(st.Memo(), func() []*dockerfile.Instruction { return computeRuns(st) })
}

func computeRuns(st *dockerfile.Stage) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, in := range st.Instructions {
		if in.Keyword == "RUN" && in.Script != nil {
			out = append(out, in)
		}
	}
	return out
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
	cmds := ChainRunCommands(st)
	last := -1
	for idx, rc := range cmds {
		if i, ok := install.Classify(rc.Cmd); ok && i.ProjectInstall() {
			last = idx
		}
	}
	if last >= 0 {
		rc := cmds[last]
		i, _ := install.Classify(rc.Cmd)
		includesDev := command.HasArgEq(rc.Cmd, "--include", "dev") || command.HasArgEq(rc.Cmd, "--production", "false")
		stage := rc.In.Stage
		if stage == nil {
			stage = st
		}
		if !includesDev && (i.OmitDev || ProdEnvFor(stage, cmds, last)) {
			return rc.Cmd, rc.In, true
		}
		if PrunedLater(f, st, cmds, last) {
			return rc.Cmd, rc.In, true
		}
		return nil, nil, false
	}
	for _, in := range chain {
		cp, ok := CopyOf(in)
		if !ok || cp.From == "" {
			continue
		}
		copiesModules := false
		for _, s := range cp.Sources {
			if command.BaseName(trimSlash(s)) == "node_modules" {
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

// ProdEnvFor reports whether the install at cmds[idx] runs with npm told to
// omit devDependencies by the environment: NODE_ENV=production (ENV before
// the RUN, a `NODE_ENV=production cmd` prefix, or an `export` earlier in the
// RUN), or NPM_CONFIG_PRODUCTION / NPM_CONFIG_OMIT. A NODE_ENV from a
// variable is given the benefit of the doubt.
func ProdEnvFor(st *dockerfile.Stage, cmds []RunCmd, idx int) bool {
	rc := cmds[idx]
	line := rc.In.StartLine
	if v, ok := EnvBefore(st, "NODE_ENV", line); ok && (v == "production" || strings.Contains(v, "$")) {
		return true
	}
	for _, name := range []string{"NPM_CONFIG_PRODUCTION", "npm_config_production"} {
		if v, ok := EnvBefore(st, name, line); ok && v == "true" {
			return true
		}
	}
	for _, name := range []string{"NPM_CONFIG_OMIT", "npm_config_omit"} {
		if v, ok := EnvBefore(st, name, line); ok && strings.Contains(v, "dev") {
			return true
		}
	}
	if command.HasAssign(rc.Cmd, "NODE_ENV", "production") {
		return true
	}
	// `export NODE_ENV=production` is a declaration, not a simple command.
	return rc.In.Script != nil && strings.Contains(rc.In.Script.Text, "NODE_ENV=") && exportProd.MatchString(rc.In.Script.Text)
}

var exportProd = regexp.MustCompile(`\bexport\s+([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*NODE_ENV=["']?production\b`)

// PrunedLater reports whether devDependencies are removed after the
// install at cmds[idx] (see RemovesDevDependencies).
func PrunedLater(f *dockerfile.File, st *dockerfile.Stage, cmds []RunCmd, idx int) bool {
	for j := idx + 1; j < len(cmds); j++ {
		if RemovesDevDependencies(f, cmds[j].In, cmds[j].Cmd) {
			return true
		}
	}
	return false
}

// RemovesDevDependencies reports whether c, a command of the RUN in,
// leaves node_modules without devDependencies: `npm prune
// --omit=dev`/`--production` (or a bare `npm prune` under
// NODE_ENV=production), `pnpm prune --prod`, `yarn workspaces focus
// --production`, an install that omits them (told so or under
// NODE_ENV=production); also inside a script from
// the build context that c runs (`RUN ./scripts/build.sh`, see
// CalledScript).
func RemovesDevDependencies(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) bool {
	prodEnv := func() bool {
		return in.Stage != nil && ProdEnvFor(in.Stage, []RunCmd{{In: in, Cmd: c}}, 0)
	}
	if removesDev(c, prodEnv) {
		return true
	}
	for _, sc := range CalledScript(f, in, c) {
		if removesDev(sc, func() bool { return prodEnv() || command.HasAssign(sc, "NODE_ENV", "production") }) {
			return true
		}
	}
	return false
}

// removesDev: c reinstalls without devDependencies (told so, or under
// NODE_ENV=production when prodEnv says it is in force) or prunes them (a
// bare prune under NODE_ENV=production too).
func removesDev(c *dockerfile.ShellCommand, prodEnv func() bool) bool {
	if i, ok := install.Classify(c); ok && i.ProjectInstall() {
		includesDev := command.HasArgEq(c, "--include", "dev") || command.HasArgEq(c, "--production", "false")
		return i.OmitDev || !includesDev && prodEnv()
	}
	prunes, underProdEnv := install.PrunesDev(c)
	return prunes || underProdEnv && prodEnv()
}

// BuildAfterInstall returns the first build step (install.IsBuildStep:
// `npm run build`, `tsc`, `next build`, …) of the stage chain that runs
// after a project dependency install: in such a stage the install must
// keep devDependencies, so omitting them belongs after the build.
func BuildAfterInstall(st *dockerfile.Stage) (RunCmd, bool) {
	installed := false
	for _, rc := range ChainRunCommands(st) {
		if i, ok := install.Classify(rc.Cmd); ok && i.ProjectInstall() {
			installed = true
			continue
		}
		if installed && install.IsBuildStep(rc.Cmd) {
			return rc, true
		}
	}
	return RunCmd{}, false
}

// CreatedUser is the user a RUN of the stage's chain creates (`useradd
// -m app`, `adduser -D -u 1001 app`, `adduser --system nodejs`), the last
// one when several; "" when none does.
func CreatedUser(st *dockerfile.Stage) string {
	user := ""
	for _, rc := range ChainRunCommands(st) {
		switch command.BaseName(rc.Cmd.Name) {
		case "useradd", "adduser":
		default:
			continue
		}
		words := command.Words(rc.Cmd)
		last := words[len(words)-1]
		if len(words) > 1 && !strings.HasPrefix(last, "-") && strings.Trim(last, "0123456789") != "" && !strings.Contains(last, "$") {
			user = last
		}
	}
	return user
}
