package nodeapp

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/tailscale/hujson"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads how a Node app is built, started and served, and what
// it needs around it: what a Dockerfile and compose file for it must say.
// Every conclusion carries where it came from.

// Shape is what a container build of a Node package needs to know.
type Shape struct {
	Toolchain Toolchain
	Node      NodeLine
	// Build is the build step; nil when package.json has no build script.
	Build *BuildStep
	// Start is the command that runs the app, as a direct `node …`.
	Start Fact[[]string]
	// Port is the port the app listens on; Health the path of its health
	// route ("" when it has none).
	Port   Fact[int]
	Health Fact[string]
	// Sources are the top-level files and directories the app runs from
	// when there is no build (src, index.js).
	Sources []string
	// InstallScripts are the lifecycle scripts an install runs.
	InstallScripts []InstallScript
	// NativeAddons are dependencies that compile with node-gyp.
	NativeAddons []string
	// Prisma is set when the app uses Prisma.
	Prisma *Prisma
	// NextStandalone is set for a Next.js app with output: 'standalone'.
	NextStandalone bool
	// StaticSite is set for a single-page app with no server of its own
	// (a vite or create-react-app build and no server dependency): its
	// build output is served by a static web server.
	StaticSite *Fact[string]
	// ZeroDeps is set when package.json declares no dependency at all.
	ZeroDeps bool
	// Npmrc is set when the project's .npmrc authenticates to a registry:
	// the install must get it as a build secret.
	Npmrc *Fact[string]
	// Datastores are the databases, caches and brokers the app talks to.
	Datastores []DatastoreNeed
	// EnvExample is the name of the example environment file, if any.
	EnvExample string
	// Workspace is set for a member of a workspace.
	Workspace *Workspace
	// Notes are things the user should know that change no output.
	Notes []string
}

// Fact is a detected value and where it came from.
type Fact[T any] struct {
	Value T
	From  string
}

// BuildStep is the project's build.
type BuildStep struct {
	Script string // the script name: build
	// Tool is what the build runs: tsc, nest, next, vite, or "".
	Tool string
	// OutDir is the package-relative directory it writes.
	OutDir Fact[string]
}

// InstallScript is a lifecycle script an install runs.
type InstallScript struct {
	Name, Command string
	// Needs are the package-relative files it reads, which must be in
	// place before the install.
	Needs []string
	// NeedsDev is set when it runs a devDependency (prisma, husky).
	NeedsDev bool
}

// Prisma is an app's Prisma setup.
type Prisma struct {
	Schema   string // package-relative path
	Provider string
}

// DatastoreNeed is a datastore the app talks to.
type DatastoreNeed struct {
	Kind string
	Why  string
	// URLVar is the variable the app reads its URL from.
	URLVar string
}

// lifecycleScripts run on install, in this order.
var lifecycleScripts = []string{"preinstall", "install", "postinstall", "prepare"}

// healthPaths are tried in this order.
var healthPaths = []string{"/health", "/healthz", "/api/health", "/readyz", "/ready", "/livez", "/status"}

