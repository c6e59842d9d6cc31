package project

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Build is one Dockerfile with the build context it is built from.
type Build struct {
	// DockerfilePath is the Dockerfile's path as shown to the user.
	DockerfilePath string
	// ContextDir is the build context directory.
	ContextDir string
	// ContextSource says why ContextDir is the context.
	ContextSource ContextSource
	// Root is the directory checked that holds the build (the project
	// root); empty when a Dockerfile was named on its own outside a
	// repository.
	Root string
	// Target is the stage the project builds (empty: the last): the
	// one a compose file's service builds, else the one every build
	// command of the project names (`docker build --target release`, a
	// workflow step's `target:`).
	Target string
	// Targets are the stages the project's build commands build when
	// they name several and none builds the last stage (Target is empty
	// then): the images the project ships.
	Targets []string
	// ShipsTarget is set when Target comes from the project's build
	// commands, which all build it: the last stage, which nothing builds,
	// is not the image the project ships. (A compose file's target is
	// one service's; other builds may still build the last stage.)
	ShipsTarget bool
	// NamedContexts are the named build contexts the project's build
	// commands give the Dockerfile (`--build-context api=./packages/api`,
	// build-push-action's `build-contexts:`), by name: those of the
	// commands that build from ContextDir, the first command's value for
	// a name.
	NamedContexts []NamedContext
	// IgnorePath is the .dockerignore in force ("" when none):
	// <Dockerfile>.dockerignore beside the Dockerfile wins over the
	// context's .dockerignore, as in BuildKit.
	IgnorePath string
	Ignore     *dockerignore.File
	// IgnoreError says why the ignore file at IgnorePath cannot be used
	// (Ignore is nil then): it cannot be read, or Docker rejects a
	// pattern.
	IgnoreError *dockerignore.Error
	// Package is the Node package the Dockerfile builds (nil when none).
	Package *nodeproject.Package
	// PackageError says why the package.json of the package cannot be
	// used (Package is nil then): it cannot be read or is not JSON.
	PackageError *nodeproject.FileError
	// PackageSource says why the package was chosen; empty for the nearest
	// package.json from the Dockerfile's directory up to the context.
	PackageSource string
	// Dockerfile is the parsed Dockerfile, set by whoever parses it (the
	// checker) before rules read the build.
	Dockerfile *dockerfile.File
}

// InputKind names the kind of rule input a Build is (see analysis.Input).
func (*Build) InputKind() string { return "build context" }

// Project is everything seaworthy checks under one root.
type Project struct {
	Root string
	// Builds are the Dockerfiles found by name or named by a build command
	// of the project, each with the context the project builds it from
	// (FromDockerfileDir when nothing says).
	Builds []*Build
	// ComposeFiles are the compose files found, sorted.
	ComposeFiles []string
	// ComposeRuns are the commands that pass two or more compose files
	// together (`docker compose -f a.yml -f b.yml`).
	ComposeRuns []ComposeRun
	// Skipped are the named pipes, sockets and devices found under a
	// Dockerfile's or a compose file's name: not read, not checked.
	Skipped []regular.Skipped

	// packages caches Node packages by directory, so Dockerfiles of one
	// package share its parsed manifest and scanned sources (or its
	// error); workspaces caches workspace members by root directory;
	// ignores caches ignore files by path, so builds that share one share
	// what is derived from it.
	packages   map[string]loaded
	workspaces map[string][]Member
	ignores    map[string]loadedIgnore
	// mu guards the caches: the methods may be called concurrently.
	mu sync.Mutex
}

