package nodeproject

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// LockfileNames lists the lockfile names in a stable order.
var LockfileNames = []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock"}

// DeclaredManager is the package manager named by the `packageManager`
// field (`pnpm@9.1.0+sha512…` → "pnpm"), "" when absent or unknown.
func (p *Package) DeclaredManager() string {
	name, _, _ := strings.Cut(strings.TrimSpace(p.Manifest.PackageManager), "@")
	switch name {
	case "npm", "yarn", "pnpm", "bun":
		return name
	}
	return ""
}

// LockfileManagers returns the package managers whose lockfiles are in
// the package directory, sorted and without duplicates.
func (p *Package) LockfileManagers() []string {
	return managersOf(p.Lockfiles)
}

func managersOf(lockfiles []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lockfiles {
		if m := Lockfiles[l]; m != "" && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out
}

// Manager is the package manager the project uses: the `packageManager`
// field, else the manager of the only kind of lockfile present (in the
// package directory, then in its workspace root), else "".
func (p *Package) Manager() string {
	if m := p.DeclaredManager(); m != "" {
		return m
	}
	ms := p.LockfileManagers()
	if len(ms) == 0 {
		if ws := p.Workspace(); ws != nil {
			ms = managersOf(ws.Lockfiles)
		}
	}
	if len(ms) == 1 {
		return ms[0]
	}
	return ""
}

// HasDependencies reports whether package.json declares any dependency
// (dependencies, devDependencies or optionalDependencies).
func (p *Package) HasDependencies() bool {
	m := p.Manifest
	return len(m.Dependencies)+len(m.DevDependencies)+len(m.OptionalDependencies) > 0
}

// WorkspaceRoot is a directory above a package that manages it as a
// workspace member: its package.json has `workspaces`, or it holds
// pnpm-workspace.yaml (or lerna.json / rush.json).
type WorkspaceRoot struct {
	Dir string
	// Lockfiles present in Dir (file names), in LockfileNames order.
	Lockfiles []string
}

// maxWorkspaceLevels bounds how far above a package Workspace looks.
const maxWorkspaceLevels = 8

// Workspace returns the nearest workspace root above the package, looking
// up to the repository root (a directory holding .git), the file system
// root or maxWorkspaceLevels levels; nil when there is none. Whether the
// package is listed among the root's workspace globs is not checked.
func (p *Package) Workspace() *WorkspaceRoot {
	return workspaceKey.Get(p.Memo(), func() *WorkspaceRoot { return findWorkspace(p.Dir) })
}

var workspaceKey = memo.NewKey[*WorkspaceRoot]("workspace root")

func findWorkspace(start string) *WorkspaceRoot {
	dir, err := filepath.Abs(start)
	if err != nil {
		return nil
	}
	if isRepoRoot(dir) {
		return nil
	}
	for level := 0; level < maxWorkspaceLevels; level++ {
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
		if isWorkspaceRoot(dir) {
			ws := &WorkspaceRoot{Dir: dir}
			for _, name := range LockfileNames {
				if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() {
					ws.Lockfiles = append(ws.Lockfiles, name)
				}
			}
			return ws
		}
		if isRepoRoot(dir) {
			return nil
		}
	}
	return nil
}

func isRepoRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

func isWorkspaceRoot(dir string) bool {
	for _, marker := range []string{"pnpm-workspace.yaml", "lerna.json", "rush.json"} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			return true
		}
	}
	src, err := regular.ReadFile(filepath.Join(dir, "package.json"), maxFileSize)
	if err != nil {
		return false
	}
	var m struct {
		Workspaces json.RawMessage `json:"workspaces"`
	}
	if json.Unmarshal(src, &m) != nil {
		return false
	}
	w := strings.TrimSpace(string(m.Workspaces))
	return w != "" && w != "null" && w != "[]" && w != "{}"
}