// ShapeOf reads a package's shape on a day (for the Node line). The
// error is a workspace whose package globs cannot be read.
func ShapeOf(pkg *nodeproject.Package, day time.Time) (*Shape, error) {
	ws, err := WorkspaceOf(pkg)
	if err != nil {
		return nil, err
	}
	s := &Shape{Toolchain: ToolchainOf(pkg), Node: NodeLineOf(pkg, day), Workspace: ws}
	s.Notes = append(s.Notes, s.Node.Notes...)
	m := pkg.Manifest
	s.ZeroDeps = !pkg.HasDependencies()
	src := SourcesOf(pkg)
	s.readBuild(pkg)
	s.readStart(pkg)
	s.readPrisma(pkg)
	s.readInstallScripts(pkg)
	s.readPort(pkg, src)
	s.readHealth(src)
	s.readNpmrc(pkg.ReadFile)
	if s.Npmrc == nil && ws != nil {
		s.readNpmrc(func(name string) ([]byte, error) { return nodeproject.ReadOptional(filepath.Join(ws.Root, name)) })
		if s.Npmrc != nil {
			s.Npmrc.Value = path.Join(strings.Repeat("../", strings.Count(ws.Rel, "/")+1), ".npmrc")
		}
	}
	s.readDatastores(pkg)
	for name := range m.Dependencies {
		if knowledge.IsNativeAddon(name) {
			s.NativeAddons = append(s.NativeAddons, name)
		}
	}
	for name := range m.OptionalDependencies {
		if knowledge.IsNativeAddon(name) {
			s.NativeAddons = append(s.NativeAddons, name)
		}
	}
	sort.Strings(s.NativeAddons)
	s.readStaticSite(pkg)
	if s.Build == nil {
		s.readSources(pkg, src)
	} else if out := s.Build.OutDir.Value; s.StaticSite == nil && out != "." && !s.NextStandalone && s.Build.Tool != "next" && len(s.Start.Value) > 1 {
		if file := s.Start.Value[len(s.Start.Value)-1]; !strings.HasPrefix(file, out+"/") && !strings.HasPrefix(file, "node_modules/") {
			s.Notes = append(s.Notes, fmt.Sprintf("the start command runs %s, which is not in the build output %s: the runtime image holds only %s", file, out, out))
		}
	}
	return s, nil
}

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
	if s.Build == nil || (s.Build.Tool != "vite" && s.Build.Tool != "react-scripts") {
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

// readPrisma finds the Prisma schema and its provider.
func (s *Shape) readPrisma(pkg *nodeproject.Package) {
	if !HasDep(pkg, "prisma") && !HasDep(pkg, "@prisma/client") {
		return
	}
	p := &Prisma{Schema: "prisma/schema.prisma"}
	var cfg struct {
		Prisma struct {
			Schema string `json:"schema"`
		} `json:"prisma"`
	}
	if jsonUnmarshal(pkg.Source, &cfg) == nil && cfg.Prisma.Schema != "" {
		p.Schema = path.Clean(cfg.Prisma.Schema)
	}
	if b, err := pkg.ReadFile(p.Schema); err == nil && b != nil {
		p.Provider = prismaProvider(b)
	}
	s.Prisma = p
}

var providerLine = regexp.MustCompile(`^\s*provider\s*=\s*"([^"]+)"`)

// prismaProvider reads the provider of a schema's datasource block.
func prismaProvider(schema []byte) string {
	in := false
	for _, l := range strings.Split(string(schema), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "datasource ") && strings.HasSuffix(t, "{"):
			in = true
		case in && t == "}":
			in = false
		case in:
			if m := providerLine.FindStringSubmatch(t); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// readInstallScripts finds the lifecycle scripts an install runs and the
// files they need.
func (s *Shape) readInstallScripts(pkg *nodeproject.Package) {
	for _, name := range lifecycleScripts {
		script, ok := pkg.Manifest.Scripts[name]
		if !ok {
			continue
		}
		is := InstallScript{Name: name, Command: script}
		for _, argv := range ScriptCommands(script) {
			tool := command.BaseName(argv[0])
			if _, dev := pkg.Manifest.DevDependencies[tool]; dev {
				is.NeedsDev = true
			}
			switch tool {
			case "prisma":
				is.NeedsDev = is.NeedsDev || !HasRuntimeDep(pkg, "prisma")
				if s.Prisma != nil {
					is.Needs = append(is.Needs, path.Dir(s.Prisma.Schema))
				}
			case "husky", "lefthook", "simple-git-hooks":
				is.NeedsDev = true
			case "patch-package":
				is.Needs = append(is.Needs, "patches")
			}
			for _, a := range argv[1:] {
				a = path.Clean(strings.TrimPrefix(a, "./"))
				if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "..") && a != "." && pkg.Exists(a) {
					is.Needs = append(is.Needs, a)
				}
			}
		}
		sort.Strings(is.Needs)
		is.Needs = dedupe(is.Needs)
		s.InstallScripts = append(s.InstallScripts, is)
	}
}

// portNames are the declarations a port may be read from.
func portName(name string) bool {
	n := strings.ToLower(name)
	return n == "port" || n == "http_port" || n == "server_port" || n == "app_port" || n == "listen_port"
}

var numberLiteral = regexp.MustCompile(`\b\d{2,5}\b`)

// readPort finds the port: a number in the first `.listen(` (directly or
// through a port variable's declaration), else PORT in the env example,
// else the framework's default.
func (s *Shape) readPort(pkg *nodeproject.Package, src *Sources) {
	for _, st := range ServerStarts(pkg, src) {
		if !st.Listen {
			continue
		}
		for _, c := range st.File.Listens {
			if c.Line != st.Line || len(c.Args) == 0 {
				continue
			}
			arg := c.Args[0]
			if p, ok := portIn(arg.Text); ok {
				s.Port = Fact[int]{Value: p, From: fmt.Sprintf("%s:%d listens on `%s`", st.File.Rel, c.Line, arg.Text)}
				return
			}
			for _, a := range st.File.Assigns {
				if portName(a.Name) && (arg.Value == a.Name || strings.Contains(arg.Text, a.Name)) {
					if p, ok := portIn(a.Value.Text); ok {
						s.Port = Fact[int]{Value: p, From: fmt.Sprintf("%s:%d sets %s = %s", st.File.Rel, a.Line, a.Name, a.Value.Text)}
						return
					}
				}
			}
		}
	}
	if env, name := envExample(pkg); env != nil {
		if v, ok := env["PORT"]; ok {
			if p, err := strconv.Atoi(v); err == nil && p > 0 && p < 65536 {
				s.Port = Fact[int]{Value: p, From: name + " sets PORT=" + v}
				return
			}
		}
	}
	// Files that start servers without a literal port: a port variable
	// anywhere in the runtime sources.
	for _, f := range src.RuntimeFiles() {
		for _, a := range f.Assigns {
			if portName(a.Name) {
				if p, ok := portIn(a.Value.Text); ok {
					s.Port = Fact[int]{Value: p, From: fmt.Sprintf("%s:%d sets %s = %s", f.Rel, a.Line, a.Name, a.Value.Text)}
					return
				}
			}
		}
	}
	s.Port = Fact[int]{Value: 3000, From: "no port in the code or the env example: 3000 assumed (the app should read PORT)"}
}

// portIn finds a port number in an expression's text.
func portIn(text string) (int, bool) {
	for _, lit := range numberLiteral.FindAllString(text, -1) {
		if p, err := strconv.Atoi(lit); err == nil && p >= 80 && p < 65536 {
			return p, true
		}
	}
	return 0, false
}

// readHealth finds the app's health route among the usual paths.
func (s *Shape) readHealth(src *Sources) {
	routes := Routes(src)
	for _, p := range healthPaths {
		for _, r := range routes {
			if r == p {
				s.Health = Fact[string]{Value: p, From: "the sources define the route " + p}
				return
			}
		}
	}
	for _, p := range healthPaths[:2] {
		if RouteKnown(p, routes, src) {
			s.Health = Fact[string]{Value: p, From: "the sources' route pieces make " + p}
			return
		}
	}
	s.Health = Fact[string]{From: "no health route (/health, /healthz, /ready, …) in the sources: none is invented, the healthcheck only tests that the port accepts connections"}
}

// readNpmrc notes a project .npmrc that authenticates to a registry;
// Value is its path relative to the package.
func (s *Shape) readNpmrc(read func(string) ([]byte, error)) {
	b, err := read(".npmrc")
	if err != nil || b == nil {
		return
	}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";") {
			continue
		}
		if strings.Contains(l, "_authToken") || strings.Contains(l, "_auth") || strings.Contains(l, "_password") {
			s.Npmrc = &Fact[string]{Value: ".npmrc", From: ".npmrc authenticates to a registry (" + strings.TrimSpace(strings.SplitN(l, "=", 2)[0]) + ")"}
			return
		}
	}
}

