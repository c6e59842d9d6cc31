package ap

import (
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/internal/memo"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file holds the facts several AP rules share: the scanned sources
// of the package (computed once per package and kept on it), the server
// start sites found in them, and what the Dockerfile's final stages run.

// srcFile is one scanned source file.
type srcFile struct {
	nodeproject.SourceFile
	*jsscan.File
	// pkgs are the packages the file loads at run time (no type-only
	// imports), by name.
	pkgs map[string]bool
}

// imports reports whether the file loads the package (by name).
func (f *srcFile) imports(names ...string) bool {
	for _, n := range names {
		if f.pkgs[n] {
			return true
		}
	}
	return false
}

// hasString reports whether the file holds the string literal.
func (f *srcFile) hasString(s string) bool {
	for _, l := range f.Strings {
		if l.Value == s {
			return true
		}
	}
	return false
}

// appSources are the scanned sources of a package.
type appSources struct {
	files []*srcFile
}

// scanOptions select what the AP rules need from each file.
var scanOptions = jsscan.Options{
	Calls: setOf(
		// Servers.
		"createServer", "createSecureServer", "server", "Server", "create", "serve",
		// Logging to files.
		"File", "DailyRotateFile", "destination", "createWriteStream", "RotatingFileStream", "transport",
	),
	Props:  setOf("type", "path", "transport", "targets"),
	Idents: setOf("enableShutdownHooks"),
	// Declarations are only needed to resolve listen hosts.
	KeepAssign: isLoopback,
	// Route-like and signal-like literals: no white space, not too long.
	KeepString: func(s string) bool {
		if s == "" || len(s) > 200 {
			return false
		}
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>':
				return false
			}
		}
		return true
	},
}

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// sourcesOf scans the package's sources once; later calls (from any AP
// rule) get the cached result. Unreadable trees give no files.
func sourcesOf(pkg *nodeproject.Package) *appSources {
	return sourcesKey.Get(pkg.Memo(), func() *appSources {
		files, err := pkg.Sources()
		out := &appSources{}
		if err != nil || len(files) == 0 {
			return out
		}
		scanned := make([]*srcFile, len(files))
		_ = pkg.ReadSources(func(i int, f nodeproject.SourceFile, src []byte) {
			if src == nil {
				return
			}
			o := scanOptions
			o.SetLanguage(f.Rel)
			sf := &srcFile{SourceFile: f, File: jsscan.Scan(src, o), pkgs: map[string]bool{}}
			for _, im := range sf.Imports {
				if im.TypeOnly {
					continue
				}
				if name, kind := jsscan.PackageName(im.Spec); kind == jsscan.SpecPackage || kind == jsscan.SpecBuiltin {
					sf.pkgs[name] = true
				}
			}
			scanned[i] = sf
		})
		for _, sf := range scanned {
			if sf != nil {
				out.files = append(out.files, sf)
			}
		}
		sort.Slice(out.files, func(i, j int) bool { return out.files[i].Rel < out.files[j].Rel })
		return out
	})
}

var sourcesKey = memo.NewKey[*appSources]("scanned sources")

// runtimeFiles are the sources that belong to the running application.
func (s *appSources) runtimeFiles() []*srcFile {
	var out []*srcFile
	for _, f := range s.files {
		if f.Runtime {
			out = append(out, f)
		}
	}
	return out
}

// serverFrameworks are packages whose apps start an HTTP server with
// `.listen(`.
var serverFrameworks = []string{
	"express", "fastify", "koa", "@hapi/hapi", "hapi", "@nestjs/core", "@nestjs/platform-express",
	"@nestjs/platform-fastify", "restify", "polka", "connect", "@feathersjs/express", "@feathersjs/koa",
	"socket.io", "ws", "apollo-server", "@apollo/server", "graphql-yoga", "hono", "@hono/node-server",
	"h3", "micro", "next", "sails", "loopback", "@loopback/core", "json-server", "elysia",
}

var httpModules = []string{"http", "https", "http2"}

// serverStart is a place where the app starts a server.
type serverStart struct {
	file *srcFile
	line int
	// what is the call as written, for messages: `app.listen(…)`.
	what string
	// listen is set for `.listen(` calls (the moment the server binds).
	listen bool
}

