package ap

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// DevRunnerInProduction reports a container command (or the start script
// it runs) that uses a development runner.
var DevRunnerInProduction = register(&analysis.Rule{
	ID:       "AP007",
	Name:     "dev-runner-in-production",
	Title:    "the container runs the app with a development runner",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "nodemon, `tsx watch`, `next dev` and the vite dev server watch files and restart or " +
			"rebuild on change; ts-node compiles TypeScript in memory at every start. In a production " +
			"container that means slower starts, several times the memory, development-mode " +
			"frameworks (verbose errors, no caching, no minification), devDependencies that must be " +
			"installed in the image, and restarts that hide crashes from the orchestrator.\n\n" +
			"The rule reads the final stage's CMD/ENTRYPOINT and, when it runs a package.json script " +
			"(`npm start`, `npm run x`, `yarn x`, `pnpm x`), that script and the scripts it runs. " +
			"Dockerfiles named for development (Dockerfile.dev, dev.Dockerfile) and stages named " +
			"dev/development/local are not checked.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\nCMD [\"npx\", \"nodemon\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Build in an earlier stage (`tsc`, `next build`, `vite build`) and run the output with node: " +
			"`CMD [\"node\", \"dist/server.js\"]`, `next start`, or a static server for a vite build. Keep " +
			"watch-mode scripts under a `dev` script for local development. A finding on a package.json " +
			"script cannot be ignored inline (JSON has no comments); use `.seaworthy.yaml` or `--ignore`.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		f := b.Dockerfile
		if f == nil {
			return
		}
		reported := map[string]bool{}
		for _, st := range stage.DeployedFinal(b.DockerfilePath, f) {
			words, ok := stage.ProcessWords(f, st)
			if !ok {
				continue
			}
			argv := make([]string, len(words))
			for i, w := range words {
				argv[i] = w.Text
			}
			in := words[0].In
			if runner := devRunner(argv); runner != "" {
				key := fmt.Sprintf("df:%d", in.StartLine)
				if !reported[key] {
					reported[key] = true
					pass.Report(analysis.Finding{
						Range:   locate.Instruction(f, in),
						Message: fmt.Sprintf("the container runs %s: %s does not belong in a production image", quote(strings.Join(argv, " ")), runner),
						Help:    "build in an earlier stage and run the output with node, e.g. `CMD [\"node\", \"dist/server.js\"]`",
					})
				}
				continue
			}
			if pkg == nil {
				continue
			}
			script := scriptRun(argv)
			if script == "" {
				continue
			}
			name, text, runner, ok := findDevScript(pkg, script, 0)
			if !ok {
				continue
			}
			key := "pkg:" + name
			if reported[key] {
				continue
			}
			reported[key] = true
			pass.Report(analysis.Finding{
				File:  pkg.ManifestPath,
				Range: lineRange(manifestLine(pkg, "scripts", name)),
				Message: fmt.Sprintf("the container's command %s runs the script %q: %s, and %s does not belong in a production image",
					quote(strings.Join(argv, " ")), name, quote(text), runner),
				Help: "point the container at a production command (`node dist/server.js`, `next start`) and keep this script for development",
			})
		}
	}),
})

// scriptRun returns the package.json script a command runs: `npm start`
// → start, `npm run x` / `npm run-script x` → x, `yarn x` / `yarn run x`,
// `pnpm x` / `pnpm run x`, `bun run x`; "" for anything else.
func scriptRun(argv []string) string {
	if len(argv) < 2 {
		return ""
	}
	tool := command.BaseName(argv[0])
	if tool == "corepack" && len(argv) > 2 {
		argv = argv[1:]
		tool = command.BaseName(argv[0])
	}
	var pos []string
	for _, a := range argv[1:] {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			pos = append(pos, a)
		}
	}
	if len(pos) == 0 {
		return ""
	}
	switch tool {
	case "npm":
		switch pos[0] {
		case "start", "restart":
			return "start"
		case "run", "run-script", "rum", "urn":
			if len(pos) > 1 {
				return pos[1]
			}
		}
	case "yarn", "yarnpkg", "pnpm", "bun":
		switch pos[0] {
		case "run", "run-script":
			if len(pos) > 1 {
				return pos[1]
			}
		case "start":
			return "start"
		case "exec", "dlx", "x", "install", "add", "i":
			return ""
		default:
			if tool != "bun" {
				return pos[0]
			}
		}
	}
	return ""
}

// findDevScript follows a script (and the scripts it runs) to a command
// that uses a development runner; it returns the script holding it.
func findDevScript(pkg *nodeproject.Package, name string, depth int) (script, text, runner string, ok bool) {
	body, has := pkg.Manifest.Scripts[name]
	if !has || depth > 4 {
		return "", "", "", false
	}
	for _, argv := range nodeapp.ScriptCommands(body) {
		if r := devRunner(argv); r != "" {
			return name, body, r, true
		}
		if next := scriptRun(argv); next != "" && next != name {
			if s, t, r, ok := findDevScript(pkg, next, depth+1); ok {
				return s, t, r, true
			}
		}
	}
	// npm runs prestart/poststart around start; they are not the server.
	return "", "", "", false
}