// Discover walks root once and assembles builds (each Dockerfile with its
// context, ignore file and package) and compose files. A build's context
// is the one the project's own build commands use (CI workflows,
// Makefiles, package.json scripts, shell scripts; one that pushes the
// image first, then the strongest kind, then the first by path and line),
// else the Dockerfile's directory; compose
// files are applied by the caller, which loads them.
func Discover(root string) (*Project, error) {
	p := &Project{Root: root, packages: map[string]loaded{}, workspaces: map[string][]Member{}, ignores: map[string]loadedIgnore{}}
	t, err := scanTree(root)
	if err != nil {
		return nil, err
	}
	p.Skipped = t.skipped
	ev := readEvidence(root, t.evidence)
	p.ComposeRuns = ev.compose
	p.ComposeFiles = t.compose
	byDockerfile := map[string]Invocation{}
	named := map[string][]Invocation{}      // every build of a Dockerfile, strongest kind first
	targets := map[string]map[string]bool{} // by Dockerfile; "$" for a target no one can tell
	dockerfiles := t.dockerfiles
	for _, inv := range ev.builds {
		key := absPath(inv.Dockerfile)
		named[key] = append(named[key], inv)
		if targets[key] == nil {
			targets[key] = map[string]bool{}
		}
		if inv.TargetKnown {
			targets[key][inv.Target] = true
		} else {
			targets[key]["$"] = true
		}
		if prev, ok := byDockerfile[key]; ok && (prev.Source.Publishes || !inv.Source.Publishes) {
			continue // a stronger or earlier one decides, a build that pushes the image first
		}
		byDockerfile[key] = inv
		if !containsPath(dockerfiles, key) && Within(key, ev.rootAbs) {
			dockerfiles = append(dockerfiles, inv.Dockerfile) // named by a build command only
		}
	}
	for _, df := range dockerfiles {
		ctx, src := filepath.Dir(df), ContextSource{Kind: FromDockerfileDir}
		if inv, ok := byDockerfile[absPath(df)]; ok {
			ctx, src = inv.ContextDir, inv.Source
		}
		b, err := p.NewBuild(df, ctx)
		if err != nil {
			return nil, err
		}
		b.ContextSource = src
		b.NamedContexts = namedContexts(named[absPath(df)], ctx)
		shipped := shippedTargets(targets[absPath(df)])
		if len(shipped) == 1 {
			b.Target = shipped[0]
		} else {
			b.Targets = shipped
		}
		b.ShipsTarget = len(shipped) > 0
		p.Builds = append(p.Builds, b)
	}
	return p, nil
}

