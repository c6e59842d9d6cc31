package nodeapp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads the app's environment example and the datastores it
// talks to.

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
	// specific are the kinds named by more than a client dependency: a
	// Prisma provider, a URL in the env example.
	specific := map[string]bool{}
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
			specific[kind] = true
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
			specific[kind] = true
			if _, seen := urlVars[kind]; !seen {
				urlVars[kind] = k
			}
		}
	}
	// Clients of several databases and nothing more specific: the app
	// supports several (an ORM's drivers, a monitor's probes), and which
	// one a deployment uses is its choice. None is written.
	var databases []string
	for _, kind := range order {
		if knowledge.IsDatabase(kind) && !specific[kind] {
			databases = append(databases, kind)
		}
	}
	if len(databases) > 1 {
		kept := order[:0]
		for _, kind := range order {
			if specific[kind] {
				kept = append(kept, kind)
				continue
			}
			s.DatastoreCandidates = append(s.DatastoreCandidates, *found[kind])
		}
		order = kept
		s.Notes = append(s.Notes, fmt.Sprintf("the dependencies hold clients of several databases (%s) and nothing says which one the app uses: compose.yaml gets none of them (name its URL in %s to get one)", strings.Join(databases, ", "), envExampleNames[0]))
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
