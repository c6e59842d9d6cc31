package di

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// GitNotIgnored reports a whole-context COPY with .git left in the context.
var GitNotIgnored = register(&analysis.Rule{
	ID:       "DI003",
	Name:     "git-not-ignored",
	Title:    ".git is not excluded from a whole-context COPY",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "With `COPY . .` and no `.git` line in the `.dockerignore`, the repository's whole history goes into " +
			"the image: often larger than the app, and with every file ever committed, including secrets that " +
			"were removed from the working tree long ago. Every commit also changes `.git`, so the COPY layer " +
			"and everything after it is rebuilt even when no source file changed.\n\n" +
			"The rule fires when a whole-context COPY/ADD (without `--from`, in any stage) brings `.git` in. " +
			"It stays silent when the context is a subdirectory of a repository, or of the directory checked " +
			"when that has no `.git` (an extracted tree: the `.git` directory, wherever it is, is above the " +
			"context and never sent), when the Dockerfile copies `.git` by name, when the " +
			"`.dockerignore` curates `.git` path by path (`.git/objects`, `.git/logs`: the app reads its " +
			"version from what is left), and when there is no `.dockerignore` (DI001 reports that).",
		Bad:         "# .dockerignore (the Dockerfile runs `COPY . .`)\nnode_modules\n",
		Good:        "node_modules\n.git\n",
		ExampleFile: ".dockerignore",
		Fix: "Add `.git` to the `.dockerignore`. If the build needs the commit (a version string), pass it as a " +
			"build argument (`--build-arg GIT_SHA=$(git rev-parse HEAD)`) or label instead. `seaworthy fix` " +
			"appends the line unless a RUN in the Dockerfile calls `git`.",
		AppliesTo: "A development image may want the repository's history (tools that read it); in a shipped image " +
			".git leaks history and weight.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		v := factsFor(b)
		if v == nil || v.b.Ignore == nil || len(v.whole) == 0 {
			return
		}
		t := target{label: ".git", probe: ".git/HEAD", pattern: ".git"}
		miss, cp := v.missing([]target{t})
		if len(miss) == 0 {
			return
		}
		present := v.exists(".git")
		if !present && (repositoryAbove(v.b.ContextDir) || strictlyInside(v.b.ContextDir, v.b.Root)) {
			return
		}
		for _, p := range v.b.Ignore.Patterns {
			if strings.HasPrefix(p.Text, ".git/") {
				return // .git is curated path by path: the image needs part of it
			}
		}
		what := "would copy the repository's history"
		if present {
			what = "copies the repository's history (and every file ever committed)"
		}
		fd := analysis.Finding{
			File:    v.b.IgnorePath,
			Range:   anchor(v.b.Ignore),
			Message: fmt.Sprintf(".dockerignore does not exclude .git: %s %s into the image, and every commit invalidates its cache", v.dockerfileRef(cp.In), what),
			Help:    "add `.git` to .dockerignore; pass the commit as a build argument if the build needs it",
		}
		if !v.runsGit {
			fd.Fix = v.appendFix(miss)
		}
		pass.Report(fd)
	}),
})

// repositoryAbove reports whether a directory above dir holds .git: the
// context is a subdirectory of a checkout and its .git is never sent.
func repositoryAbove(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return true
		}
		if filepath.Dir(d) == d {
			return false
		}
	}
}

// strictlyInside reports whether dir is a directory below root: a context
// there cannot hold the repository's .git, which is at root or above.
func strictlyInside(dir, root string) bool {
	if root == "" {
		return false
	}
	d, err1 := filepath.Abs(dir)
	r, err2 := filepath.Abs(root)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(r, d)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
