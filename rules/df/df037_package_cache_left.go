package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// PackageCacheLeft reports a runtime-stage install that leaves the package
// manager's download cache in the layer.
var PackageCacheLeft = register(&analysis.Rule{
	ID:       "DF037",
	Name:     "package-cache-left",
	Title:    "package manager cache left in the runtime image",
	Severity: analysis.Info,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "npm, Yarn and pnpm keep a copy of every tarball they download (`~/.npm/_cacache`, " +
			"the Yarn cache, the pnpm store). In an image that cache is dead weight, often as large " +
			"as `node_modules` itself, and since layers are additive, deleting it in a later RUN " +
			"does not shrink the image. Clean it in the RUN that installs, or keep it out of the " +
			"layer with a BuildKit cache mount, which also speeds up rebuilds.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add a cache mount (`RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev`; " +
			"`/usr/local/share/.cache/yarn` for Yarn 1, `/root/.local/share/pnpm/store` for pnpm), " +
			"or clean up in the same RUN: `npm ci --omit=dev && npm cache clean --force`, " +
			"`yarn install --frozen-lockfile --production && yarn cache clean`, `pnpm install --prod " +
			"--frozen-lockfile && pnpm store prune`.",
		AppliesTo: "It is about the size of the shipped image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			if !stage.IsNode(st) {
				continue
			}
			for _, in := range st.Instructions {
				if in.Keyword != "RUN" || in.Script == nil || stage.HasCacheMount(in) {
					continue
				}
				cmds := in.Script.Commands
				for k, c := range cmds {
					i, ok := install.Classify(c)
					if !ok || i.Manager == install.Bun {
						continue
					}
					if cacheCleanedAfter(cmds[k+1:]) || noCacheInstall(c) {
						break
					}
					pass.Report(analysis.Finding{
						Range: locate.Command(f, c),
						Message: fmt.Sprintf("`%s` leaves the %s cache in the final image's layer",
							cmdText(c), i.Manager),
						Help: cacheHelp(i.Manager),
					})
					break
				}
			}
		}
	}),
})

func cacheHelp(m install.Manager) string {
	switch m {
	case install.Yarn:
		return "add `&& yarn cache clean` in the same RUN, or a cache mount"
	case install.PNPM:
		return "add `&& pnpm store prune` in the same RUN, or a cache mount"
	}
	return "add `&& npm cache clean --force` in the same RUN, or `--mount=type=cache,target=/root/.npm`"
}

// cacheCleanedAfter: a later command of the RUN cleans a package cache
// (`npm cache clean`, `yarn cache clean`, `pnpm store prune`, or removing the
// cache directory).
func cacheCleanedAfter(cmds []*dockerfile.ShellCommand) bool {
	for _, c := range cmds {
		pos := c.Positional()
		switch c.Base() {
		case "npm", "yarn":
			if len(pos) >= 2 && pos[0] == "cache" && (pos[1] == "clean" || pos[1] == "clear" || pos[1] == "rm") {
				return true
			}
		case "pnpm":
			if len(pos) >= 2 && pos[0] == "store" && pos[1] == "prune" {
				return true
			}
		case "rm":
			for _, a := range pos {
				if strings.Contains(a, ".npm") || strings.Contains(a, ".cache") || strings.Contains(a, "yarn") ||
					strings.Contains(a, "pnpm") || strings.Contains(a, "npm-cache") || strings.Contains(a, "npm config get cache") {
					return true
				}
			}
		}
	}
	return false
}

// noCacheInstall: the command points its cache at /dev/shm, a tmpfs during
// the build that never reaches a layer (`YARN_CACHE_FOLDER=/dev/shm/yarn`).
func noCacheInstall(c *dockerfile.ShellCommand) bool {
	for _, a := range c.Assigns {
		k, v, _ := strings.Cut(a, "=")
		if k == "YARN_CACHE_FOLDER" || k == "npm_config_cache" || k == "NPM_CONFIG_CACHE" {
			if strings.HasPrefix(strings.Trim(v, `"'`), "/dev/shm") {
				return true
			}
		}
	}
	return false
}
