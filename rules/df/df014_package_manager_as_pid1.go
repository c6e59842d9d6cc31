package df

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// PackageManagerAsPID1 reports a final command that starts the app through
// npm, yarn, pnpm or npx.
var PackageManagerAsPID1 = register(&analysis.Rule{
	ID:       "DF014",
	Name:     "package-manager-as-pid1",
	Title:    "the container starts the app through a package manager",
	Severity: analysis.Error,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`CMD [\"npm\", \"start\"]` makes npm the container's main process and the app a child of it " +
			"(often through yet another `sh -c`). npm, yarn, pnpm and npx do not reliably pass SIGTERM on to " +
			"the app, so `docker stop` and rolling deploys cannot shut it down gracefully: it is killed with " +
			"SIGKILL after the stop timeout, cutting off in-flight requests. The package manager also costs " +
			"memory and start-up time, and may print update notices or write to its cache at run time. " +
			"Behind an init that signals the whole process group (dumb-init by default, `tini -g`) the app " +
			"does get SIGTERM: then the finding is only information about the extra process.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"npm\", \"start\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nUSER node\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Run the file your start script runs with node directly: `CMD [\"node\", \"server.js\"]` " +
			"(look up `scripts.start` in package.json). Keep package managers for the build. " +
			"`seaworthy fix` does it when the command is `npm start`, `npm run <script>`, `yarn start` or " +
			"`pnpm start` (or `run <script>`) with nothing after it, the package.json in the working directory can be " +
			"traced to a file of the build context, the script is a plain `node …` command (no variables, " +
			"no `&&`, no environment assignments), no `pre`/`post` script would have run around it, and, for " +
			"Yarn, the project installs into node_modules (Yarn 1, or `nodeLinker: node-modules`): Plug'n'Play " +
			"needs Yarn to load its `.pnp.cjs`.",
		AppliesTo: "It is about signals and shutdown of a deployed container. Development containers run `npm run " +
			"dev` by design.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range f.FinalStages() {
			pm, words := cmdStagePackageManager(f, st)
			if pm == "" || seen[words[0].In] {
				continue
			}
			in := words[0].In
			seen[in] = true
			fd := analysis.Finding{
				Range: locate.Instruction(f, in),
				Message: fmt.Sprintf("the container runs `%s`: %s is the main process and does not forward SIGTERM to the app, so it cannot shut down gracefully",
					quoteWords(words), pm),
				Help: "run the app with node directly: `CMD [\"node\", \"<main>\"]`, where <main> is the file your start script runs",
			}
			if p, ok := stage.ProcessOf(f, st); ok && command.InitSignalsGroup(p.Launch) {
				// Reactive-Resume: `dumb-init pnpm run start`; dumb-init
				// signals the process group, node included.
				fd.Severity = analysis.Info
				fd.Message = fmt.Sprintf("the container runs `%s` under %s, which signals the whole process group, so the app gets SIGTERM; %s still sits between the init and the app as an extra process",
					quoteWords(words), command.BaseName(p.Launch[0].Text), pm)
			}
			if node, script := startScriptNode(f, st, words); node != nil {
				arr := jsonArray(node)
				fd.Help = fmt.Sprintf("run the app with node directly: `%s %s` (the %s script of package.json)", in.Keyword, arr, script)
				if fix := replaceArgsFix(f, in, arr); fix != nil {
					fix.Title = fmt.Sprintf("Run `%s` directly (the %s script of package.json)", strings.Join(node, " "), script)
					fd.Fix = fix
				}
			}
			pass.Report(fd)
		}
	}),
})

// cmdStagePackageManager returns the package manager a final stage's
// command runs the app with (and the words of that command), "" if none.
func cmdStagePackageManager(f *dockerfile.File, st *dockerfile.Stage) (string, []command.LaunchWord) {
	p, ok := stage.ProcessOf(f, st)
	if !ok {
		return "", nil
	}
	argv := p.Argv
	if p.Script != nil && !p.ScriptViaShell && len(p.ScriptArgs) > 0 {
		// An entrypoint script is expected to `exec "$@"` its arguments
		// (DF016 checks that it does).
		argv = command.ResolveArgs(p.ScriptArgs)
	}
	if pm, words := cmdPackageManagerCommand(argv); pm != "" {
		return pm, words
	}
	// An ENTRYPOINT seaworthy does not know (a JavaScript entry script,
	// `litefs mount --`) still runs the CMD it is given.
	ep, cmd := stage.Command(st)
	epArgs, epShell, epOK := command.InstructionArgs(ep)
	cmdArgs, cmdShell, cmdOK := command.InstructionArgs(cmd)
	if epOK && !epShell && len(epArgs) > 0 && cmdOK && !cmdShell {
		ws := make([]command.LaunchWord, len(cmdArgs))
		for i, a := range cmdArgs {
			ws[i] = command.LaunchWord{Text: a, In: cmd}
		}
		return cmdPackageManagerCommand(command.ResolveArgs(ws))
	}
	return "", nil
}