// devRunner names the development runner a command uses, "" when none.
// Wrappers (cross-env, env, dotenv, npx, `npm exec`, `yarn`/`pnpm exec`,
// bunx) and VAR=value words are looked through.
func devRunner(argv []string) string {
	argv = unwrap(argv)
	if len(argv) == 0 {
		return ""
	}
	tool := command.BaseName(argv[0])
	var pos []string
	for _, a := range argv[1:] {
		if !strings.HasPrefix(a, "-") {
			pos = append(pos, a)
		}
	}
	first := ""
	if len(pos) > 0 {
		first = pos[0]
	}
	has := func(flags ...string) bool {
		for _, a := range argv[1:] {
			for _, f := range flags {
				if a == f || strings.HasPrefix(a, f+"=") {
					return true
				}
			}
		}
		return false
	}
	switch tool {
	case "nodemon":
		return "nodemon (a file watcher that restarts the app)"
	case "ts-node", "ts-node-dev", "tsnd", "ts-node-esm", "ts-node-transpile-only":
		return tool + " (compiles TypeScript at run time)"
	case "tsx":
		if first == "watch" || has("--watch") {
			return "`tsx watch` (a file watcher)"
		}
	case "node", "nodejs":
		if has("--watch", "--watch-path") {
			return "`node --watch` (a file watcher)"
		}
		for i, a := range argv {
			if (a == "-r" || a == "--require" || a == "--loader" || a == "--import" || a == "--experimental-loader") && i+1 < len(argv) && strings.HasPrefix(argv[i+1], "ts-node") {
				return "ts-node (compiles TypeScript at run time)"
			}
			for _, p := range []string{"--require=ts-node", "--loader=ts-node", "--import=ts-node", "--experimental-loader=ts-node"} {
				if strings.HasPrefix(a, p) {
					return "ts-node (compiles TypeScript at run time)"
				}
			}
		}
	case "next":
		if first == "dev" {
			return "`next dev` (the Next.js development server)"
		}
	case "vite":
		if first == "" || first == "dev" || first == "serve" || strings.HasPrefix(first, ".") || strings.HasPrefix(first, "/") {
			return "the vite development server"
		}
	case "nuxt", "nuxi":
		if first == "dev" {
			return "`" + tool + " dev` (the Nuxt development server)"
		}
	case "astro", "remix":
		if first == "dev" {
			return "`" + tool + " dev` (a development server)"
		}
	case "react-scripts":
		if first == "start" {
			return "`react-scripts start` (the webpack development server)"
		}
	case "ng":
		if first == "serve" {
			return "`ng serve` (the Angular development server)"
		}
	case "vue-cli-service":
		if first == "serve" {
			return "`vue-cli-service serve` (a development server)"
		}
	case "webpack", "webpack-cli":
		if first == "serve" {
			return "`webpack serve` (the webpack development server)"
		}
	case "webpack-dev-server":
		return "webpack-dev-server (a development server)"
	case "gatsby":
		if first == "develop" {
			return "`gatsby develop` (a development server)"
		}
	case "nest":
		if first == "start" && has("--watch", "-w") {
			return "`nest start --watch` (a file watcher)"
		}
	}
	return ""
}

// unwrap drops leading wrappers from a command: VAR=value words,
// cross-env, env, dotenv (up to `--`), npx/bunx, `npm exec`, `yarn exec`,
// `pnpm exec`/`dlx`.
func unwrap(argv []string) []string {
	for depth := 0; depth < 6 && len(argv) > 0; depth++ {
		for len(argv) > 0 && isAssign(argv[0]) {
			argv = argv[1:]
		}
		if len(argv) == 0 {
			return nil
		}
		switch command.BaseName(argv[0]) {
		case "cross-env", "env", "cross-env-shell":
			argv = argv[1:]
			for len(argv) > 0 && (isAssign(argv[0]) || strings.HasPrefix(argv[0], "-")) {
				argv = argv[1:]
			}
			continue
		case "dotenv", "dotenv-cli", "env-cmd":
			i := indexOf(argv, "--")
			if i < 0 {
				return nil
			}
			argv = argv[i+1:]
			continue
		case "npx", "bunx", "pnpx":
			argv = skipFlags(argv[1:])
			continue
		case "npm", "yarn", "pnpm", "bun":
			if len(argv) > 1 && (argv[1] == "exec" || argv[1] == "dlx" || argv[1] == "x") {
				argv = skipFlags(argv[2:])
				continue
			}
			if command.BaseName(argv[0]) != "npm" && len(argv) > 1 && devRunner(argv[1:]) != "" {
				// `yarn nodemon server.js` runs the binary when no script has that name.
				argv = argv[1:]
				continue
			}
		}
		break
	}
	return argv
}

func skipFlags(argv []string) []string {
	for len(argv) > 0 && strings.HasPrefix(argv[0], "-") {
		if argv[0] == "--" {
			return argv[1:]
		}
		argv = argv[1:]
	}
	return argv
}

func isAssign(w string) bool {
	i := strings.IndexByte(w, '=')
	if i <= 0 {
		return false
	}
	for _, r := range w[:i] {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
