package nodeapp

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads which package manager a project uses, at which
// version, and how it installs from its lockfile: from the project's
// files only, never from the machine seaworthy runs on.

// Toolchain is the package manager a project installs with.
type Toolchain struct {
	// Manager is npm, pnpm, yarn or bun.
	Manager string
	// Version is the exact version when the project pins one
	// (packageManager, a yarnPath release), else "".
	Version string
	// Major is the major version the lockfile format implies when nothing
	// pins the version (pnpm-lock.yaml lockfileVersion 9.0 → "9").
	Major string
	// Berry is set for Yarn 2 and later (.yarnrc.yml, the lockfile's
	// __metadata header, a version ≥ 2).
	Berry bool
	// YarnPath is the Yarn release the project commits
	// (.yarn/releases/yarn-4.5.0.cjs), from .yarnrc.yml.
	YarnPath string
	// PnP is set for Yarn 2+ with Plug'n'Play (nodeLinker unset or pnp):
	// there is no node_modules directory.
	PnP bool
	// Lockfile is the lockfile's name, "" when there is none; LockDir
	// says where it is when it is not in the package ("" for the
	// package's own directory, else the workspace root).
	Lockfile, LockDir string
	// Why says where each conclusion came from.
	Why []string
}

var yarnRelease = regexp.MustCompile(`yarn-(\d+\.\d+\.\d+[^/]*)\.c?js$`)

// ToolchainOf reads the package manager of a package: the packageManager
// field, then the lockfiles (in the package, then its workspace root),
// then npm. Yarn berry is told from classic by .yarnrc.yml and the
// lockfile's header.
func ToolchainOf(pkg *nodeproject.Package) Toolchain {
	t := Toolchain{Manager: "npm"}
	field := strings.TrimSpace(pkg.Manifest.PackageManager)
	lockfiles, lockDir := pkg.Lockfiles, ""
	if len(lockfiles) == 0 {
		if ws := pkg.Workspace(); ws != nil && len(ws.Lockfiles) > 0 {
			lockfiles, lockDir = ws.Lockfiles, ws.Dir
		}
	}
	declared, where := pkg, "package.json"
	if pkg.DeclaredManager() == "" {
		// A workspace member takes the root's packageManager.
		if ws := pkg.Workspace(); ws != nil {
			if root, err := nodeproject.Load(ws.Dir); err == nil && root != nil && root.DeclaredManager() != "" {
				declared, where = root, "the workspace root's package.json"
				field = strings.TrimSpace(root.Manifest.PackageManager)
			}
		}
	}
	if m := declared.DeclaredManager(); m != "" {
		t.Manager = m
		_, v, _ := strings.Cut(field, "@")
		v, _, _ = strings.Cut(v, "+")
		t.Version = v
		t.Why = append(t.Why, where+" packageManager is "+field)
	} else if m := pkg.Manager(); m != "" {
		t.Manager = m
	}
	for _, l := range lockfiles {
		if nodeproject.Lockfiles[l] == t.Manager {
			t.Lockfile, t.LockDir = l, lockDir
			where := l
			if lockDir != "" {
				where = l + " in the workspace root"
			}
			if t.Version == "" {
				t.Why = append(t.Why, where+" names the manager")
			} else {
				t.Why = append(t.Why, where+" is its lockfile")
			}
			break
		}
	}
	if t.Lockfile == "" && t.Manager == "npm" && declared.DeclaredManager() == "" {
		if field != "" {
			t.Why = append(t.Why, fmt.Sprintf("no lockfile, and packageManager %q names no manager init knows (npm, pnpm, yarn, bun): npm", field))
		} else {
			t.Why = append(t.Why, "no lockfile and no packageManager field: npm")
		}
	}
	switch t.Manager {
	case "yarn":
		t.readYarn(pkg)
	case "pnpm":
		t.readPnpm(pkg)
	}
	return t
}

// readYarn tells Yarn berry from classic and finds a committed release.
func (t *Toolchain) readYarn(pkg *nodeproject.Package) {
	if t.Version != "" && !strings.HasPrefix(t.Version, "1.") {
		t.Berry = true
	}
	rc, err := pkg.ReadFile(".yarnrc.yml")
	if rc == nil && err == nil {
		// A workspace member uses the root's configuration.
		if ws := pkg.Workspace(); ws != nil {
			rc, err = nodeproject.ReadOptional(filepath.Join(ws.Dir, ".yarnrc.yml"))
		}
	}
	if err == nil && rc != nil {
		t.Berry = true
		t.Why = append(t.Why, ".yarnrc.yml is there: Yarn 2 or later")
		var cfg struct {
			YarnPath   string `yaml:"yarnPath"`
			NodeLinker string `yaml:"nodeLinker"`
		}
		if yaml.Unmarshal(rc, &cfg) == nil && (cfg.NodeLinker == "" || cfg.NodeLinker == "pnp") {
			t.PnP = true
			t.Why = append(t.Why, ".yarnrc.yml sets no nodeLinker (or pnp): Plug'n'Play")
		}
		if cfg.YarnPath != "" {
			t.YarnPath = path.Clean(strings.TrimPrefix(cfg.YarnPath, "./"))
			if m := yarnRelease.FindStringSubmatch(t.YarnPath); m != nil && t.Version == "" {
				t.Version = m[1]
				t.Why = append(t.Why, ".yarnrc.yml yarnPath is "+t.YarnPath)
			}
		}
	}
	if t.Lockfile == "yarn.lock" && t.LockDir == "" {
		if lock, err := pkg.ReadFile("yarn.lock"); err == nil && bytes.Contains(lock[:min(len(lock), 4096)], []byte("\n__metadata:")) {
			if !t.Berry {
				t.Why = append(t.Why, "yarn.lock has a __metadata header: Yarn 2 or later")
			}
			t.Berry = true
		}
	}
	if !t.Berry {
		t.Why = append(t.Why, "yarn.lock in the classic format: Yarn 1")
	} else if !t.PnP && rc == nil {
		// Without .yarnrc.yml Yarn 2+ defaults to Plug'n'Play.
		t.PnP = true
		t.Why = append(t.Why, "no .yarnrc.yml: Yarn 2+ uses Plug'n'Play")
	}
}

