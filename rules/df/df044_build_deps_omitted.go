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

// BuildDepsOmitted reports an install that omits devDependencies in a
// stage that then builds with a devDependency (tsc, nest build, vite
// build, next build): the build fails.
var BuildDepsOmitted = register(&analysis.Rule{
	ID:       "DF044",
	Name:     "build-deps-omitted",
	Title:    "devDependencies omitted before a build that needs them",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "`npm ci --omit=dev`, `yarn install --production`, `pnpm install --prod`, and a plain `npm ci` " +
			"under `ENV NODE_ENV=production` leave devDependencies out. The TypeScript compiler, the Nest " +
			"CLI, vite and the packages `next build` loads (typescript, eslint, postcss plugins) are " +
			"devDependencies in nearly every project: the build step after such an install fails with " +
			"`tsc: not found` or a missing module. It is a common result of following two good pieces of " +
			"advice at once (set NODE_ENV=production early, omit devDependencies) in a single stage.\n\n" +
			"The rule recognises build commands that use such a tool directly (`tsc`, `npx tsc`, `nest build`, " +
			"`next build`, `vite build`, `ng build`, `tsup`, `webpack`); what a package script (`npm run build`) " +
			"runs is in package.json and is not read here.",
		Bad: "FROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n" +
			"COPY . .\nRUN npx tsc\nUSER node\nCMD [\"node\", \"dist/server.js\"]\n",
		Good: "FROM node:22-slim AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npx tsc\n\n" +
			"FROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n" +
			"COPY --from=build /app/dist ./dist\nUSER node\nCMD [\"node\", \"dist/server.js\"]\n",
		Fix: "Install every dependency in the stage that builds (`npm ci`, or `npm ci --include=dev` where " +
			"NODE_ENV=production is set), and omit devDependencies afterwards: in a separate runtime stage " +
			"(`npm ci --omit=dev` and `COPY --from=build`), or with `npm prune --omit=dev` after the build. " +
			"Set `ENV NODE_ENV=production` after the build, not before the install.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.ShellCommand]bool{}
		for _, st := range f.Stages {
			cmds := stage.ChainRunCommands(st)
			last := -1
			for idx, rc := range cmds {
				if i, ok := install.Classify(rc.Cmd); ok {
					// A named or global install may add the build tool
					// (`npm i -g typescript`): only a project install with
					// nothing added after it is judged.
					last = -1
					if i.ProjectInstall() {
						last = idx
					}
					continue
				}
				build := install.DevToolBuild(rc.Cmd)
				if build == "" || last < 0 || seen[cmds[last].Cmd] {
					continue
				}
				why := omitsDevBy(cmds, last)
				if why == "" {
					continue
				}
				seen[cmds[last].Cmd] = true
				pass.Report(analysis.Finding{
					Range: locate.Command(f, cmds[last].Cmd),
					Message: fmt.Sprintf("`%s` leaves devDependencies out (%s), but `%s` on line %d builds with one: the build fails",
						cmdText(cmds[last].Cmd), why, build, rc.In.StartLine),
					Help: "install all dependencies for the build and omit devDependencies after it (`npm prune --omit=dev`, or a separate runtime stage)",
				})
			}
		}
	}),
})

// omitsDevBy says why the install at cmds[idx] leaves devDependencies out
// for certain: its flag, or NODE_ENV=production / NPM_CONFIG_PRODUCTION
// written as a literal (a variable may say otherwise); "" when it keeps
// them.
func omitsDevBy(cmds []stage.RunCmd, idx int) string {
	rc := cmds[idx]
	c := rc.Cmd
	if command.HasArgEq(c, "--include", "dev") || command.HasArgEq(c, "--production", "false") {
		return ""
	}
	i, _ := install.Classify(c)
	if i.OmitDev {
		return "it omits them"
	}
	if i.Manager == install.Yarn || i.Manager == install.Bun {
		return "" // Yarn 2+ and bun ignore NODE_ENV
	}
	if command.HasAssign(c, "NODE_ENV", "production") {
		return "NODE_ENV=production"
	}
	st := rc.In.Stage
	if v, ok := stage.EnvBefore(st, "NODE_ENV", rc.In.StartLine); ok && v == "production" {
		return "`ENV NODE_ENV=production` is in force"
	}
	for _, name := range []string{"NPM_CONFIG_PRODUCTION", "npm_config_production"} {
		if v, ok := stage.EnvBefore(st, name, rc.In.StartLine); ok && v == "true" {
			return "`ENV " + name + "=true` is in force"
		}
	}
	return ""
}
