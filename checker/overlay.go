package checker

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// Overlay is the text of files open in an editor, which may not be saved
// yet, by absolute path. A run reads a Dockerfile, compose file,
// .dockerignore or package.json it finds from the overlay when the overlay
// holds it, instead of from disk. Which files there are is still decided
// on disk: an unsaved file that is not on disk yet is not found.
type Overlay map[string][]byte

// lookup returns the overlay's text of path, if it holds it.
func (o Overlay) lookup(path string) ([]byte, bool) {
	if len(o) == 0 {
		return nil, false
	}
	src, ok := o[absOf(path)]
	return src, ok
}

// readFile reads an input file: the overlay's text, else the file (see
// ReadFile).
func (r *run) readFile(path string) ([]byte, error) {
	if src, ok := r.overlay.lookup(path); ok {
		return src, nil
	}
	return ReadFile(path)
}

// loadComposeSets loads compose file sets (see LoadComposeSets), reading
// the files the overlay holds from it.
func (r *run) loadComposeSets(sets [][]string) []*compose.Project {
	if len(r.overlay) == 0 {
		return LoadComposeSets(sets)
	}
	projects := make([]*compose.Project, len(sets))
	_ = forEach(context.Background(), len(sets), func(i int) {
		srcs := make([]compose.Source, 0, len(sets[i]))
		for _, path := range sets[i] {
			data, err := r.readFile(path)
			if err != nil {
				projects[i] = compose.Failed(sets[i], &compose.Error{File: path, Msg: "cannot be read: " + unwrapPathError(err).Error()})
				return
			}
			srcs = append(srcs, compose.Source{Path: path, Data: data})
		}
		p, err := compose.LoadSources(srcs...)
		if err != nil {
			p = compose.Failed(sets[i], err)
		}
		projects[i] = p
	})
	return projects
}

// applyOverlay gives the settled builds the overlay's text of their
// .dockerignore and package.json. Builds that share a package share the
// package parsed from the overlay.
func (r *run) applyOverlay() {
	if len(r.overlay) == 0 {
		return
	}
	type parsed struct {
		pkg *nodeproject.Package
		err *nodeproject.FileError
	}
	packages := map[string]parsed{}
	for _, in := range r.inputs {
		b := in.build
		if b == nil {
			continue
		}
		if b.IgnorePath != "" {
			if src, ok := r.overlay.lookup(b.IgnorePath); ok {
				b.Ignore, b.IgnoreError = nil, nil
				ig, err := dockerignore.Parse(b.IgnorePath, src)
				if !errors.As(err, &b.IgnoreError) {
					b.Ignore = ig
				}
			}
		}
		dir, manifest := "", ""
		switch {
		case b.Package != nil:
			dir, manifest = b.Package.Dir, b.Package.ManifestPath
		case b.PackageError != nil && filepath.Base(b.PackageError.Path) == "package.json":
			dir, manifest = filepath.Dir(b.PackageError.Path), b.PackageError.Path
		}
		src, ok := r.overlay.lookup(manifest)
		if manifest == "" || !ok {
			continue
		}
		key := absOf(manifest)
		p, seen := packages[key]
		if !seen {
			pkg, err := nodeproject.Parse(dir, src)
			p.pkg = pkg
			errors.As(err, &p.err)
			packages[key] = p
		}
		b.Package, b.PackageError = p.pkg, p.err
	}
}