// serverStarts finds where the runtime sources start a server: `.listen(`
// in a file that loads http/https/http2 or a server framework (or in a
// package that depends on one), `http.createServer(`, `Hapi.server(`,
// `NestFactory.create(`, and `serve(` of @hono/node-server. Sites are in
// file order.
func serverStarts(pkg *nodeproject.Package, s *appSources) []serverStart {
	dependsOnFramework := false
	for _, n := range serverFrameworks {
		if hasDep(pkg, n) {
			dependsOnFramework = true
			break
		}
	}
	var out []serverStart
	for _, f := range s.runtimeFiles() {
		httpFile := f.imports(httpModules...)
		frameworkFile := f.imports(serverFrameworks...)
		for _, c := range f.Listens {
			if httpFile || frameworkFile || dependsOnFramework {
				out = append(out, serverStart{file: f, line: c.Line, what: callText(c), listen: true})
			}
		}
		for _, c := range f.Calls {
			ok := false
			switch c.Name() {
			case "createServer", "createSecureServer":
				ok = httpFile && (len(c.Callee) == 1 || len(c.Callee) == 2 && !strings.HasSuffix(c.Callee[0], ")") && !strings.EqualFold(c.Callee[0], "net"))
			case "server", "Server":
				ok = f.imports("@hapi/hapi", "hapi") && len(c.Callee) == 2
			case "create":
				ok = len(c.Callee) == 2 && c.Callee[0] == "NestFactory"
			case "serve":
				ok = len(c.Callee) == 1 && f.imports("@hono/node-server")
			}
			if ok {
				out = append(out, serverStart{file: f, line: c.Line, what: callText(c)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].file.Rel != out[j].file.Rel {
			return out[i].file.Rel < out[j].file.Rel
		}
		return out[i].line < out[j].line
	})
	return out
}

// callText renders a call for messages: `app.listen(…)`, `new Koa(…)`.
func callText(c jsscan.Call) string {
	callee := c.Callee
	if len(callee) > 0 && callee[0] == "()" {
		return "." + strings.Join(callee[1:], ".") + "(…)"
	}
	s := strings.ReplaceAll(strings.Join(callee, "."), "()", "(…)") + "(…)"
	if c.New {
		s = "new " + s
	}
	return s
}

// hasDep reports whether package.json lists the package in any
// dependency group.
func hasDep(pkg *nodeproject.Package, name string) bool {
	m := pkg.Manifest
	_, a := m.Dependencies[name]
	_, b := m.DevDependencies[name]
	_, c := m.OptionalDependencies[name]
	_, d := m.PeerDependencies[name]
	return a || b || c || d
}

// hasRuntimeDep reports whether the package is in dependencies,
// optionalDependencies or peerDependencies.
func hasRuntimeDep(pkg *nodeproject.Package, name string) bool {
	m := pkg.Manifest
	_, a := m.Dependencies[name]
	_, c := m.OptionalDependencies[name]
	_, d := m.PeerDependencies[name]
	return a || c || d
}

// firstListen is the first `.listen(` of the starts, else the first start.
func firstListen(starts []serverStart) serverStart {
	for _, s := range starts {
		if s.listen {
			return s
		}
	}
	return starts[0]
}

// --- Dockerfile side -------------------------------------------------

// finalNodeStages are the final stages that run Node (the app's image).
func finalNodeStages(f *dockerfile.File) []*dockerfile.Stage {
	if f == nil {
		return nil
	}
	var out []*dockerfile.Stage
	for _, st := range f.FinalStages() {
		if stage.IsNode(st) {
			out = append(out, st)
		}
	}
	return out
}

// deployedStages are the final Node stages that are not development
// environments: not a Dev Container, not a stage named dev/development/
// local, not a Dockerfile named for development (Dockerfile.dev,
// dev.Dockerfile, Dockerfile.development, Dockerfile-local).
func deployedStages(path string, f *dockerfile.File) []*dockerfile.Stage {
	var out []*dockerfile.Stage
	for _, st := range deployedFinalStages(path, f) {
		if stage.IsNode(st) {
			out = append(out, st)
		}
	}
	return out
}

// deployedFinalStages are the final stages that are not development
// environments, whatever they run.
func deployedFinalStages(path string, f *dockerfile.File) []*dockerfile.Stage {
	if f == nil || devDockerfileName(path) {
		return nil
	}
	var out []*dockerfile.Stage
	for _, st := range f.FinalStages() {
		if !stage.DevEnvironment(path, st) {
			out = append(out, st)
		}
	}
	return out
}

func devDockerfileName(p string) bool {
	name := strings.ToLower(filepath.Base(p))
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		switch part {
		case "dev", "develop", "development", "local", "debug", "devcontainer":
			return true
		}
	}
	return false
}

// lastInstruction returns the last instruction with the keyword in the
// stage's chain (the one in force), nil when none.
func lastInstruction(st *dockerfile.Stage, keyword string) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	for _, in := range st.ChainInstructions() {
		if in.Keyword == keyword {
			last = in
		}
	}
	return last
}

