package nodeapp

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads package.json scripts as the commands they run.

// ScriptCommands splits a script into its simple commands (across &&, ;,
// |, subshells); commands of `concurrently "a" "b"` are split too. Every
// command has at least one word.
func ScriptCommands(text string) [][]string {
	file, err := dockerfile.ParseShell(text)
	if err != nil {
		if f := strings.Fields(text); len(f) > 0 {
			return [][]string{f}
		}
		return nil
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
				if f := strings.Fields(a); len(f) > 0 && strings.Contains(a, " ") {
					out = append(out, f)
				}
			}
		}
		return true
	})
	return out
}
