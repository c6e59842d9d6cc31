package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// PackageManagerAsPID1 reports a final command that starts the app through
// npm, yarn, pnpm or npx.
var PackageManagerAsPID1 = register(&analysis.Rule{
	ID:       "DF014",
	Name:     "package-manager-as-pid1",
	Title:    "the container starts the app through a package manager",
	Severity: analysis.Error,
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
					cmdQuoteWords(words), pm),
				Help: "run the app with node directly: `CMD [\"node\", \"<main>\"]`, where <main> is the file your start script runs",
			})
		}
	}),
})

// cmdStagePackageManager returns the package manager a final stage's
// command runs the app with (and the words of that command), "" if none.
func cmdStagePackageManager(f *dockerfile.File, st *dockerfile.Stage) (string, []cmdLaunchWord) {
	p, ok := cmdStageProcess(f, st)
	if !ok {
		return "", nil
	}
	argv := p.Argv
	if p.Script != nil && !p.ScriptViaShell && len(p.ScriptArgs) > 0 {
		// An entrypoint script is expected to `exec "$@"` its arguments
		// (DF016 checks that it does).
		argv = cmdResolveArgs(p.ScriptArgs)
	}
	if pm, words := cmdPackageManagerCommand(argv); pm != "" {
		return pm, words
	}
	// An ENTRYPOINT seaworthy does not know (a JavaScript entry script,
	// `litefs mount --`) still runs the CMD it is given.
	ep, cmd := effectiveCommand(st)
	epArgs, epShell, epOK := cmdInstrArgs(ep)
	cmdArgs, cmdShell, cmdOK := cmdInstrArgs(cmd)
	if epOK && !epShell && len(epArgs) > 0 && cmdOK && !cmdShell {
		ws := make([]cmdLaunchWord, len(cmdArgs))
		for i, a := range cmdArgs {
			ws[i] = cmdLaunchWord{Text: a, In: cmd}
		}
		return cmdPackageManagerCommand(cmdResolveArgs(ws))
	}
	return "", nil
}

// cmdResolveArgs resolves a command passed to an entrypoint script: the last
// command of `sh -c script`, `exec` and wrappers removed.
func cmdResolveArgs(words []cmdLaunchWord) []cmdLaunchWord {
	for depth := 0; depth < 8 && len(words) > 0; depth++ {
		if k := cmdShellScriptArg(words); k >= 0 {
			call, _, ok := cmdLastShellCall(words[k].Text)
			if !ok {
				return nil
			}
			script := words[k]
			words = make([]cmdLaunchWord, len(call))
			for i, w := range call {
				words[i] = cmdLaunchWord{Text: w, In: script.In, Shell: script.Shell}
			}
			continue
		}
		if n := cmdTransparentWrapper(words); n > 0 {
			words = words[n:]
			continue
		}
		break
	}
	return words
}

// cmdPackageManagerCommand returns the package manager an argv runs (npm,
// yarn, pnpm, npx; also through corepack) and the words of that command.
func cmdPackageManagerCommand(argv []cmdLaunchWord) (string, []cmdLaunchWord) {
	if len(argv) == 0 {
		return "", nil
	}
	name := strings.TrimSuffix(strings.TrimSuffix(baseName(argv[0].Text), ".cmd"), ".exe")
	if name == "corepack" && len(argv) > 1 {
		name = baseName(argv[1].Text)
	}
	switch name {
	case "npm", "yarn", "pnpm", "npx", "yarnpkg", "pnpx":
		return name, argv
	}
	return "", nil
}
