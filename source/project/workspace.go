package project

import (
	"encoding/json"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Member is a package of a Node workspace.
type Member struct {
	// Dir is the package's directory: the workspace root joined with Rel.
	Dir string
	// Rel is the directory relative to the workspace root, slash-separated.
	Rel string
	// Name is the package.json name ("" when it has none).
	Name string
}

// maxMembers bounds the packages listed for one workspace; maxGlobDepth
// bounds how deep a `**` in a workspace pattern is followed.
const (
	maxMembers   = 1000
	maxGlobDepth = 4
)

// Workspace lists the packages of the workspace whose root is dir, from
// the patterns of package.json `workspaces` (a list, or an object with
// `packages`), pnpm-workspace.yaml `packages` or lerna.json `packages`
// (turbo and nx build on these); `!` patterns exclude. Only directories
// with a package.json count. nil when dir declares no workspace.
func Workspace(dir string) []Member {
	patterns := workspacePatterns(dir)
	if len(patterns) == 0 {
		return nil
	}
	var include, exclude []string
	for _, p := range patterns {
		p = strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(strings.TrimSpace(p)), "./"), "/")
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			exclude = append(exclude, strings.TrimPrefix(neg, "./"))
		} else if p != "" && p != "." && !strings.HasPrefix(p, "../") {
			include = append(include, p)
		}
	}
	seen := map[string]bool{}
	var out []Member
	for _, pat := range include {
		for _, rel := range expandWorkspaceGlob(dir, pat) {
			if rel == "." || seen[rel] || excluded(rel, exclude) || len(out) == maxMembers {
				continue
			}
			seen[rel] = true
			full := filepath.Join(dir, filepath.FromSlash(rel))
			src, err := readSmall(filepath.Join(full, "package.json"))
			if err != nil {
				continue
			}
			var m struct {
				Name string `json:"name"`
			}
			_ = json.Unmarshal(src, &m)
			out = append(out, Member{Dir: full, Rel: rel, Name: m.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rel < out[j].Rel })
	return out
}

// Workspace is Workspace, computed once per directory for the project.
func (p *Project) Workspace(dir string) []Member {
	key := absPath(dir)
	p.mu.Lock()
	defer p.mu.Unlock()
	if m, ok := p.workspaces[key]; ok {
		return m
	}
	m := Workspace(dir)
	p.workspaces[key] = m
	return m
}

func workspacePatterns(dir string) []string {
	if src, err := readSmall(filepath.Join(dir, "package.json")); err == nil {
		var m struct {
			Workspaces json.RawMessage `json:"workspaces"`
		}
		if json.Unmarshal(src, &m) == nil && len(m.Workspaces) > 0 {
			var list []string
			if json.Unmarshal(m.Workspaces, &list) == nil && len(list) > 0 {
				return list
			}
			var obj struct {
				Packages []string `json:"packages"`
			}
			if json.Unmarshal(m.Workspaces, &obj) == nil && len(obj.Packages) > 0 {
				return obj.Packages
			}
		}
	}
	if src, err := readSmall(filepath.Join(dir, "pnpm-workspace.yaml")); err == nil {
		var m struct {
			Packages []string `yaml:"packages"`
		}
		if yaml.Unmarshal(src, &m) == nil && len(m.Packages) > 0 {
			return m.Packages
		}
	}
	if src, err := readSmall(filepath.Join(dir, "lerna.json")); err == nil {
		var m struct {
			Packages []string `json:"packages"`
		}
		if json.Unmarshal(src, &m) == nil {
			if len(m.Packages) > 0 {
				return m.Packages
			}
			return []string{"packages/*"} // lerna's default
		}
	}
	return nil
}

// expandWorkspaceGlob lists the directories (relative, slash-separated)
// that a workspace pattern names below dir.
func expandWorkspaceGlob(dir, pat string) []string {
	if !strings.ContainsAny(pat, "*?[") {
		return []string{pat}
	}
	if prefix, _, ok := strings.Cut(pat, "**"); ok {
		prefix = strings.TrimSuffix(prefix, "/")
		base := filepath.Join(dir, filepath.FromSlash(prefix))
		var out []string
		_ = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			rel = filepath.ToSlash(rel)
			if p != base && (skipDirs[d.Name()] || strings.Count(rel, "/")-strings.Count(prefix, "/") > maxGlobDepth) {
				return filepath.SkipDir
			}
			if ok, _ := path.Match(strings.ReplaceAll(pat, "**", "*"), rel); ok || strings.HasSuffix(pat, "**") {
				out = append(out, rel)
			}
			return nil
		})
		return out
	}
	matches, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pat)))
	out := make([]string, 0, len(matches))
	for _, m := range matches {
		if !isDir(m) {
			continue
		}
		rel, err := filepath.Rel(dir, m)
		if err == nil {
			out = append(out, filepath.ToSlash(rel))
		}
	}
	return out
}

func excluded(rel string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ReplaceAll(p, "**", "*"), rel); ok {
			return true
		}
		if strings.HasSuffix(p, "/**") && strings.HasPrefix(rel, strings.TrimSuffix(p, "**")) {
			return true
		}
	}
	return false
}
