package df

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// ExecFormVariable reports `$VAR` in an exec-form CMD/ENTRYPOINT, where no
// shell expands it.
var ExecFormVariable = register(&analysis.Rule{
	ID:       "DF038",
	Name:     "exec-form-variable",
	Title:    "variable in an exec-form command is not expanded",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "The exec form `CMD [\"node\", \"server.js\", \"--port\", \"$PORT\"]` runs the program directly, " +
			"without a shell, and Docker does not substitute variables in it either: the program receives the " +
			"literal text `$PORT`. The app then starts with a wrong argument, or fails.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nENV PORT=3000\nUSER node\nCMD [\"node\", \"server.js\", \"--port\", \"$PORT\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nENV PORT=3000\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Read the variable in the app (`process.env.PORT`), which sees the container's environment. " +
			"If it must be an argument, run a shell that execs the program: " +
			"`CMD [\"sh\", \"-c\", \"exec node server.js --port \\\"$PORT\\\"\"]`.",
		AppliesTo: "The variable is not expanded in any image: the command is broken wherever it runs.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				if in.Keyword != "CMD" && in.Keyword != "ENTRYPOINT" {
					continue
				}
				args, shell, ok := command.InstructionArgs(in)
				if !ok || shell || len(args) == 0 {
					continue
				}
				if in.Keyword == "CMD" && cmdShellEntrypoint(st, in) {
					continue // the CMD is the script of an `sh -c` ENTRYPOINT
				}
				vars := cmdExecVars(args)
				if len(vars) == 0 {
					continue
				}
				pass.Report(analysis.Finding{
					Range: locate.Instruction(f, in),
					Message: fmt.Sprintf("exec-form %s passes %s literally: without a shell, variables are not expanded",
						in.Keyword, "`"+strings.Join(vars, "`, `")+"`"),
					Help: "read the variable in the app (process.env), or use `[\"sh\", \"-c\", \"exec …\"]` so a shell expands it",
				})
			}
		}
	}),
})

var cmdVarRef = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// cmdExecVars returns the variable references of an exec-form argv that
// nothing will expand: arguments of a shell (`sh -c "…"`) and scripts
// given to `node -e`/`-p` are skipped.
func cmdExecVars(args []string) []string {
	if command.IsShell(args[0]) {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch command.BaseName(args[0]) {
		case "node", "nodejs":
			if a == "-e" || a == "--eval" || a == "-p" || a == "--print" {
				i++ // JavaScript source, where `${x}` is a template literal
				continue
			}
		}
		if !strings.Contains(a, "$") {
			continue
		}
		for _, m := range cmdVarRef.FindAllString(a, -1) {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// cmdShellEntrypoint reports whether the exec-form ENTRYPOINT in force at a
// CMD is `sh -c` (the CMD then is its script).
func cmdShellEntrypoint(st *dockerfile.Stage, cmd *dockerfile.Instruction) bool {
	var ep *dockerfile.Instruction
	for _, s := range cmdReverse(st.Ancestors()) {
		for _, in := range s.Instructions {
			if s == st && in.StartLine > cmd.StartLine {
				break
			}
			if in.Keyword == "ENTRYPOINT" {
				ep = in
			}
		}
	}
	args, shell, ok := command.InstructionArgs(ep)
	if !ok || shell || len(args) == 0 {
		return false
	}
	return command.IsShell(args[0])
}
