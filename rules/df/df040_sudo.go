package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Sudo reports sudo in RUN.
var Sudo = register(&analysis.Rule{
	ID:       "DF040",
	Name:     "sudo",
	Title:    "sudo used in a RUN",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Build steps run as the user the last `USER` set, root by default: `sudo` is not needed to gain " +
			"privileges, and when it is there it means the image ships `sudo` and a sudoers policy, which lets " +
			"anything running in the container as that user become root again. `sudo` also behaves unpredictably " +
			"without a TTY and changes the environment (`PATH`, `HOME`) of the command it runs.",
		Bad: "FROM node:22-slim\nUSER node\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends tini " +
			"&& sudo rm -rf /var/lib/apt/lists/*\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini " +
			"&& rm -rf /var/lib/apt/lists/*\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Run the privileged steps before `USER` switches to the unprivileged user (or switch with `USER root` and " +
			"back), and drop `sudo`. To run one command as another user while root, use `gosu`/`su-exec`, or `USER` " +
			"around it.",
		AppliesTo: "The risk is a shipped image in which the app's user can become root again. Development " +
			"containers install sudo on purpose for the developer's user.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range stage.Runs(st) {
				var uses []*dockerfile.ShellCommand
				for _, c := range in.Script.Commands {
					if c.Base() == "sudo" {
						uses = append(uses, c)
					}
				}
				if len(uses) == 0 {
					continue
				}
				c := uses[0]
				text := analysis.Snippet(strings.Join(c.Words(), " "), 60)
				msg := fmt.Sprintf("`%s` uses sudo: build steps already run as the user `USER` sets, and sudo in the image lets that user become root", text)
				help := "run the step before switching `USER` (or under `USER root`) and drop sudo"
				if user := sudoUser(c); user != "" {
					msg = fmt.Sprintf("`%s` switches to %s with sudo: sudo in the image lets a user become root again", text, user)
					help = fmt.Sprintf("use `USER %s` around the steps, or `gosu`/`su-exec` while root", user)
				}
				if n := len(uses) - 1; n == 1 {
					msg += " (and 1 more sudo command in this RUN)"
				} else if n > 1 {
					msg += fmt.Sprintf(" (and %d more sudo commands in this RUN)", n)
				}
				pass.Report(analysis.Finding{Range: locate.Command(f, c), Message: msg, Help: help})
			}
		}
	}),
})

// sudoUser returns the user of `sudo -u user` (or --user=user), if any.
func sudoUser(c *dockerfile.ShellCommand) string {
	for i, a := range c.Args {
		switch {
		case (a == "-u" || a == "--user") && i+1 < len(c.Args):
			return c.Args[i+1]
		case strings.HasPrefix(a, "--user="):
			return strings.TrimPrefix(a, "--user=")
		case !strings.HasPrefix(a, "-"):
			return ""
		}
	}
	return ""
}