// Memo returns the table of values derived from the package (facts such
// as its scanned sources, computed once per run and shared by every rule
// that needs them).
func (p *Package) Memo() *memo.Table { return &p.derived }

// Member is a package of a workspace.
type Member struct {
	// Name is its package.json name; Rel its slash-separated directory
	// relative to the workspace root.
	Name, Rel string
	Package   *Package
}

// Members lists the workspace's packages: the directories its globs
// (package.json `workspaces`, as an array or as `{packages: […]}`, or
// pnpm-workspace.yaml `packages`) match that hold a package.json, sorted
// by directory. `!` exclusions apply; `**` matches one directory level.
func (w *WorkspaceRoot) Members() ([]Member, error) {
	globs, err := w.globs()
	if err != nil {
		return nil, err
	}
	excluded := map[string]bool{}
	var include []string
	for _, g := range globs {
		g = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(g), "./"), "/")
		g = strings.ReplaceAll(g, "**", "*")
		if rest, ok := strings.CutPrefix(g, "!"); ok {
			matches, _ := filepath.Glob(filepath.Join(w.Dir, filepath.FromSlash(rest)))
			for _, m := range matches {
				excluded[m] = true
			}
			continue
		}
		include = append(include, g)
	}
	seen := map[string]bool{}
	var out []Member
	for _, g := range include {
		matches, err := filepath.Glob(filepath.Join(w.Dir, filepath.FromSlash(g)))
		if err != nil {
			return nil, &FileError{Path: filepath.Join(w.Dir, "package.json"), Msg: fmt.Sprintf("workspace glob %q: %v", g, err)}
		}
		for _, m := range matches {
			if seen[m] || excluded[m] {
				continue
			}
			seen[m] = true
			if st, err := os.Stat(m); err != nil || !st.IsDir() {
				continue // a file the glob matches (packages/*: a README)
			}
			p, err := Load(m)
			if err != nil {
				return nil, err
			}
			if p == nil {
				continue
			}
			rel, _ := filepath.Rel(w.Dir, m)
			out = append(out, Member{Name: p.Manifest.Name, Rel: filepath.ToSlash(rel), Package: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rel < out[j].Rel })
	return out, nil
}

// globs reads the workspace's package globs.
func (w *WorkspaceRoot) globs() ([]string, error) {
	if src, err := readFile(filepath.Join(w.Dir, "pnpm-workspace.yaml")); err != nil {
		return nil, err
	} else if src != nil {
		var cfg struct {
			Packages []string `yaml:"packages"`
		}
		if err := yaml.Unmarshal(src, &cfg); err != nil {
			return nil, &FileError{Path: filepath.Join(w.Dir, "pnpm-workspace.yaml"), Msg: "invalid pnpm-workspace.yaml: " + err.Error()}
		}
		return cfg.Packages, nil
	}
	path := filepath.Join(w.Dir, "package.json")
	src, err := readFile(path)
	if err != nil || src == nil {
		return nil, err
	}
	var m struct {
		Workspaces json.RawMessage `json:"workspaces"`
	}
	if err := json.Unmarshal(src, &m); err != nil {
		return nil, manifestError(path, src, err)
	}
	var list []string
	if json.Unmarshal(m.Workspaces, &list) == nil {
		return list, nil
	}
	var obj struct {
		Packages []string `json:"packages"`
	}
	if json.Unmarshal(m.Workspaces, &obj) == nil {
		return obj.Packages, nil
	}
	return nil, &FileError{Path: path, Msg: "package.json workspaces must be an array of globs or {\"packages\": […]}"}
}

// OwnWorkspace returns the workspace the package's own directory is the
// root of (its package.json has `workspaces`, or pnpm-workspace.yaml is
// beside it), nil when it is not one.
func (p *Package) OwnWorkspace() *WorkspaceRoot {
	if !isWorkspaceRoot(p.Dir) {
		return nil
	}
	return &WorkspaceRoot{Dir: p.Dir, Lockfiles: p.Lockfiles}
}