// stopSignal is the signal `docker stop` sends to the stage's
// containers: STOPSIGNAL, SIGTERM by default.
func stopSignal(st *dockerfile.Stage) string {
	in := lastInstruction(st, "STOPSIGNAL")
	if in == nil {
		return "SIGTERM"
	}
	args := in.Args()
	if len(args) == 0 || strings.Contains(args[0], "$") {
		return "SIGTERM"
	}
	s := strings.ToUpper(strings.TrimSpace(args[0]))
	if n, ok := signalNumbers[s]; ok {
		return n
	}
	if !strings.HasPrefix(s, "SIG") {
		s = "SIG" + s
	}
	return s
}

var signalNumbers = map[string]string{"1": "SIGHUP", "2": "SIGINT", "3": "SIGQUIT", "9": "SIGKILL", "10": "SIGUSR1", "12": "SIGUSR2", "15": "SIGTERM"}

// copiedContextPaths returns the build-context paths the stage's chain
// COPYs or ADDs (not --from), and whether it copies the whole context or
// copies from other stages or images (then what ships cannot be told).
func copiedContextPaths(st *dockerfile.Stage) (paths []string, all bool) {
	for _, in := range st.ChainInstructions() {
		var sd instructions.SourcesAndDest
		from := ""
		switch c := in.Command.(type) {
		case *instructions.CopyCommand:
			sd, from = c.SourcesAndDest, c.From
		case *instructions.AddCommand:
			sd = c.SourcesAndDest
		default:
			continue
		}
		if from != "" {
			return nil, true
		}
		for _, s := range sd.SourcePaths {
			p := path.Clean(strings.TrimPrefix(filepath.ToSlash(s), "/"))
			if p == "." || p == "*" || p == "" || strings.Contains(p, "$") {
				return nil, true
			}
			paths = append(paths, p)
		}
	}
	return paths, false
}

// shipped reports whether a file (slash path relative to the context) is
// under one of the copied paths.
func shipped(rel string, paths []string) bool {
	for _, p := range paths {
		if rel == p || strings.HasPrefix(rel, p+"/") {
			return true
		}
		// Globs: match the pattern against the file and its parents.
		if strings.ContainsAny(p, "*?[") {
			for cand := rel; cand != "." && cand != "/" && cand != ""; cand = path.Dir(cand) {
				if ok, _ := path.Match(p, cand); ok {
					return true
				}
			}
		}
	}
	return false
}

// --- Findings ----------------------------------------------------------

// lineRange is a whole-line range.
func lineRange(line int) analysis.Range {
	if line < 1 {
		line = 1
	}
	return analysis.LineRange(line, line)
}

// manifestLine is the line of a package.json key path, 1 when absent.
func manifestLine(pkg *nodeproject.Package, keys ...string) int {
	if l := pkg.KeyLine(keys...); l > 0 {
		return l
	}
	return 1
}

// relPath shows a path relative to the package for messages.
func relPath(pkg *nodeproject.Package, p string) string {
	if r, err := filepath.Rel(pkg.Dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}

// quote shortens and backquotes user text for messages.
func quote(s string) string {
	return "`" + analysis.Snippet(s, 80) + "`"
}
