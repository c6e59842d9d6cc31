package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// PackageManagerAsPID1 reports a final command that starts the app through
// npm, yarn, pnpm or npx.
var PackageManagerAsPID1 = register(&analysis.Rule{
	ID:       "DF014",
	Name:     "package-manager-as-pid1",
	Title:    "the container starts the app through a package manager",
	Severity: analysis.Error,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`CMD [\"npm\", \"start\"]` makes npm the container's main process and the app a child of it " +
			"(often through yet another `sh -c`). npm, yarn, pnpm and npx do not reliably pass SIGTERM on to " +
			"the app, so `docker stop` and rolling deploys cannot shut it down gracefully: it is killed with " +
			"SIGKILL after the stop timeout, cutting off in-flight requests. The package manager also costs " +
			"memory and start-up time, and may print update notices or write to its cache at run time.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"npm\", \"start\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nUSER node\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Run the file your start script runs with node directly: `CMD [\"node\", \"server.js\"]` " +
			"(look up `scripts.start` in package.json). Keep package managers for the build.",
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
			pass.Report(analysis.Finding{
				Range: locate.Instruction(f, in),
				Message: fmt.Sprintf("the container runs `%s`: %s is the main process and does not forward SIGTERM to the app, so it cannot shut down gracefully",
					quoteWords(words), pm),
				Help: "run the app with node directly: `CMD [\"node\", \"<main>\"]`, where <main> is the file your start script runs",
			})
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
