package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// AptUpdateAlone reports `apt-get update` in a RUN that installs nothing.
var AptUpdateAlone = register(&analysis.Rule{
	ID:       "DF025",
	Name:     "apt-update-alone",
	Title:    "apt-get update in a RUN that installs nothing",
	Severity: analysis.Warning,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "Docker caches each RUN by its text. `RUN apt-get update` on its own line is cached once and then " +
			"reused for months: a later `RUN apt-get install` that changes installs from that stale package index, " +
			"fails on packages that have left the mirror, or misses security updates. The index also stays in its " +
			"own layer, where no later cleanup can remove it.\n\n" +
			"Updating and installing in the same RUN ties the index to the install: both rerun together, and the " +
			"lists can be removed before the layer is written.\n\n" +
			"A RUN that installs through a tool that runs apt itself counts as installing: " +
			"`npx playwright install --with-deps`, `playwright install-deps`, distro helpers such as " +
			"bitnami's `install_packages`, and scripts it runs or sources.",
		Bad: "FROM node:22-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends tini \\\n" +
			"    && rm -rf /var/lib/apt/lists/*\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends tini \\\n" +
			"    && rm -rf /var/lib/apt/lists/*\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Move `apt-get update` into the RUN that installs: " +
			"`RUN apt-get update && apt-get install -y --no-install-recommends <packages> && rm -rf /var/lib/apt/lists/*`. " +
			"`seaworthy fix` does it when the update is a one-line RUN of its own and the next instruction is a RUN " +
			"that installs, both plain `&&` lists without flags: the update goes in front of the install " +
			"(`apt-get update && …`) and its RUN is deleted.",
		AppliesTo: "A cached, stale package index breaks later installs in any image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range stage.Runs(st) {
				if aptRunInstalls(in) {
					continue
				}
				for _, c := range in.Script.Commands {
					p, ok := install.OSCommandOf(c)
					if !ok || !p.IsApt() || p.Verb != "update" {
						continue
					}
					pass.Report(analysis.Finding{
						Range: locate.Command(f, c),
						Message: fmt.Sprintf("`%s` in a RUN that installs nothing: the cached index goes stale and later installs use it",
							analysis.Snippet(strings.Join(command.Words(c), " "), 60)),
						Help: "update and install in one RUN: `apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*`",
						Fix:  aptUpdateMergeFix(f, in),
					})
				}
			}
		}
	}),
})

// osInstallHelpers install OS packages through apt themselves: bitnami's
// install_packages, the Debian/Ubuntu helpers.
var osInstallHelpers = map[string]bool{"install_packages": true, "add-pkg": true}

// aptRunInstalls reports whether the RUN installs or upgrades packages
// with apt-get/apt/aptitude, also through `xargs apt-get install`, or runs
// dpkg, a distro install helper (`install_packages`), Playwright's
// browser dependency installer (`playwright install --with-deps`,
// `playwright install-deps`) or a script that may do so.
func aptRunInstalls(in *dockerfile.Instruction) bool {
	for _, c := range in.Script.Commands {
		words := command.Words(c)
		name := command.BaseName(words[0])
		if name == "dpkg" || name == "gdebi" || osInstallHelpers[name] ||
			strings.HasSuffix(name, ".sh") || command.IsShell(name) {
			return true
		}
		if (name == "." || name == "source") && len(words) > 1 {
			return true // a sourced script may install
		}
		for j, w := range words {
			if install.StripVersion(command.BaseName(w)) == "playwright" && playwrightInstallsDeps(words[j+1:]) {
				return true
			}
			switch command.BaseName(w) {
			case "apt-get", "apt", "aptitude":
				sub := *c
				sub.Name, sub.Args = w, words[j+1:]
				if p, ok := install.OSCommandOf(&sub); ok && p.Installs() {
					return true
				}
			}
		}
	}
	return false
}

// playwrightInstallsDeps: the arguments of `playwright` install the
// browsers' OS packages with apt (`install --with-deps`, `install-deps`).
func playwrightInstallsDeps(args []string) bool {
	pos := install.Positional(args)
	if len(pos) == 0 {
		return false
	}
	switch pos[0] {
	case "install-deps":
		return true
	case "install":
		for _, a := range args {
			if a == "--with-deps" {
				return true
			}
		}
	}
	return false
}

// aptUpdateMergeFix moves a one-line RUN that only updates into the next
// instruction, a RUN that installs and does not update itself: `apt-get
// update && ` goes in front of its script and the update's RUN is
// deleted. nil unless both are plain `&&` lists without flags.
func aptUpdateMergeFix(f *dockerfile.File, in *dockerfile.Instruction) *analysis.Fix {
	next := neighbour(in, 1)
	if len(in.Script.Commands) != 1 || !plainRun(in) || next == nil || !plainRun(next) ||
		!aptRunInstalls(next) || aptRunUpdates(next) {
		return nil
	}
	_, update, ok := oneLineScript(f, in)
	if !ok {
		return nil
	}
	at, ok := scriptStart(f, next)
	if !ok {
		return nil
	}
	return &analysis.Fix{
		Title: fmt.Sprintf("Move `%s` into the RUN that installs", update),
		Edits: []analysis.Edit{deleteInstruction(in), {Start: at, End: at, NewText: update + " && "}},
	}
}
