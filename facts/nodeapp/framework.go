package nodeapp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads full-stack frameworks that build their own Node server:
// Nuxt, SvelteKit with adapter-node, Astro with @astrojs/node in
// standalone mode, Angular SSR, Remix and React Router. Each writes a server to a
// directory of its own and takes its host and port from HOST and PORT.

// Framework is a full-stack framework's server build.
type Framework struct {
	// Name is nuxt, sveltekit, astro, angular, remix or react-router.
	Name string
	// Output is the package-relative directory the build writes and the
	// runtime runs from.
	Output string
	// SelfContained is set when the output holds its own node_modules
	// (Nuxt's .output): the runtime needs neither node_modules nor
	// package.json.
	SelfContained bool
	// PortOnly is set when the server reads PORT but no HOST (it listens
	// on every interface).
	PortOnly bool
	// Why says how the framework was told and what it reads.
	Why string
}

// frameworkDefaultPorts are the ports the frameworks listen on when PORT
// is unset.
var frameworkDefaultPorts = map[string]int{"angular": 4000, "nuxt": 3000, "sveltekit": 3000, "astro": 4321, "remix": 3000, "react-router": 3000}

// readFramework tells a framework server build from the dependencies and
// the framework's config; it sets the build output and the start command.
func (s *Shape) readFramework(pkg *nodeproject.Package) {
	if s.Build == nil {
		return
	}
	var f *Framework
	var start []string
	switch {
	case hasAnyDep(pkg, "nuxt"):
		f = &Framework{Name: "nuxt", Output: ".output", SelfContained: true,
			Why: "nuxt is a dependency: nuxt build writes a self-contained server to .output (its own node_modules included); Nitro reads HOST and PORT"}
		start = []string{"node", ".output/server/index.mjs"}
	case hasAnyDep(pkg, "@sveltejs/kit") && hasAnyDep(pkg, "@sveltejs/adapter-node") && configMentions(pkg, "@sveltejs/adapter-node", "svelte.config.js", "svelte.config.mjs", "svelte.config.ts"):
		f = &Framework{Name: "sveltekit", Output: "build",
			Why: "svelte.config uses @sveltejs/adapter-node: vite build writes the server to build; it reads HOST and PORT (and ORIGIN, which compose should set to the public URL)"}
		start = []string{"node", "build/index.js"}
	case hasAnyDep(pkg, "astro") && hasAnyDep(pkg, "@astrojs/node") && astroStandalone(pkg):
		f = &Framework{Name: "astro", Output: "dist",
			Why: "astro.config uses @astrojs/node with mode 'standalone': astro build writes the server to dist/server/entry.mjs; it reads HOST and PORT"}
		start = []string{"node", "dist/server/entry.mjs"}
	case hasAnyDep(pkg, "@angular/ssr"):
		out, ok := angularOutput(pkg)
		if !ok {
			return
		}
		f = &Framework{Name: "angular", Output: out, PortOnly: true,
			Why: "@angular/ssr is a dependency: ng build writes the browser and server bundles to " + out + " (angular.json); the server reads PORT and listens on every interface"}
		start = []string{"node", out + "/server/server.mjs"}
	case hasAnyDep(pkg, "@react-router/serve"):
		f = &Framework{Name: "react-router", Output: "build",
			Why: "@react-router/serve is a dependency: react-router build writes build/server and build/client; react-router-serve reads HOST and PORT"}
		start = serveCommand(pkg, "react-router-serve", "node_modules/@react-router/serve/bin.cjs")
	case hasAnyDep(pkg, "@remix-run/serve"):
		f = &Framework{Name: "remix", Output: "build",
			Why: "@remix-run/serve is a dependency: the Remix build writes build; remix-serve reads HOST and PORT"}
		start = serveCommand(pkg, "remix-serve", "node_modules/@remix-run/serve/dist/cli.js")
	default:
		return
	}
	s.Framework = f
	s.Build.Tool = f.Name
	s.Build.OutDir = Fact[string]{Value: f.Output, From: f.Name + " builds its server into " + f.Output}
	s.Start = Fact[[]string]{Value: start, From: f.Name + " runs " + strings.Join(start[1:], " ")}
	// What readStart said about the start script (`nuxt start`) no
	// longer applies.
	notes := s.Notes[:0]
	for _, n := range s.Notes {
		if !strings.HasPrefix(n, "scripts.start") {
			notes = append(notes, n)
		}
	}
	s.Notes = notes
}

