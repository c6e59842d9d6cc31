package nodeapp

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads where an app serves: its port and health route.

// healthPaths are tried in this order. /status is none: it is as often a
// status page (uptime-kuma) or an API resource as a health check.
var healthPaths = []string{"/health", "/healthz", "/api/health", "/readyz", "/ready", "/livez"}

// portNames are the declarations a port may be read from.
func portName(name string) bool {
	n := strings.ToLower(name)
	return n == "port" || n == "http_port" || n == "server_port" || n == "app_port" || n == "listen_port"
}

var numberLiteral = regexp.MustCompile(`\b\d{2,5}\b`)

// readPort finds the port: a number in a `.listen(` of the app's own
// sources (directly or through a port variable's declaration in the same
// file), else PORT in the env example, else the framework's default.
// Listens in tests, specs, examples and helper scripts do not count, nor
// ports below 1024 (another protocol's: identd's 113); a listen that
// reads PORT from the environment wins over others; listens on
// different ports with none reading PORT leave the port unsure.
func (s *Shape) readPort(pkg *nodeproject.Package, src *Sources) {
	type found struct {
		port int
		from string
		env  bool
	}
	var all []found
	serverFiles := map[*SourceFile]bool{}
	for _, st := range ServerStarts(pkg, src) {
		if !st.Listen || !appSource(st.File.Rel) {
			continue
		}
		serverFiles[st.File] = true
		for _, c := range st.File.Listens {
			if c.Line != st.Line || len(c.Args) == 0 {
				continue
			}
			arg := c.Args[0]
			if p, ok := portIn(arg.Text); ok {
				all = append(all, found{p, fmt.Sprintf("%s:%d listens on `%s`", st.File.Rel, c.Line, arg.Text), readsEnvPort(arg.Text)})
				continue
			}
			for _, a := range st.File.Assigns {
				if portName(a.Name) && (arg.Value == a.Name || strings.Contains(arg.Text, a.Name)) {
					if p, ok := portIn(a.Value.Text); ok {
						all = append(all, found{p, fmt.Sprintf("%s:%d sets %s = %s", st.File.Rel, a.Line, a.Name, a.Value.Text), readsEnvPort(a.Value.Text)})
						break
					}
				}
			}
		}
	}
	for _, f := range all {
		if f.env {
			s.Port = Fact[int]{Value: f.port, From: f.from}
			return
		}
	}
	if len(all) > 0 {
		var seen []string
		for _, f := range all {
			if f.port != all[0].port {
				for _, g := range all {
					seen = append(seen, g.from)
				}
				s.PortUnsure = true
				s.Port = Fact[int]{Value: 3000, From: fmt.Sprintf("the app listens on several ports (%s) and none reads PORT: unsure which serves HTTP, 3000 assumed (make the app read PORT)", strings.Join(seen, "; "))}
				return
			}
		}
		s.Port = Fact[int]{Value: all[0].port, From: all[0].from}
		return
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
	// in one of them.
	for _, f := range src.RuntimeFiles() {
		if !serverFiles[f] {
			continue
		}
		for _, a := range f.Assigns {
			if portName(a.Name) {
				if p, ok := portIn(a.Value.Text); ok {
					s.Port = Fact[int]{Value: p, From: fmt.Sprintf("%s:%d sets %s = %s", f.Rel, a.Line, a.Name, a.Value.Text)}
					return
				}
			}
		}
	}
	s.PortUnsure = true
	s.Port = Fact[int]{Value: 3000, From: "no port in the app's listen calls or the env example: 3000 assumed (the app should read PORT)"}
}

// readsEnvPort reports whether an expression reads the port from the
// environment: `process.env.PORT || 3000`, `env.PORT ?? 8080`.
func readsEnvPort(text string) bool {
	return strings.Contains(text, "env.PORT") || strings.Contains(text, "env['PORT']") || strings.Contains(text, `env["PORT"]`)
}

// nonAppDirs hold code that runs beside the app, not the app: tests,
// specs, examples, helper scripts, development tooling.
var nonAppDirs = map[string]bool{
	"test": true, "tests": true, "__tests__": true, "spec": true, "specs": true, "e2e": true,
	"example": true, "examples": true, "scripts": true, "script": true, "extra": true,
	"dev": true, "tools": true, "bench": true, "benchmark": true, "benchmarks": true,
	"fixtures": true, "mocks": true, "__mocks__": true, "cypress": true, "playwright": true,
}

// appSource reports whether a package-relative source path is the app's
// own code rather than a test, spec, example or script.
func appSource(rel string) bool {
	parts := strings.Split(strings.ToLower(rel), "/")
	for _, d := range parts[:len(parts)-1] {
		if nonAppDirs[d] {
			return false
		}
	}
	base := parts[len(parts)-1]
	return !strings.Contains(base, ".test.") && !strings.Contains(base, ".spec.") && !strings.Contains(base, ".e2e.")
}

// portIn finds a port number in an expression's text.
func portIn(text string) (int, bool) {
	for _, lit := range numberLiteral.FindAllString(text, -1) {
		if p, err := strconv.Atoi(lit); err == nil && p >= 1024 && p < 65536 {
			return p, true
		}
	}
	return 0, false
}

// readHealth finds the app's health route among the usual paths: a GET
// handler the app's sources register (`app.get('/health', …)`,
// `router.get`, `fastify.get`, Nest's `@Get('health')` in a
// `@Controller`), or, for a framework that routes by file (Next.js,
// Nuxt, SvelteKit, …), a route file of that name. A path that only
// appears as a string (a WebSocket event, a page) is no health route.
func (s *Shape) readHealth(src *Sources) {
	gets := GetRoutes(src)
	for _, p := range healthPaths {
		if where, ok := gets[p]; ok {
			s.Health = Fact[string]{Value: p, From: where + " handles GET " + p}
			return
		}
	}
	// A server file with no router (node:http, koa, connect, micro) that
	// holds the path as a whole literal compares the request's path to it
	// (`if (ctx.path === '/health')`).
	for _, f := range src.RuntimeFiles() {
		if !appSource(f.Rel) || !f.Loads(routerlessServers...) || f.Loads(routingFrameworks...) {
			continue
		}
		for _, p := range healthPaths {
			for _, l := range f.Strings {
				if l.Value == p && !l.Template {
					s.Health = Fact[string]{Value: p, From: fmt.Sprintf("%s:%d, a server file, matches requests to %s", f.Rel, l.Line, p)}
					return
				}
			}
		}
	}
	if s.Framework != nil || s.Build != nil && s.Build.Tool == "next" {
		files := map[string]string{}
		for _, f := range src.Files {
			if r := fileRoute(f.Rel); r != "" {
				files[r] = f.Rel
			}
		}
		for _, p := range healthPaths {
			if rel, ok := files[p]; ok {
				s.Health = Fact[string]{Value: p, From: "the route file " + rel + " serves " + p}
				return
			}
		}
	}
	s.Health = Fact[string]{From: "the app registers no GET handler for a health route (/health, /healthz, /ready, …): none is invented, the healthcheck only tests that the port accepts connections"}
}

// fileRoute is the URL path a file-routed framework serves a source file
// at: src/app/api/health/route.ts → /api/health, pages/healthz.js →
// /healthz, routes/health.ts → /health ("" for a file outside the route
// directories). Route groups ((group)) add no segment.
func fileRoute(rel string) string {
	rel = strings.TrimPrefix(rel, "src/")
	dir, rest, ok := strings.Cut(rel, "/")
	if !ok || dir != "app" && dir != "pages" && dir != "routes" && dir != "server" {
		return ""
	}
	if dir == "server" {
		// Nuxt: server/api/health.ts, server/routes/health.ts.
		if !strings.HasPrefix(rest, "api/") && !strings.HasPrefix(rest, "routes/") {
			return ""
		}
		rest = strings.TrimPrefix(rest, "routes/")
	}
	rest = strings.TrimSuffix(rest, path.Ext(rest))
	var segs []string
	for _, seg := range strings.Split(rest, "/") {
		if strings.HasPrefix(seg, "(") && strings.HasSuffix(seg, ")") {
			continue
		}
		segs = append(segs, seg)
	}
	if n := len(segs); n > 0 && (segs[n-1] == "route" || segs[n-1] == "index" || segs[n-1] == "+server" || segs[n-1] == "+page") {
		segs = segs[:n-1]
	}
	return "/" + strings.Join(segs, "/")
}

// routerlessServers serve requests without a method router: a handler
// compares the request's path itself.
var routerlessServers = []string{"http", "https", "http2", "node:http", "node:https", "koa", "connect", "micro"}

// routingFrameworks route by method and path (or carry other protocols'
// paths, socket.io): their handlers are found as registrations.
var routingFrameworks = []string{"express", "fastify", "@hapi/hapi", "hapi", "hono", "@hono/node-server", "restify", "polka",
	"@koa/router", "koa-router", "socket.io", "ws", "@nestjs/core", "@nestjs/common", "elysia", "h3"}

// GetRoutes are the paths the app's own sources register GET handlers
// for, each with where: `app.get('/health', …)` (any receiver, a literal
// path), and Nest's `@Get('x')` joined to its file's
// `@Controller('prefix')`.
func GetRoutes(src *Sources) map[string]string {
	out := map[string]string{}
	add := func(p string, f *SourceFile, line int, what string) {
		p = "/" + strings.Trim(p, "/")
		if _, ok := out[p]; !ok {
			out[p] = fmt.Sprintf("%s:%d (%s)", f.Rel, line, what)
		}
	}
	for _, f := range src.RuntimeFiles() {
		if !appSource(f.Rel) {
			continue
		}
		prefix := ""
		for _, c := range f.Calls {
			if len(c.Callee) == 1 && c.Callee[0] == "Controller" && len(c.Args) > 0 && c.Args[0].Kind == jsscan.ArgString {
				prefix = c.Args[0].Value
				break
			}
		}
		for _, c := range f.Calls {
			switch {
			case c.Name() == "get" && len(c.Callee) >= 2 && len(c.Args) >= 2 && c.Args[0].Kind == jsscan.ArgString && strings.HasPrefix(c.Args[0].Value, "/"):
				add(c.Args[0].Value, f, c.Line, CallText(c))
			case c.Name() == "use" && len(c.Callee) >= 2 && len(c.Args) >= 2 && c.Args[0].Kind == jsscan.ArgString && strings.HasPrefix(c.Args[0].Value, "/"):
				add(c.Args[0].Value, f, c.Line, CallText(c))
			case c.Name() == "route" && len(c.Callee) >= 2 && len(c.Args) == 1:
				// hapi: server.route({ method: 'GET', path: '/health', handler })
				m, okm := c.Args[0].Prop("method")
				p, okp := c.Args[0].Prop("path")
				if okm && okp && p.Value.Kind == jsscan.ArgString && (strings.EqualFold(m.Value.Value, "GET") || m.Value.Value == "*") {
					add(p.Value.Value, f, c.Line, CallText(c))
				}
			case len(c.Callee) == 1 && c.Callee[0] == "Get" && f.Loads("@nestjs/common"):
				p := prefix
				if len(c.Args) > 0 && c.Args[0].Kind == jsscan.ArgString {
					p = path.Join(prefix, c.Args[0].Value)
				} else if len(c.Args) > 0 {
					continue
				}
				add(p, f, c.Line, "@Get in @Controller('"+prefix+"')")
			}
		}
	}
	return out
}
