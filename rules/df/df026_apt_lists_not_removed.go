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

// AptListsNotRemoved reports apt installs that leave the package lists in
// the layer.
var AptListsNotRemoved = register(&analysis.Rule{
	ID:       "DF026",
	Name:     "apt-lists-not-removed",
	Title:    "apt package lists left in the layer",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`apt-get update` downloads the package index into `/var/lib/apt/lists`: tens of megabytes that the " +
			"running application never needs. Layers are additive, so the lists must be removed in the same RUN that " +
			"installs; a later `RUN rm -rf /var/lib/apt/lists/*` hides them but the bytes stay in the earlier layer.\n\n" +
			"The rule checks stages that end up in the final image (files left in a discarded build stage are not " +
			"shipped). A BuildKit cache or tmpfs mount on `/var/lib/apt` keeps the lists out of the layer as well.",
		Bad: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini\n" +
			"USER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini \\\n" +
			"    && rm -rf /var/lib/apt/lists/*\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "End the RUN that installs with `&& rm -rf /var/lib/apt/lists/*`, or use cache mounts " +
			"(`RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt …`). " +
			"`seaworthy fix` appends the `rm` when the RUN is a plain shell command list.",
		AppliesTo: "It is about the size of the shipped image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			if !stage.Shipped(f, st) {
				continue
			}
			for _, in := range stage.Runs(st) {
				if stage.HasCacheMount(in, "/var/lib/apt") || stage.Removes(in, "/var/lib/apt/lists", "/var/lib/apt") {
					continue
				}
				var tool string
				var pkgs []string
				for _, c := range in.Script.Commands {
					if p, ok := install.OSCommandOf(c); ok && p.IsApt() && p.Installs() {
						if tool == "" {
							tool = p.Tool
						}
						pkgs = append(pkgs, p.Packages()...)
					}
				}
				if tool == "" {
					continue
				}
				if !aptRunUpdates(in) {
					// The lists come from an earlier RUN: removing them here
					// frees nothing, and that earlier RUN is where to act.
					pass.Report(analysis.Finding{
						Range: locate.Instruction(f, in),
						Message: fmt.Sprintf("RUN installs %s with %s from package lists an earlier layer downloaded: they stay in that layer",
							pkgList(pkgs), tool),
						Help: "update, install and remove the lists in one RUN: `apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*`",
					})
					continue
				}
				fd := analysis.Finding{
					Range:   locate.Instruction(f, in),
					Message: fmt.Sprintf("RUN installs %s with %s but keeps /var/lib/apt/lists in the layer", pkgList(pkgs), tool),
					Help:    "append `&& rm -rf /var/lib/apt/lists/*` to this RUN",
				}
				// Removing the lists would break a later RUN that installs
				// without updating first.
				if !aptLaterNeedsLists(f, st, in) {
					if edit := appendToRun(f, in, " && rm -rf /var/lib/apt/lists/*"); edit != nil {
						fd.Fix = &analysis.Fix{Title: "Append `&& rm -rf /var/lib/apt/lists/*` to the RUN", Edits: []analysis.Edit{*edit}}
					}
				}
				pass.Report(fd)
			}
		}
	}),
})

// aptRunUpdates reports whether the RUN downloads package lists itself:
// `apt-get update`, `add-apt-repository`, or a script (often piped from
// curl) that may do so.
func aptRunUpdates(in *dockerfile.Instruction) bool {
	for _, c := range in.Script.Commands {
		if p, ok := install.OSCommandOf(c); ok && p.IsApt() && p.Verb == "update" {
			return true
		}
		name := command.BaseName(command.Words(c)[0])
		if name == "add-apt-repository" || command.IsShell(name) || strings.HasSuffix(name, ".sh") {
			return true
		}
	}
	return false
}

// aptLaterNeedsLists reports whether a RUN after in, in its stage or a
// stage built on it, installs with apt without updating first.
func aptLaterNeedsLists(f *dockerfile.File, st *dockerfile.Stage, in *dockerfile.Instruction) bool {
	for _, s := range f.Stages {
		inherits := false
		for _, a := range s.Ancestors() {
			if a == st {
				inherits = true
			}
		}
		if !inherits {
			continue
		}
		for _, r := range stage.Runs(s) {
			if r.StartLine <= in.StartLine || aptRunUpdates(r) {
				continue
			}
			for _, c := range r.Script.Commands {
				if p, ok := install.OSCommandOf(c); ok && p.IsApt() && p.Installs() {
					return true
				}
			}
		}
	}
	return false
}

// appendToRun returns an edit appending text after the last command of a
// shell-form RUN, or nil when that would not simply run it last: exec form,
// heredocs, shell that did not parse, or a last command followed by
// anything (`fi`, `)`, a comment) or ending in `;` or `&`.
func appendToRun(f *dockerfile.File, in *dockerfile.Instruction, text string) *analysis.Edit {
	s := in.Script
	if s == nil || !s.Parsed || s.Exec || len(in.Node.Heredocs) > 0 || len(s.Commands) == 0 {
		return nil
	}
	last := s.Commands[0]
	for _, c := range s.Commands[1:] {
		if c.EndLine > last.EndLine || c.EndLine == last.EndLine && c.EndCol > last.EndCol {
			last = c
		}
	}
	if last.EndLine != in.EndLine {
		return nil
	}
	line := f.Line(in.EndLine)
	if last.EndCol < 2 || last.EndCol-1 > len(line) {
		return nil
	}
	if strings.TrimSpace(line[last.EndCol-1:]) != "" || strings.ContainsAny(line[last.EndCol-2:last.EndCol-1], ";&\\") {
		return nil
	}
	pos := analysis.Pos{Line: in.EndLine, Col: last.EndCol}
	// A RUN written one `&& command` per line gets a new line in that style.
	if t := strings.TrimLeft(line, " \t"); in.EndLine > in.StartLine && strings.HasPrefix(t, "&&") && strings.HasPrefix(text, " && ") {
		indent := line[:len(line)-len(t)]
		text = " " + string(f.Escape) + "\n" + indent + strings.TrimPrefix(text, " ")
	}
	return &analysis.Edit{Start: pos, End: pos, NewText: text}
}
