// Package project finds the files seaworthy checks in a project tree.
package project

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
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
	var out []string
	err := walk(root, func(path, name string) {
		if IsDockerfileName(name) {
			out = append(out, path)
		}
	})
	sort.Strings(out)
	return out, err
}

// walk calls visit for every regular file below root, skipping skipDirs.
func walk(root string, visit func(path, name string)) error {
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
		if d.Type().IsRegular() {
			visit(path, d.Name())
		}
		return nil
	})
}
