package ap

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// healthLibraries serve health endpoints whose paths are not in the app's
// sources.
var healthLibraries = []string{
	"express-actuator", "fastify-healthcheck", "@fastify/under-pressure", "under-pressure", "lightship",
	"express-status-monitor", "hapi-alive", "@cloudnative/health-connect", "@cloudnative/health",
	"express-healthcheck", "express-health-check", "koa-healthcheck", "@nestjs/terminus",
	"@godaddy/terminus", "healthcheck-middleware", "@hono/node-health",
}

// HealthcheckPathUnknown reports a HEALTHCHECK URL path that no route of
// the app mentions.
var HealthcheckPathUnknown = register(&analysis.Rule{
	ID:       "AP009",
	Name:     "healthcheck-path-unknown",
	Title:    "the healthcheck calls a path the app does not seem to serve",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A HEALTHCHECK that requests a path the app does not serve gets a 404 every time: the " +
			"container is marked unhealthy forever, orchestrators that act on health restart it or " +
			"never send it traffic, and `depends_on: condition: service_healthy` waits until it times " +
			"out. It usually comes from a renamed route (`/health` vs `/healthz`) or a prefix " +
			"(`/api/health`).\n\n" +
			"The rule takes the path of the http(s) URL in the final stage's HEALTHCHECK and looks for it " +
			"among the string literals of the app's sources, also as a concatenation of route pieces " +
			"(`app.use('/api', router)` + `router.get('/health')`; `:id`-style parameters match any " +
			"segment) and among file names (file-based routing: `pages/api/health.ts`). To avoid false " +
			"alarms it stays silent unless the sources themselves start the server, hold at least one " +
			"route-like literal starting with `/` (a template literal counts only when it looks like a path, " +
			"not a log message such as `listening on ${HOST}:${PORT}`), and use no library that serves health endpoints " +
			"itself (lightship, express-actuator, fastify-healthcheck, @godaddy/terminus, …). Compose " +
			"healthchecks are not read.",
		Bad:  "# the app serves app.get('/health', …)\nFROM node:22-alpine\nHEALTHCHECK --start-period=10s CMD wget -qO- http://localhost:3000/healthz || exit 1\nUSER node\n",
		Good: "FROM node:22-alpine\nHEALTHCHECK --start-period=10s CMD wget -qO- http://localhost:3000/health || exit 1\nUSER node\n",
		Fix: "Point the HEALTHCHECK at a route the app serves, or add a cheap health route " +
			"(`app.get('/health', (req, res) => res.send('ok'))`).",
		AppliesTo: "Health checks matter where an orchestrator acts on them, and development and test images rarely " +
			"have one; DF018 still checks in every file that a HEALTHCHECK can run.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		f := b.Dockerfile
		if pkg == nil || f == nil {
			return
		}
		for _, lib := range healthLibraries {
			if nodeapp.HasDep(pkg, lib) {
				return
			}
		}
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range purpose.Deployed(f) {
			hc := stage.LastInChain(st, "HEALTHCHECK")
			if hc == nil || seen[hc] {
				continue
			}
			seen[hc] = true
			urlPath, ok := healthcheckPath(f, hc)
			if !ok {
				continue
			}
			src := nodeapp.SourcesOf(pkg)
			if len(nodeapp.ServerStarts(pkg, src)) == 0 {
				return
			}
			routes := nodeapp.Routes(src)
			if len(routes) == 0 || nodeapp.RouteKnown(urlPath, routes, src) {
				continue
			}
			msg := fmt.Sprintf("the HEALTHCHECK requests %s, but no route in the app's sources mentions that path: the check would get a 404 and the container stay unhealthy", quote(urlPath))
			help := "point the HEALTHCHECK at a route the app serves, or add one"
			if near := nearestRoute(urlPath, routes); near != "" {
				help = fmt.Sprintf("did you mean %s? point the HEALTHCHECK at a route the app serves", quote(near))
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, hc),
				Message: msg,
				Help:    help,
			})
		}
	}),
})

var urlPattern = regexp.MustCompile(`https?://[^\s'"\x60()<>|;&]+`)

// healthcheckPath returns the URL path an HTTP HEALTHCHECK requests
// (without query), ok=false for NONE, non-HTTP checks, variable paths,
// the root path and static files.
func healthcheckPath(f *dockerfile.File, hc *dockerfile.Instruction) (string, bool) {
	var text strings.Builder
	for n := hc.StartLine; n <= hc.EndLine; n++ {
		text.WriteString(f.Line(n))
		text.WriteByte(' ')
	}
	u := urlPattern.FindString(text.String())
	if u == "" {
		return "", false
	}
	rest := u[strings.Index(u, "://")+3:]
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return "", false
	}
	p := rest[i:]
	if j := strings.IndexAny(p, "?#"); j >= 0 {
		p = p[:j]
	}
	p = strings.TrimRight(p, `\,`)
	p = strings.TrimSuffix(p, "/")
	if p == "" || strings.ContainsAny(p, "${}") || strings.Contains(path.Base(p), ".") {
		return "", false
	}
	return p, true
}

// nearestRoute suggests the route literal closest to the path (edit
// distance at most a third of the path), "" when none is close.
func nearestRoute(p string, routes []string) string {
	best, bestD := "", len(p)/3+1
	for _, r := range routes {
		if d := editDistance(strings.ToLower(p), strings.ToLower(r)); d < bestD {
			best, bestD = r, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
