package ap

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// DevRunnerInProduction reports a container command (or the start script
// it runs) that uses a development runner.
var DevRunnerInProduction = register(&analysis.Rule{
	ID:       "AP007",
	Name:     "dev-runner-in-production",
	Title:    "the container runs the app with a development runner",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "nodemon, `tsx watch`, `next dev` and the vite dev server watch files and restart or " +
			"rebuild on change; ts-node compiles TypeScript in memory at every start. In a production " +
			"container that means slower starts, several times the memory, development-mode " +
			"frameworks (verbose errors, no caching, no minification), devDependencies that must be " +
			"installed in the image, and restarts that hide crashes from the orchestrator.\n\n" +
			"The rule reads the final stage's CMD/ENTRYPOINT, or the last command of the shell script it runs " +
			"(written in the Dockerfile or copied from the build context), and, when that runs a package.json script " +
			"(`npm start`, `npm run x`, `yarn x`, `pnpm x`), that script and the scripts it runs. " +
			"Final stages named dev/development/local are not checked, nor are development files: when the " +
			"Dockerfile is one, say so by its name (Dockerfile.dev), its folder (dev/, .devcontainer/), a header " +
			"comment (\"# For local development only\") or `purpose: development` in `.seaworthy.yaml`.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\nCMD [\"npx\", \"nodemon\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Build in an earlier stage (`tsc`, `next build`, `vite build`) and run the output with node: " +
			"`CMD [\"node\", \"dist/server.js\"]`, `next start`, or a static server for a vite build. Keep " +
			"watch-mode scripts under a `dev` script for local development. A finding on a package.json " +
			"script cannot be ignored inline (JSON has no comments); use `.seaworthy.yaml` or `--ignore`.",
		AppliesTo: "Development runners are what development files are for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		f := b.Dockerfile
		if f == nil {
			return
		}
		reported := map[string]bool{}
		for _, st := range purpose.DeployedFinal(f) {
			argv, in, via, ok := startCommand(f, st)
			if !ok {
				continue
			}
			if runner := command.DevRunner(argv); runner != "" {
				key := fmt.Sprintf("df:%d", in.StartLine)
				if !reported[key] {
					reported[key] = true
					pass.Report(analysis.Finding{
						Range:   locate.Instruction(f, in),
						Message: fmt.Sprintf("the container runs %s%s: %s does not belong in a production image", quote(strings.Join(argv, " ")), via, runner),
						Help:    "build in an earlier stage and run the output with node, e.g. `CMD [\"node\", \"dist/server.js\"]`",
					})
				}
				continue
			}
			if pkg == nil {
				continue
			}
			script := command.ScriptRun(argv)
			if script == "" {
				continue
			}
			name, text, runner, ok := findDevScript(pkg, script, 0)
			if !ok {
				continue
			}
			key := "pkg:" + name
			if reported[key] {
				continue
			}
			reported[key] = true
			pass.Report(analysis.Finding{
				File:  pkg.ManifestPath,
				Range: lineRange(manifestLine(pkg, "scripts", name)),
				Message: fmt.Sprintf("the container's command %s%s runs the script %q: %s, and %s does not belong in a production image",
					quote(strings.Join(argv, " ")), via, name, quote(text), runner),
				Help: "point the container at a production command (`node dist/server.js`, `next start`) and keep this script for development",
			})
		}
	}),
})

// startCommand is the command a final stage's container runs and the
// CMD or ENTRYPOINT it comes from: the command itself, or the last
// command of the shell script it runs (`CMD ["sh", "start.sh"]`), read
// from the Dockerfile's heredoc or the build context; via then says so
// (" (the last command of start.sh)").
func startCommand(f *dockerfile.File, st *dockerfile.Stage) (argv []string, in *dockerfile.Instruction, via string, ok bool) {
	if words, ok := stage.ProcessWords(f, st); ok {
		argv = make([]string, len(words))
		for i, w := range words {
			argv[i] = w.Text
		}
		return argv, words[0].In, "", true
	}
	p, _ := stage.ProcessOf(f, st)
	if p.Script == nil {
		return nil, nil, "", false
	}
	name, text, ok := stage.StartScript(f, st)
	if !ok {
		return nil, nil, "", false
	}
	last, _, ok := command.LastCall(text)
	if !ok || len(last) == 0 {
		return nil, nil, "", false
	}
	return last, p.Script.In, " (the last command of its start script " + name + ")", true
}

// findDevScript follows a script (and the scripts it runs) to a command
// that uses a development runner; it returns the script holding it.
func findDevScript(pkg *nodeproject.Package, name string, depth int) (script, text, runner string, ok bool) {
	body, has := pkg.Manifest.Scripts[name]
	if !has || depth > 4 {
		return "", "", "", false
	}
	for _, argv := range nodeapp.ScriptCommands(body) {
		if r := command.DevRunner(argv); r != "" {
			return name, body, r, true
		}
		if next := command.ScriptRun(argv); next != "" && next != name {
			if s, t, r, ok := findDevScript(pkg, next, depth+1); ok {
				return s, t, r, true
			}
		}
	}
	// npm runs prestart/poststart around start; they are not the server.
	return "", "", "", false
}
