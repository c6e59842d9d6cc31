package nodeapp

import (
	"path"
	"strings"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file finds the sources that only tests load: test helpers kept
// beside the app (`src/fixtures.ts` imported by `src/**/__tests__/*`).

// entryStems are file names apps start from: a file of these names counts
// as loaded by the running app even when only tests import it.
var entryStems = map[string]bool{
	"index": true, "main": true, "server": true, "app": true, "start": true,
	"worker": true, "cli": true, "bin": true, "instrument": true, "instrumentation": true,
}

// aliasRoots are where a path alias (`@/x`, `~/x`, `src/x`) commonly
// points, tried in order when a test's import goes through one.
var aliasRoots = []string{"src/", "", "app/", "lib/", "server/"}

// TestOnlyFiles are the sources (package-relative slash paths) that only
// tests, stories and tool configurations load: imported, directly or
// through other such files, from a file of DevSources, and from nothing
// the app itself may load.
//
// The app may load, of the sources outside tooling directories
// (scripts/, tools/, …): a source no source imports, unless tests import
// it (then it is a test helper — but not when a source of the app loads
// a computed path, which may be that file); a file with an entry point's
// name (index, main, server, app, …); a file package.json's scripts
// name. It also loads the file package.json's main or start script names,
// wherever it is, and everything all these import. Path aliases of the app
// (`@/x`) are matched by their path's tail, so an aliased import never
// goes unseen.
func TestOnlyFiles(pkg *nodeproject.Package) map[string]bool {
	return loadsOf(pkg).testOnly
}

// DevOnlyFiles are the sources (package-relative slash paths) the app
// loads only outside production: every path to them from what the app
// may load (see TestOnlyFiles) goes through a require or import() under
// `if (process.env.NODE_ENV !== 'production' …)` (jsscan's DevOnly).
// Sources only tests load are not among them.
func DevOnlyFiles(pkg *nodeproject.Package) map[string]bool {
	return loadsOf(pkg).devOnly
}

// loads are the sources the running app does not load.
type loads struct {
	testOnly, devOnly map[string]bool
}

func loadsOf(pkg *nodeproject.Package) *loads {
	return loadsKey.Get(pkg.Memo(), func() *loads {
		out := &loads{}
		src := SourcesOf(pkg)
		if len(src.Files) == 0 {
			return out
		}
		g := newImportGraph(pkg, src.Files)
		// What tests load.
		var fromTests []string
		for _, d := range devImports(pkg) {
			for _, spec := range d.specs {
				fromTests = append(fromTests, g.resolve(d.rel, spec, false)...)
			}
		}
		testLoaded := map[string]bool{}
		for _, r := range fromTests {
			testLoaded[r] = true
		}
		// What the app may load.
		named, started := namedByManifest(pkg)
		// A load of a computed path (`require(path.join(dir, f))`) may
		// load any file no source imports.
		computed := false
		for _, f := range src.Files {
			computed = computed || f.Runtime && f.ComputedLoad > 0
		}
		var roots []string
		for _, f := range src.Files {
			stem := stemOf(f.Rel)
			may := f.Runtime && (!g.imported[f.Rel] && (!testLoaded[f.Rel] || computed) || entryStems[path.Base(stem)] || named[stem] || named[tailOf(stem)])
			if may || started[stem] || started[tailOf(stem)] {
				roots = append(roots, f.Rel)
			}
		}
		app := g.reach(roots, g.edges)
		inProduction := g.reach(roots, g.prodEdges)
		out.testOnly, out.devOnly = map[string]bool{}, map[string]bool{}
		for r := range g.reach(fromTests, g.edges) {
			if !app[r] {
				out.testOnly[r] = true
			}
		}
		for r := range app {
			if !inProduction[r] {
				out.devOnly[r] = true
			}
		}
		return out
	})
}

var loadsKey = memo.NewKey[*loads]("sources the running app does not load")

// devImport is the module specifiers one dev source imports.
type devImport struct {
	rel   string
	specs []string
}

// devImports reads the imports of the package's tests and tool files.
func devImports(pkg *nodeproject.Package) []devImport {
	files := pkg.DevSources()
	out := make([]devImport, len(files))
	pkg.ReadDevSources(func(i int, f nodeproject.SourceFile, src []byte, err error) {
		out[i].rel = f.Rel
		if src == nil {
			return
		}
		var o jsscan.Options
		o.SetLanguage(f.Rel)
		for _, im := range jsscan.Scan(src, o).Imports {
			out[i].specs = append(out[i].specs, im.Spec)
		}
	})
	return out
}

// importGraph is which sources import which.
type importGraph struct {
	pkg *nodeproject.Package
	// byStem maps a source's path without extension to its path; byBase
	// a base name without extension to those paths without extension.
	byStem map[string][]string
	byBase map[string][]string
	// edges are the sources each source imports, prodEdges those it
	// imports also in production (not under a NODE_ENV check); imported
	// is set for a source some other source imports.
	edges, prodEdges map[string][]string
	imported         map[string]bool
}

func newImportGraph(pkg *nodeproject.Package, files []*SourceFile) *importGraph {
	g := &importGraph{pkg: pkg, byStem: map[string][]string{}, byBase: map[string][]string{}, edges: map[string][]string{}, prodEdges: map[string][]string{}, imported: map[string]bool{}}
	for _, f := range files {
		s := stemOf(f.Rel)
		if len(g.byStem[s]) == 0 {
			g.byBase[path.Base(s)] = append(g.byBase[path.Base(s)], s)
		}
		g.byStem[s] = append(g.byStem[s], f.Rel)
	}
	for _, f := range files {
		for _, im := range f.Imports {
			for _, to := range g.resolve(f.Rel, im.Spec, true) {
				if to == f.Rel {
					continue
				}
				g.edges[f.Rel] = append(g.edges[f.Rel], to)
				if !im.DevOnly {
					g.prodEdges[f.Rel] = append(g.prodEdges[f.Rel], to)
				}
				g.imported[to] = true
			}
		}
	}
	return g
}

// resolve maps an import of a file to the sources it may load. A path
// alias is matched against the sources by its path's tail when loose
// (the app's imports: a wrong match only keeps a file counted as the
// app's), and only under the usual alias roots otherwise.
func (g *importGraph) resolve(from, spec string, loose bool) []string {
	name, kind := jsscan.PackageName(spec)
	switch {
	case kind == jsscan.SpecBuiltin:
		return nil
	case kind == jsscan.SpecLocal:
		if !strings.HasPrefix(spec, ".") {
			return g.alias(spec, loose) // `#internal`, `/abs`
		}
		return g.lookup(path.Join(path.Dir(from), spec))
	case kind == jsscan.SpecPackage && (HasDep(g.pkg, name) || name == g.pkg.Manifest.Name):
		return nil
	}
	return g.alias(spec, loose)
}

// alias resolves a path alias: `@/fixtures`, `~/lib/db`, `src/x`.
func (g *importGraph) alias(spec string, loose bool) []string {
	_, rest, ok := strings.Cut(strings.TrimLeft(spec, "#/"), "/")
	if !ok || rest == "" {
		rest = strings.TrimLeft(spec, "#/@~")
	}
	if rest == "" {
		return nil
	}
	var out []string
	for _, root := range aliasRoots {
		out = append(out, g.lookup(root+rest)...)
	}
	if !loose {
		return out
	}
	tail := "/" + stemOf(rest)
	for _, s := range g.byBase[path.Base(tail)] {
		if strings.HasSuffix("/"+s, tail) {
			out = append(out, g.byStem[s]...)
		}
	}
	for _, s := range g.byBase["index"] {
		if strings.HasSuffix("/"+s, tail+"/index") {
			out = append(out, g.byStem[s]...)
		}
	}
	return out
}

// lookup finds the sources a path without resolution names: `x`,
// `x.js` (for x.ts), `x/index`.
func (g *importGraph) lookup(p string) []string {
	p = path.Clean(p)
	if strings.HasPrefix(p, "../") || p == ".." {
		return nil
	}
	s := stemOf(p)
	out := append([]string(nil), g.byStem[s]...)
	out = append(out, g.byStem[p]...)
	return append(out, g.byStem[p+"/index"]...)
}

// reach is every source reachable from the roots along the edges.
func (g *importGraph) reach(roots []string, edges map[string][]string) map[string]bool {
	seen := map[string]bool{}
	stack := append([]string(nil), roots...)
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[r] {
			continue
		}
		seen[r] = true
		stack = append(stack, edges[r]...)
	}
	return seen
}

