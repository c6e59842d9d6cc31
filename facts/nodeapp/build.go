package nodeapp

import (
	"fmt"
	"path"
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
func (s *Shape) readBuild(pkg *nodeproject.Package) {
	script, ok := pkg.Manifest.Scripts["build"]
	if !ok {
		return
	}
	b := &BuildStep{Script: "build"}
	for _, argv := range ScriptCommands(script) {
		tool := command.BaseName(argv[0])
		if tool == "react-scripts" && len(argv) > 1 && argv[1] == "build" {
			b.Tool, b.OutDir = tool, Fact[string]{Value: "build", From: "react-scripts build writes build"}
			break
		}
		if tool == "bun" && len(argv) > 1 && argv[1] == "build" {
			b.Tool, b.OutDir = "bun build", bunOutDir(argv)
			break
		}
		switch tool {
		case "tsc", "nest", "next", "vite":
			b.Tool = tool
			switch tool {
			case "tsc":
				b.OutDir = tscOutDir(pkg, argv)
			case "nest":
				b.OutDir = Fact[string]{Value: "dist", From: "nest build writes dist"}
				if out := tsconfigOutDir(pkg, "tsconfig.build.json"); out != "" {
					b.OutDir = Fact[string]{Value: out, From: "tsconfig.build.json compilerOptions.outDir"}
				}
			case "next":
				b.OutDir = Fact[string]{Value: ".next", From: "next build writes .next"}
				if nextStandalone(pkg) {
					s.NextStandalone = true
					b.OutDir = Fact[string]{Value: ".next/standalone", From: "next.config sets output: 'standalone'"}
				}
			case "vite":
				b.OutDir = viteOutDir(pkg)
			}
		}
		if b.Tool != "" {
			break
		}
	}
	if b.OutDir.Value == "" {
		b.OutDir = Fact[string]{Value: "dist", From: fmt.Sprintf("the build script (%q) names no output directory: dist assumed", script)}
	}
	s.Build = b
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
		if jsonUnmarshal(std, &cfg) != nil {
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
func viteOutDir(pkg *nodeproject.Package) Fact[string] {
	for _, name := range []string{"vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts", "vite.config.cjs"} {
		b, err := pkg.ReadFile(name)
		if err != nil || b == nil {
			continue
		}
		for _, p := range scanConfig(name, b).Props {
			if p.Key == "outDir" && p.Value.Kind == jsscan.ArgString {
				return Fact[string]{Value: path.Clean(p.Value.Value), From: name + " sets build.outDir"}
			}
		}
	}
	return Fact[string]{Value: "dist", From: "vite build writes dist"}
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
