package df

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// CleanupInSeparateLayer reports a RUN that only deletes files earlier
// layers wrote.
var CleanupInSeparateLayer = register(&analysis.Rule{
	ID:       "DF029",
	Name:     "cleanup-in-separate-layer",
	Title:    "cleanup in its own RUN does not shrink the image",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "Layers are additive: a file written by one RUN stays in that layer forever. A later " +
			"`RUN rm -rf /var/lib/apt/lists/*` or `RUN npm cache clean --force` only adds a layer that marks the " +
			"files deleted; the image is just as big, and the bytes can still be extracted. Cleanup shrinks the " +
			"image only in the same RUN that created the files.\n\n" +
			"The rule fires on a RUN whose commands only clean up (`rm`, `find … -delete`, `apt-get clean`, " +
			"`apt-get autoremove`, `npm cache clean`, `yarn cache clean`, `pnpm store prune`, `apk cache clean`) " +
			"and remove something this Dockerfile created — a package cache, a temporary directory, or a path " +
			"an earlier COPY or RUN wrote — in a stage that ends up in the final image. Deleting a file the base " +
			"image ships (`rm /etc/nginx/conf.d/default.conf`) is a configuration change, not a cleanup, and is " +
			"left alone.",
		Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n" +
			"RUN npm cache clean --force\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev && npm cache clean --force\n" +
			"COPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Move the cleanup into the RUN that creates the files (`apt-get install … && rm -rf /var/lib/apt/lists/*`, " +
			"`npm ci && npm cache clean --force`), use a cache mount (`RUN --mount=type=cache,target=/root/.npm npm ci`), " +
			"or build in a separate stage and `COPY --from` only what the runtime needs. `seaworthy fix` appends the " +
			"cleanup to the RUN right before it (`… && npm cache clean --force`) and deletes its own RUN, when that RUN " +
			"installs packages, neither has flags, and the cleanup is a one-line `&&` list.",
		AppliesTo: "It is about the size of the shipped image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			if !stage.Shipped(f, st) {
				continue
			}
			for _, in := range stage.Runs(st) {
				if len(in.Script.Commands) == 0 {
					continue
				}
				var first *dockerfile.ShellCommand
				only := true
				for _, c := range in.Script.Commands {
					kind := cleanupKind(c)
					if kind == cleanupNone {
						only = false
						break
					}
					if first == nil && (kind == cleanupCache || kind == cleanupRemove && cleanupRemovesOwn(f, st, in, c, stage.Scopes(st)[in])) {
						first = c
					}
				}
				if !only || first == nil {
					continue
				}
				pass.Report(analysis.Finding{
					Range: locate.Instruction(f, in),
					Message: fmt.Sprintf("RUN only cleans up (`%s`): the files stay in the earlier layers, so the image does not get smaller",
						analysis.Snippet(strings.Join(command.Words(first), " "), 60)),
					Help: "clean up in the RUN that creates the files, or use a cache mount or a separate build stage",
					Fix:  cleanupMergeFix(f, in),
				})
			}
		}
	}),
})

type cleanupClass int

const (
	cleanupNone    cleanupClass = iota // does something else
	cleanupNeutral                     // echo, true, set: neither cleans nor creates
	cleanupCache                       // a package manager's cache cleaning
	cleanupRemove                      // rm, find -delete
)

// cleanupKind classifies one command of a RUN.
func cleanupKind(c *dockerfile.ShellCommand) cleanupClass {
	words := command.Words(c)
	name := command.BaseName(words[0])
	args := words[1:]
	first := ""
	var pos []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			pos = append(pos, a)
		}
	}
	if len(pos) > 0 {
		first = pos[0]
	}
	switch name {
	case "echo", "true", ":", "set", "ls", "du", "df":
		return cleanupNeutral
	case "rm", "rmdir", "shred":
		return cleanupRemove
	case "find":
		for _, a := range args {
			if a == "-delete" || a == "rm" {
				return cleanupRemove
			}
		}
	case "apt-get", "apt":
		switch first {
		case "clean", "autoclean", "autoremove":
			return cleanupCache
		}
	case "npm", "yarn":
		if first == "cache" && len(pos) > 1 && pos[1] == "clean" {
			return cleanupCache
		}
	case "pnpm":
		if first == "store" && len(pos) > 1 && pos[1] == "prune" {
			return cleanupCache
		}
	case "apk":
		if first == "cache" {
			return cleanupCache
		}
	case "pip", "pip3":
		if first == "cache" && len(pos) > 1 && pos[1] == "purge" {
			return cleanupCache
		}
	}
	return cleanupNone
}

// cleanupCacheDirs are directories only package managers and builds fill.
var cleanupCacheDirs = []string{
	"/var/lib/apt/lists", "/var/cache", "/tmp", "/var/tmp", "/root/.npm", "/root/.cache", "/root/.yarn",
	"/root/.pnpm-store", "/usr/local/share/.cache", "$HOME/.npm", "$HOME/.cache", "$HOME/.yarn",
	"/usr/share/doc", "/usr/share/man", "/usr/local/share/doc",
}

