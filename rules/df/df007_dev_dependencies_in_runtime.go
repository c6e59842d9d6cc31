package df

import (
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// DevDependenciesInRuntime reports a runtime stage that installs
// devDependencies and never removes them.
var DevDependenciesInRuntime = register(&analysis.Rule{
	ID:       "DF007",
	Name:     "dev-dependencies-in-runtime",
	Title:    "runtime image installs devDependencies",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`npm ci`, `yarn install` and `pnpm install` install devDependencies too unless told " +
			"otherwise: test runners, compilers, linters, type packages. In the runtime image they " +
			"only add size, install time and known vulnerabilities, and code paths can " +
			"accidentally start depending on them. The final stage should install production " +
			"dependencies only, or prune the rest after the build. The rule also fires when the runtime " +
			"stage copies `node_modules` from a build stage that installed devDependencies and never " +
			"pruned them (`COPY --from=build /app/node_modules ./node_modules`).",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Install production dependencies only in the runtime stage: `npm ci --omit=dev`, " +
			"`yarn install --production --frozen-lockfile` (Yarn 1), `yarn workspaces focus " +
			"--production` (Yarn 2+), `pnpm install --prod --frozen-lockfile`. Or set " +
			"`ENV NODE_ENV=production` before the install, or run `npm prune --omit=dev` / " +
			"`pnpm prune --prod` after a build that needed the dev tools (better: build in an " +
			"earlier stage).",
		AppliesTo: "Development and test images need their devDependencies: test runners, watchers, compilers.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			if !stage.IsNode(st) {
				continue
			}
			cmds := stage.RunCommands(st)
			reported := map[*dockerfile.Instruction]bool{} // one finding per RUN (if/elif alternatives)
			for idx, rc := range cmds {
				if reported[rc.In] {
					continue
				}
				i, ok := install.Classify(rc.Cmd)
				if !ok || !i.ProjectInstall() || i.OmitDev {
					continue
				}
				includesDev := command.HasArgEq(rc.Cmd, "--include", "dev") || command.HasArgEq(rc.Cmd, "--production", "false")
				if !includesDev && stage.ProdEnvFor(st, cmds, idx) {
					continue
				}
				if stage.PrunedLater(f, st, cmds, idx) {
					continue
				}
				reported[rc.In] = true
				help := omitDevHelp(i.Manager)
				if build, ok := buildAfter(cmds, idx); ok {
					// Omitting them at the install would break the build (DF044).
					help = fmt.Sprintf("the build on line %d needs them: prune after it (%s), or build in an earlier stage", build.In.StartLine, pruneCommand(i.Manager))
				}
				pass.Report(analysis.Finding{
					Range: locate.Command(f, rc.Cmd),
					Message: fmt.Sprintf("`%s` in the final stage installs devDependencies too, and nothing removes them: they ship in the runtime image",
						cmdText(rc.Cmd)),
					Help: help,
				})
			}
			reportCopiedDevModules(pass, f, st)
		}
	}),
})

// reportCopiedDevModules reports a COPY --from of another stage's
// node_modules into the final stage's chain when that stage installed
// devDependencies and never pruned them (typebot's release stage copies
// the builder's node_modules).
func reportCopiedDevModules(pass *analysis.Pass, f *dockerfile.File, st *dockerfile.Stage) {
	for _, in := range st.ChainInstructions() {
		c, ok := in.Command.(*instructions.CopyCommand)
		if !ok || c.From == "" {
			continue
		}
		src := f.StageByName(c.From)
		if src == nil || src.Index >= in.Stage.Index {
			continue
		}
		wd := stage.Workdir(src)
		copies := false
		for _, p := range c.SourcePaths {
			if p = strings.TrimSuffix(p, "/"); p == "node_modules" || wd != "" && p == path.Join(wd, "node_modules") {
				copies = true
			}
		}
		if !copies {
			continue
		}
		if pkg := stage.ImageFile(f, src, path.Join(wd, "package.json")); pkg.Read && !hasDevDependencies(pkg.Data) {
			continue
		}
		cmds := stage.ChainRunCommands(src)
		for idx := len(cmds) - 1; idx >= 0; idx-- {
			rc := cmds[idx]
			i, ok := install.Classify(rc.Cmd)
			if !ok || !i.ProjectInstall() {
				continue
			}
			includesDev := command.HasArgEq(rc.Cmd, "--include", "dev") || command.HasArgEq(rc.Cmd, "--production", "false")
			if i.OmitDev || !includesDev && stage.ProdEnvFor(rc.In.Stage, cmds, idx) || stage.PrunedLater(f, src, cmds, idx) {
				break
			}
			pass.Report(analysis.Finding{
				Range: locate.Instruction(f, in),
				Message: fmt.Sprintf("`%s` brings the node_modules of stage %q, where `%s` (line %d) installed devDependencies and nothing pruned them: they ship in the runtime image",
					analysis.Snippet(locate.Text(in), 70), c.From, cmdText(rc.Cmd), rc.In.StartLine),
				Help: fmt.Sprintf("prune in stage %q after its build (%s), or copy node_modules from a stage that installs production dependencies only", c.From, pruneCommand(i.Manager)),
			})
			break
		}
	}
}

// hasDevDependencies reports whether a package.json lists
// devDependencies (true when they cannot be read: the caller cannot tell).
func hasDevDependencies(data []byte) bool {
	m, typeErr, err := nodeproject.DecodeManifest(data)
	return err != nil || typeErr != nil && m.DevDependencies == nil || len(m.DevDependencies) > 0
}

func omitDevHelp(m install.Manager) string {
	switch m {
	case install.Yarn:
		return "use `yarn install --production --frozen-lockfile` (Yarn 1) or `yarn workspaces focus --production` (Yarn 2+)"
	case install.PNPM:
		return "use `pnpm install --prod --frozen-lockfile`"
	case install.Bun:
		return "use `bun install --production`"
	}
	return "use `npm ci --omit=dev`, or set `ENV NODE_ENV=production` before the install"
}

// buildAfter returns the first build step after cmds[idx].
func buildAfter(cmds []stage.RunCmd, idx int) (stage.RunCmd, bool) {
	for _, rc := range cmds[idx+1:] {
		if install.IsBuildStep(rc.Cmd) {
			return rc, true
		}
	}
	return stage.RunCmd{}, false
}

// pruneCommand is the manager's command that removes devDependencies
// from an installed node_modules.
func pruneCommand(m install.Manager) string {
	switch m {
	case install.Yarn:
		return "`yarn install --production --frozen-lockfile` (Yarn 1) or `yarn workspaces focus --production` (Yarn 2+)"
	case install.PNPM:
		return "`pnpm prune --prod`"
	case install.Bun:
		return "`rm -rf node_modules && bun install --production`"
	}
	return "`npm prune --omit=dev`"
}