// cmdPackageManagerCommand returns the package manager an argv runs (npm,
// yarn, pnpm, npx; also through corepack) and the words of that command.
func cmdPackageManagerCommand(argv []command.LaunchWord) (string, []command.LaunchWord) {
	if len(argv) == 0 {
		return "", nil
	}
	name := command.BaseName(argv[0].Text)
	if name == "corepack" && len(argv) > 1 {
		name = command.BaseName(argv[1].Text)
	}
	switch name {
	case "npm", "yarn", "pnpm", "npx", "yarnpkg", "pnpx":
		return name, argv
	}
	return "", nil
}

// startScriptNode resolves a package manager command that runs a script
// (`npm start`, `npm run serve`, `yarn start`, `pnpm run start`) to the
// plain `node …` command of that script in the package.json the final
// stage has in its working directory, read from the build context. It
// returns nil when that is not certain to run the same thing: the command
// has more words or is not one exec-form CMD/ENTRYPOINT of its own, the
// package.json cannot be traced to the context, a `pre`/`post` script
// would run too, or the script is more than `node` and plain words.
func startScriptNode(f *dockerfile.File, st *dockerfile.Stage, words []command.LaunchWord) ([]string, string) {
	in := words[0].In
	if in == nil || !in.ExecForm() {
		return nil, ""
	}
	args, shell, ok := command.InstructionArgs(in)
	if !ok || shell || len(args) != len(words) {
		return nil, ""
	}
	for i, w := range words {
		if w.In != in || w.Text != args[i] {
			return nil, ""
		}
	}
	script := ""
	switch pm, rest := words[0].Text, words[1:]; {
	case len(rest) == 1 && rest[0].Text == "start" && (pm == "npm" || pm == "yarn" || pm == "pnpm"):
		script = "start"
	case len(rest) == 2 && (rest[0].Text == "run" || pm == "npm" && rest[0].Text == "run-script") && (pm == "npm" || pm == "yarn" || pm == "pnpm"):
		script = rest[1].Text
	default:
		return nil, ""
	}
	wd := stage.Workdir(st)
	if wd == "" || strings.HasPrefix(script, "-") {
		return nil, ""
	}
	pkg := stage.FileAt(f, st.ChainInstructions(), path.Join(wd, "package.json"), changesPackageJSON, buildcontext.MaxFixFileSize)
	if !pkg.Read {
		return nil, ""
	}
	m, typeErr, err := nodeproject.DecodeManifest(pkg.Data)
	if err != nil || typeErr != nil {
		return nil, ""
	}
	ctxDir := f.Context
	if pkg.Context != "" {
		ctxDir = f.Context.Named(pkg.Context) // the package.json came from a named context
	}
	if words[0].Text == "yarn" && !yarnNodeModules(ctxDir, path.Dir(pkg.Rel), m.PackageManager) {
		return nil, ""
	}
	text, ok := m.Scripts[script]
	if !ok {
		return nil, ""
	}
	if _, pre := m.Scripts["pre"+script]; pre {
		return nil, ""
	}
	if _, post := m.Scripts["post"+script]; post {
		return nil, ""
	}
	node := strings.Fields(text)
	if len(node) < 2 || node[0] != "node" {
		return nil, ""
	}
	for _, w := range node {
		if !plainWord.MatchString(w) {
			return nil, ""
		}
	}
	return node, script
}

// yarnNodeModules reports whether the Yarn project in the context
// directory dir installs into node_modules, so that `node` alone finds its
// packages: Yarn 1 (packageManager, or a v1 lockfile), or Yarn 2+ with
// `nodeLinker: node-modules` or `pnpm` in .yarnrc.yml. Yarn 2+ Plug'n'Play
// (its default) needs `yarn` to load .pnp.cjs.
func yarnNodeModules(ctx *buildcontext.Dir, dir, packageManager string) bool {
	if strings.HasPrefix(packageManager, "yarn@1.") {
		return true
	}
	read := func(name string) string {
		data, err := ctx.ReadFileUpTo(path.Join(dir, name), buildcontext.MaxFixFileSize)
		if err != nil {
			return ""
		}
		return string(data)
	}
	if strings.Contains(read("yarn.lock"), "# yarn lockfile v1") && !strings.HasPrefix(packageManager, "yarn@") {
		return true
	}
	return yarnLinker.MatchString(read(".yarnrc.yml"))
}

var yarnLinker = regexp.MustCompile(`(?m)^nodeLinker:\s*["']?(node-modules|pnpm)["']?\s*(#.*)?$`)

// changesPackageJSON reports whether a RUN may rewrite package.json
// (names it, or sets scripts with npm).
func changesPackageJSON(in *dockerfile.Instruction) bool {
	if in.Script == nil {
		return true
	}
	t := in.Script.Text
	return strings.Contains(t, "package.json") || strings.Contains(t, "pkg set") || strings.Contains(t, "set-script") || strings.Contains(t, "pkg delete")
}
