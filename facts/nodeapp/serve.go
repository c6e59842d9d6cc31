package nodeapp

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads where an app serves: its port and health route.

// healthPaths are tried in this order.
var healthPaths = []string{"/health", "/healthz", "/api/health", "/readyz", "/ready", "/livez", "/status"}

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
