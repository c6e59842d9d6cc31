// Package project finds the files seaworthy checks in a project tree.
package project

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// skipDirs are never descended into.
var skipDirs = map[string]bool{
	"node_modules": true, ".git": true, ".hg": true, ".svn": true,
	"vendor": true, ".next": true, ".nuxt": true, "coverage": true, ".cache": true,
	".turbo": true, ".yarn": true, ".pnpm-store": true,
}

// IsDockerfileName reports whether a file name is a Dockerfile by
// convention: Dockerfile, Containerfile, Dockerfile.* and *.Dockerfile
// (case-insensitive), but not Dockerfile.dockerignore.
func IsDockerfileName(name string) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".dockerignore") || strings.HasSuffix(n, ".md") || strings.HasSuffix(n, ".golden") {
		return false
	}
	return n == "dockerfile" || n == "containerfile" ||
		strings.HasPrefix(n, "dockerfile.") || strings.HasSuffix(n, ".dockerfile")
}

// FindDockerfiles walks root and returns the Dockerfiles below it in a
// stable order, skipping dependency, VCS and build-output trees.
func FindDockerfiles(root string) ([]string, error) {
	return findFiles(root, IsDockerfileName, nil)
}

// findFiles walks root for the regular files whose names match, in a
// stable order; skipped (when not nil) receives the named pipes, sockets
// and devices whose names match.
func findFiles(root string, match func(name string) bool, skipped *[]regular.Skipped) ([]string, error) {
	var out []string
	err := walk(root, func(path, name string, mode fs.FileMode) {
		switch {
		case !match(name):
		case mode.IsRegular():
			out = append(out, path)
		case skipped != nil:
			*skipped = append(*skipped, regular.Skipped{Path: path, Mode: mode})
		}
	})
	sort.Strings(out)
	return out, err
}

// walk calls visit for every regular file below root, and for every named
// pipe, socket and device, skipping skipDirs.
func walk(root string, visit func(path, name string, mode fs.FileMode)) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // unreadable subtree: skip it
		}
		if d.IsDir() {
			if path != root && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() || regular.Special(d.Type()) {
			visit(path, d.Name(), d.Type())
		}
		return nil
	})
}
