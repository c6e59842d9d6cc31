// Package project finds the files seaworthy checks in a project tree and
// the evidence of how they are used: the build context each Dockerfile is
// built from (compose files, CI workflows, Makefiles, package.json scripts
// and shell scripts that run `docker build`), the compose files a
// repository passes with `-f`, and the packages of a Node workspace.
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

// IsComposeFileName reports whether name is a compose file name: one
// docker compose reads by default (compose.yaml, docker-compose.yml and
// their overrides) or one a repository passes with `-f`:
// `docker-compose*.yml` and `compose*.yaml` (either extension), the part
// after the prefix starting with `.`, `-` or `_` (docker-compose.prod.yml,
// docker-compose-dev.yml, compose.dev.yaml; not composer.yaml).
func IsComposeFileName(name string) bool {
	var rest string
	switch {
	case strings.HasPrefix(name, "docker-compose"):
		rest = name[len("docker-compose"):]
	case strings.HasPrefix(name, "compose"):
		rest = name[len("compose"):]
	default:
		return false
	}
	if !strings.HasSuffix(rest, ".yml") && !strings.HasSuffix(rest, ".yaml") {
		return false
	}
	return rest[0] == '.' || rest[0] == '-' || rest[0] == '_'
}

// FindDockerfiles walks root and returns the Dockerfiles below it in a
// stable order, skipping dependency, VCS and build-output trees.
func FindDockerfiles(root string) ([]string, error) {
	t, err := scanTree(root)
	if err != nil {
		return nil, err
	}
	return t.dockerfiles, nil
}

// tree is what one walk of a project finds.
type tree struct {
	dockerfiles []string
	compose     []string
	// evidence are the files that may run `docker build` or `docker
	// compose`: CI workflows, Makefiles, package.json files and shell
	// scripts.
	evidence []evidenceFile
}

// scanTree walks root once and sorts what it finds by kind.
func scanTree(root string) (*tree, error) {
	t := &tree{}
	err := walk(root, func(path, name string) {
		switch {
		case IsDockerfileName(name):
			t.dockerfiles = append(t.dockerfiles, path)
		case IsComposeFileName(name):
			t.compose = append(t.compose, path)
		default:
			if kind := evidenceKind(path, name); kind != "" {
				t.evidence = append(t.evidence, evidenceFile{path: path, kind: kind})
			}
		}
	})
	sort.Strings(t.dockerfiles)
	sort.Strings(t.compose)
	sort.Slice(t.evidence, func(i, j int) bool { return t.evidence[i].path < t.evidence[j].path })
	return t, err
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
