package command

import (
	"fmt"
	"strconv"
	"strings"
)

// This file tells what a container or script command is for: the
// package.json script it runs, a development runner (file watchers,
// development servers), a test runner, or nothing at all (an idle
// container kept alive for `docker exec`).

// ScriptRun returns the package.json script a command runs: `npm start`
// → start, `npm run x` / `npm run-script x` → x, `yarn x` / `yarn run x`,
// `pnpm x` / `pnpm run x`, `bun run x`; "" for anything else.
func ScriptRun(argv []string) string {
	if len(argv) < 2 {
		return ""
	}
	tool := BaseName(argv[0])
	if tool == "corepack" && len(argv) > 2 {
		argv = argv[1:]
		tool = BaseName(argv[0])
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

// DevRunner names the development runner a command uses, "" when none.
// Wrappers (cross-env, env, dotenv, npx, `npm exec`, `yarn`/`pnpm exec`,
// bunx) and VAR=value words are looked through.
func DevRunner(argv []string) string {
	argv = Unwrap(argv)
	if len(argv) == 0 {
		return ""
	}
	tool := BaseName(argv[0])
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

// Unwrap drops leading wrappers from a command: VAR=value words,
// cross-env, env, dotenv (up to `--`), npx/bunx, `npm exec`, `yarn exec`,
// `pnpm exec`/`dlx`.
func Unwrap(argv []string) []string {
	for depth := 0; depth < 6 && len(argv) > 0; depth++ {
		for len(argv) > 0 && isAssign(argv[0]) {
			argv = argv[1:]
		}
		if len(argv) == 0 {
			return nil
		}
		switch BaseName(argv[0]) {
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
			if BaseName(argv[0]) != "npm" && len(argv) > 1 && DevRunner(argv[1:]) != "" {
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

// TestRunner names the test runner a command runs, "" when none: jest,
// vitest (not `vitest dev`), mocha, `playwright test`, `cypress run`,
// `npm test` and scripts named test or e2e (`npm run test:e2e`,
// `yarn e2e`), pytest and `go test`. Wrappers are looked through as
// DevRunner does.
func TestRunner(argv []string) string {
	argv = Unwrap(argv)
	if len(argv) == 0 {
		return ""
	}
	tool := BaseName(argv[0])
	first := ""
	for _, a := range argv[1:] {
		if !strings.HasPrefix(a, "-") {
			first = a
			break
		}
	}
	switch tool {
	case "jest", "mocha", "ava", "tap", "jasmine", "karma", "pytest", "rspec", "phpunit", "wdio", "testcafe", "newman", "k6":
		return tool
	case "vitest":
		if first != "dev" {
			return tool
		}
	case "playwright":
		if first == "test" {
			return "`playwright test`"
		}
	case "cypress":
		if first == "run" {
			return "`cypress run`"
		}
	case "go", "cargo", "deno", "bun":
		if first == "test" {
			return "`" + tool + " test`"
		}
	case "node":
		for _, a := range argv[1:] {
			if a == "--test" {
				return "`node --test`"
			}
		}
	case "npm", "yarn", "yarnpkg", "pnpm":
		if first == "test" || first == "t" || first == "tst" {
			return "`" + tool + " test`"
		}
	}
	if script := ScriptRun(argv); testScript(script) {
		return fmt.Sprintf("the %q script", script)
	}
	return ""
}

// testScript: a package.json script named for tests (test, test:e2e,
// e2e, e2e:ci, cy:run, cypress:run).
func testScript(name string) bool {
	n := strings.ToLower(name)
	for _, p := range []string{"test", "e2e", "cy:run", "cypress"} {
		if n == p || strings.HasPrefix(n, p+":") || strings.HasPrefix(n, p+"-") {
			return true
		}
	}
	return false
}

// Idle names the command of a container that runs nothing but waits to be
// `docker exec`'d into: `tail -f /dev/null`, `sleep infinity` (or a
// sleep of a day or more); "" for anything else.
func Idle(argv []string) string {
	argv = Unwrap(argv)
	if len(argv) < 2 {
		return ""
	}
	switch BaseName(argv[0]) {
	case "tail":
		if argv[len(argv)-1] == "/dev/null" {
			for _, a := range argv[1 : len(argv)-1] {
				if a == "-f" || a == "-F" || a == "--follow" {
					return "`tail -f /dev/null`"
				}
			}
		}
	case "sleep":
		if longSleep(argv[1]) {
			return "`sleep " + argv[1] + "`"
		}
	}
	return ""
}

// longSleep: infinity, or a duration of a day or more.
func longSleep(s string) bool {
	s = strings.ToLower(s)
	if s == "infinity" || s == "inf" {
		return true
	}
	unit := 1.0
	switch {
	case strings.HasSuffix(s, "d"):
		unit, s = 86400, strings.TrimSuffix(s, "d")
	case strings.HasSuffix(s, "h"):
		unit, s = 3600, strings.TrimSuffix(s, "h")
	case strings.HasSuffix(s, "m"):
		unit, s = 60, strings.TrimSuffix(s, "m")
	case strings.HasSuffix(s, "s"):
		s = strings.TrimSuffix(s, "s")
	}
	n, err := strconv.ParseFloat(s, 64)
	return err == nil && n*unit >= 86400
}

// GeneratesProject reports whether a command scaffolds a new project from
// a template: `npm create x`/`npm init x` (npm's create), `yarn create x`,
// `pnpm create x`, `bun create x`, `npx create-x-app`, `npx
// create-x@version`.
func GeneratesProject(argv []string) bool {
	if len(argv) < 2 {
		return false
	}
	switch BaseName(argv[0]) {
	case "npm", "yarn", "pnpm", "bun":
		if argv[1] == "create" {
			return true
		}
		return BaseName(argv[0]) == "npm" && argv[1] == "init" && len(argv) > 2 && !strings.HasPrefix(argv[2], "-")
	case "npx", "pnpx", "bunx":
		for _, a := range argv[1:] {
			if strings.HasPrefix(a, "-") {
				continue
			}
			return strings.HasPrefix(a, "create-") || strings.HasPrefix(a, "@") && strings.Contains(a, "/create-")
		}
	}
	return false
}
