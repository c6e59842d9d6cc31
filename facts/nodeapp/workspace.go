package nodeapp

import (
	"path/filepath"
	"sort"

	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads where a workspace member sits in its workspace: the
// build context must be the workspace root, which holds the lockfile, and
// the image needs the workspace packages the member depends on.

// Workspace is a member package's place in its workspace.
type Workspace struct {
	// Root is the workspace root directory; Rel the member's directory
	// relative to it (slash-separated).
	Root, Rel string
	// Members are every member's directory (relative, sorted): the
	// install needs each one's package.json to match the lockfile.
	Members []string
	// Locals are the members the package depends on, directly or through
	// each other, dependencies first.
	Locals []nodeproject.Member
	// Files are the root's files the install and the build read
	// (pnpm-workspace.yaml, .yarnrc.yml, tsconfig*.json), sorted.
	Files []string
}

// WorkspaceOf places a package in its workspace; nil when it is not a
// member of one.
func WorkspaceOf(pkg *nodeproject.Package) (*Workspace, error) {
	root := pkg.Workspace()
	if root == nil {
		return nil, nil
	}
	members, err := root.Members()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(pkg.Dir)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root.Dir, abs)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Root: root.Dir, Rel: filepath.ToSlash(rel)}
	byName := map[string]nodeproject.Member{}
	for _, m := range members {
		w.Members = append(w.Members, m.Rel)
		if m.Name != "" && m.Rel != w.Rel {
			byName[m.Name] = m
		}
	}
	// Depth-first over local dependencies, each after what it needs.
	done := map[string]bool{}
	var visit func(p *nodeproject.Package)
	visit = func(p *nodeproject.Package) {
		m := p.Manifest
		var names []string
		for _, deps := range []map[string]string{m.Dependencies, m.DevDependencies, m.OptionalDependencies} {
			for n := range deps {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			local, ok := byName[n]
			if !ok || done[n] {
				continue
			}
			done[n] = true
			visit(local.Package)
			w.Locals = append(w.Locals, local)
		}
	}
	visit(pkg)
	for _, pattern := range []string{"pnpm-workspace.yaml", ".yarnrc.yml", "tsconfig*.json"} {
		matches, _ := filepath.Glob(filepath.Join(root.Dir, pattern))
		for _, f := range matches {
			w.Files = append(w.Files, filepath.Base(f))
		}
	}
	sort.Strings(w.Files)
	return w, nil
}
