package nodeapp

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads how an app starts, as a direct `node …` command, and
// which files it runs from when there is no build.

// readStart turns the start script (start:prod first), else main, else
// a conventional entry file, into a direct `node …` command.
func (s *Shape) readStart(pkg *nodeproject.Package) {
	m := pkg.Manifest
	if s.NextStandalone {
		s.Start = Fact[[]string]{Value: []string{"node", "server.js"}, From: "Next.js standalone output runs server.js"}
		return
	}
	for _, name := range []string{"start:prod", "start"} {
		script, ok := m.Scripts[name]
		if !ok {
			continue
		}
		if argv, ok := s.nodeCommand(pkg, script); ok {
			s.Start = Fact[[]string]{Value: argv, From: fmt.Sprintf("scripts.%s is %q", name, script)}
			return
		}
		s.Notes = append(s.Notes, fmt.Sprintf("scripts.%s (%q) is not a node command seaworthy can run directly", name, script))
	}
	if s.Build != nil && s.Build.Tool == "nest" {
		s.Start = Fact[[]string]{Value: []string{"node", path.Join(s.Build.OutDir.Value, "main.js")}, From: "nest build writes " + s.Build.OutDir.Value + "/main.js"}
		return
	}
	if m.Main != "" {
		s.Start = Fact[[]string]{Value: []string{"node", s.built(pkg, path.Clean(m.Main))}, From: "package.json main is " + m.Main}
		return
	}
	for _, f := range []string{"server.js", "index.js", "app.js", "src/server.js", "src/index.js", "src/app.js", "main.js"} {
		if pkg.Exists(f) {
			s.Start = Fact[[]string]{Value: []string{"node", f}, From: f + " exists (no start script, no main)"}
			return
		}
	}
	s.Start = Fact[[]string]{Value: []string{"node", "index.js"}, From: "no start script, main or entry file: index.js assumed"}
}

// nodeCommand reads a script as one node command: `node dist/main`,
// `node --enable-source-maps dist/server.js`, `next start`, and
// `ts-node src/x.ts` / `tsx src/x.ts` mapped to the build output.
func (s *Shape) nodeCommand(pkg *nodeproject.Package, script string) ([]string, bool) {
	cmds := ScriptCommands(script)
	var argv []string
	for _, c := range cmds {
		// Leading `NODE_ENV=production` assignments are not in argv;
		// `cross-env A=b node x` is.
		if command.BaseName(c[0]) == "cross-env" {
			c = c[1:]
			for len(c) > 0 && strings.Contains(c[0], "=") {
				c = c[1:]
			}
		}
		if len(c) > 0 {
			argv = c
		}
	}
	if len(cmds) != 1 || len(argv) == 0 {
		return nil, false
	}
	switch command.BaseName(argv[0]) {
	case "node":
		out := []string{"node"}
		for _, a := range argv[1:] {
			if !strings.HasPrefix(a, "-") && (strings.HasSuffix(a, ".ts") || strings.HasSuffix(a, ".mts")) {
				a = s.built(pkg, path.Clean(a))
			}
			out = append(out, a)
		}
		return out, len(out) > 1
	case "ts-node", "tsx", "ts-node-dev", "nodemon":
		for _, a := range argv[1:] {
			if !strings.HasPrefix(a, "-") && (strings.HasSuffix(a, ".ts") || strings.HasSuffix(a, ".js")) {
				return []string{"node", s.built(pkg, path.Clean(a))}, true
			}
		}
	case "bun":
		// `bun run src/index.ts` and `bun src/index.ts` run a file;
		// `bun run start` runs a script. Only a bun project's image has
		// bun.
		args := argv[1:]
		if len(args) > 0 && args[0] == "run" {
			args = args[1:]
		}
		if s.Toolchain.Manager == "bun" && len(args) > 0 && path.Ext(args[0]) != "" {
			return append([]string{"bun"}, args...), true
		}
	case "next":
		if len(argv) > 1 && argv[1] == "start" {
			return []string{"node", "node_modules/next/dist/bin/next", "start"}, true
		}
	}
	return nil, false
}

// built maps a source path to the file the build writes for it: with a
// tsc build `src/server.ts` → `dist/server.js` (the part of the path
// under tsconfig's rootDir, or under its first directory).
func (s *Shape) built(pkg *nodeproject.Package, p string) string {
	ts := strings.HasSuffix(p, ".ts") || strings.HasSuffix(p, ".mts") || strings.HasSuffix(p, ".cts")
	if s.Build == nil || !ts {
		return p
	}
	out := s.Build.OutDir.Value
	if strings.HasPrefix(p, out+"/") {
		return p
	}
	rel := p
	if i := strings.IndexByte(p, '/'); i >= 0 {
		rel = p[i+1:]
	}
	js := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(rel, ".ts"), ".mts"), ".cts")
	switch path.Ext(p) {
	case ".mts":
		js += ".mjs"
	case ".cts":
		js += ".cjs"
	default:
		js += ".js"
	}
	return path.Join(out, js)
}

// readSources lists the top-level entries holding the app's runtime
// sources (for an app without a build).
func (s *Shape) readSources(pkg *nodeproject.Package, src *Sources) {
	seen := map[string]bool{}
	for _, f := range src.RuntimeFiles() {
		top, _, _ := strings.Cut(f.Rel, "/")
		if isTooling(top) || seen[top] {
			continue
		}
		seen[top] = true
		s.Sources = append(s.Sources, top)
	}
	// Directories of files the app reads at run time without loading
	// them as modules: templates, static assets, translations, config.
	for _, dir := range runtimeAssetDirs {
		if !seen[dir] && pkg.Exists(dir) {
			seen[dir] = true
			s.Sources = append(s.Sources, dir)
		}
	}
	sort.Strings(s.Sources)
}

// runtimeAssetDirs are directories apps commonly read at run time.
var runtimeAssetDirs = []string{"public", "views", "templates", "static", "locales", "config"}

// isTooling reports whether a top-level name holds tests or tool
// configuration rather than the running app.
func isTooling(name string) bool {
	switch name {
	case "test", "tests", "__tests__", "spec", "e2e", "coverage", "node_modules", ".git":
		return true
	}
	for _, suffix := range []string{".config.js", ".config.mjs", ".config.cjs", ".config.ts", "rc.js", "rc.cjs"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return strings.HasSuffix(name, ".test.js") || strings.HasSuffix(name, ".spec.js") || strings.HasPrefix(name, ".")
}
