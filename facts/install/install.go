// Package install recognises commands that install packages: npm, yarn,
// pnpm and bun dependency installs, OS package managers (apt, apk, yum,
// dnf), build steps, and the lockfiles each manager needs.
package install

import (
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// InstallsSystemPackage reports whether c is an apt-get/apt/apk/yum/dnf install
// naming pkg (optionally with a version).
func InstallsSystemPackage(c *dockerfile.ShellCommand, pkg string) bool {
	for _, p := range SystemPackages(c) {
		if p == pkg {
			return true
		}
	}
	return false
}

// SystemPackages returns the package names of an OS package install
// command (apt-get/apt install, apk add, yum/dnf/microdnf install), with
// versions stripped; nil for other commands.
func SystemPackages(c *dockerfile.ShellCommand) []string {
	args := c.Args
	switch c.Base() {
	case "apt-get", "apt", "yum", "dnf", "microdnf":
		if command.FirstPositional(c) != "install" {
			return nil
		}
	case "apk":
		if command.FirstPositional(c) != "add" {
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

// ManagerWords returns the words of c from the package manager it runs:
// wrappers (sudo, env, …) and the launchers corepack and npx, with their
// options, are looked through (`sudo corepack pnpm install` → pnpm
// install).
func ManagerWords(c *dockerfile.ShellCommand) []string {
	words := command.Words(c)
	for len(words) > 1 {
		switch command.BaseName(words[0]) {
		case "corepack", "npx":
		default:
			return words
		}
		words = words[1:]
		for len(words) > 1 && strings.HasPrefix(words[0], "-") {
			words = words[1:]
		}
	}
	return words
}

// Classify recognises npm/yarn/pnpm/bun install commands, also when
// wrapped as `corepack npm …` or `npx --yes pnpm …`.
func Classify(c *dockerfile.ShellCommand) (Install, bool) {
	switch b := c.Base(); Manager(b) {
	case NPM, Yarn, PNPM, Bun:
	default:
		if b != "corepack" && b != "npx" && !command.IsWrapper(b) {
			return Install{}, false // most commands: quick answer
		}
	}
	words := ManagerWords(c)
	m := Manager(command.BaseName(words[0]))
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

// Lockfiles are the lockfiles each manager's frozen install needs.
var Lockfiles = map[Manager][]string{
	NPM:  {"package-lock.json", "npm-shrinkwrap.json"},
	Yarn: {"yarn.lock"},
	PNPM: {"pnpm-lock.yaml"},
	Bun:  {"bun.lock", "bun.lockb"},
}

// StripVersion drops an npm-style version (`node-gyp@10`, `@scope/x@1`).
func StripVersion(pkg string) string {
	if i := strings.LastIndex(pkg, "@"); i > 0 {
		return pkg[:i]
	}
	return pkg
}

// OSCommand is an OS package-manager command: apt-get/apt/aptitude or apk.
type OSCommand struct {
	Tool string // apt-get, apt, aptitude, apk
	Verb string // install, update, add, …; "" when none
	// Args are the words after the tool name (flags and operands).
	Args []string
}

// aptFlagsWithValue are apt-get/apt options whose value is the next word.
var aptFlagsWithValue = map[string]bool{"-o": true, "--option": true, "-t": true, "--target-release": true, "--default-release": true, "-c": true, "--config-file": true}

// apkFlagsWithValue are apk options whose value is the next word.
var apkFlagsWithValue = map[string]bool{"-X": true, "--repository": true, "-t": true, "--virtual": true, "-p": true, "--root": true, "--arch": true, "--cache-dir": true, "--keys-dir": true, "--repositories-file": true}

// OSCommandOf recognises an OS package-manager command.
func OSCommandOf(c *dockerfile.ShellCommand) (OSCommand, bool) {
	words := command.Words(c)
	tool := command.BaseName(words[0])
	var withValue map[string]bool
	switch tool {
	case "apt-get", "apt", "aptitude":
		withValue = aptFlagsWithValue
	case "apk":
		withValue = apkFlagsWithValue
	default:
		return OSCommand{}, false
	}
	p := OSCommand{Tool: tool, Args: words[1:]}
	walkOperands(p.Args, withValue, func(op string) bool {
		p.Verb = op
		return false
	})
	return p, true
}

// walkOperands calls fn with each word of args that is not an option or
// an option's value, until fn returns false.
func walkOperands(args []string, withValue map[string]bool, fn func(string) bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if withValue[a] {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		if !fn(a) {
			return
		}
	}
}

// IsApt reports whether the command is apt-get, apt or aptitude.
func (p OSCommand) IsApt() bool { return p.Tool != "apk" }

// Installs reports whether the command installs or upgrades packages.
func (p OSCommand) Installs() bool {
	if p.Tool == "apk" {
		return p.Verb == "add" || p.Verb == "upgrade"
	}
	switch p.Verb {
	case "install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall", "safe-upgrade", "satisfy":
		return true
	}
	return false
}

// Has reports whether one of the flags was given.
func (p OSCommand) Has(flags ...string) bool {
	for _, a := range p.Args {
		for _, f := range flags {
			if a == f {
				return true
			}
		}
	}
	return false
}

// Packages returns the operands after the verb (package names).
func (p OSCommand) Packages() []string {
	withValue := aptFlagsWithValue
	if p.Tool == "apk" {
		withValue = apkFlagsWithValue
	}
	var out []string
	verb := true
	walkOperands(p.Args, withValue, func(op string) bool {
		if !verb {
			out = append(out, op)
		}
		verb = false
		return true
	})
	return out
}

// buildCommands are commands that compile or bundle, with the subcommand
// they need ("" when the bare command builds).
var buildCommands = map[string]string{
	"tsc": "", "webpack": "", "tsup": "", "next": "build", "vite": "build", "nest": "build",
	"ng": "build", "nuxt": "build", "nuxi": "build", "react-scripts": "build", "parcel": "build",
	"remix": "build", "astro": "build", "svelte-kit": "build", "gatsby": "build",
	"vue-cli-service": "build", "turbo": "build", "nx": "build", "lerna": "run",
	"rollup": "", "esbuild": "", "babel": "", "swc": "",
}

// IsBuildStep recognises `npm run build`, `yarn build`, `pnpm run build:prod`,
// `tsc`, `npx tsc`, `next build`, `vite build`, `webpack`, `nest build` and
// friends.
func IsBuildStep(c *dockerfile.ShellCommand) bool {
	return buildWords(command.Words(c), 0)
}

func buildWords(words []string, depth int) bool {
	if len(words) == 0 || depth > 3 {
		return false
	}
	name := command.BaseName(words[0])
	args := words[1:]
	for _, a := range args {
		if a == "--version" || a == "-v" || a == "--help" || a == "-h" {
			return false
		}
	}
	pos := Positional(args)
	switch name {
	case "npm":
		if len(pos) >= 2 && (pos[0] == "run" || pos[0] == "run-script" || pos[0] == "rum" || pos[0] == "urn") {
			return isBuildScript(pos[1])
		}
		if len(pos) >= 2 && pos[0] == "exec" {
			return buildWords(pos[1:], depth+1)
		}
		return false
	case "yarn", "pnpm", "bun":
		if len(pos) >= 2 && pos[0] == "workspace" {
			pos = pos[2:]
		} else if len(pos) >= 2 && pos[0] == "workspaces" && pos[1] == "foreach" {
			pos = pos[2:]
		}
		if len(pos) == 0 {
			return false
		}
		switch pos[0] {
		case "run":
			return len(pos) >= 2 && isBuildScript(pos[1])
		case "exec", "dlx", "x":
			return buildWords(pos[1:], depth+1)
		case "build":
			return true // `bun build` bundles; `yarn build` runs the script
		}
		if name == "bun" {
			return false
		}
		if isBuildScript(pos[0]) {
			return true
		}
		if _, ok := buildCommands[pos[0]]; ok {
			return buildWords(pos, depth+1)
		}
		return false
	case "npx", "pnpx", "bunx":
		return buildWords(pos, depth+1)
	}
	if name == "lerna" {
		return len(pos) >= 2 && pos[0] == "run" && isBuildScript(pos[1])
	}
	sub, ok := buildCommands[name]
	if !ok {
		return false
	}
	if sub == "" {
		return true
	}
	if len(pos) > 0 && pos[0] == sub {
		return true
	}
	// turbo run build, nx run-many -t build
	if (name == "turbo" || name == "nx") && len(pos) >= 2 && (pos[0] == "run" || pos[0] == "run-many") {
		return isBuildScript(pos[1])
	}
	return name == "nx" && len(pos) > 0 && strings.HasSuffix(pos[0], ":build")
}

// isBuildScript: a package script named build, build:prod, build-prod, ….
func isBuildScript(s string) bool {
	return s == "build" || strings.HasPrefix(s, "build:") || strings.HasPrefix(s, "build-") ||
		strings.HasPrefix(s, "build_")
}

// Positional returns the non-flag words, skipping the values
// of package-manager flags that take one (`--prefix dir`, `--filter x`).
func Positional(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			switch a {
			case "--prefix", "-C", "--dir", "--cwd", "--filter", "-F", "--workspace", "-w", "--project", "-p", "--cache":
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// PrunesDev reports whether c removes devDependencies from an installed
// node_modules: `npm prune --omit=dev` (also `--production`,
// `--only=prod`), `pnpm prune --prod`, `yarn workspaces focus
// --production`, `yarn remove $(… devDependencies …)`. underProdEnv is set
// for a bare `npm prune`, which prunes them only under
// NODE_ENV=production.
func PrunesDev(c *dockerfile.ShellCommand) (prunes, underProdEnv bool) {
	words := ManagerWords(c)
	manager := command.BaseName(words[0])
	switch manager {
	case "npm", "pnpm", "yarn", "bun":
	default:
		return false, false
	}
	args := words[1:]
	has := func(want ...string) bool {
		for _, a := range args {
			for _, w := range want {
				if a == w {
					return true
				}
			}
		}
		return false
	}
	pos := Positional(args)
	if len(pos) > 1 && (pos[0] == "remove" || pos[0] == "uninstall" || pos[0] == "rm") {
		for _, a := range pos[1:] {
			if strings.Contains(a, "devDependencies") {
				return true, false // yarn remove $(jq -r '.devDependencies | keys …' package.json)
			}
		}
	}
	switch manager {
	case "npm":
		if len(pos) == 0 || pos[0] != "prune" {
			return false, false
		}
		if has("--omit=dev", "--production", "--only=production", "--only=prod", "--production=true") ||
			command.HasArgEq(c, "--omit", "dev") {
			return true, false
		}
		return false, true
	case "pnpm":
		return len(pos) > 0 && pos[0] == "prune" && has("--prod", "--production", "-P"), false
	case "yarn":
		return len(pos) >= 2 && pos[0] == "workspaces" && pos[1] == "focus" && has("--production"), false
	}
	return false, false
}

// devBuildTools are build commands whose tool is a devDependency in
// nearly every project (typescript, @nestjs/cli, vite, @angular/cli,
// tsup, webpack; next with the typescript, eslint and postcss packages
// its build loads), with the subcommand that builds ("" when the bare
// command does).
var devBuildTools = map[string]string{
	"tsc": "", "nest": "build", "next": "build", "vite": "build", "ng": "build", "tsup": "", "webpack": "",
}

// DevToolBuild returns the build a command runs with a tool from
// devDependencies (`tsc`, `npx tsc -p .`, `nest build`, `pnpm exec next
// build`, `vite build`), "" for anything else. Package scripts (`npm run
// build`) are not resolved: what they run is in package.json.
func DevToolBuild(c *dockerfile.ShellCommand) string {
	argv := command.Unwrap(command.Words(c))
	if len(argv) == 0 {
		return ""
	}
	name := command.BaseName(argv[0])
	sub, ok := devBuildTools[name]
	if !ok {
		return ""
	}
	pos := Positional(argv[1:])
	for _, a := range argv[1:] {
		if a == "--version" || a == "-v" || a == "--help" || a == "-h" {
			return ""
		}
	}
	if sub == "" {
		return name
	}
	if len(pos) > 0 && pos[0] == sub {
		return name + " " + sub
	}
	return ""
}
