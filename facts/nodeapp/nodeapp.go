// Package nodeapp derives what a Node package's sources do: which
// packages each file loads, where the app starts servers, which strings
// and calls it holds. Sources are scanned once per package and shared by
// every rule that reads them.
package nodeapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// SourceFile is one scanned source file.
type SourceFile struct {
	nodeproject.SourceFile
	*jsscan.File
	// pkgs are the packages the file loads at run time (no type-only
	// imports), by name.
	pkgs map[string]bool
}

// Loads reports whether the file loads one of the packages (by name) at
// run time: type-only imports do not count.
func (f *SourceFile) Loads(names ...string) bool {
	for _, n := range names {
		if f.pkgs[n] {
			return true
		}
	}
	return false
}

// HasString reports whether the file holds the string literal.
func (f *SourceFile) HasString(s string) bool {
	for _, l := range f.Strings {
		if l.Value == s {
			return true
		}
	}
	return false
}

// Sources are the scanned sources of a package.
type Sources struct {
	Files []*SourceFile
	// Problems say what could not be read (unreadable files and
	// directories, named pipes and devices under source names), one
	// message each.
	Problems []string
}

// scanOptions select what the AP rules need from each file.
var scanOptions = jsscan.Options{
	Calls: setOf(
		// Servers.
		"createServer", "createSecureServer", "server", "Server", "create", "serve",
		// Servers closed right after listening (port probes).
		"close",
		// HTTP GET routes: app.get('/health', …), app.use('/health', …),
		// hapi's server.route({…}), Nest's @Controller and @Get.
		"get", "use", "route", "Get", "Controller",
		// Logging to files.
		"File", "DailyRotateFile", "destination", "createWriteStream", "RotatingFileStream", "transport",
	),
	Props:  setOf("type", "path", "transport", "targets"),
	Idents: setOf("enableShutdownHooks"),
	// Declarations are only needed to resolve listen hosts.
	KeepAssign: IsLoopback,
	// Port declarations tell the port a generated Dockerfile exposes.
	KeepAssignName: portName,
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

// SourcesOf scans the package's sources once; later calls (from any rule)
// get the same result. What could not be read is in Problems.
func SourcesOf(pkg *nodeproject.Package) *Sources {
	return sourcesKey.Get(pkg.Memo(), func() *Sources {
		out := &Sources{}
		files, err := pkg.Sources()
		if err != nil {
			out.Problems = append(out.Problems, fmt.Sprintf("%s: sources not read: %v", pkg.Dir, err))
		}
		for _, s := range pkg.SkippedSources() {
			out.Problems = append(out.Problems, s.String())
		}
		if len(files) == 0 {
			return out
		}
		scanned := make([]*SourceFile, len(files))
		unread := make([]error, len(files))
		err = pkg.ReadSources(func(i int, f nodeproject.SourceFile, src []byte, err error) {
			if err != nil && !errors.Is(err, nodeproject.ErrTooLarge) {
				unread[i] = err
			}
			if src == nil {
				return
			}
			o := scanOptions
			o.SetLanguage(f.Rel)
			sf := &SourceFile{SourceFile: f, File: jsscan.Scan(src, o), pkgs: map[string]bool{}}
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
		if err != nil {
			out.Problems = append(out.Problems, fmt.Sprintf("%s: sources not read: %v", pkg.Dir, err))
		}
		for i, sf := range scanned {
			if sf != nil {
				out.Files = append(out.Files, sf)
			}
			if unread[i] != nil {
				out.Problems = append(out.Problems, fmt.Sprintf("%s: not read, rules that read the app's sources skip it: %v", files[i].Path, unread[i]))
			}
		}
		sort.Slice(out.Files, func(i, j int) bool { return out.Files[i].Rel < out.Files[j].Rel })
		return out
	})
}

var sourcesKey = memo.NewKey[*Sources]("scanned sources")

// SourceProblems returns what could not be read of the package's sources,
// if some rule has read them (it never scans them itself).
func SourceProblems(pkg *nodeproject.Package) []string {
	if pkg == nil {
		return nil
	}
	s, ok := sourcesKey.Peek(pkg.Memo())
	if !ok || s == nil {
		return nil
	}
	return s.Problems
}

// RuntimeFiles are the sources that belong to the running application.
func (s *Sources) RuntimeFiles() []*SourceFile {
	var out []*SourceFile
	for _, f := range s.Files {
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

// ServerStart is a place where the app starts a server.
type ServerStart struct {
	File *SourceFile
	Line int
	// what is the call as written, for messages: `app.listen(…)`.
	What string
	// listen is set for `.listen(` calls (the moment the server binds).
	Listen bool
}

// ServerStarts finds where the runtime sources start a server: `.listen(`
// in a file that loads http/https/http2 or a server framework (or in a
// package that depends on one), `http.createServer(`, `Hapi.server(`,
// `NestFactory.create(`, and `serve(` of @hono/node-server. Sites are in
// file order.
func ServerStarts(pkg *nodeproject.Package, s *Sources) []ServerStart {
	dependsOnFramework := false
	for _, n := range serverFrameworks {
		if HasDep(pkg, n) {
			dependsOnFramework = true
			break
		}
	}
	var out []ServerStart
	for _, f := range s.RuntimeFiles() {
		httpFile := f.Loads(httpModules...)
		frameworkFile := f.Loads(serverFrameworks...)
		for _, c := range f.Listens {
			if httpFile || frameworkFile || dependsOnFramework {
				out = append(out, ServerStart{File: f, Line: c.Line, What: CallText(c), Listen: true})
			}
		}
		for _, c := range f.Calls {
			ok := false
			switch c.Name() {
			case "createServer", "createSecureServer":
				ok = httpFile && (len(c.Callee) == 1 || len(c.Callee) == 2 && !strings.HasSuffix(c.Callee[0], ")") && !strings.EqualFold(c.Callee[0], "net"))
			case "server", "Server":
				ok = f.Loads("@hapi/hapi", "hapi") && len(c.Callee) == 2
			case "create":
				ok = len(c.Callee) == 2 && c.Callee[0] == "NestFactory"
			case "serve":
				ok = len(c.Callee) == 1 && f.Loads("@hono/node-server")
			}
			if ok {
				out = append(out, ServerStart{File: f, Line: c.Line, What: CallText(c)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File.Rel != out[j].File.Rel {
			return out[i].File.Rel < out[j].File.Rel
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// CallText renders a call for messages: `app.listen(…)`, `new Koa(…)`.
func CallText(c jsscan.Call) string {
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

// HasDep reports whether package.json lists the package in any
// dependency group.
func HasDep(pkg *nodeproject.Package, name string) bool {
	m := pkg.Manifest
	_, a := m.Dependencies[name]
	_, b := m.DevDependencies[name]
	_, c := m.OptionalDependencies[name]
	_, d := m.PeerDependencies[name]
	return a || b || c || d
}

// HasRuntimeDep reports whether the package is in dependencies,
// optionalDependencies or peerDependencies.
func HasRuntimeDep(pkg *nodeproject.Package, name string) bool {
	m := pkg.Manifest
	_, a := m.Dependencies[name]
	_, c := m.OptionalDependencies[name]
	_, d := m.PeerDependencies[name]
	return a || c || d
}

// FirstListen is the first `.listen(` of the starts, else the first start.
func FirstListen(starts []ServerStart) ServerStart {
	for _, s := range starts {
		if s.Listen {
			return s
		}
	}
	return starts[0]
}

// IsLoopback reports whether a host names the loopback interface
// (localhost, 127.x.y.z, ::1): a server bound to it is unreachable from
// outside its container.
func IsLoopback(h string) bool {
	h = strings.ToLower(strings.TrimSpace(h))
	switch h {
	case "localhost", "::1", "[::1]", "ip6-localhost", "0:0:0:0:0:0:0:1":
		return true
	}
	return strings.HasPrefix(h, "127.") && strings.Count(h, ".") == 3
}

// probeWindow is how many lines apart a probe's listen and close may be.
const probeWindow = 12

// PortProbe reports whether a `.listen(` call only probes a port: its
// server is closed in the listen callback (`srv.listen(0, '127.0.0.1', ()
// => srv.close())`) or next to the listen, in the same function (a
// get-port-like helper that closes on 'listening'). A close inside a
// signal handler registered between the two is a graceful shutdown, not
// a probe. Servers made with the `net` module are closed farther away
// too.
func PortProbe(f *SourceFile, c jsscan.Call) bool {
	if len(c.Callee) < 2 {
		return false
	}
	recv := c.Callee[:len(c.Callee)-1]
	for _, a := range c.Args[min(1, len(c.Args)):] {
		if a.Kind == jsscan.ArgOther && (strings.Contains(a.Text, "=>") || strings.Contains(a.Text, "function")) &&
			strings.Contains(a.Text, strings.Join(recv, ".")+".close(") {
			return true
		}
	}
	window := probeWindow
	if netServer(f, recv, c.Line) {
		window *= 3
	}
	for _, cl := range f.Calls {
		if cl.Name() != "close" || len(cl.Callee) != len(c.Callee) || !sameNames(cl.Callee[:len(recv)], recv) {
			continue
		}
		lo, hi := min(c.Line, cl.Line), max(c.Line, cl.Line)
		if hi-lo > window || shutdownBetween(f, lo, hi) {
			continue
		}
		return true
	}
	return false
}

// netServer reports whether the receiver looks made by the `net` module:
// the file loads net (and no HTTP module) and calls `net.createServer(`
// or `new net.Server(` before the listen.
func netServer(f *SourceFile, recv []string, line int) bool {
	if !f.Loads("net", "node:net") || f.Loads(httpModules...) {
		return false
	}
	for _, cl := range f.Calls {
		if cl.Line <= line && len(cl.Callee) == 2 && cl.Callee[0] == "net" &&
			(cl.Name() == "createServer" || cl.Name() == "Server") {
			return true
		}
	}
	return false
}

// shutdownBetween reports whether a signal handler or an exit hook is
// registered on lines lo..hi.
func shutdownBetween(f *SourceFile, lo, hi int) bool {
	for _, s := range f.Signals {
		if s.Line >= lo && s.Line <= hi {
			return true
		}
	}
	return false
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// PrismaSeedFiles are the source files (package-relative slash paths)
// that package.json's `prisma.seed` command runs: `tsx prisma/seed.ts`.
func PrismaSeedFiles(pkg *nodeproject.Package) map[string]bool {
	var m struct {
		Prisma struct {
			Seed string `json:"seed"`
		} `json:"prisma"`
	}
	if json.Unmarshal(pkg.Source, &m) != nil && m.Prisma.Seed == "" {
		return nil
	}
	out := map[string]bool{}
	for _, w := range strings.Fields(m.Prisma.Seed) {
		w = strings.Trim(w, `"'`)
		if nodeproject.IsSourceFile(path.Base(w)) || strings.HasSuffix(w, ".ts") || strings.HasSuffix(w, ".js") {
			out[path.Clean(strings.TrimPrefix(w, "./"))] = true
		}
	}
	return out
}
