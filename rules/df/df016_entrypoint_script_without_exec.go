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

// EntrypointScriptWithoutExec reports an entrypoint shell script whose last
// command starts the app without exec.
var EntrypointScriptWithoutExec = register(&analysis.Rule{
	ID:       "DF016",
	Name:     "entrypoint-script-without-exec",
	Title:    "entrypoint script starts the app without exec",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "An entrypoint script (`docker-entrypoint.sh`, `start.sh`) runs in a shell that is PID 1. When " +
			"its last line is `node server.js` instead of `exec node server.js`, the shell stays in front " +
			"of the app: `docker stop` sends SIGTERM to the shell, which does not forward it, and the app is " +
			"killed with SIGKILL after the stop timeout without shutting down gracefully. `exec` replaces the " +
			"shell with the app, which then receives the signals itself.\n\n" +
			"seaworthy reads scripts the Dockerfile writes itself (`COPY <<EOF /entrypoint.sh`) and scripts " +
			"it copies from the build context, or from a named build context (`COPY --from=scripts ./entry.sh` " +
			"with `--build-context scripts=./docker`, or build-push-action's `build-contexts:`); a script that " +
			"ends with `source FILE` ends as FILE does. A script it cannot read (one from the base image, or one the " +
			"context does not hold) is reported at info severity: it must be checked by hand.",
		Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCOPY <<EOF /usr/local/bin/start.sh\n#!/bin/sh\nset -e\n" +
			"node migrate.js\nnode server.js\nEOF\nRUN chmod +x /usr/local/bin/start.sh\nUSER node\nENTRYPOINT [\"/usr/local/bin/start.sh\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCOPY <<EOF /usr/local/bin/start.sh\n#!/bin/sh\nset -e\n" +
			"node migrate.js\nexec node server.js\nEOF\nRUN chmod +x /usr/local/bin/start.sh\nUSER node\nENTRYPOINT [\"/usr/local/bin/start.sh\"]\n",
		Fix: "Start the app with `exec` on the script's last line: `exec node server.js`, or `exec \"$@\"` " +
			"to run the CMD passed to the script.",
		AppliesTo: "It is about signals reaching a deployed app; development and test containers are stopped by " +
			"hand or thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Instruction]bool{}
		files := stage.HeredocFiles(f)
		for _, st := range f.FinalStages() {
			p, _ := stage.ProcessOf(f, st)
			if p.Script == nil || seen[p.Script.In] {
				continue
			}
			in := p.Script.In
			seen[in] = true
			name := p.Script.Text
			if h, ok := stage.FindHeredocScript(files, name, stage.Workdir(st)); ok {
				last, line, bad := command.ScriptLastCommand(h.Body)
				if !bad {
					continue
				}
				rng := locate.Instruction(f, in)
				if h.Line > 0 && h.Line+line-1 <= h.In.EndLine {
					n := h.Line + line - 1
					text := f.Line(n)
					col := len(text) - len(strings.TrimLeft(text, " \t")) + 1
					rng = analysis.Range{Start: analysis.Pos{Line: n, Col: col}, End: analysis.Pos{Line: n, Col: len(text) + 1}}
				}
				pass.Report(analysis.Finding{
					Range: rng,
					Message: fmt.Sprintf("entrypoint script %s ends with `%s` without `exec`: the shell stays PID 1 and does not forward SIGTERM to the app",
						h.Path, analysis.Snippet(last, 80)),
					Help: fmt.Sprintf("start the app with `exec %s`", strings.TrimSuffix(analysis.Snippet(last, 80), " &")),
				})
				continue
			}
			script := stage.Script(f, st, name, stage.Workdir(st), p.ScriptViaShell)
			var last string
			var line int
			bad := false
			if script.Read {
				last, line, bad = command.ScriptLastCommand(string(script.Data))
			}
			// A script that ends by sourcing another (hyperdx's
			// entry.local.auth.sh: `source "/etc/local/entry.base.sh"`)
			// ends as that one does.
			for depth := 0; bad && depth < 3; depth++ {
				sourced, ok := sourcedScript(last)
				if !ok {
					break
				}
				if script = stage.Script(f, st, sourced, stage.Workdir(st), false); !script.Read {
					name, bad = sourced, false
					break
				}
				last, line, bad = command.ScriptLastCommand(string(script.Data))
			}
			if script.Read {
				if bad {
					pass.Report(analysis.Finding{
						Range: locate.Instruction(f, in),
						Message: fmt.Sprintf("entrypoint script %s (%s) ends with `%s` on line %d without `exec`: the shell stays PID 1 and does not forward SIGTERM to the app",
							script.ImagePath, script.Where(), analysis.Snippet(last, 80), line),
						Help: fmt.Sprintf("start the app with `exec %s` in %s", strings.TrimSuffix(analysis.Snippet(last, 80), " &"), script.Name()),
					})
				}
				continue
			}
			pass.Report(analysis.Finding{
				Severity: analysis.Info,
				Range:    locate.Instruction(f, in),
				Message: fmt.Sprintf("%s runs the script `%s`, which is not written in the Dockerfile nor copied from a file the build context holds, so it could not be inspected: its last command must start the app with `exec`",
					in.Keyword, name),
				Help: "end the script with `exec node …` (or `exec \"$@\"`) so the app replaces the shell as PID 1",
			})
		}
	}),
})

// sourcedScript returns the file a last command `source FILE` or `. FILE`
// reads (quotes removed); ok is false for any other command, or a file
// named by a variable.
func sourcedScript(last string) (string, bool) {
	words := strings.Fields(last)
	if len(words) != 2 || (words[0] != "source" && words[0] != ".") {
		return "", false
	}
	name := strings.Trim(words[1], `"'`)
	if name == "" || strings.Contains(name, "$") {
		return "", false
	}
	return name, true
}
