package ap

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// ListensOnLoopback reports a server bound to a loopback address.
var ListensOnLoopback = register(&analysis.Rule{
	ID:       "AP004",
	Name:     "listens-on-loopback",
	Title:    "the server listens on a loopback address",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Inside a container, `localhost` is the container itself. A server bound to `127.0.0.1`, " +
			"`localhost` or `::1` accepts no connection from outside it: published ports, other " +
			"containers and the orchestrator's health probes all get \"connection refused\", although " +
			"the app works when run on a laptop.\n\n" +
			"The rule reads the host argument of `.listen(port, host)`, the `host` of an options object " +
			"(`fastify.listen({ port, host })`, `Hapi.server({ host })`, `serve({ hostname })`), and " +
			"variables holding it in the same file, including env fallbacks such as " +
			"`process.env.HOST || 'localhost'` (silent when the Dockerfile sets that variable). " +
			"Port probes are left out: a server closed in its listen callback or right next to its " +
			"listen (`srv.listen(0, '127.0.0.1', () => srv.close())`, get-port-like helpers).\n\n" +
			"Fastify listens on localhost when no host is given: `fastify.listen({ port })` and the old " +
			"`fastify.listen(3000)` in a file that loads fastify (and no other server framework) are reported too.",
		ExampleFile: "server.js",
		Bad:         "app.listen(3000, 'localhost')\n",
		Good:        "app.listen(3000, '0.0.0.0')\n",
		Fix: "Listen on all interfaces: `app.listen(port, '0.0.0.0')` (or `'::'` for IPv6 too), or leave " +
			"the host out where the server then listens on every interface (Node's http, Express, Koa; not " +
			"Fastify, whose default is localhost: give it `host: '0.0.0.0'`). Keep a loopback default for local " +
			"runs only behind an environment variable the image sets (`ENV HOST=0.0.0.0`).",
		AppliesTo: "A server on loopback cannot be reached from outside its container, in development (the classic " +
			"\"it works but the browser cannot connect\") as much as in production.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		if pkg == nil {
			return
		}
		stages := stage.FinalNode(b.Dockerfile)
		if len(stages) == 0 {
			return
		}
		for _, f := range nodeapp.SourcesOf(pkg).RuntimeFiles() {
			for _, c := range f.Listens {
				if nodeapp.PortProbe(f, c) {
					continue // a free-port check, not the app's server
				}
				if fastifyDefaultHost(f, c) {
					pass.Report(analysis.Finding{
						File:  f.Path,
						Range: lineRange(c.Line),
						Message: fmt.Sprintf("%s names no host, and Fastify then listens on localhost: nothing outside the container can connect to it",
							quote(nodeapp.CallText(c))),
						Help: "pass `host: '0.0.0.0'` (all interfaces) to `listen`",
					})
				} else if host, ok := listenHost(c); ok {
					checkHost(pass, stages, f, c, host)
				}
			}
			for _, c := range f.Calls {
				var key string
				switch {
				case (c.Name() == "server" || c.Name() == "Server") && f.Loads("@hapi/hapi", "hapi"):
					key = "host"
				case c.Name() == "serve" && len(c.Callee) == 1 && f.Loads("@hono/node-server"):
					key = "hostname"
				default:
					continue
				}
				if len(c.Args) > 0 && c.Args[0].Kind == jsscan.ArgObject {
					if p, ok := c.Args[0].Prop(key); ok {
						checkHost(pass, stages, f, c, p.Value)
					}
				}
			}
		}
	}),
})

// listenHost returns the host argument of a `.listen(` call: the second
// argument after a port, or the `host` of an options object.
func listenHost(c jsscan.Call) (jsscan.Arg, bool) {
	if len(c.Args) == 0 {
		return jsscan.Arg{}, false
	}
	if c.Args[0].Kind == jsscan.ArgObject {
		p, ok := c.Args[0].Prop("host")
		return p.Value, ok
	}
	if len(c.Args) >= 2 {
		return c.Args[1], true
	}
	return jsscan.Arg{}, false
}

func checkHost(pass *analysis.Pass, stages []*dockerfile.Stage, f *nodeapp.SourceFile, c jsscan.Call, host jsscan.Arg) {
	lit, envVar, ok := loopbackHost(f, host, c.Line, 0)
	if !ok {
		return
	}
	if envVar != "" {
		for _, st := range stages {
			if v, set := stage.EnvBefore(st, envVar, 0); set && !nodeapp.IsLoopback(v) {
				return // the image sets the variable the fallback is for
			}
		}
	}
	msg := fmt.Sprintf("%s listens on %q, a loopback address: nothing outside the container can connect to it", quote(nodeapp.CallText(c)), lit)
	if host.Kind != jsscan.ArgString {
		msg = fmt.Sprintf("%s listens on %s, which is %q (a loopback address) in the container: nothing outside it can connect",
			quote(nodeapp.CallText(c)), quote(host.Text), lit)
	}
	help := "listen on '0.0.0.0' (all interfaces), or leave the host out"
	if envVar != "" {
		help = fmt.Sprintf("default to '0.0.0.0', or set `ENV %s=0.0.0.0` in the Dockerfile", envVar)
	}
	pass.Report(analysis.Finding{
		File:    f.Path,
		Range:   lineRange(c.Line),
		Message: msg,
		Help:    help,
	})
}