// hasAnyDep reports whether any dependency field names the package.
func hasAnyDep(pkg *nodeproject.Package, name string) bool {
	_, dev := pkg.Manifest.DevDependencies[name]
	return dev || HasRuntimeDep(pkg, name)
}

// configMentions reports whether the first of the config files that
// exists contains text.
func configMentions(pkg *nodeproject.Package, text string, names ...string) bool {
	for _, n := range names {
		if b, err := pkg.ReadFile(n); err == nil && b != nil {
			return bytes.Contains(b, []byte(text))
		}
	}
	return false
}

// astroStandalone reports whether the Astro config sets the node
// adapter's mode to 'standalone'.
func astroStandalone(pkg *nodeproject.Package) bool {
	for _, name := range []string{"astro.config.mjs", "astro.config.ts", "astro.config.js", "astro.config.mts"} {
		b, err := pkg.ReadFile(name)
		if err != nil || b == nil {
			continue
		}
		for _, p := range scanConfig(name, b).Props {
			if p.Key == "mode" && p.Value.Value == "standalone" {
				return true
			}
		}
		return false
	}
	return false
}

// serveCommand is the start script's server build run by the serve
// package's own script, with node: `remix-serve ./build/server/index.js`
// → node node_modules/@remix-run/serve/dist/cli.js build/server/index.js.
func serveCommand(pkg *nodeproject.Package, bin, script string) []string {
	entry := "build/server/index.js"
	for _, name := range []string{"start:prod", "start"} {
		for _, argv := range ScriptCommands(pkg.Manifest.Scripts[name]) {
			if command.BaseName(argv[0]) == bin && len(argv) > 1 {
				entry = path.Clean(argv[len(argv)-1])
			}
		}
	}
	return []string{"node", script, entry}
}

// frameworkPort is the framework's default port, when nothing else
// named one.
func (s *Shape) frameworkPort() {
	if s.Build != nil && s.Build.Tool == "next" && s.Framework == nil {
		// Next.js listens on PORT, 3000 by default.
		if s.PortUnsure {
			s.PortUnsure = false
			s.Port = Fact[int]{Value: 3000, From: "Next.js listens on PORT, 3000 unless it is set"}
		}
		return
	}
	if s.Framework == nil || !strings.HasPrefix(s.Port.From, "no port") {
		return
	}
	p := frameworkDefaultPorts[s.Framework.Name]
	s.PortUnsure = false
	s.Port = Fact[int]{Value: p, From: fmt.Sprintf("%s listens on %d unless PORT says otherwise: the image sets PORT", s.Framework.Name, p)}
}

// angularOutput reads the build output directory of the first project in
// angular.json that builds with the application builder and has a server
// entry: options.outputPath, a string or {base}, else dist/<project>.
func angularOutput(pkg *nodeproject.Package) (string, bool) {
	b, err := pkg.ReadFile("angular.json")
	if err != nil || b == nil {
		return "", false
	}
	var cfg struct {
		Projects map[string]struct {
			Architect struct {
				Build struct {
					Options struct {
						OutputPath json.RawMessage `json:"outputPath"`
						Server     string          `json:"server"`
						SSR        json.RawMessage `json:"ssr"`
					} `json:"options"`
				} `json:"build"`
			} `json:"architect"`
		} `json:"projects"`
	}
	if json.Unmarshal(b, &cfg) != nil {
		return "", false
	}
	names := make([]string, 0, len(cfg.Projects))
	for n := range cfg.Projects {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		o := cfg.Projects[n].Architect.Build.Options
		if o.Server == "" && len(o.SSR) == 0 {
			continue
		}
		out := "dist/" + n
		var str string
		var obj struct {
			Base string `json:"base"`
		}
		switch {
		case json.Unmarshal(o.OutputPath, &str) == nil && str != "":
			out = str
		case json.Unmarshal(o.OutputPath, &obj) == nil && obj.Base != "":
			out = obj.Base
		}
		return path.Clean(strings.TrimPrefix(out, "./")), true
	}
	return "", false
}
