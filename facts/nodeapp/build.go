package nodeapp

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/tailscale/hujson"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads a project's build: the script, the tool it runs and
// where it writes (tsc outDir, nest, next standalone, vite), and whether
// the app is a static site.

// readBuild finds the build script, what it runs and where it writes.
// Scripts the build runs (`npm run build:server`, `run-p build:*`) are
// followed; wrappers (cross-env, dotenv --) are looked through. The
// first output found is OutDir; the others (a client bundle beside a
// server build) are in More.
func (s *Shape) readBuild(pkg *nodeproject.Package) {
	script, ok := pkg.Manifest.Scripts["build"]
	if !ok {
		return
	}
	b := &BuildStep{Script: "build"}
	var tools []string
	var outs []Fact[string]
	for _, argv := range buildCommands(pkg, script, 0) {
		tool, out := s.buildOutput(pkg, argv)
		if tool == "" || out.Value == "" || slices.ContainsFunc(outs, func(f Fact[string]) bool { return f.Value == out.Value }) {
			continue
		}
		tools, outs = append(tools, tool), append(outs, out)
	}
	// A server build goes first: a client bundle (vite) is an extra
	// output of a package that also compiles its server.
	for i := range tools {
		if tools[i] != "vite" {
			tools[0], tools[i] = tools[i], tools[0]
			outs[0], outs[i] = outs[i], outs[0]
			break
		}
	}
	if len(outs) == 0 {
		b.Assumed = true
		b.OutDir = Fact[string]{Value: "dist", From: fmt.Sprintf("the build script (%q) names no output directory: dist assumed", script)}
	} else {
		b.Tool, b.OutDir, b.More = tools[0], outs[0], outs[1:]
	}
	s.Build = b
}

// buildCommands are the commands a build script runs, wrappers dropped,
// with the package scripts it runs (`npm run x`, `run-p a b`, `run-s
// build:*`) expanded.
func buildCommands(pkg *nodeproject.Package, script string, depth int) [][]string {
	var out [][]string
	for _, argv := range ScriptCommands(script) {
		argv = command.Unwrap(argv)
		if len(argv) == 0 {
			continue
		}
		var names []string
		if name := command.ScriptRun(argv); name != "" {
			names = []string{name}
		}
		switch command.BaseName(argv[0]) {
		case "run-p", "run-s", "npm-run-all", "npm-run-all2":
			for _, a := range argv[1:] {
				if !strings.HasPrefix(a, "-") && !strings.Contains(a, " ") {
					names = append(names, scriptsMatching(pkg, a)...)
				}
			}
		}
		if len(names) == 0 || depth >= 4 {
			out = append(out, argv)
			continue
		}
		for _, n := range names {
			if next, ok := pkg.Manifest.Scripts[n]; ok {
				out = append(out, buildCommands(pkg, next, depth+1)...)
			}
		}
	}
	return out
}