// namedByManifest are the paths (without extension, and without their
// first directory: `dist/server` gives `server` too) package.json's main
// and scripts name; started those main and the start script name.
func namedByManifest(pkg *nodeproject.Package) (named, started map[string]bool) {
	named, started = map[string]bool{}, map[string]bool{}
	out := started
	add := func(w string) {
		w = strings.Trim(w, `"'`)
		w = path.Clean(strings.TrimPrefix(w, "./"))
		if !strings.Contains(w, "/") && path.Ext(w) == "" {
			return // a command or a word, not a file
		}
		out[stemOf(w)] = true
		out[tailOf(stemOf(w))] = true
	}
	add(pkg.Manifest.Main)
	for _, w := range strings.Fields(pkg.Manifest.Scripts["start"]) {
		add(w)
	}
	out = named
	for _, s := range pkg.Manifest.Scripts {
		for _, w := range strings.Fields(s) {
			add(w)
		}
	}
	return named, started
}

// stemOf is a path without its JavaScript/TypeScript extension.
func stemOf(p string) string {
	switch path.Ext(p) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx":
		return strings.TrimSuffix(p, path.Ext(p))
	}
	return p
}

// tailOf is a path without its first directory.
func tailOf(p string) string {
	_, rest, ok := strings.Cut(p, "/")
	if !ok {
		return p
	}
	return rest
}
