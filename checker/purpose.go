package checker

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// The purpose policy: every Dockerfile and compose file is classified as
// production, development, test or example (facts/purpose), and only the
// rules whose Purposes include its purpose run on it. The flag
// --production (Options.Production) and a `purpose:` in the config
// (config.Config.PurposeFor) overrule the classification.

// dockerfilePurpose is the purpose of the Dockerfile at path; build is
// the build it is checked as part of (nil when none). A Dockerfile whose
// image the project's CI or scripts push to a registry is production
// whatever its name, folders or content say (postiz ships the image of its
// Dockerfile.dev).
func (o *Options) dockerfilePurpose(path string, f *dockerfile.File, build analysis.Input) analysis.FilePurpose {
	return o.filePurpose(path, func(rel string) purpose.Class {
		if b, ok := build.(*project.Build); ok && b != nil && b.ContextSource.Publishes {
			return purpose.Class{Purpose: analysis.Production, Reason: "its image is pushed (" + b.ContextSource.String() + ")"}
		}
		return purpose.Dockerfile(rel, f)
	})
}

// composePurpose is the purpose of a compose file set, by its base file.
func (o *Options) composePurpose(p *compose.Project) analysis.FilePurpose {
	path := p.Files[0].Path
	return o.filePurpose(path, func(rel string) purpose.Class { return purpose.Compose(rel, p) })
}

func (o *Options) filePurpose(path string, classify func(rel string) purpose.Class) analysis.FilePurpose {
	fp := analysis.FilePurpose{File: path}
	if o.Production {
		fp.Reason = "--production"
		return fp
	}
	if cfg := o.configFor(path); cfg != nil {
		if p, ok := cfg.PurposeFor(path); ok {
			fp.Purpose, fp.Reason = p, "set in "+cfg.Path
			return fp
		}
	}
	rel := path // stdin has no folders
	if path != stdinPath {
		rel = o.relPath(path)
	}
	c := classify(rel)
	fp.Purpose, fp.Reason = c.Purpose, c.Reason
	return fp
}

// forPurpose returns the rules that apply to files of purpose p: rules
// itself when all do.
func forPurpose(rules []*analysis.Rule, p analysis.Purpose) []*analysis.Rule {
	for i, r := range rules {
		if r.AppliesTo(p) {
			continue
		}
		out := append([]*analysis.Rule(nil), rules[:i]...)
		for _, r := range rules[i+1:] {
			if r.AppliesTo(p) {
				out = append(out, r)
			}
		}
		return out
	}
	return rules
}

// relPath is the path whose folder names tell a file's purpose: relative
// to the repository holding the file (the nearest folder above it with a
// .git), else to Options.Root, else to the working directory; the base
// name alone when the file is outside all of them. So the folders a
// checkout lives in (~/dev/project) never count, and a check of a
// subfolder (seaworthy check e2e) still sees the folders above it.
func (o *Options) relPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Base(path)
	}
	if root := repoRoot(filepath.Dir(abs)); root != "" {
		if rel, ok := below(root, abs); ok {
			return rel
		}
	}
	best, bestLen := "", -1
	for _, root := range o.Roots {
		r, err := filepath.Abs(root)
		if err != nil {
			continue
		}
		if rel, ok := below(r, abs); ok && len(r) > bestLen {
			best, bestLen = rel, len(r)
		}
	}
	if bestLen >= 0 {
		return best
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, ok := below(wd, abs); ok {
			return rel
		}
	}
	return filepath.Base(path)
}

// below returns abs relative to root, slash-separated, when abs is inside
// root.
func below(root, abs string) (string, bool) {
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// repoRoots caches repoRoot by directory.
var repoRoots sync.Map // string → string

// repoRoot is the nearest directory from dir upwards that holds a .git
// (a directory, or a file in worktrees and submodules); "" when none.
func repoRoot(dir string) string {
	if v, ok := repoRoots.Load(dir); ok {
		return v.(string)
	}
	root := ""
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		root = dir
	} else if parent := filepath.Dir(dir); parent != dir {
		root = repoRoot(parent)
	}
	repoRoots.Store(dir, root)
	return root
}

// sortPurposes orders purposes by file.
func sortPurposes(ps []analysis.FilePurpose) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].File < ps[j].File })
}
