package co

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// DevRunnerCommand reports a compose service whose command runs a
// development runner, or installs and builds at every start.
var DevRunnerCommand = register(&analysis.Rule{
	ID:       "CO012",
	Name:     "dev-runner-command",
	Title:    "service command runs a development runner",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A `command:` of `npm run dev`, nodemon, ts-node or the vite dev server overrides the image's " +
			"CMD with a file watcher or an in-memory compiler: development-mode frameworks (verbose errors, no " +
			"caching), several times the memory, devDependencies that must be in the image, and restarts that " +
			"hide crashes. `sh -c \"npm install && npm run build && npm start\"` installs and builds at every " +
			"container start, from the network, with whatever versions resolve that day, and leaves npm and a " +
			"shell between Docker and the app so SIGTERM never reaches it.\n\n" +
			"A compose file with a service that runs a development runner is taken for a development stack " +
			"unless its name or folder says production (`docker-compose.prod.yml`, `deploy/`) or `--production` " +
			"is given: the rule reports development runners in such files, and start-time installs and builds " +
			"in any file checked as production.",
		Bad:  "services:\n  api:\n    build: .\n    command: sh -c \"npm install && npm run build && npm start\"\n",
		Good: "services:\n  api:\n    build: .\n    command: [\"node\", \"dist/server.js\"]\n",
		Fix: "Install and build in the Dockerfile, and run the built app with node (or drop `command:` and " +
			"let the image's CMD run). Keep `npm run dev` and watchers in a development override " +
			"(`compose.override.yaml`, `docker-compose.dev.yml`).",
		ExampleFile: "compose.yaml",
		AppliesTo:   "Development runners are what development stacks are for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			for _, key := range []string{"entrypoint", "command"} {
				argv := []string(s.Config.Command)
				if key == "entrypoint" {
					argv = s.Config.Entrypoint
				}
				if why := devCommand(argv); why != "" {
					report(pass, p, p.Pos("services", s.Name, key),
						fmt.Sprintf("service %q runs `%s` as its %s: %s", s.Name, analysis.Snippet(strings.Join(argv, " "), 60), key, why),
						"install and build in the Dockerfile and run the built app with node; keep dev commands in a development override")
					break
				}
			}
		}
	}),
})

// devCommand says why a service's command is a development one, "" when
// it is not: a development runner, a development package script, or a
// shell script that installs or builds before it starts the app.
func devCommand(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	calls := [][]string{argv}
	viaShell := false
	if command.IsShell(argv[0]) && len(argv) > 2 {
		for i, a := range argv[1 : len(argv)-1] {
			if strings.HasPrefix(a, "-") && strings.Contains(a, "c") {
				calls = command.ScriptCalls(argv[i+2])
				viaShell = true
				break
			}
		}
	}
	for _, c := range calls {
		if r := command.DevRunner(c); r != "" {
			return r + " is a development runner"
		}
		if s := command.ScriptRun(c); purpose.DevScript(s) {
			return fmt.Sprintf("the %q script is the development setup", s)
		}
	}
	if !viaShell || len(calls) < 2 {
		return ""
	}
	for _, c := range calls[:len(calls)-1] {
		if step := startupStep(c); step != "" {
			return fmt.Sprintf("it runs `%s` at every start before the app: %s", analysis.Snippet(strings.Join(c, " "), 40), step)
		}
	}
	return ""
}

// startupStep: a dependency install or a build run as part of a
// container's start.
func startupStep(words []string) string {
	if len(words) < 2 {
		return ""
	}
	tool := command.BaseName(words[0])
	switch tool {
	case "npm", "yarn", "pnpm", "bun":
	default:
		return ""
	}
	pos := words[1]
	switch {
	case pos == "install" || pos == "i" || pos == "ci":
		return "dependencies are installed from the network, not built into the image"
	case strings.HasPrefix(command.ScriptRun(words), "build"):
		return "the app is built at start instead of in the image"
	}
	return ""
}
