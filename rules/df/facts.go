package df

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file holds the facts several DF rules share: what a stage's base
// image is, whether a stage is a Node stage, the effective command, and
// what a package-manager command does.

// factKey names a fact kept in a stage's or file's memo (dockerfile.Stage.Memo,
// dockerfile.File.Memo): several rules ask for the same facts, which are computed
// once per stage or file.
type factKey struct{ name string }

// The keys are pointers: memo lookups compare them as plain words.
var (
	factBase             = &factKey{"base image facts"}
	factNodeStage        = &factKey{"node stage"}
	factEffectiveCommand = &factKey{"effective command"}
	factLayScopes        = &factKey{"scopes"}
	factStageProcess     = &factKey{"stage process"}
	factHeredocFiles     = &factKey{"heredoc files"}
	factShipped          = &factKey{"shipped"}
	factRuns             = &factKey{"runs"}
	factRunCommands      = &factKey{"run commands"}
	factChainRunCommands = &factKey{"chain run commands"}
)

// stageFact returns compute(st), computed once per stage.
func stageFact[T any](st *dockerfile.Stage, key *factKey, compute func(*dockerfile.Stage) T) T {
	return st.Memo(key, func() any { return compute(st) }).(T)
}

// fileFact returns compute(f), computed once per file.
func fileFact[T any](f *dockerfile.File, key *factKey, compute func(*dockerfile.File) T) T {
	return f.Memo(key, func() any { return compute(f) }).(T)
}

// imageFacts is a base image lookup: the facts and whether any are known.
type imageFacts struct {
	knowledge.ImageFacts
	ok bool
}

