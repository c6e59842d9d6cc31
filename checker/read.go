package checker

import "path/filepath"

// Read counts what a run read, by kind, for the summary. A .dockerignore,
// package or compose file shared by several builds counts once.
type Read struct {
	Dockerfiles  int
	IgnoreFiles  int
	ComposeFiles int
	// Packages are the package.json files of the builds; Sources their
	// JavaScript and TypeScript source files.
	Packages int
	Sources  int
}

// read counts the run's inputs.
func (r *run) read() Read {
	var out Read
	seen := map[string]bool{}
	once := func(kind, path string) bool {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		k := kind + "\x00" + path
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, in := range r.inputs {
		out.Dockerfiles++
		b := in.build
		if b == nil {
			continue
		}
		if b.Ignore != nil && b.IgnorePath != "" && once("ignore", b.IgnorePath) {
			out.IgnoreFiles++
		}
		if p := b.Package; p != nil && once("package", p.Dir) {
			out.Packages++
			if files, err := p.Sources(); err == nil {
				out.Sources += len(files)
			}
		}
	}
	for _, p := range r.compose {
		for _, f := range p.Files {
			if once("compose", f.Path) {
				out.ComposeFiles++
			}
		}
	}
	return out
}
