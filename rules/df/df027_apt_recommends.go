package df

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// AptRecommends reports apt installs that pull in recommended packages.
var AptRecommends = register(&analysis.Rule{
	ID:       "DF027",
	Name:     "apt-recommends",
	Title:    "apt install also installs recommended packages",
	Severity: analysis.Info,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "By default `apt-get install` also installs every package the requested ones merely *recommend*. " +
			"In an image that often doubles what gets installed — documentation tools, X11 libraries, extra " +
			"compilers — making the image bigger, the build slower and the vulnerability scan longer, for " +
			"software nothing uses. `--no-install-recommends` installs only real dependencies.",
		Bad:  "FROM node:22-slim\nRUN apt-get update && apt-get install -y tini && rm -rf /var/lib/apt/lists/*\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add `--no-install-recommends` to `apt-get install` (or set `APT::Install-Recommends \"false\";` in " +
			"`/etc/apt/apt.conf.d/` once, earlier in the stage). If something breaks, install the one recommended " +
			"package it needed by name. `seaworthy fix` adds the flag to `apt-get install`; `apt install` is " +
			"reported but left to you (prefer `apt-get` in scripts).",
		AppliesTo: "It is about the size of the shipped image; a development image may want the recommended " +
			"packages.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			if aptConfiguredBefore(st) {
				continue
			}
			for _, in := range stage.Runs(st) {
				if aptWritesNoRecommends(in) {
					break // apt's configuration turns recommends off from here on
				}
				for _, c := range in.Script.Commands {
					p, ok := install.OSCommandOf(c)
					if !ok || p.Tool == "aptitude" || p.Verb != "install" || aptSkipsRecommends(p) {
						continue
					}
					fd := analysis.Finding{
						Range: locate.Command(f, c),
						Message: fmt.Sprintf("`%s install` of %s without `--no-install-recommends`: recommended packages are installed too",
							p.Tool, pkgList(p.Packages())),
						Help: "add `--no-install-recommends`",
					}
					if p.Tool == "apt-get" {
						if edit := insertAfter(f, in, c, "install", " --no-install-recommends"); edit != nil {
							fd.Fix = &analysis.Fix{Title: "Add `--no-install-recommends`", Edits: []analysis.Edit{*edit}}
						}
					}
					pass.Report(fd)
				}
			}
		}
	}),
})

// aptNoRecommendsConfig matches apt configuration that turns recommends
// off (`APT::Install-Recommends "false";`, `-o APT::Install-Recommends=0`).
var aptNoRecommendsConfig = regexp.MustCompile(`(?i)APT::Install-Recommends["'\s=]+(0|false|no)\b`)

// aptSkipsRecommends reports whether the command turns recommends off.
func aptSkipsRecommends(p install.OSCommand) bool {
	for _, a := range p.Args {
		if a == "--no-install-recommends" || strings.HasPrefix(a, "--no-install-recommends=") ||
			strings.Contains(a, "::") && aptNoRecommendsConfig.MatchString(a) {
			return true
		}
	}
	return false
}

// aptWritesNoRecommends reports whether the RUN writes apt configuration
// (under /etc/apt/apt.conf*) that turns recommends off.
func aptWritesNoRecommends(in *dockerfile.Instruction) bool {
	return strings.Contains(in.Script.Text, "/etc/apt/apt.conf") && aptNoRecommendsConfig.MatchString(in.Script.Text)
}

// aptConfiguredBefore reports whether a stage this one builds on turned
// recommends off in apt's configuration.
func aptConfiguredBefore(st *dockerfile.Stage) bool {
	for _, s := range st.Ancestors()[1:] {
		for _, in := range stage.Runs(s) {
			if aptWritesNoRecommends(in) {
				return true
			}
		}
	}
	return false
}
