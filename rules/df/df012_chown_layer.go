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

// ChownLayer reports a recursive chown/chmod over files a COPY brought in.
var ChownLayer = register(&analysis.Rule{
	ID:       "DF012",
	Name:     "chown-layer",
	Title:    "recursive chown or chmod duplicates copied files in a new layer",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Layers are additive. Changing the owner or mode of a file in a RUN writes the whole file again " +
			"into the new layer, so `RUN chown -R node:node /app` after `COPY . /app` stores every copied " +
			"file twice: the image grows by the size of the application and the build spends time copying it.\n\n" +
			"`COPY --chown=user:group` and `COPY --chmod=mode` set the owner and mode while copying, in the same " +
			"layer, at no cost. The rule looks at files copied earlier in the same stage, in stages that end up in " +
			"the shipped image; a `chown -R` of a directory the RUN creates itself (`mkdir`) is fine.",
		Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\nUSER node\n" +
			"CMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\n" +
			"CMD [\"node\", \"server.js\"]\n",
		Fix: "Move the owner or mode into the COPY that brings the files in: `COPY --chown=node:node . .` or " +
			"`COPY --chmod=755 entrypoint.sh /usr/local/bin/`, and drop the `chown -R`/`chmod -R`. Keep a " +
			"`chown` only for directories the image creates itself (`RUN mkdir -p /app/data && chown node /app/data`).",
		AppliesTo: "It is about the size of the shipped image (the copied files stored twice).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			if !stage.Shipped(f, st) {
				continue
			}
			var copies []*dockerfile.Instruction
			for _, in := range st.Instructions {
				switch in.Keyword {
				case "COPY", "ADD":
					copies = append(copies, in)
					continue
				case "RUN":
				default:
					continue
				}
				if in.Script == nil || len(copies) == 0 {
					continue
				}
				cd := false
			commands:
				for _, c := range in.Script.Commands {
					if c.Base() == "cd" || c.Base() == "pushd" {
						cd = true
						continue
					}
					tool, owner, paths, ok := chownRecursive(c)
					if !ok {
						continue
					}
					for _, p := range paths {
						if cd && !strings.HasPrefix(p, "/") {
							continue // relative to a directory we do not follow
						}
						scopes := stage.Scopes(st) // only for stages that chown
						target := scopes[in].Resolve(p)
						cp := chownCopiedUnder(copies, scopes, target)
						if cp == nil {
							continue
						}
						flag := "--chown"
						if tool == "chmod" {
							flag = "--chmod"
						}
						help := fmt.Sprintf("set it while copying: `%s %s=%s …` on the COPY, and drop this `%s -R`", cp.Keyword, flag, owner, tool)
						if owner == "" {
							help = fmt.Sprintf("set it while copying with `%s %s=…`, and drop this `%s -R`", cp.Keyword, flag, tool)
						}
						pass.Report(analysis.Finding{
							Range: locate.Command(f, c),
							Message: fmt.Sprintf("`%s` rewrites files that %s on line %d copied into %s: each of them is stored again in this layer",
								analysis.Snippet(strings.Join(command.Words(c), " "), 60), cp.Keyword, cp.StartLine, target),
							Help: help,
						})
						break commands // one finding per RUN: it is one layer
					}
				}
			}
		}
	}),
})

// chownRecursive recognises `chown -R owner path…` and `chmod -R mode
// path…` and returns the tool, the owner or mode, and the paths.
func chownRecursive(c *dockerfile.ShellCommand) (tool, owner string, paths []string, ok bool) {
	words := command.Words(c)
	tool = command.BaseName(words[0])
	if tool != "chown" && tool != "chmod" {
		return "", "", nil, false
	}
	recursive, reference := false, false
	var operands []string
	for _, w := range words[1:] {
		switch {
		case w == "--recursive":
			recursive = true
		case strings.HasPrefix(w, "--reference"):
			reference = true
		case strings.HasPrefix(w, "--"):
		case strings.HasPrefix(w, "-") && len(w) > 1 && !(tool == "chmod" && strings.ContainsAny(w[1:], "rwxXst")):
			if strings.Contains(w, "R") {
				recursive = true
			}
		default:
			operands = append(operands, w)
		}
	}
	if !recursive {
		return "", "", nil, false
	}
	if !reference {
		if len(operands) == 0 {
			return "", "", nil, false
		}
		owner, operands = operands[0], operands[1:]
	}
	return tool, owner, operands, len(operands) > 0
}

// chownCopiedUnder returns the last COPY/ADD whose destination lies at or under
// target.
func chownCopiedUnder(copies []*dockerfile.Instruction, scopes map[*dockerfile.Instruction]stage.Scope, target string) *dockerfile.Instruction {
	for i := len(copies) - 1; i >= 0; i-- {
		cp := copies[i]
		c, ok := stage.CopyOf(cp)
		if !ok {
			continue
		}
		if stage.Under(scopes[cp].Resolve(c.Dest), target) {
			return cp
		}
	}
	return nil
}
