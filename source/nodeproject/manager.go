package nodeproject

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