// namedContexts gathers the named contexts of the builds of one
// Dockerfile from ctx (one builds the prod target with api and app,
// another the all-in-one target with clickhouse too), sorted by name; of
// two values for a name, the first build's.
func namedContexts(invs []Invocation, ctx string) []NamedContext {
	seen := map[string]bool{}
	var out []NamedContext
	for _, inv := range invs {
		if !sameDir(inv.ContextDir, ctx) {
			continue
		}
		for _, n := range inv.Named {
			if key := strings.ToLower(n.Name); !seen[key] {
				seen[key] = true
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// shippedTargets are the target stages the build commands of a Dockerfile
// name (`--target release` in one, `--target nightly` in another), sorted;
// none when one of them builds the last stage or a variable names its
// target: only then are they the stages the project ships.
func shippedTargets(targets map[string]bool) []string {
	var out []string
	for t := range targets {
		if t == "" || t == "$" {
			return nil
		}
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func containsPath(paths []string, abs string) bool {
	for _, p := range paths {
		if absPath(p) == abs {
			return true
		}
	}
	return false
}

// NewBuild describes the build of dockerfile from contextDir; the Node
// package is the nearest package.json from the Dockerfile's directory up
// to the context (or to root, when given). An ignore file or package.json
// that cannot be used is noted in the build (IgnoreError, PackageError),
// not returned: the error is only for what the build cannot do without.
func NewBuild(dockerfile, contextDir, root string) (*Build, error) {
	return newBuild(dockerfile, contextDir, root, nil, nil)
}

// NewBuild is NewBuild for a Dockerfile of the project (root: the
// project root), sharing the project's parsed packages and ignore files.
func (p *Project) NewBuild(dockerfile, contextDir string) (*Build, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return newBuild(dockerfile, contextDir, p.Root, p.packages, p.ignores)
}

func newBuild(dockerfile, contextDir, root string, packages map[string]loaded, ignores map[string]loadedIgnore) (*Build, error) {
	b := &Build{DockerfilePath: dockerfile, ContextDir: contextDir, ContextSource: ContextSource{Kind: FromGiven}, Root: root}
	if sameDir(contextDir, filepath.Dir(dockerfile)) {
		b.ContextSource.Kind = FromDockerfileDir
	}
	if err := b.loadIgnore(ignores); err != nil {
		return nil, err
	}
	stop := contextDir
	if root != "" {
		stop = root
	}
	for dir := filepath.Dir(dockerfile); ; dir = filepath.Dir(dir) {
		pkg, err := loadPackage(dir, packages)
		var fe *nodeproject.FileError
		if errors.As(err, &fe) {
			b.PackageError = fe // the nearest package.json, unusable
			break
		}
		if err != nil {
			return nil, err
		}
		if pkg != nil {
			b.Package = pkg
			break
		}
		if sameDir(dir, stop) || sameDir(dir, contextDir) || filepath.Dir(dir) == dir {
			break
		}
	}
	return b, nil
}

// loadedIgnore is an ignore file as read: the file, or why it cannot be
// used, or neither when there is none.
type loadedIgnore struct {
	file *dockerignore.File
	err  error
}

// loadIgnore finds the ignore file in force: <Dockerfile>.dockerignore,
// else <context>/.dockerignore. cache, when not nil, keeps what was read
// by path.
func (b *Build) loadIgnore(cache map[string]loadedIgnore) error {
	b.IgnorePath, b.Ignore, b.IgnoreError = "", nil, nil
	for _, cand := range []string{b.DockerfilePath + ".dockerignore", filepath.Join(b.ContextDir, ".dockerignore")} {
		key := absPath(cand)
		l, ok := cache[key]
		if !ok {
			l.file, l.err = dockerignore.Read(cand)
			if cache != nil {
				cache[key] = l
			}
		}
		var ie *dockerignore.Error
		if errors.As(l.err, &ie) {
			b.IgnorePath, b.IgnoreError = cand, ie
			return nil
		}
		if l.err != nil {
			return l.err
		}
		if l.file != nil {
			b.IgnorePath, b.Ignore = cand, l.file
			return nil
		}
	}
	return nil
}

// SetContext moves a build to another context: the ignore file and the
// package are looked up again (see NewBuild).
func SetContext(b *Build, dir string, src ContextSource, root string) error {
	return setContext(b, dir, src, root, nil, nil)
}

// SetContext is SetContext with the project's root and caches.
func (p *Project) SetContext(b *Build, dir string, src ContextSource) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return setContext(b, dir, src, p.Root, p.packages, p.ignores)
}

func setContext(b *Build, dir string, src ContextSource, root string, packages map[string]loaded, ignores map[string]loadedIgnore) error {
	nb, err := newBuild(b.DockerfilePath, dir, root, packages, ignores)
	if err != nil {
		return err
	}
	b.ContextDir, b.ContextSource, b.Root = nb.ContextDir, src, nb.Root
	b.IgnorePath, b.Ignore, b.IgnoreError = nb.IgnorePath, nb.Ignore, nb.IgnoreError
	b.Package, b.PackageError, b.PackageSource = nb.Package, nb.PackageError, ""
	return nil
}

// SetPackage makes the package in dir the one the build builds; why says
// what chose it. A directory without a package.json changes nothing; an
// unusable package.json is noted in PackageError.
func SetPackage(b *Build, dir, why string) error {
	return setPackage(b, dir, why, nil)
}

// SetPackage is SetPackage with the project's package cache.
func (p *Project) SetPackage(b *Build, dir, why string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return setPackage(b, dir, why, p.packages)
}

func setPackage(b *Build, dir, why string, packages map[string]loaded) error {
	pkg, err := loadPackage(dir, packages)
	var fe *nodeproject.FileError
	switch {
	case errors.As(err, &fe):
		b.Package, b.PackageError, b.PackageSource = nil, fe, why
		return nil
	case err != nil || pkg == nil:
		return err
	}
	b.Package, b.PackageError, b.PackageSource = pkg, nil, why
	return nil
}

func sameDir(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// FindComposeFiles returns the compose files below root (see
// IsComposeFileName), sorted.
func FindComposeFiles(root string) ([]string, error) {
	out, err := findFiles(root, IsComposeFileName, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	return out, nil
}

// loaded is a package as loaded, or why it could not be.
type loaded struct {
	pkg *nodeproject.Package
	err error
}

// loadPackage loads the package in dir, through the cache when there is
// one: builds of one package share its parsed manifest, or its error.
func loadPackage(dir string, cache map[string]loaded) (*nodeproject.Package, error) {
	if cache == nil {
		return nodeproject.Load(dir)
	}
	key, err := filepath.Abs(dir)
	if err != nil {
		key = dir
	}
	if l, ok := cache[key]; ok {
		return l.pkg, l.err
	}
	pkg, err := nodeproject.Load(dir)
	cache[key] = loaded{pkg, err}
	return pkg, err
}