// cleanupRemovesOwn reports whether an rm/find removes something this
// Dockerfile put there: a cache directory, a path under an earlier COPY or
// ADD destination, or a path an earlier RUN names.
func cleanupRemovesOwn(f *dockerfile.File, st *dockerfile.Stage, in *dockerfile.Instruction, c *dockerfile.ShellCommand, scope stage.Scope) bool {
	words := command.Words(c)
	var targets []string
	if command.BaseName(words[0]) == "find" {
		for _, a := range words[1:] {
			if strings.HasPrefix(a, "-") || strings.HasPrefix(a, "(") || strings.HasPrefix(a, "!") {
				break
			}
			targets = append(targets, a)
		}
	} else {
		for _, a := range words[1:] {
			if !strings.HasPrefix(a, "-") {
				targets = append(targets, a)
			}
		}
	}
	for _, t := range targets {
		p := scope.Resolve(t)
		if pkg, ok := globalPackage(p); ok {
			// npm, corepack and yarn ship with the Node image: removing
			// them is a configuration change unless a RUN installed them.
			if globallyInstalledBefore(st, in, pkg) {
				return true
			}
			continue
		}
		for _, dir := range cleanupCacheDirs {
			if stage.Under(p, dir) || stage.Under(stage.Home(p), dir) {
				return true
			}
		}
		if strings.Contains(p, "/.cache") || strings.HasSuffix(p, "/node_modules") || strings.Contains(p, "/node_modules/") {
			return true
		}
		if cleanupWrittenBefore(st, in, p) {
			return true
		}
	}
	return false
}

// globalPackage returns the package a path of the Node image's global
// node_modules (/usr/local/lib/node_modules/NAME or @SCOPE/NAME) belongs to.
func globalPackage(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/usr/local/lib/node_modules/")
	if !ok || rest == "" {
		return "", false
	}
	parts := strings.SplitN(rest, "/", 3)
	if strings.HasPrefix(parts[0], "@") && len(parts) > 1 {
		return parts[0] + "/" + parts[1], true
	}
	return parts[0], true
}

// globallyInstalledBefore reports whether a RUN before in (in the stage
// or the stages it builds on) installs pkg globally (`npm install -g
// pkg`, `yarn global add pkg`), or installs some global package with a
// name that is a variable, so that pkg may be one of them.
func globallyInstalledBefore(st *dockerfile.Stage, in *dockerfile.Instruction, pkg string) bool {
	for _, s := range st.Ancestors() {
		for _, other := range s.Instructions {
			if s == st && other.StartLine >= in.StartLine {
				break
			}
			if other.Keyword != "RUN" || other.Script == nil {
				continue
			}
			for _, c := range other.Script.Commands {
				i, ok := install.Classify(c)
				if !ok || !i.Global {
					continue
				}
				for _, name := range i.Packages {
					if n := install.StripVersion(name); n == pkg || strings.Contains(n, "$") {
						return true
					}
				}
			}
		}
	}
	return false
}

// cleanupWrittenBefore reports whether an instruction before in (in the
// stage or the stages it builds on) copied to p, below it or above it, or
// a RUN mentions the path.
func cleanupWrittenBefore(st *dockerfile.Stage, in *dockerfile.Instruction, p string) bool {
	for _, s := range st.Ancestors() {
		scopes := stage.Scopes(s)
		for _, other := range s.Instructions {
			if s == st && other.StartLine >= in.StartLine {
				break
			}
			if _, ok := other.Command.(*instructions.RunCommand); ok {
				if other.Script != nil && strings.HasPrefix(p, "/") && len(p) > 4 && strings.Contains(other.Script.Text, p) {
					return true
				}
				continue
			}
			c, ok := stage.CopyOf(other)
			if !ok {
				continue
			}
			d := scopes[other].Resolve(c.Dest)
			if d != "/" && (stage.Under(p, d) || stage.Under(d, p)) {
				return true
			}
		}
	}
	return false
}

// cleanupMergeFix appends a one-line cleanup RUN to the RUN right before
// it, when that RUN installs packages (whose caches and lists the cleanup
// removes), and deletes the cleanup's RUN. nil unless the cleanup is a
// plain `&&` list and neither RUN has flags.
func cleanupMergeFix(f *dockerfile.File, in *dockerfile.Instruction) *analysis.Fix {
	prev := neighbour(in, -1)
	if !plainRun(in) || prev == nil || prev.Keyword != "RUN" || len(prev.Flags) > 0 || prev.Script == nil {
		return nil
	}
	installs := false
	for _, c := range prev.Script.Commands {
		if p, ok := install.OSCommandOf(c); ok && p.Installs() {
			installs = true
		}
		if _, ok := install.Classify(c); ok {
			installs = true
		}
	}
	_, cleanup, ok := oneLineScript(f, in)
	if !installs || !ok {
		return nil
	}
	edit := appendToRun(f, prev, " && "+cleanup)
	if edit == nil {
		return nil
	}
	return &analysis.Fix{
		Title: fmt.Sprintf("Move `%s` into the RUN before it", cleanup),
		Edits: []analysis.Edit{*edit, deleteInstruction(in)},
	}
}