// loopbackHost decides whether a host expression is a loopback address:
// a literal, an env fallback (`process.env.HOST || 'localhost'`, whose
// variable it returns), or a name declared in the file with such a value
// (`host`, `config.host`). Expressions mixing other literals (`isProd ?
// '0.0.0.0' : 'localhost'`) are not judged.
func loopbackHost(f *nodeapp.SourceFile, a jsscan.Arg, line, depth int) (lit, envVar string, ok bool) {
	if depth > 4 {
		return "", "", false
	}
	switch a.Kind {
	case jsscan.ArgString:
		return a.Value, "", nodeapp.IsLoopback(a.Value)
	case jsscan.ArgName:
		first, rest, _ := strings.Cut(a.Value, ".")
		v, isDefault, ok := resolveName(f, first, rest, line)
		if !ok {
			return "", "", false
		}
		lit, envVar, ok = loopbackHost(f, v, line, depth+1)
		if ok && isDefault && envVar == "" {
			// `const { HOST = 'localhost' } = process.env`
			envVar = first
		}
		return lit, envVar, ok
	case jsscan.ArgOther:
		if len(a.Strings) == 0 || !(strings.Contains(a.Text, "||") || strings.Contains(a.Text, "??")) {
			return "", "", false
		}
		for _, s := range a.Strings {
			if !nodeapp.IsLoopback(s) {
				return "", "", false
			}
		}
		if strings.Contains(a.Text, "?") && !strings.Contains(a.Text, "??") {
			return "", "", false // a conditional
		}
		if rest, found := strings.CutPrefix(a.Text, "process.env."); found {
			end := strings.IndexFunc(rest, func(r rune) bool {
				return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
			})
			if end > 0 {
				envVar = rest[:end]
			}
		}
		return a.Strings[len(a.Strings)-1], envVar, true
	}
	return "", "", false
}

// resolveName finds the value of name (and the property path rest) from
// the file's declarations: the last one before line, else the first.
func resolveName(f *nodeapp.SourceFile, name, rest string, line int) (v jsscan.Arg, isDefault, ok bool) {
	var found *jsscan.Assign
	for i := range f.Assigns {
		as := &f.Assigns[i]
		if as.Name != name {
			continue
		}
		if found == nil || as.Line <= line {
			found = as
		}
	}
	if found == nil {
		return jsscan.Arg{}, false, false
	}
	v = found.Value
	for rest != "" {
		var key string
		key, rest, _ = strings.Cut(rest, ".")
		p, has := v.Prop(key)
		if !has {
			return jsscan.Arg{}, false, false
		}
		v = p.Value
	}
	return v, found.Default, true
}

// fastifyDefaultHost reports a Fastify `.listen(` that names no host
// (`listen({ port })`, `listen(3000)`, `listen(port, callback)`), so
// Fastify binds to localhost. Only files that load fastify and no other
// server framework are judged; an options object built elsewhere, or
// with a spread, may hold a host.
func fastifyDefaultHost(f *nodeapp.SourceFile, c jsscan.Call) bool {
	if !f.Loads("fastify") || f.Loads("express", "koa", "@hapi/hapi", "hapi", "restify", "http", "https", "node:http", "node:https") {
		return false
	}
	if len(c.Args) == 0 {
		return false
	}
	switch a := c.Args[0]; a.Kind {
	case jsscan.ArgObject:
		if strings.Contains(a.Text, "...") {
			return false
		}
		_, hasPort := a.Prop("port")
		_, hasHost := a.Prop("host")
		return hasPort && !hasHost
	case jsscan.ArgNumber, jsscan.ArgName:
		// The old signature: listen(port[, host][, backlog][, cb]).
		if a.Kind == jsscan.ArgName && !strings.Contains(strings.ToLower(a.Value), "port") {
			return false // listen(options) built elsewhere
		}
		return len(c.Args) == 1 || c.Args[1].Kind == jsscan.ArgOther && strings.Contains(c.Args[1].Text, "=>") ||
			c.Args[1].Kind == jsscan.ArgOther && strings.HasPrefix(c.Args[1].Text, "function")
	}
	return false
}
