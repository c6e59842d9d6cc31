package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// CopyBeforeInstall reports a whole-context COPY that comes before the
// dependency install of its stage.
var CopyBeforeInstall = register(&analysis.Rule{
	ID:       "DF020",
	Name:     "copy-before-install",
	Title:    "whole build context copied before the dependency install",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "Docker reuses a layer only while every earlier layer is unchanged. When `COPY . .` " +
			"comes before `npm ci`, any edit to any source file invalidates the copy, so the " +
			"dependency install runs again from scratch on every build, even when no dependency " +
			"changed. Copying only the manifests first (`package.json` and the lockfile), " +
			"installing, and copying the sources afterwards keeps the install cached until a " +
			"dependency really changes.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Copy the dependency manifests first (`COPY package.json package-lock.json ./`, or " +
			"`yarn.lock`, `pnpm-lock.yaml`, `.yarnrc.yml` and workspace `package.json` files), run " +
			"the install, then `COPY . .`. In a monorepo, a bind mount " +
			"(`RUN --mount=type=bind,target=. …`) or a pruned manifest stage (`turbo prune`) serves " +
			"the same purpose, and so does pnpm's own layout: `COPY pnpm-lock.yaml ./`, `RUN pnpm fetch`, " +
			"then `COPY . .` and `pnpm install --offline` (not reported).",
		AppliesTo: "Cache order matters most where images are rebuilt most often: development and CI.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			broad, copyAt := "", -1 // the first whole-context COPY so far
			for idx, in := range st.Instructions {
				if src, ok := stage.BroadCopy(in); ok && copyAt < 0 {
					broad, copyAt = src, idx
					continue
				}
				if in.Keyword != "RUN" || in.Script == nil {
					continue
				}
				found := false
				for _, c := range in.Script.Commands {
					if copyAt < 0 && pnpmFetch(c) {
						// `pnpm fetch` from the lockfile before the broad
						// COPY fills the store in a cached layer; the
						// install after the COPY runs offline from it
						// (pnpm's documented Docker layout).
						found = true
						break
					}
					i, ok := install.Classify(c)
					if !ok || !i.ProjectInstall() {
						continue
					}
					if copyAt < 0 {
						// Installed from the manifests before the broad COPY: a
						// later install (pruning devDependencies after the
						// build) is not a cache problem.
						found = true
						break
					}
					cp := st.Instructions[copyAt]
					pass.Report(analysis.Finding{
						Range: locate.Instruction(f, cp),
						Message: fmt.Sprintf("`%s` copies the whole build context (%q) before `%s` (line %d): every source change re-runs the dependency install",
							keywordText(f, cp), broad, cmdText(c), c.Line),
						Help: "copy package.json and the lockfile first, install, then `COPY . .`",
					})
					found = true
					break
				}
				if found {
					break
				}
			}
		}
	}),
})

// pnpmFetch reports whether c is `pnpm fetch`, which downloads every
// package the lockfile names into the store without the manifests.
func pnpmFetch(c *dockerfile.ShellCommand) bool {
	words := install.ManagerWords(c)
	if len(words) < 2 || command.BaseName(words[0]) != "pnpm" {
		return false
	}
	pos := install.Positional(words[1:])
	return len(pos) > 0 && pos[0] == "fetch"
}
