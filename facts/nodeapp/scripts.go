package nodeapp

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads package.json scripts as the commands they run.

// ScriptCommands splits a script into its simple commands (across &&, ;,
// |, subshells); commands of `concurrently "a" "b"` are split too.
func ScriptCommands(text string) [][]string {
	file, err := dockerfile.ParseShell(text)
	if err != nil {
		return [][]string{strings.Fields(text)}
	}
	var out [][]string
	syntax.Walk(file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		var argv []string
		for _, w := range call.Args {
			argv = append(argv, dockerfile.WordString(w))
		}
		out = append(out, argv)
		if b := command.BaseName(argv[0]); b == "concurrently" || b == "npm-run-all" || b == "run-p" || b == "run-s" {
			for _, a := range argv[1:] {
				if strings.Contains(a, " ") {
					out = append(out, strings.Fields(a))
				}
			}
		}
		return true
	})
	return out
}
