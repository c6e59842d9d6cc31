package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// UnpinnedGlobalTool reports global tools installed or run without a
// version: `npm i -g serve`, `corepack prepare pnpm@latest`, `npx -y cli`.
var UnpinnedGlobalTool = register(&analysis.Rule{
	ID:       "DF043",
	Name:     "unpinned-global-tool",
	Title:    "global tool installed or run without a version",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "The project's own dependencies are pinned by its lockfile; a tool installed globally " +
			"(`npm install -g serve`, `yarn global add pm2`), activated through corepack " +
			"(`corepack prepare pnpm@latest`) or fetched by `npx --yes` is not. Every build gets whatever " +
			"version is newest that day: a new major of the package manager can refuse the lockfile, a " +
			"server can change its defaults, and a compromised release reaches the image without any " +
			"change in the repository. At run time, `npx -y tool` in CMD even downloads it again at every " +
			"container start.\n\n" +
			"A plain `npx tool` is not reported: it runs the project's own copy when the tool is one of its " +
			"dependencies. A version held in a variable (`pnpm@$PNPM_VERSION`) counts as pinned.",
		Bad: "FROM node:22-slim\nRUN npm install -g serve && corepack enable && corepack prepare pnpm@latest --activate\n" +
			"WORKDIR /app\nCOPY dist ./dist\nUSER node\nCMD [\"serve\", \"-s\", \"dist\"]\n",
		Good: "FROM node:22-slim\nRUN npm install -g serve@14.2.4 && corepack enable && corepack prepare pnpm@9.15.0 --activate\n" +
			"WORKDIR /app\nCOPY dist ./dist\nUSER node\nCMD [\"serve\", \"-s\", \"dist\"]\n",
		Fix: "Name an exact version: `npm install -g serve@14.2.4`, `corepack prepare pnpm@9.15.0 --activate` " +
			"(or let `corepack enable` read the `packageManager` field of package.json), `npx --yes " +
			"tool@1.2.3`. Better still, make a run-time tool a dependency of the project so its lockfile pins it.",
		AppliesTo: "Reproducible builds matter for what is deployed. Development images often take the newest " +
			"tools on purpose.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, rc := range stage.RunCommands(st) {
				if names := unpinnedTools(rc.Cmd); len(names) > 0 {
					pass.Report(analysis.Finding{
						Range:   locate.Command(f, rc.Cmd),
						Message: fmt.Sprintf("`%s` %s", cmdText(rc.Cmd), unpinnedMessage(names)),
						Help:    "name an exact version, e.g. `" + names[0].name + "@<version>`",
					})
				}
			}
		}
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range f.FinalStages() {
			words, ok := stage.ProcessWords(f, st)
			if !ok || seen[words[0].In] {
				continue
			}
			argv := make([]string, len(words))
			for i, w := range words {
				argv[i] = w.Text
			}
			names := unpinnedNpx(argv)
			if len(names) == 0 {
				continue
			}
			seen[words[0].In] = true
			pass.Report(analysis.Finding{
				Range: locate.Instruction(f, words[0].In),
				Message: fmt.Sprintf("the container runs `%s`: it downloads %s at every start, whatever release is newest then",
					analysis.Snippet(strings.Join(argv, " "), 60), toolList(names)),
				Help: "install the tool with a version in the image (or make it a dependency of the project) and run it directly",
			})
		}
	}),
})

// unpinnedTool is a package a command installs or runs without a version.
type unpinnedTool struct{ name, tag string }

// unpinnedMessage says what a command does with the unpinned tools.
func unpinnedMessage(tools []unpinnedTool) string {
	return "fetches " + toolList(tools) + ": each build gets whatever release is newest"
}

// toolList: "serve without a version, pnpm at the moving tag `latest`".
func toolList(tools []unpinnedTool) string {
	var parts []string
	for _, t := range tools {
		if t.tag != "" {
			parts = append(parts, fmt.Sprintf("%s at the moving tag `%s`", t.name, t.tag))
		} else {
			parts = append(parts, t.name+" without a version")
		}
	}
	return strings.Join(parts, ", ")
}

// unpinnedTools returns the unpinned packages of a global install
// (`npm i -g`, `yarn global add`, `pnpm add -g`), a corepack
// prepare/install/use, or an `npx --yes`/`-p` run.
func unpinnedTools(c *dockerfile.ShellCommand) []unpinnedTool {
	if i, ok := install.Classify(c); ok {
		if !i.Global {
			return nil
		}
		return unpinnedSpecs(i.Packages)
	}
	words := command.Words(c)
	switch command.BaseName(words[0]) {
	case "corepack":
		pos := install.Positional(words[1:])
		if len(pos) > 1 && (pos[0] == "prepare" || pos[0] == "install" || pos[0] == "use") {
			return unpinnedSpecs(pos[1:])
		}
		return nil
	}
	return unpinnedNpx(words)
}

// unpinnedNpx returns the unpinned package an `npx` (`pnpm dlx`,
// `yarn dlx`, `bunx`) run fetches: one named with a dist-tag, or one
// fetched with `--yes`/`-y` or `--package`/`-p`. A bare `npx tool` runs
// the project's own copy when there is one, and is not reported.
func unpinnedNpx(words []string) []unpinnedTool {
	if len(words) == 0 {
		return nil
	}
	args := words[1:]
	switch command.BaseName(words[0]) {
	case "npx", "bunx", "pnpx":
	case "pnpm", "yarn":
		if len(args) == 0 || args[0] != "dlx" {
			return nil
		}
		args = args[1:]
	default:
		return nil
	}
	fetches := false
	var specs []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-y" || a == "--yes":
			fetches = true
		case (a == "-p" || a == "--package") && i+1 < len(args):
			specs = append(specs, args[i+1])
			i++
		case strings.HasPrefix(a, "--package="):
			specs = append(specs, strings.TrimPrefix(a, "--package="))
		case strings.HasPrefix(a, "-"):
		default:
			if len(specs) == 0 {
				specs = append(specs, a)
			}
			i = len(args) // the command's own arguments follow
		}
	}
	if b := command.BaseName(words[0]); b == "pnpm" || b == "yarn" || b == "pnpx" {
		fetches = true // dlx always fetches
	}
	var out []unpinnedTool
	for _, t := range unpinnedSpecs(specs) {
		if fetches || t.tag != "" {
			out = append(out, t)
		}
	}
	return out
}

func unpinnedSpecs(specs []string) []unpinnedTool {
	var out []unpinnedTool
	for _, s := range specs {
		if name, tag, ok := install.UnpinnedSpec(strings.Trim(s, `"'`)); ok {
			out = append(out, unpinnedTool{name, tag})
		}
	}
	return out
}
