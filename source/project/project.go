package project

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
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
	// Package is the Node package the Dockerfile builds (nil when none).
	Package *nodeproject.Package
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

	// packages caches Node packages by directory, so Dockerfiles of one
	// package share its parsed manifest and scanned sources.
	packages map[string]*nodeproject.Package
}

// Discover walks root and assembles builds (each Dockerfile with its
// context, ignore file and package) and compose files.
func Discover(root string) (*Project, error) {
	p := &Project{Root: root, packages: map[string]*nodeproject.Package{}}
	dockerfiles, err := FindDockerfiles(root)
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
	p.ComposeFiles, err = FindComposeFiles(root)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// NewBuild describes the build of dockerfile from contextDir; the Node
// package is the nearest package.json from the Dockerfile's directory up
// to the context (or to root, when given).
func NewBuild(dockerfile, contextDir, root string) (*Build, error) {
	return newBuild(dockerfile, contextDir, root, nil)
}

// NewBuild is NewBuild for a Dockerfile of the project (root: the
// project root), sharing the project's parsed packages.
func (p *Project) NewBuild(dockerfile, contextDir string) (*Build, error) {
	return newBuild(dockerfile, contextDir, p.Root, p.packages)
}

func newBuild(dockerfile, contextDir, root string, packages map[string]*nodeproject.Package) (*Build, error) {
	b := &Build{DockerfilePath: dockerfile, ContextDir: contextDir}
	for _, cand := range []string{dockerfile + ".dockerignore", filepath.Join(contextDir, ".dockerignore")} {
		src, err := os.ReadFile(cand)
		if err != nil {
			continue
		}
		ig, err := dockerignore.Parse(cand, src)
		if err != nil {
			return nil, err
		}
		b.IgnorePath, b.Ignore = cand, ig
		break
	}
	stop := contextDir
	if root != "" {
		stop = root
	}
	for dir := filepath.Dir(dockerfile); ; dir = filepath.Dir(dir) {
		pkg, err := loadPackage(dir, packages)
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
	var out []string
	err := walk(root, func(path, name string) {
		if IsComposeFileName(name) {
			out = append(out, path)
		}
	})
	sort.Strings(out)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	return out, nil
}

// loadPackage loads the package in dir, through the cache when there is one.
func loadPackage(dir string, cache map[string]*nodeproject.Package) (*nodeproject.Package, error) {
	if cache == nil {
		return nodeproject.Load(dir)
	}
	key, err := filepath.Abs(dir)
	if err != nil {
		key = dir
	}
	if pkg, ok := cache[key]; ok {
		return pkg, nil
	}
	pkg, err := nodeproject.Load(dir)
	if err != nil {
		return nil, err
	}
	cache[key] = pkg
	return pkg, nil
}
