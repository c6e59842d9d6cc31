package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// SingleStageBuild reports a one-stage Node Dockerfile that compiles or
// bundles in the image it ships.
var SingleStageBuild = register(&analysis.Rule{
	ID:       "DF006",
	Name:     "single-stage-build",
	Title:    "the build runs in the runtime image",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A Dockerfile with one stage ships everything the build needed: the TypeScript " +
			"compiler and bundler, every devDependency, the sources and the build caches. The image " +
			"is several times larger than the app, takes longer to pull and start, and carries " +
			"the known vulnerabilities of tools that never run in production. A multi-stage build " +
			"compiles in a build stage and copies only the output and the production dependencies " +
			"into a small runtime stage.",
		Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n" +
			"RUN npm run build\nCMD [\"node\", \"dist/server.js\"]\n",
		Good: "FROM node:22-slim AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n" +
			"RUN npm run build\n\nFROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\n" +
			"COPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist ./dist\n" +
			"USER node\nCMD [\"node\", \"dist/server.js\"]\n",
		Fix: "Split the file: a build stage (`FROM node:22 AS build`) installs all dependencies and " +
			"runs the build; the runtime stage starts from a slim image, installs production " +
			"dependencies only (`npm ci --omit=dev`) and copies the build output with " +
			"`COPY --from=build /app/dist ./dist`.",
		AppliesTo: "It is about what ships in the runtime image. Development and test images build in place on " +
			"purpose: they need the sources and the toolchain.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		if len(f.Stages) != 1 {
			return
		}
		st := f.Stages[0]
		// A stage that runs npm/yarn/pnpm installs has Node, however it got
		// there (nvm, a tarball, a custom base).
		if !stage.IsNode(st) && len(stage.Installs(st)) == 0 {
			return
		}
		for _, rc := range stage.RunCommands(st) {
			if !install.IsBuildStep(rc.Cmd) {
				continue
			}
			ships := "compilers, devDependencies and sources ship in the runtime image"
			if _, _, prod := stage.OmitsDevDependencies(f, st); prod {
				ships = "the sources and build caches ship in the runtime image, and every rebuild reinstalls and rebuilds from scratch"
			}
			pass.Report(analysis.Finding{
				Range: locate.Command(f, rc.Cmd),
				Message: fmt.Sprintf("single-stage Dockerfile runs the build step `%s`: %s",
					cmdText(rc.Cmd), ships),
				Help: "build in a separate stage and copy only the output into a slim runtime stage",
			})
			return
		}
	}),
})