// envExampleNames are read in this order.
var envExampleNames = []string{".env.example", ".env.sample", ".env.template", ".env.dist", "example.env"}

// envExample reads the example environment file.
func envExample(pkg *nodeproject.Package) (map[string]string, string) {
	for _, name := range envExampleNames {
		b, err := pkg.ReadFile(name)
		if err != nil || b == nil {
			continue
		}
		env, err := dotenv.UnmarshalBytesWithLookup(b, func(string) (string, bool) { return "", false })
		if err != nil {
			continue
		}
		return env, name
	}
	return nil, ""
}

// readDatastores maps client dependencies, the Prisma provider and the
// env example's URLs to datastores.
func (s *Shape) readDatastores(pkg *nodeproject.Package) {
	found := map[string]*DatastoreNeed{}
	var order []string
	add := func(kind, why string) {
		if d, ok := found[kind]; ok {
			d.Why += "; " + why
			return
		}
		found[kind] = &DatastoreNeed{Kind: kind, Why: why}
		order = append(order, kind)
	}
	addClients := func(p *nodeproject.Package, of string) {
		deps := make([]string, 0, len(p.Manifest.Dependencies))
		for name := range p.Manifest.Dependencies {
			deps = append(deps, name)
		}
		sort.Strings(deps)
		for _, name := range deps {
			if kind, ok := knowledge.DatastoreOfClient(name); ok {
				add(kind, "dependency "+name+of)
			}
		}
	}
	addClients(pkg, "")
	if s.Workspace != nil {
		for _, l := range s.Workspace.Locals {
			addClients(l.Package, " of "+l.Name)
		}
	}
	if s.Prisma != nil {
		if kind, ok := knowledge.DatastoreOfPrismaProvider(s.Prisma.Provider); ok {
			add(kind, fmt.Sprintf("%s datasource provider %q", s.Prisma.Schema, s.Prisma.Provider))
		}
	}
	env, name := envExample(pkg)
	s.EnvExample = name
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	urlVars := map[string]string{}
	for _, k := range keys {
		scheme, _, ok := strings.Cut(env[k], "://")
		if !ok {
			continue
		}
		if kind, ok := knowledge.DatastoreOfScheme(strings.ToLower(scheme)); ok {
			add(kind, fmt.Sprintf("%s sets %s to a %s:// URL", name, k, scheme))
			if _, seen := urlVars[kind]; !seen {
				urlVars[kind] = k
			}
		}
	}
	for _, kind := range order {
		d := found[kind]
		svc, ok := knowledge.ServiceFor(kind)
		if !ok {
			continue
		}
		d.URLVar = svc.URLVar
		if v, ok := urlVars[kind]; ok {
			d.URLVar = v
		} else {
			for _, alt := range svc.URLVars {
				if _, ok := env[alt]; ok {
					d.URLVar = alt
					break
				}
			}
		}
		s.Datastores = append(s.Datastores, *d)
	}
	// Two datastores must not share one URL variable.
	seen := map[string]bool{}
	for i := range s.Datastores {
		d := &s.Datastores[i]
		if seen[d.URLVar] {
			svc, _ := knowledge.ServiceFor(d.Kind)
			d.URLVar = strings.ToUpper(svc.Service) + "_URL"
		}
		seen[d.URLVar] = true
	}
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
	sort.Strings(s.Sources)
}

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

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// jsonUnmarshal decodes JSON with the standard library.
func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// scanConfig scans a JavaScript or TypeScript config file for its
// `output:` property.
func scanConfig(name string, src []byte) *jsscan.File {
	o := jsscan.Options{Props: setOf("output", "outDir"), KeepString: func(string) bool { return false }}
	o.SetLanguage(name)
	return jsscan.Scan(src, o)
}
