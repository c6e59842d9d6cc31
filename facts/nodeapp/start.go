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
	argv, ok := s.scriptArgv(pkg, script, 0)
	if !ok {
		return nil, false
	}
	switch command.BaseName(argv[0]) {
	case "node":
		out := []string{"node"}
		file := startFileIndex(argv)
		for i, a := range argv[1:] {
			if i+1 == file {
				switch {
				case (a == "." || a == "./") && pkg.Manifest.Main != "":
					// `node .` runs package.json main.
					a = s.built(pkg, path.Clean(pkg.Manifest.Main))
				case strings.HasSuffix(a, ".ts") || strings.HasSuffix(a, ".mts"):
					a = s.built(pkg, path.Clean(a))
				}
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

// nodeValueFlags are node options that take the next word as their value.
var nodeValueFlags = map[string]bool{"-r": true, "--require": true, "--import": true, "--loader": true, "--experimental-loader": true, "--env-file": true, "--title": true, "--conditions": true, "-C": true}

// startFileIndex is the index in a node command of the file it runs
// (the first word that is no option nor an option's value), or -1.
func startFileIndex(argv []string) int {
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		if nodeValueFlags[a] {
			i++
			continue
		}
		if !strings.HasPrefix(a, "-") {
			return i
		}
	}
	return -1
}

// StartFile is the file the start command runs, as written (`dist/main`,
// `server`, `index`), or "".
func (s *Shape) StartFile() string {
	argv := s.Start.Value
	if len(argv) < 2 {
		return ""
	}
	if i := startFileIndex(argv); i > 0 {
		return path.Clean(strings.TrimPrefix(argv[i], "./"))
	}
	return ""
}

// startEntry is the top-level file or directory that holds the start
// file, as it exists in the package: `index` → index.js, `bin/x` → bin.
func startEntry(pkg *nodeproject.Package, file string) string {
	top, rest, _ := strings.Cut(file, "/")
	if rest != "" || pkg.Exists(top) {
		return top
	}
	for _, ext := range []string{".js", ".cjs", ".mjs", ".json"} {
		if pkg.Exists(top + ext) {
			return top + ext
		}
	}
	return top
}

// readRuntimeBeside finds what an app with a build runs from outside its
// build output: the start file's top-level entry and the asset
// directories it has. When the build output is only assumed, the start
// file may need anything the build wrote: StartOutsideOutput is set, and init
// refuses rather than write an image that may not start.
func (s *Shape) readRuntimeBeside(pkg *nodeproject.Package) {
	b := s.Build
	if b == nil || s.StaticSite != nil || b.OutDir.Value == "." || s.NextStandalone || b.Tool == "next" || s.Framework != nil {
		return
	}
	file := s.StartFile()
	if file == "" || strings.HasPrefix(file, "node_modules/") || inDir(file, b.OutDir.Value) {
		return
	}
	for _, m := range b.More {
		if inDir(file, m.Value) {
			return
		}
	}
	if b.Assumed {
		s.StartOutsideOutput = true
		return
	}
	seen := map[string]bool{}
	add := func(e string) {
		if !seen[e] {
			seen[e] = true
			s.Sources = append(s.Sources, e)
		}
	}
	add(startEntry(pkg, file))
	for _, dir := range runtimeAssetDirs {
		if pkg.Exists(dir) && !inDir(dir, b.OutDir.Value) {
			add(dir)
		}
	}
	sort.Strings(s.Sources)
	s.Notes = append(s.Notes, fmt.Sprintf("the start command runs %s, outside the build output %s: the runtime copies %s beside it", file, b.OutDir.Value, strings.Join(s.Sources, ", ")))
}

// inDir reports whether a package-relative path is dir or under it.
func inDir(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// scriptArgv reads a script as one command with its wrappers (VAR=value,
// cross-env, dotenv --, npx) dropped, following `npm run x` / `yarn x`
// into the script it runs.
func (s *Shape) scriptArgv(pkg *nodeproject.Package, script string, depth int) ([]string, bool) {
	cmds := ScriptCommands(script)
	if len(cmds) != 1 {
		return nil, false
	}
	argv := command.Unwrap(cmds[0])
	if len(argv) == 0 {
		return nil, false
	}
	if name := command.ScriptRun(argv); name != "" && depth < 4 {
		if next, ok := pkg.Manifest.Scripts[name]; ok {
			return s.scriptArgv(pkg, next, depth+1)
		}
	}
	return argv, true
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
