package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// BuildToolsInRuntime reports compilers and build tools installed in the
// runtime image and never removed.
var BuildToolsInRuntime = register(&analysis.Rule{
	ID:       "DF032",
	Name:     "build-tools-in-runtime",
	Title:    "build tools installed in the runtime image",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Compilers and build tools (`build-essential`, `build-base`, `gcc`, `g++`, `make`, `cmake`, " +
			"`clang`, `node-gyp`) are needed to compile native modules, not to run them. Left in the runtime " +
			"image they add hundreds of megabytes and a large attack surface: an attacker who gets " +
			"code execution finds a full toolchain waiting. Compile in a build stage and copy the " +
			"built `node_modules` over, or remove the tools in the same RUN that used them.\n\n" +
			"`git`, `python3`/`python` and `openssh-client` are what dependency installs run (git " +
			"dependencies, node-gyp) but also what apps run (a git storage module, a Python sandbox). " +
			"The rule counts them only when the stage that installs them shows they are for the build: " +
			"a later command of that stage runs them, installs or rebuilds npm dependencies, runs " +
			"node-gyp or a build script. Installed after the last such command, they are taken to be " +
			"for the app and not reported.",
		Bad: "FROM node:22-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*\n" +
			"COPY package*.json ./\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-alpine\nWORKDIR /app\nCOPY package*.json ./\n" +
			"RUN apk add --no-cache --virtual .gyp python3 make g++ \\\n && npm ci --omit=dev \\\n && apk del .gyp\n" +
			"USER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Install the tools in a build stage, run `npm ci` there, and `COPY --from=build " +
			"/app/node_modules ./node_modules` into the runtime stage (same base image family, so " +
			"the native binaries match). If the tools must be in the final stage's RUN, remove them " +
			"in that same RUN: `apk add --virtual .gyp python3 make g++ && npm ci && apk del .gyp`, " +
			"or `apt-get purge -y --auto-remove build-essential python3` on Debian.",
		AppliesTo: "Development and test images need compilers and git.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.ShellCommand]bool{}
		for _, st := range f.FinalStages() {
			cmds := stage.ChainRunCommands(st)
			for idx, rc := range cmds {
				if seen[rc.Cmd] {
					continue
				}
				tools := buildToolsInstalled(rc.Cmd)
				if len(tools) == 0 {
					continue
				}
				group := virtualGroup(rc.Cmd)
				var left []string
				for _, t := range tools {
					if names, dual := knowledge.DualUseTool(t); dual && !usedByBuild(cmds[idx+1:], rc.In.Stage, names, !strings.HasPrefix(t, "openssh")) {
						continue // nothing shows the build needs it: the app may
					}
					if !removedLater(cmds[idx+1:], t, group) {
						left = append(left, t)
					}
				}
				if len(left) == 0 {
					continue
				}
				seen[rc.Cmd] = true
				where := "the final stage"
				if rc.In.Stage != st {
					where = fmt.Sprintf("stage %s, which the final stage %s builds on", rc.In.Stage.Label(), st.Label())
				}
				pass.Report(analysis.Finding{
					Range: locate.Command(f, rc.Cmd),
					Message: fmt.Sprintf("`%s` installs build tools (%s) in %s and nothing removes them: they ship in the runtime image",
						cmdText(rc.Cmd), strings.Join(left, ", "), where),
					Help: "compile in a build stage and copy node_modules over, or remove the tools in the same RUN",
				})
			}
		}
	}),
})

// usedByBuild reports whether a later command of the installing stage
// shows a dual-use tool is there for the build: it runs the tool (by one
// of its command names), or, with npmUses, installs npm dependencies (git
// dependencies need git, node-gyp needs python), rebuilds them, runs
// node-gyp or a build script. ssh counts only when run (also by git): few
// installs fetch over ssh, and apps that push to git remotes need it.
func usedByBuild(later []stage.RunCmd, st *dockerfile.Stage, names []string, npmUses bool) bool {
	for _, rc := range later {
		if rc.In.Stage != st {
			continue
		}
		c := rc.Cmd
		if instContains(names, c.Base()) {
			return true
		}
		if !npmUses {
			continue
		}
		if c.Base() == "node-gyp" || install.IsBuildStep(c) {
			return true
		}
		if _, ok := install.Classify(c); ok {
			return true
		}
		switch c.Base() {
		case "npm", "yarn", "pnpm":
			if pos := c.Positional(); len(pos) > 0 && pos[0] == "rebuild" {
				return true
			}
		}
	}
	return false
}

// buildToolsInstalled lists the build tools an OS package install or a
// global npm/yarn/pnpm install names.
func buildToolsInstalled(c *dockerfile.ShellCommand) []string {
	var out []string
	pkgs := install.SystemPackages(c)
	if i, ok := install.Classify(c); ok && i.Global {
		for _, p := range i.Packages {
			pkgs = append(pkgs, install.StripVersion(p))
		}
	}
	for _, p := range pkgs {
		_, dual := knowledge.DualUseTool(p)
		if (knowledge.IsBuildTool(p) || dual) && !instContains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func instContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// virtualGroup is the `apk add --virtual NAME` (or `-t NAME`) group.
func virtualGroup(c *dockerfile.ShellCommand) string {
	if c.Base() != "apk" {
		return ""
	}
	for i, a := range c.Args {
		if v, ok := strings.CutPrefix(a, "--virtual="); ok {
			return v
		}
		if (a == "--virtual" || a == "-t") && i+1 < len(c.Args) {
			return c.Args[i+1]
		}
	}
	return ""
}

// removedLater reports whether a later command removes the tool (by name,
// or its apk virtual group).
// The Debian idiom `apt-mark auto '.*'; apt-mark manual $saved; apt-get
// purge -y --auto-remove` removes everything installed since, unnamed.
func removedLater(later []stage.RunCmd, tool, group string) bool {
	markedAuto := false
	for _, rc := range later {
		c := rc.Cmd
		var names []string
		switch c.Base() {
		case "apt-mark":
			if pos := c.Positional(); len(pos) > 0 && pos[0] == "auto" {
				markedAuto = true
			}
		case "apt-get", "apt", "yum", "dnf", "microdnf":
			pos := c.Positional()
			if len(pos) > 0 && (pos[0] == "purge" || pos[0] == "remove" || pos[0] == "erase" || pos[0] == "autoremove") {
				names = pos[1:]
				if markedAuto && (pos[0] == "autoremove" || c.HasArg("--auto-remove", "--autoremove")) {
					return true
				}
			}
		case "apk":
			pos := c.Positional()
			if len(pos) > 0 && pos[0] == "del" {
				names = pos[1:]
			}
		case "npm", "yarn", "pnpm":
			pos := c.Positional()
			if len(pos) > 0 {
				switch pos[0] {
				case "uninstall", "remove", "rm", "un", "r", "unlink":
					names = pos[1:]
				case "global":
					if len(pos) > 1 && pos[1] == "remove" {
						names = pos[2:]
					}
				}
			}
		}
		for _, n := range names {
			n = strings.TrimSuffix(n, "*")
			if n == tool || group != "" && n == group {
				return true
			}
		}
	}
	return false
}
