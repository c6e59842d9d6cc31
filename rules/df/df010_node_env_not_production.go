package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// NodeEnvNotProduction reports a final Node stage without NODE_ENV=production.
var NodeEnvNotProduction = register(&analysis.Rule{
	ID:       "DF010",
	Name:     "node-env-not-production",
	Title:    "runtime stage does not set NODE_ENV=production",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Many Node libraries read `NODE_ENV`: Express caches view templates and sends short " +
			"error pages only when it is `production`, React and other frameworks drop their " +
			"development checks, and npm skips devDependencies on install. Without it the container " +
			"runs in development mode: slower, more verbose, and leaking stack traces to clients. " +
			"A build argument (`ARG`) is not enough: it is gone when the container runs.\n\n" +
			"A container command that sets NODE_ENV itself (`NODE_ENV=production node server.js`, " +
			"`cross-env NODE_ENV=production node .`) counts, and so does the `server.js` of a Next.js " +
			"standalone build (a stage that copies `.next/standalone` and runs `node server.js`): the " +
			"server Next generates sets NODE_ENV=production. So does what the command starts, read from " +
			"the build context: the package.json script that `npm start` or `pnpm run start:prod` runs " +
			"(`\"start\": \"NODE_ENV=production node .\"`, `cross-env NODE_ENV=production …`), and an entry " +
			"file that assigns `process.env.NODE_ENV = \"production\"` before it loads any package, and a " +
			"shell script the command runs (`CMD [\"/app/start.sh\"]`, `sh start.sh`, copied from the context " +
			"directly or through a build stage) that exports NODE_ENV=production or ends in a command that " +
			"sets it (`exec node server.js` of a standalone build). A " +
			"container whose command (or the start script it runs) ends in a static file server " +
			"(`http-server build`, `serve -s dist`) serves files and reads no NODE_ENV, and one that ends in " +
			"react-router-serve runs with NODE_ENV=production unless told otherwise: neither is reported.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add `ENV NODE_ENV=production` to the runtime stage, early (before installing " +
			"dependencies, so npm skips devDependencies too), unless the stage builds after installing: " +
			"then set it after the build, which needs the devDependencies. An orchestrator can still " +
			"override it for a debugging run.",
		AppliesTo: "Development and test images run with development settings on purpose.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			if !stage.IsNode(st) || purpose.DevStage(st) || stage.RuntimeOnly(st) {
				continue
			}
			in, value := stage.LastEnv(st, "NODE_ENV")
			if in != nil {
				if value == "production" || strings.Contains(value, "$") {
					continue
				}
				pass.Report(analysis.Finding{
					Range:   locate.Instruction(f, in),
					Message: fmt.Sprintf("NODE_ENV is set to %q in the runtime image: libraries run in their slower, more verbose non-production mode", value),
					Help:    "set `ENV NODE_ENV=production` in the final stage",
				})
				continue
			}
			if commandSetsNodeEnv(st) || nextStandaloneServer(f, st) {
				continue
			}
			if _, ok := nodeapp.StartSetsNodeEnv(f, st); ok {
				continue // the start script or the entry file sets it
			}
			if name, ok := nodeapp.StartedCommand(f, st); ok && (knowledge.IsStaticFileServer(name) || knowledge.DefaultsToProduction(name)) {
				continue // a static file server (http-server, serve) reads no NODE_ENV; react-router-serve sets it
			}
			msg := strings.Replace(finalStageName(st), "final stage", "final Node stage", 1) + " never sets NODE_ENV=production: libraries run in development mode"
			if argSets(st, "NODE_ENV") {
				msg += " (an ARG only exists during the build)"
			}
			help := "add `ENV NODE_ENV=production` after this FROM"
			if build, ok := stage.BuildAfterInstall(st); ok {
				// Set before the install, it would leave out the
				// devDependencies the build needs (DF044).
				help = fmt.Sprintf("add `ENV NODE_ENV=production` after the build on line %d (before the install it would leave out the devDependencies the build needs)", build.In.StartLine)
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, st.From),
				Message: msg,
				Help:    help,
			})
		}
	}),
})

// commandSetsNodeEnv reports whether the container command sets NODE_ENV
// itself (`NODE_ENV=production node server.js`, `env NODE_ENV=… node`,
// `cross-env NODE_ENV=… node`).
func commandSetsNodeEnv(st *dockerfile.Stage) bool {
	ep, cmd := stage.Command(st)
	for _, in := range []*dockerfile.Instruction{ep, cmd} {
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			for _, a := range c.Assigns {
				if strings.HasPrefix(a, "NODE_ENV=") {
					return true
				}
			}
			words := c.Words()
			if b := c.Base(); b == "env" || b == "cross-env" || command.IsShell(b) {
				for _, w := range words[1:] {
					if strings.HasPrefix(w, "NODE_ENV=") || strings.Contains(w, " NODE_ENV=") {
						return true
					}
				}
			}
		}
	}
	return false
}

// nextStandaloneServer reports whether the stage's command runs the
// server.js of a Next.js standalone build (see nodeapp.NextStandaloneServer).
func nextStandaloneServer(f *dockerfile.File, st *dockerfile.Stage) bool {
	words, ok := stage.ProcessWords(f, st)
	if !ok {
		return false
	}
	argv := make([]string, len(words))
	for i, w := range words {
		argv[i] = w.Text
	}
	return nodeapp.NextStandaloneServer(st, argv)
}

// argSets reports whether an ARG of the stage chain declares name.
func argSets(st *dockerfile.Stage, name string) bool {
	for _, in := range st.ChainInstructions() {
		if in.Keyword != "ARG" {
			continue
		}
		for _, a := range in.Args() {
			if k, _, _ := strings.Cut(a, "="); k == name {
				return true
			}
		}
	}
	return false
}
