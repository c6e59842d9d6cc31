package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// NoInitProcess reports node running as PID 1 without an init.
var NoInitProcess = register(&analysis.Rule{
	ID:       "DF015",
	Name:     "no-init-process",
	Title:    "node runs as PID 1 without an init",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "The first process of a container is PID 1, which the kernel treats specially: signals with no " +
			"handler installed are ignored instead of terminating it, and it must reap orphaned child " +
			"processes. Node does neither: unless the app handles SIGTERM itself, `docker stop` waits out " +
			"the stop timeout and kills it with SIGKILL, and zombie processes from anything the app spawns " +
			"pile up. A tiny init (tini, dumb-init) as ENTRYPOINT forwards signals to node and reaps zombies.\n\n" +
			"An entrypoint script does not change that: once it `exec`s its arguments, node is PID 1. " +
			"A script the Dockerfile writes itself is read; one that starts an init (`exec tini -- \"$@\"`) counts. " +
			"pm2-runtime, pm2's mode made to be a container's main process, is left alone, also when node runs it " +
			"by its path (`node node_modules/pm2/bin/pm2-runtime start ecosystem.config.js` in an image without a shell).",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nUSER node\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Install an init and make it the ENTRYPOINT: `RUN apk add --no-cache tini` (Alpine) or " +
			"`apt-get install -y tini` (Debian), then `ENTRYPOINT [\"tini\", \"--\"]` before " +
			"`CMD [\"node\", \"server.js\"]`. Where you control how the container is started, " +
			"`docker run --init` (or `init: true` in compose) does the same. Handle SIGTERM in the app as well.",
		AppliesTo: "It is about signals and zombie processes of a deployed container; development and test " +
			"containers are stopped by hand or thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range f.FinalStages() {
			if st.Root().Unresolved {
				continue // the base's ENTRYPOINT may be an init
			}
			if stage.Windows(st) {
				continue // no POSIX signals, no Linux init: Windows containers stop differently
			}
			p, ok := stage.ProcessOf(f, st)
			argv, script := p.Argv, ""
			if p.Script != nil && ok {
				// An entrypoint script that execs its arguments (DF016
				// checks that it does) leaves them as PID 1.
				if p.ScriptViaShell || scriptStartsInit(f, st, p.Script.Text) {
					continue
				}
				argv, script = command.ResolveArgs(p.ScriptArgs), p.Script.Text
			}
			if p.Init != "" || p.ShellFront || len(argv) == 0 || (!ok && p.Script == nil) {
				continue
			}
			name := command.BaseName(argv[0].Text)
			// A JavaScript file run directly starts node through its #! line.
			jsFile := strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".mjs") || strings.HasSuffix(name, ".cjs")
			if name != "node" && name != "nodejs" && !jsFile {
				continue
			}
			if len(argv) == 1 && !jsFile {
				continue // a bare `node` is a REPL: the default of a base image (docker-node's own), not a server
			}
			if !jsFile && pm2Runtime(argv) {
				continue // pm2's container mode run through node (a shell-less image): it handles the signals
			}
			if pm, _ := cmdStagePackageManager(f, st); pm != "" {
				continue // DF014: the package manager is the problem
			}
			what := fmt.Sprintf("`%s` runs", quoteWords(argv))
			if jsFile {
				what = fmt.Sprintf("`%s` runs node", argv[0].Text)
			}
			if script != "" {
				what = fmt.Sprintf("`%s` runs behind the entrypoint script `%s`, which execs it,", quoteWords(argv), script)
			}
			in := argv[0].In
			if seen[in] {
				continue
			}
			seen[in] = true
			pass.Report(analysis.Finding{
				Range: locate.Instruction(f, in),
				Message: fmt.Sprintf("%s as PID 1 with no init: node ignores SIGTERM unless the app handles it and does not reap zombie processes",
					what),
				Help: "add an init as ENTRYPOINT: install tini and use `ENTRYPOINT [\"tini\", \"--\"]` (or start the container with `docker run --init`)",
			})
		}
	}),
})

// pm2Runtime reports whether `node … SCRIPT` runs pm2-runtime (or its old
// name pm2-docker) by its path, as images without a shell must
// (`node node_modules/pm2/bin/pm2-runtime start ecosystem.config.js`):
// like `pm2-runtime` run directly, it is made to be PID 1.
func pm2Runtime(argv []command.LaunchWord) bool {
	for i := 1; i < len(argv); i++ {
		w := argv[i].Text
		switch {
		case w == "-r" || w == "--require" || w == "--import" || w == "--loader":
			i++ // the option's value
		case strings.HasPrefix(w, "-"):
		default:
			name := strings.TrimSuffix(command.BaseName(w), ".js")
			return name == "pm2-runtime" || name == "pm2-docker"
		}
	}
	return false
}

// scriptStartsInit reports whether an entrypoint script the Dockerfile
// writes itself (a heredoc) runs an init (`exec tini -- "$@"`). A script
// from the build context is not read: the usual one execs its arguments.
func scriptStartsInit(f *dockerfile.File, st *dockerfile.Stage, name string) bool {
	h, ok := stage.FindHeredocScript(stage.HeredocFiles(f), name, stage.Workdir(st))
	if !ok {
		return false
	}
	for _, w := range strings.Fields(h.Body) {
		if command.IsInit(strings.Trim(w, `"'`)) {
			return true
		}
	}
	return false
}