// baseFacts returns what is known about the external image a stage
// ultimately builds on.
func baseFacts(st *dockerfile.Stage) (knowledge.ImageFacts, bool) {
	f := stageFact(st, factBase, lookupBase)
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

// isNodeStage: the base is a known Node image, or the stage (or a stage it
// builds on) installs Node, or its command runs node or a package manager.
func isNodeStage(st *dockerfile.Stage) bool {
	return stageFact(st, factNodeStage, computeNodeStage)
}

func computeNodeStage(st *dockerfile.Stage) bool {
	if f, ok := baseFacts(st); ok && f.Node {
		return true
	}
	for _, s := range st.Ancestors() {
		for _, c := range s.Commands() {
			if installsPackage(c, "nodejs") || installsPackage(c, "node") {
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
	ep, cmd := effectiveCommand(st)
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

// installsPackage reports whether c is an apt-get/apt/apk/yum/dnf install
// naming pkg (optionally with a version).
func installsPackage(c *dockerfile.ShellCommand, pkg string) bool {
	for _, p := range systemInstallPackages(c) {
		if p == pkg {
			return true
		}
	}
	return false
}

// systemInstallPackages returns the package names of an OS package install
// command (apt-get/apt install, apk add, yum/dnf/microdnf install), with
// versions stripped; nil for other commands.
func systemInstallPackages(c *dockerfile.ShellCommand) []string {
	args := c.Args
	switch c.Base() {
	case "apt-get", "apt", "yum", "dnf", "microdnf":
		if firstPositional(c) != "install" {
			return nil
		}
	case "apk":
		if firstPositional(c) != "add" {
			return nil
		}
	default:
		return nil
	}
	var out []string
	skipNext := false
	seenVerb := false
	for _, a := range args {
		if skipNext {
			skipNext = false
			continue
		}
		if strings.HasPrefix(a, "-") {
			// Flags that take a separate value.
			if a == "-o" || a == "-t" || a == "--target-release" || a == "--repository" || a == "-X" || a == "--virtual" {
				skipNext = true
			}
			continue
		}
		if !seenVerb {
			seenVerb = true
			continue
		}
		name := a
		for _, sep := range []string{"=", ">", "<", "~"} {
			if i := strings.Index(name, sep); i > 0 {
				name = name[:i]
			}
		}
		out = append(out, name)
	}
	return out
}

// firstPositional is c.Positional()[0], "" when there is none.
func firstPositional(c *dockerfile.ShellCommand) string {
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// effectiveCommand returns the ENTRYPOINT and CMD in force for a stage,
// inherited from the stages it builds on. An ENTRYPOINT resets a CMD
// inherited from an earlier stage, as Docker does; a CMD set earlier in
// the same stage survives it.
func effectiveCommand(st *dockerfile.Stage) (entrypoint, cmd *dockerfile.Instruction) {
	c := stageFact(st, factEffectiveCommand, computeEffectiveCommand)
	return c[0], c[1]
}

// computeEffectiveCommand returns ENTRYPOINT and CMD (see effectiveCommand).
func computeEffectiveCommand(st *dockerfile.Stage) [2]*dockerfile.Instruction {
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

// envSetBefore reports the value of an ENV variable set in the stage (or
// the stages it builds on) before the instruction at line (0: anywhere).
func envSetBefore(st *dockerfile.Stage, name string, line int) (string, bool) {
	chain := st.Ancestors()
	value, found := "", false
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if chain[i] == st && line > 0 && in.StartLine >= line {
				break
			}
			env, ok := in.Command.(*instructions.EnvCommand)
			if !ok {
				continue
			}
			for _, kv := range env.Env {
				if kv.Key == name {
					value, found = unquoteEnv(kv.Value), true
				}
			}
		}
	}
	return value, found
}

// unquoteEnv strips the quotes buildkit keeps on ENV values (`"production"`).
func unquoteEnv(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}

// Manager is a JavaScript package manager.
type Manager string

const (
	NPM  Manager = "npm"
	Yarn Manager = "yarn"
	PNPM Manager = "pnpm"
	Bun  Manager = "bun"
)

// Install describes a package-manager command that installs a project's
// dependencies (or adds named packages).
type Install struct {
	Cmd     *dockerfile.ShellCommand
	Manager Manager
	// Verb is the subcommand as written: ci, install, i, add, "" (bare yarn).
	Verb string
	// Packages are named packages (npm install express); empty for a
	// lockfile-driven install of the whole project.
	Packages []string
	// Global is set for -g/--global installs.
	Global bool
	// OmitDev: --omit=dev, --production, --only=prod(uction), --prod.
	OmitDev bool
	// Frozen: npm ci, --frozen-lockfile, --immutable, --ci.
	Frozen bool
}

// ProjectInstall reports whether the command installs the project's
// dependency tree (not named packages, not global tools).
func (i Install) ProjectInstall() bool {
	return len(i.Packages) == 0 && !i.Global
}

// classifyInstall recognises npm/yarn/pnpm/bun install commands, also when
// wrapped as `corepack npm …` or `npx --yes pnpm …`.
func classifyInstall(c *dockerfile.ShellCommand) (Install, bool) {
	words := c.Words()
	name := c.Base()
	for (name == "corepack" || name == "npx" || name == "sudo") && len(words) > 1 {
		words = words[1:]
		for len(words) > 1 && strings.HasPrefix(words[0], "-") {
			words = words[1:]
		}
		name = baseName(words[0])
	}
	m := Manager(name)
	switch m {
	case NPM, Yarn, PNPM, Bun:
	default:
		return Install{}, false
	}
	args := words[1:]
	in := Install{Cmd: c, Manager: m}
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-g" || a == "--global" || a == "--location=global":
			in.Global = true
		case a == "--omit=dev" || a == "--production" || a == "--prod" || a == "-P" && m == PNPM ||
			a == "--only=production" || a == "--only=prod" || a == "--production=true":
			in.OmitDev = true
		case a == "--omit" && i+1 < len(args) && args[i+1] == "dev":
			in.OmitDev = true
			i++
		case a == "--frozen-lockfile" || a == "--immutable" || a == "--frozen-lockfile=true" || a == "--ci":
			in.Frozen = true
		case flagTakesValue(m, a) && i+1 < len(args):
			i++ // `--network-timeout 600000`, `--prefix dir`: the value is no package
		case strings.HasPrefix(a, "-"):
		default:
			positional = append(positional, a)
		}
	}
	verb := ""
	if len(positional) > 0 {
		verb, positional = positional[0], positional[1:]
	}
	switch m {
	case NPM:
		switch verb {
		case "ci", "clean-install", "install-clean", "isntall-clean", "ic":
			in.Verb, in.Frozen = "ci", true
		case "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "add":
			in.Verb = "install"
		default:
			return Install{}, false
		}
	case Yarn:
		switch verb {
		case "":
			if c.HasArg("--version", "-v", "--help", "-h") {
				return Install{}, false // `yarn --version` installs nothing
			}
			in.Verb = ""
		case "install":
			in.Verb = "install"
		case "add":
			in.Verb = "add"
			if len(positional) == 0 {
				return Install{}, false
			}
		case "global":
			if len(positional) > 0 && positional[0] == "add" {
				in.Verb, in.Global = "add", true
				positional = positional[1:]
			} else {
				return Install{}, false
			}
		default:
			return Install{}, false
		}
	case PNPM, Bun:
		switch verb {
		case "install", "i":
			in.Verb = "install"
		case "add":
			in.Verb = "add"
		default:
			return Install{}, false
		}
	}
	in.Packages = positional
	return in, true
}

// flagTakesValue: package-manager flags whose value is the next word.
func flagTakesValue(m Manager, a string) bool {
	switch a {
	case "--prefix", "--cwd", "--dir", "-C", "--filter", "-F", "--workspace", "--registry", "--cache",
		"--loglevel", "--userconfig", "--network-timeout", "--mutex", "--cache-folder",
		"--modules-folder", "--store-dir", "--virtual-store-dir", "--include", "--network-concurrency":
		return true
	case "-w":
		return m == NPM // pnpm -w is --workspace-root
	}
	return false
}

func baseName(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// installs returns the dependency installs of a stage with the instruction
// that runs each.
func installs(st *dockerfile.Stage) []stageInstall {
	var out []stageInstall
	for _, in := range st.Instructions {
		if in.Keyword != "RUN" || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if i, ok := classifyInstall(c); ok {
				out = append(out, stageInstall{Install: i, Instr: in})
			}
		}
	}
	return out
}

type stageInstall struct {
	Install
	Instr *dockerfile.Instruction
}

// hasCacheMount reports whether a RUN mounts a cache (or tmpfs) at a path
// containing one of the fragments.
func hasCacheMount(in *dockerfile.Instruction, fragments ...string) bool {
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
