package project

import (
	"errors"
	"fmt"
	"path/filepath"

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
	// Target is the stage a compose file builds (empty: the last).
	Target string
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
	// PackageError says why the nearest package.json cannot be used
	// (Package is nil then): it cannot be read or is not JSON.
	PackageError *nodeproject.FileError
	// Dockerfile is the parsed Dockerfile, set by whoever parses it (the
	// checker) before rules read the build.
	Dockerfile *dockerfile.File
}

// InputKind names the kind of rule input a Build is (see analysis.Input).
func (*Build) InputKind() string { return "build context" }

// ComposeFileNames are the file names docker compose reads by default,
// plus the override files it merges.
var ComposeFileNames = []string{
	"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
	"compose.override.yaml", "compose.override.yml", "docker-compose.override.yml", "docker-compose.override.yaml",
}

// IsComposeFileName reports whether name is a compose file name.
func IsComposeFileName(name string) bool {
	for _, n := range ComposeFileNames {
		if n == name {
			return true
		}
	}
	return false
}

// Project is everything seaworthy checks under one root.
type Project struct {
	Root         string
	Builds       []*Build
	ComposeFiles []string
	// Skipped are the named pipes, sockets and devices found under a
	// Dockerfile's or a compose file's name: not read, not checked.
	Skipped []regular.Skipped

	// packages caches Node packages by directory, so Dockerfiles of one
	// package share its parsed manifest and scanned sources.
	packages map[string]loaded
}

// Discover walks root and assembles builds (each Dockerfile with its
// context, ignore file and package) and compose files.
func Discover(root string) (*Project, error) {
	p := &Project{Root: root, packages: map[string]loaded{}}
	dockerfiles, err := findFiles(root, IsDockerfileName, &p.Skipped)
	if err != nil {
		return nil, err
	}
	for _, df := range dockerfiles {
		b, err := p.NewBuild(df, filepath.Dir(df))
		if err != nil {
			return nil, err
		}
		p.Builds = append(p.Builds, b)
	}
	p.ComposeFiles, err = findFiles(root, IsComposeFileName, &p.Skipped)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	return p, nil
}

// NewBuild describes the build of dockerfile from contextDir; the Node
// package is the nearest package.json from the Dockerfile's directory up
// to the context (or to root, when given). An ignore file or package.json
// that cannot be used is noted in the build (IgnoreError, PackageError),
// not returned: the error is only for what the build cannot do without.
func NewBuild(dockerfile, contextDir, root string) (*Build, error) {
	return newBuild(dockerfile, contextDir, root, nil)
}

// NewBuild is NewBuild for a Dockerfile of the project (root: the
// project root), sharing the project's parsed packages.
func (p *Project) NewBuild(dockerfile, contextDir string) (*Build, error) {
	return newBuild(dockerfile, contextDir, p.Root, p.packages)
}

func newBuild(dockerfile, contextDir, root string, packages map[string]loaded) (*Build, error) {
	b := &Build{DockerfilePath: dockerfile, ContextDir: contextDir}
	for _, cand := range []string{dockerfile + ".dockerignore", filepath.Join(contextDir, ".dockerignore")} {
		ig, err := dockerignore.Read(cand)
		var ie *dockerignore.Error
		if errors.As(err, &ie) {
			b.IgnorePath, b.IgnoreError = cand, ie
			break
		}
		if err != nil {
			return nil, err
		}
		if ig != nil {
			b.IgnorePath, b.Ignore = cand, ig
			break
		}
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

func sameDir(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// FindComposeFiles returns the compose files below root.
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
