package nodeapp

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

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
	// PortUnsure is set when no listen of the app names the port.
	PortUnsure bool
	// Sources are the top-level files and directories the app runs from
	// when there is no build (src, index.js), or, with a build, those it
	// runs from outside the build output (bin, index.js, public).
	Sources []string
	// StartOutsideOutput is set when the start file is outside a build output that
	// is only assumed: what the image needs to start is unknown.
	StartOutsideOutput bool
	// InstallScripts are the lifecycle scripts an install runs.
	InstallScripts []InstallScript
	// NativeAddons are dependencies that compile with node-gyp.
	NativeAddons []string
	// Prisma is set when the app uses Prisma.
	Prisma *Prisma
	// Framework is set for a full-stack framework's server build (Nuxt,
	// SvelteKit, Astro, Remix, React Router).
	Framework *Framework
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
	// DatastoreCandidates are datastores only client dependencies point
	// to, left out because they point to several databases.
	DatastoreCandidates []DatastoreNeed
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
	// More are further directories it writes (a client bundle beside
	// the server build).
	More []Fact[string]
	// Assumed is set when no tool names OutDir (dist is assumed).
	Assumed bool
}

// InstallScript is a lifecycle script an install runs.
type InstallScript struct {
	Name, Command string
	// Needs are the package-relative files it reads, which must be in
	// place before the install.
	Needs []string
	// NeedsDev is set when it runs a devDependency (prisma, husky).
	NeedsDev bool
	// NeedsSources is set when it runs a package script (`npm run
	// build`), whose inputs cannot be listed.
	NeedsSources bool
	// RunsBuild is set when all it does is run the build script.
	RunsBuild bool
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
	if !s.ZeroDeps && s.Toolchain.Lockfile == "" {
		s.Notes = append(s.Notes, fmt.Sprintf("no lockfile: the image installs whatever versions resolve that day; run `%s install` and commit the lockfile, then run init again for a lockfile-enforcing install", s.Toolchain.Manager))
	}
	src := SourcesOf(pkg)
	s.readBuild(pkg)
	s.readStart(pkg)
	s.readFramework(pkg)
	s.readPrisma(pkg)
	s.readInstallScripts(pkg)
	s.readPort(pkg, src)
	s.frameworkPort()
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
	// A dependency may be listed in both (optionalDependencies override).
	sort.Strings(s.NativeAddons)
	s.NativeAddons = slices.Compact(s.NativeAddons)
	s.readStaticSite(pkg)
	if s.Build == nil {
		s.readSources(pkg, src)
	} else {
		s.readRuntimeBeside(pkg)
	}
	return s, nil
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

// scanConfig scans a JavaScript or TypeScript config file for its
// `output:` property.
func scanConfig(name string, src []byte) *jsscan.File {
	o := jsscan.Options{Props: setOf("output", "outDir", "mode"), KeepString: func(string) bool { return false }}
	o.SetLanguage(name)
	return jsscan.Scan(src, o)
}