// scriptsMatching are the package scripts a run-p/run-s name or glob
// (build:*) names, sorted.
func scriptsMatching(pkg *nodeproject.Package, pattern string) []string {
	var out []string
	for name := range pkg.Manifest.Scripts {
		if ok, _ := path.Match(pattern, name); ok || name == pattern {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// buildOutput tells the build tool a command runs and the directory it
// writes; "" for a command that is no known build tool.
func (s *Shape) buildOutput(pkg *nodeproject.Package, argv []string) (string, Fact[string]) {
	tool := command.BaseName(argv[0])
	sub := ""
	if len(argv) > 1 {
		sub = argv[1]
	}
	switch {
	case tool == "react-scripts" && sub == "build":
		return tool, Fact[string]{Value: "build", From: "react-scripts build writes build"}
	case tool == "bun" && sub == "build":
		return "bun build", bunOutDir(argv)
	case tool == "tsc":
		return tool, tscOutDir(pkg, argv)
	case tool == "nest":
		out := Fact[string]{Value: "dist", From: "nest build writes dist"}
		if o := tsconfigOutDir(pkg, "tsconfig.build.json"); o != "" {
			out = Fact[string]{Value: o, From: "tsconfig.build.json compilerOptions.outDir"}
		}
		return tool, out
	case tool == "next":
		if nextStandalone(pkg) {
			s.NextStandalone = true
			return tool, Fact[string]{Value: ".next/standalone", From: "next.config sets output: 'standalone'"}
		}
		return tool, Fact[string]{Value: ".next", From: "next build writes .next"}
	case tool == "vite" && (sub == "build" || sub == "" || strings.HasPrefix(sub, "-")):
		return tool, viteOutDir(pkg, argv)
	case tool == "babel", tool == "swc":
		if v, flag := flagValue(argv, "-d", "--out-dir"); flag != "" {
			return tool, Fact[string]{Value: v, From: tool + " " + flag}
		}
		if v, flag := flagValue(argv, "-o", "--out-file"); flag != "" {
			return tool, Fact[string]{Value: path.Dir(v), From: tool + " " + flag}
		}
	case tool == "tsup":
		if v, flag := flagValue(argv, "-d", "--out-dir"); flag != "" {
			return tool, Fact[string]{Value: v, From: "tsup " + flag}
		}
		return tool, configOutDir(pkg, "tsup", "outDir", "dist", "tsup.config.ts", "tsup.config.js", "tsup.config.mjs", "tsup.config.cjs", "tsup.config.mts")
	case tool == "esbuild":
		if v, flag := flagValue(argv, "--outdir"); flag != "" {
			return tool, Fact[string]{Value: v, From: "esbuild " + flag}
		}
		if v, flag := flagValue(argv, "--outfile"); flag != "" {
			return tool, Fact[string]{Value: path.Dir(v), From: "esbuild " + flag}
		}
	}
	return "", Fact[string]{}
}

// flagValue reads `--flag value` or `--flag=value` (the first of the
// flags present), cleaned to a package-relative path; flag is "" when
// none is there.
func flagValue(argv []string, flags ...string) (value, flag string) {
	for i, a := range argv {
		for _, f := range flags {
			v, ok := strings.CutPrefix(a, f+"=")
			if !ok && a == f && i+1 < len(argv) {
				v, ok = argv[i+1], true
			}
			if ok && v != "" {
				return path.Clean(strings.TrimPrefix(v, "./")), f
			}
		}
	}
	return "", ""
}

// tscOutDir reads the outDir of the tsconfig `tsc` builds with (-p/--project).
func tscOutDir(pkg *nodeproject.Package, argv []string) Fact[string] {
	cfg := "tsconfig.json"
	for i, a := range argv {
		if (a == "-p" || a == "--project") && i+1 < len(argv) {
			cfg = path.Clean(argv[i+1])
			if !strings.HasSuffix(cfg, ".json") {
				cfg = path.Join(cfg, "tsconfig.json")
			}
		}
		if (a == "--outDir") && i+1 < len(argv) {
			return Fact[string]{Value: path.Clean(argv[i+1]), From: "tsc --outDir"}
		}
	}
	if out := tsconfigOutDir(pkg, cfg); out != "" {
		return Fact[string]{Value: out, From: cfg + " compilerOptions.outDir"}
	}
	return Fact[string]{Value: ".", From: cfg + " sets no outDir: tsc writes next to the sources"}
}

// tsconfigOutDir reads compilerOptions.outDir of a tsconfig (JSON with
// comments), following one `extends` to a file of the package.
func tsconfigOutDir(pkg *nodeproject.Package, name string) string {
	for range 4 {
		b, err := pkg.ReadFile(name)
		if err != nil || b == nil {
			return ""
		}
		std, err := hujson.Standardize(b)
		if err != nil {
			return ""
		}
		var cfg struct {
			Extends         string `json:"extends"`
			CompilerOptions struct {
				OutDir string `json:"outDir"`
			} `json:"compilerOptions"`
		}
		if json.Unmarshal(std, &cfg) != nil {
			return ""
		}
		if cfg.CompilerOptions.OutDir != "" {
			return path.Clean(path.Join(path.Dir(name), strings.TrimPrefix(cfg.CompilerOptions.OutDir, "./")))
		}
		if !strings.HasPrefix(cfg.Extends, ".") {
			return ""
		}
		name = path.Clean(path.Join(path.Dir(name), cfg.Extends))
		if !strings.HasSuffix(name, ".json") {
			name += ".json"
		}
	}
	return ""
}

// nextStandalone reports whether a next.config sets output: 'standalone'.
func nextStandalone(pkg *nodeproject.Package) bool {
	for _, name := range []string{"next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts", "next.config.mts"} {
		b, err := pkg.ReadFile(name)
		if err != nil || b == nil {
			continue
		}
		f := scanConfig(name, b)
		for _, p := range f.Props {
			if p.Key == "output" && p.Value.Value == "standalone" {
				return true
			}
		}
	}
	return false
}

// viteOutDir reads build.outDir of the vite config (a string literal),
// else vite's default, dist.
func viteOutDir(pkg *nodeproject.Package, argv []string) Fact[string] {
	if v, flag := flagValue(argv, "--outDir"); flag != "" {
		return Fact[string]{Value: v, From: "vite build --outDir"}
	}
	names := []string{"vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts", "vite.config.cjs"}
	if v, flag := flagValue(argv, "--config", "-c"); flag != "" {
		names = []string{v}
	}
	return configOutDir(pkg, "vite", "build.outDir", "dist", names...)
}

// dirnameJoin matches `path.resolve(__dirname, "dir")` and path.join.
var dirnameJoin = regexp.MustCompile(`^path\.(?:resolve|join)\(\s*__dirname\s*,\s*["'\x60]([^"'\x60]+)["'\x60]\s*\)$`)

// configOutDir reads the outDir (key, for messages) of a tool's config file (a string
// literal), else the tool's default.
func configOutDir(pkg *nodeproject.Package, tool, key, def string, names ...string) Fact[string] {
	for _, name := range names {
		b, err := pkg.ReadFile(name)
		if err != nil || b == nil {
			continue
		}
		for _, p := range scanConfig(name, b).Props {
			if p.Key != "outDir" {
				continue
			}
			v := p.Value.Value
			if p.Value.Kind != jsscan.ArgString {
				// path.resolve(__dirname, "public")
				m := dirnameJoin.FindStringSubmatch(p.Value.Text)
				if m == nil {
					continue
				}
				v = m[1]
			}
			return Fact[string]{Value: path.Clean(path.Join(path.Dir(name), strings.TrimPrefix(v, "./"))), From: name + " sets " + key}
		}
	}
	return Fact[string]{Value: def, From: tool + " writes " + def}
}

// readStaticSite tells a single-page app with no server: a vite or
// create-react-app build, no server framework among the dependencies.
func (s *Shape) readStaticSite(pkg *nodeproject.Package) {
	if s.Build == nil || s.Framework != nil || (s.Build.Tool != "vite" && s.Build.Tool != "react-scripts") {
		return
	}
	for _, n := range serverFrameworks {
		if HasRuntimeDep(pkg, n) {
			return
		}
	}
	s.StaticSite = &Fact[string]{Value: s.Build.OutDir.Value,
		From: s.Build.Tool + " builds " + s.Build.OutDir.Value + " and no server framework is a dependency: a static site, served by nginx (unprivileged) rather than a preview server"}
	s.Start = Fact[[]string]{From: "a static site has no start command: nginx serves " + s.Build.OutDir.Value}
	// What readStart said about the start script (`vite preview`) no
	// longer applies.
	notes := s.Notes[:0]
	for _, n := range s.Notes {
		if !strings.HasPrefix(n, "scripts.start") {
			notes = append(notes, n)
		}
	}
	s.Notes = notes
	s.Port = Fact[int]{Value: StaticSitePort, From: "the unprivileged nginx image listens on 8080"}
	s.Health = Fact[string]{Value: "/", From: "the site's index page"}
}

// StaticSitePort is the port the unprivileged nginx image listens on.
const StaticSitePort = 8080

// bunOutDir reads where `bun build` writes: --outdir, else the directory
// of --outfile, else ./ (bun prints the bundle to stdout without either:
// dist is assumed).
func bunOutDir(argv []string) Fact[string] {
	for i, a := range argv {
		for _, flag := range []string{"--outdir", "--outfile"} {
			v, ok := strings.CutPrefix(a, flag+"=")
			if !ok && a == flag && i+1 < len(argv) {
				v, ok = argv[i+1], true
			}
			if !ok {
				continue
			}
			if flag == "--outfile" {
				v = path.Dir(v)
			}
			return Fact[string]{Value: path.Clean(v), From: "bun build " + flag}
		}
	}
	return Fact[string]{Value: "dist", From: "bun build names no --outdir: dist assumed"}
}
