package df

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// DevDependenciesInRuntime reports a runtime stage that installs
// devDependencies and never removes them.
var DevDependenciesInRuntime = register(&analysis.Rule{
	ID:       "DF007",
	Name:     "dev-dependencies-in-runtime",
	Title:    "runtime image installs devDependencies",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "`npm ci`, `yarn install` and `pnpm install` install devDependencies too unless told " +
			"otherwise: test runners, compilers, linters, type packages. In the runtime image they " +
			"only add size, install time and known vulnerabilities, and code paths can " +
			"accidentally start depending on them. The final stage should install production " +
			"dependencies only, or prune the rest after the build.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Install production dependencies only in the runtime stage: `npm ci --omit=dev`, " +
			"`yarn install --production --frozen-lockfile` (Yarn 1), `yarn workspaces focus " +
			"--production` (Yarn 2+), `pnpm install --prod --frozen-lockfile`. Or set " +
			"`ENV NODE_ENV=production` before the install, or run `npm prune --omit=dev` / " +
			"`pnpm prune --prod` after a build that needed the dev tools (better: build in an " +
			"earlier stage).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			if !isNodeStage(st) {
				continue
			}
			cmds := instStageRunCommands(st)
			reported := map[*dockerfile.Instruction]bool{} // one finding per RUN (if/elif alternatives)
			for idx, rc := range cmds {
				if reported[rc.In] {
					continue
				}
				i, ok := classifyInstall(rc.Cmd)
				if !ok || !i.ProjectInstall() || i.OmitDev {
					continue
				}
				includesDev := instHasArgEq(rc.Cmd, "--include", "dev") || instHasArgEq(rc.Cmd, "--production", "false")
				if !includesDev && prodEnvFor(st, cmds, idx) {
					continue
				}
				if prunedLater(st, cmds, idx) {
					continue
				}
				reported[rc.In] = true
				pass.Report(analysis.Finding{
					Range: locate.Command(f, rc.Cmd),
					Message: fmt.Sprintf("`%s` in the final stage installs devDependencies too, and nothing removes them: they ship in the runtime image",
						instCmdText(rc.Cmd)),
					Help: omitDevHelp(i.Manager),
				})
			}
		}
	}),
})

func omitDevHelp(m Manager) string {
	switch m {
	case Yarn:
		return "use `yarn install --production --frozen-lockfile` (Yarn 1) or `yarn workspaces focus --production` (Yarn 2+)"
	case PNPM:
		return "use `pnpm install --prod --frozen-lockfile`"
	case Bun:
		return "use `bun install --production`"
	}
	return "use `npm ci --omit=dev`, or set `ENV NODE_ENV=production` before the install"
}

// prodEnvFor reports whether the install at cmds[idx] runs with npm told to
// omit devDependencies by the environment: NODE_ENV=production (ENV before
// the RUN, a `NODE_ENV=production cmd` prefix, or an `export` earlier in the
// RUN), or NPM_CONFIG_PRODUCTION / NPM_CONFIG_OMIT. A NODE_ENV from a
// variable is given the benefit of the doubt.
func prodEnvFor(st *dockerfile.Stage, cmds []instRunCmd, idx int) bool {
	rc := cmds[idx]
	line := rc.In.StartLine
	if v, ok := envSetBefore(st, "NODE_ENV", line); ok && (v == "production" || strings.Contains(v, "$")) {
		return true
	}
	for _, name := range []string{"NPM_CONFIG_PRODUCTION", "npm_config_production"} {
		if v, ok := envSetBefore(st, name, line); ok && v == "true" {
			return true
		}
	}
	for _, name := range []string{"NPM_CONFIG_OMIT", "npm_config_omit"} {
		if v, ok := envSetBefore(st, name, line); ok && strings.Contains(v, "dev") {
			return true
		}
	}
	if instHasAssign(rc.Cmd, "NODE_ENV", "production") {
		return true
	}
	// `export NODE_ENV=production` is a declaration, not a simple command.
	return rc.In.Script != nil && strings.Contains(rc.In.Script.Text, "NODE_ENV=") && exportProd.MatchString(rc.In.Script.Text)
}

var exportProd = regexp.MustCompile(`\bexport\s+([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*NODE_ENV=["']?production\b`)

// prunedLater reports whether devDependencies are removed after the
// install at cmds[idx]: `npm prune --omit=dev`/`--production` (or a bare
// `npm prune` under NODE_ENV=production), `pnpm prune --prod`, `yarn
// workspaces focus --production`, or a later install that omits dev.
func prunedLater(st *dockerfile.Stage, cmds []instRunCmd, idx int) bool {
	for j := idx + 1; j < len(cmds); j++ {
		c := cmds[j].Cmd
		if i, ok := classifyInstall(c); ok && i.ProjectInstall() && i.OmitDev {
			return true
		}
		words := c.Words()
		for len(words) > 1 && (baseName(words[0]) == "corepack" || baseName(words[0]) == "npx") {
			words = words[1:]
		}
		args := words[1:]
		has := func(want ...string) bool {
			for _, a := range args {
				for _, w := range want {
					if a == w {
						return true
					}
				}
			}
			return false
		}
		switch baseName(words[0]) {
		case "npm":
			pos := positionalSkippingValues(args)
			if len(pos) == 0 || pos[0] != "prune" {
				continue
			}
			if has("--omit=dev", "--production", "--only=production", "--only=prod", "--production=true") ||
				instHasArgEq(c, "--omit", "dev") {
				return true
			}
			if prodEnvFor(st, cmds, j) {
				return true
			}
		case "pnpm":
			pos := positionalSkippingValues(args)
			if len(pos) > 0 && pos[0] == "prune" && has("--prod", "--production", "-P") {
				return true
			}
		case "yarn":
			pos := positionalSkippingValues(args)
			if len(pos) >= 2 && pos[0] == "workspaces" && pos[1] == "focus" && has("--production") {
				return true
			}
		}
	}
	return false
}
