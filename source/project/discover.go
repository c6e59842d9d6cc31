// Package project finds the files seaworthy checks in a project tree and
// the evidence of how they are used: the build context each Dockerfile is
// built from (compose files, CI workflows, Makefiles, package.json scripts
// and shell scripts that run `docker build`), the compose files a
// repository passes with `-f`, and the packages of a Node workspace.
package project

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// notDockerfileExt are the extensions of files named Dockerfile.* that are
// not Dockerfiles docker build could use as they are.
var notDockerfileExt = map[string]bool{
	"dockerignore": true,
	"md":           true, "mdx": true, "markdown": true, "rst": true, "txt": true, "adoc": true, "html": true,
	"json": true, "yml": true, "yaml": true, "toml": true, "xml": true, "lock": true,
	"sh": true, "bash": true, "ps1": true, "bat": true, "js": true, "mjs": true, "cjs": true, "ts": true,
	"go": true, "py": true, "rb": true,
	"j2": true, "jinja": true, "jinja2": true, "tmpl": true, "tpl": true, "template": true, "erb": true,
	"hbs": true, "mustache": true, "in": true,
	// Fragments that tooling splices into a Dockerfile (growthbook's
	// preview/Dockerfile.append is `cat`ed after the main one).
	"append": true, "prepend": true, "partial": true, "fragment": true, "include": true, "inc": true, "snippet": true,
	"golden": true, "orig": true, "bak": true, "swp": true, "tmp": true, "old": true, "patch": true, "diff": true,
}

// skipDirs are never descended into.
var skipDirs = map[string]bool{
	"node_modules": true, ".git": true, ".hg": true, ".svn": true,
	"vendor": true, ".next": true, ".nuxt": true, "coverage": true, ".cache": true,
	".turbo": true, ".yarn": true, ".pnpm-store": true,
}

// IsDockerfileName reports whether a file name is a Dockerfile by
// convention: Dockerfile, Containerfile, Dockerfile.* and *.Dockerfile
// (case-insensitive), but not a Dockerfile.* whose extension says it is
// something else: an ignore file (Dockerfile.dockerignore), documentation
// (dockerfile.mdx), data, code, a template to render (Dockerfile.j2,
// Dockerfile.tmpl), a fragment spliced into another (Dockerfile.append) or
// a backup.
func IsDockerfileName(name string) bool {
	n := strings.ToLower(name)
	if i := strings.LastIndexByte(n, '.'); i > 0 && notDockerfileExt[n[i+1:]] {
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
	return findFiles(root, IsDockerfileName, nil)
}

// findFiles walks root for the regular files whose names match, in a
// stable order; skipped (when not nil) receives the named pipes, sockets
// and devices whose names match.
func findFiles(root string, match func(name string) bool, skipped *[]regular.Skipped) ([]string, error) {
	var out []string
	err := walk(root, func(path, name string, mode fs.FileMode) bool {
		switch {
		case !match(name):
			return false
		case mode.IsRegular():
			out = append(out, path)
			return true
		case skipped != nil:
			*skipped = append(*skipped, regular.Skipped{Path: path, Mode: mode})
		}
		return false
	})
	sort.Strings(out)
	return out, err
}

// tree is what one walk of a project finds.
type tree struct {
	dockerfiles []string
	compose     []string
	// evidence are the files that may run `docker build` or `docker
	// compose`: CI workflows, Makefiles, package.json files and shell
	// scripts.
	evidence []evidenceFile
	// skipped are the named pipes, sockets and devices found under a
	// Dockerfile's or a compose file's name.
	skipped []regular.Skipped
}

// scanTree walks root once and sorts what it finds by kind.
func scanTree(root string) (*tree, error) {
	t := &tree{}
	err := walk(root, func(path, name string, mode fs.FileMode) bool {
		switch {
		case IsDockerfileName(name) || IsComposeFileName(name):
			switch {
			case !mode.IsRegular():
				t.skipped = append(t.skipped, regular.Skipped{Path: path, Mode: mode})
			case IsDockerfileName(name):
				t.dockerfiles = append(t.dockerfiles, path)
				return true
			default:
				t.compose = append(t.compose, path)
				return true
			}
		case mode.IsRegular():
			if kind := evidenceKind(path, name); kind != "" {
				t.evidence = append(t.evidence, evidenceFile{path: path, kind: kind})
				return true
			}
		}
		return false
	})
	sort.Strings(t.dockerfiles)
	sort.Strings(t.compose)
	sort.Slice(t.evidence, func(i, j int) bool { return t.evidence[i].path < t.evidence[j].path })
	sort.Slice(t.skipped, func(i, j int) bool { return t.skipped[i].Path < t.skipped[j].Path })
	return t, err
}

// WalkDir is filepath.WalkDir, except that a root that is a symbolic
// link to a directory is walked (WalkDir does not follow the link it is
// given), with the link's name in the paths.
func WalkDir(root string, fn fs.WalkDirFunc) error {
	st, err := os.Lstat(root)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return filepath.WalkDir(root, fn)
	}
	// With a trailing separator the link resolves; the paths below it
	// keep its name, and the root is given back as it was named.
	linked := root + string(filepath.Separator)
	return filepath.WalkDir(linked, func(path string, d fs.DirEntry, err error) error {
		if path == linked {
			path = root
		}
		return fn(path, d, err)
	})
}

// walk calls visit for every regular file below root, and for every named
// pipe, socket and device, skipping skipDirs; then for every link to a
// regular file of the tree that visit did not keep (return true) under its
// own name.
func walk(root string, visit func(path, name string, mode fs.FileMode) bool) error {
	kept := map[string]bool{}
	var links []string
	err := WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // unreadable subtree: skip it
		}
		switch {
		case d.IsDir():
			if path != root && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
		case d.Type()&fs.ModeSymlink != 0:
			links = append(links, path)
		case d.Type().IsRegular() || regular.Special(d.Type()):
			if visit(path, d.Name(), d.Type()) {
				kept[path] = true
			}
		}
		return nil
	})
	if err != nil || len(links) == 0 {
		return err
	}
	// A link to a regular file inside the tree is that file under the
	// link's name (Reactive-Resume's compose.yml -> tools/compose/simple.yml),
	// unless the walk already kept the file under its own name. Links out
	// of the tree, to directories, or dangling are not followed.
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil
	}
	for _, link := range links {
		target, err := filepath.EvalSymlinks(link)
		if err != nil || !Within(target, realRoot) {
			continue
		}
		rel, err := filepath.Rel(realRoot, target)
		if err != nil || kept[filepath.Join(root, rel)] {
			continue
		}
		if fi, err := os.Stat(target); err == nil && fi.Mode().IsRegular() {
			visit(link, filepath.Base(link), fi.Mode())
		}
	}
	return nil
}
