package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// SingleStageBuild reports a one-stage Node Dockerfile that compiles or
// bundles in the image it ships.
var SingleStageBuild = register(&analysis.Rule{
	ID:       "DF006",
	Name:     "single-stage-build",
	Title:    "the build runs in the runtime image",
	Severity: analysis.Warning,
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
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		if len(f.Stages) != 1 {
			return
		}
		st := f.Stages[0]
		// A stage that runs npm/yarn/pnpm installs has Node, however it got
		// there (nvm, a tarball, a custom base).
		if !isNodeStage(st) && len(installs(st)) == 0 {
			return
		}
		for _, rc := range instStageRunCommands(st) {
			if !isBuildStep(rc.Cmd) {
				continue
			}
			pass.Report(analysis.Finding{
				Range: locate.Command(f, rc.Cmd),
				Message: fmt.Sprintf("single-stage Dockerfile runs the build step `%s`: compilers, devDependencies and sources ship in the runtime image",
					instCmdText(rc.Cmd)),
				Help: "build in a separate stage and copy only the output into a slim runtime stage",
			})
			return
		}
	}),
})

// buildTools are commands that compile or bundle, with the subcommand
// they need ("" when the bare command builds).
var buildTools = map[string]string{
	"tsc": "", "webpack": "", "tsup": "", "next": "build", "vite": "build", "nest": "build",
	"ng": "build", "nuxt": "build", "nuxi": "build", "react-scripts": "build", "parcel": "build",
	"remix": "build", "astro": "build", "svelte-kit": "build", "gatsby": "build",
	"vue-cli-service": "build", "turbo": "build", "nx": "build", "lerna": "run",
}

// isBuildStep recognises `npm run build`, `yarn build`, `pnpm run build:prod`,
// `tsc`, `npx tsc`, `next build`, `vite build`, `webpack`, `nest build` and
// friends.
func isBuildStep(c *dockerfile.ShellCommand) bool {
	words := c.Words()
	for len(words) > 0 && baseName(words[0]) == "sudo" {
		words = words[1:]
	}
	return buildWords(words, 0)
}

func buildWords(words []string, depth int) bool {
	if len(words) == 0 || depth > 3 {
		return false
	}
	name := baseName(words[0])
	args := words[1:]
	for _, a := range args {
		if a == "--version" || a == "-v" || a == "--help" || a == "-h" {
			return false
		}
	}
	pos := positionalSkippingValues(args)
	switch name {
	case "npm":
		if len(pos) >= 2 && (pos[0] == "run" || pos[0] == "run-script" || pos[0] == "rum" || pos[0] == "urn") {
			return isBuildScript(pos[1])
		}
		if len(pos) >= 2 && pos[0] == "exec" {
			return buildWords(pos[1:], depth+1)
		}
		return false
	case "yarn", "pnpm", "bun":
		if len(pos) >= 2 && pos[0] == "workspace" {
			pos = pos[2:]
		} else if len(pos) >= 2 && pos[0] == "workspaces" && pos[1] == "foreach" {
			pos = pos[2:]
		}
		if len(pos) == 0 {
			return false
		}
		switch pos[0] {
		case "run":
			return len(pos) >= 2 && isBuildScript(pos[1])
		case "exec", "dlx", "x":
			return buildWords(pos[1:], depth+1)
		case "build":
			return true // `bun build` bundles; `yarn build` runs the script
		}
		if name == "bun" {
			return false
		}
		if isBuildScript(pos[0]) {
			return true
		}
		if _, ok := buildTools[pos[0]]; ok {
			return buildWords(pos, depth+1)
		}
		return false
	case "npx", "pnpx", "bunx":
		return buildWords(pos, depth+1)
	}
	if name == "lerna" {
		return len(pos) >= 2 && pos[0] == "run" && isBuildScript(pos[1])
	}
	sub, ok := buildTools[name]
	if !ok {
		return false
	}
	if sub == "" {
		return true
	}
	if len(pos) > 0 && pos[0] == sub {
		return true
	}
	// turbo run build, nx run-many -t build
	if (name == "turbo" || name == "nx") && len(pos) >= 2 && (pos[0] == "run" || pos[0] == "run-many") {
		return isBuildScript(pos[1])
	}
	return name == "nx" && len(pos) > 0 && strings.HasSuffix(pos[0], ":build")
}

// isBuildScript: a package script named build, build:prod, build-prod, ….
func isBuildScript(s string) bool {
	return s == "build" || strings.HasPrefix(s, "build:") || strings.HasPrefix(s, "build-") ||
		strings.HasPrefix(s, "build_")
}

// positionalSkippingValues returns the non-flag words, skipping the values
// of package-manager flags that take one (`--prefix dir`, `--filter x`).
func positionalSkippingValues(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			switch a {
			case "--prefix", "-C", "--dir", "--cwd", "--filter", "-F", "--workspace", "-w", "--project", "-p", "--cache":
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}
