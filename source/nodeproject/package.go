// Package nodeproject reads what a Node.js project declares about itself:
// package.json, its lockfiles and Node version files.
package nodeproject

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
)

// Lockfile names by package manager.
var Lockfiles = map[string]string{
	"package-lock.json":   "npm",
	"npm-shrinkwrap.json": "npm",
	"yarn.lock":           "yarn",
	"pnpm-lock.yaml":      "pnpm",
	"bun.lockb":           "bun",
	"bun.lock":            "bun",
}

// Manifest is the part of package.json seaworthy reads.
type Manifest struct {
	Name                 string            `json:"name"`
	Main                 string            `json:"main"`
	Type                 string            `json:"type"`
	Scripts              map[string]string `json:"scripts"`
	Dependencies         map[string]string `json:"dependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
	Engines              map[string]string `json:"engines"`
	PackageManager       string            `json:"packageManager"`
	Workspaces           json.RawMessage   `json:"workspaces"`
}

// Package is a directory with a package.json.
type Package struct {
	Dir string
	// ManifestPath is the package.json path; Source its bytes (for lines).
	ManifestPath string
	Source       []byte
	Manifest     Manifest
	// Lockfiles present in Dir (file names), in a stable order.
	Lockfiles []string
	// NodeVersionFiles maps ".nvmrc"/".node-version" to their trimmed content.
	NodeVersionFiles map[string]string

	sourcesOnce sync.Once
	sources     []SourceFile
	sourcesErr  error

	derived memo.Table // see Memo
}

// Load reads dir/package.json and notes the lockfiles and Node version
// files beside it. A missing package.json returns (nil, nil).
func Load(dir string) (*Package, error) {
	p := &Package{Dir: dir, ManifestPath: filepath.Join(dir, "package.json"), NodeVersionFiles: map[string]string{}}
	src, err := os.ReadFile(p.ManifestPath)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p.ManifestPath, err)
	}
	p.Source = src
	if err := json.Unmarshal(src, &p.Manifest); err != nil {
		return nil, fmt.Errorf("%s: invalid package.json: %v", p.ManifestPath, jsonErrorLine(src, err))
	}
	for _, name := range []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() {
			p.Lockfiles = append(p.Lockfiles, name)
		}
	}
	for _, name := range []string{".nvmrc", ".node-version"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			p.NodeVersionFiles[name] = strings.TrimSpace(string(b))
		}
	}
	return p, nil
}

// jsonErrorLine adds the line number to a JSON syntax error.
func jsonErrorLine(src []byte, err error) error {
	var se *json.SyntaxError
	if e, ok := err.(*json.SyntaxError); ok {
		se = e
	}
	if se == nil {
		return err
	}
	line := 1 + strings.Count(string(src[:min(int(se.Offset), len(src))]), "\n")
	return fmt.Errorf("line %d: %v", line, err)
}