// pnpmLockMajors maps pnpm-lock.yaml's lockfileVersion to the pnpm major
// that writes it (pnpm 10 writes 9.0 too; 9 is the older one).
var pnpmLockMajors = map[string]string{"9.0": "9", "6.0": "8", "6.1": "8", "5.4": "7", "5.3": "6"}

var lockfileVersion = regexp.MustCompile(`(?m)^lockfileVersion: *'?([0-9.]+)'?`)

// readPnpm reads the pnpm major from the lockfile when no version is
// pinned.
func (t *Toolchain) readPnpm(pkg *nodeproject.Package) {
	if t.Version != "" || t.Lockfile == "" {
		return
	}
	dir := t.LockDir
	if dir == "" {
		dir = pkg.Dir
	}
	lock, err := nodeproject.ReadOptional(filepath.Join(dir, t.Lockfile))
	if err != nil || lock == nil {
		return
	}
	if m := lockfileVersion.FindSubmatch(lock[:min(len(lock), 4096)]); m != nil {
		if major, ok := pnpmLockMajors[string(m[1])]; ok {
			t.Major = major
			t.Why = append(t.Why, fmt.Sprintf("no packageManager field: pnpm %s, which writes lockfileVersion %s (pin it with packageManager)", major, m[1]))
		}
	}
}

// Pin is the version to install the manager at: the exact version, else
// the major the lockfile implies, else "".
func (t Toolchain) Pin() string {
	if t.Version != "" {
		return t.Version
	}
	return t.Major
}

// FrozenInstall is the install that fails instead of changing the
// lockfile; prod leaves devDependencies out.
func (t Toolchain) FrozenInstall(prod bool) string {
	switch t.Manager {
	case "pnpm":
		if prod {
			return "pnpm install --frozen-lockfile --prod"
		}
		return "pnpm install --frozen-lockfile"
	case "yarn":
		if t.Berry {
			if prod {
				return "yarn workspaces focus --all --production"
			}
			return "yarn install --immutable"
		}
		if prod {
			return "yarn install --frozen-lockfile --production"
		}
		return "yarn install --frozen-lockfile"
	case "bun":
		if prod {
			return "bun install --frozen-lockfile --production"
		}
		return "bun install --frozen-lockfile"
	}
	if t.Lockfile == "" {
		// npm ci needs a lockfile; without one only npm install works.
		if prod {
			return "npm install --omit=dev"
		}
		return "npm install"
	}
	if prod {
		return "npm ci --omit=dev"
	}
	return "npm ci"
}

// Prune removes devDependencies from an installed node_modules.
func (t Toolchain) Prune() string {
	switch t.Manager {
	case "pnpm":
		return "pnpm prune --prod"
	case "yarn":
		return t.FrozenInstall(true)
	case "bun":
		return "bun install --frozen-lockfile --production"
	}
	return "npm prune --omit=dev"
}

// RunIn runs a script of the workspace member in dir (relative to the
// workspace root) named name, from the root.
func (t Toolchain) RunIn(script, dir, name string) string {
	switch t.Manager {
	case "pnpm":
		return "pnpm --filter ./" + dir + " run " + script
	case "yarn":
		return "yarn workspace " + name + " run " + script
	case "bun":
		return "bun run --filter " + name + " " + script
	}
	return "npm run " + script + " -w " + dir
}

// Run runs a package.json script.
func (t Toolchain) Run(script string) string {
	switch t.Manager {
	case "pnpm", "yarn", "bun":
		return t.Manager + " run " + script
	}
	return "npm run " + script
}

// WithoutScripts is an install command told not to run lifecycle
// scripts (the project's nor its dependencies').
func (t Toolchain) WithoutScripts(install string) string {
	if t.Manager == "yarn" && t.Berry {
		return install + " --mode=skip-build"
	}
	return install + " --ignore-scripts"
}

// Rebuild runs the dependencies' install scripts (native addons) after
// an install without scripts; it does not run the project's own.
func (t Toolchain) Rebuild() string {
	switch t.Manager {
	case "pnpm":
		return "pnpm rebuild"
	case "yarn":
		if t.Berry {
			return "yarn rebuild"
		}
		// Yarn 1 has no rebuild: npm's works on the tree it installed.
		return "npm rebuild"
	}
	return "npm rebuild"
}
