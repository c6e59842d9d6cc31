package di

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// IgnoredFileNeeded reports a path the Dockerfile copies by name that the
// .dockerignore excludes.
var IgnoredFileNeeded = register(&analysis.Rule{
	ID:       "DI006",
	Name:     "ignored-file-needed",
	Title:    "a file the Dockerfile copies is excluded by .dockerignore",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Docker removes excluded paths from the build context before any instruction runs, so " +
			"`COPY package-lock.json ./` fails with `\"/package-lock.json\": not found` when a pattern such as " +
			"`*.json` or `*` (without a `!package-lock.json` exception) excludes it — often long after the " +
			"pattern was added, in someone else's build.\n\n" +
			"The rule checks each source that a COPY or ADD (without `--from`) or a `RUN --mount=type=bind` " +
			"(without `from`) names, with Docker's pattern semantics: the last matching pattern wins, `!` " +
			"re-includes, and a pattern that matches a directory excludes what is in it. A directory counts as " +
			"excluded when no file in it is re-included. Glob sources (`COPY package*.json ./`) are checked " +
			"against the files present in the context: the rule fires when at least one file matches and every " +
			"match is excluded — BuildKit then copies nothing without an error, and a later step (`npm ci`) " +
			"fails instead. Sources with variables (`COPY $APP_DIR .`) are skipped. The finding points at the " +
			"pattern that decides; the message names the COPY.",
		Bad:         "# .dockerignore (the Dockerfile runs `COPY package.json package-lock.json ./`)\nnode_modules\n*.json\n",
		Good:        "node_modules\n*.json\n!package.json\n!package-lock.json\n",
		ExampleFile: ".dockerignore",
		Fix: "Remove or narrow the pattern, or add an exception after it (`!package-lock.json`). If the file " +
			"should not be in the image, remove it from the COPY instead.",
		AppliesTo: "The build fails or misses files, whatever the image is for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		v := factsFor(b)
		if v == nil || v.b.Ignore == nil {
			return
		}
		ig := v.b.Ignore
		seen := map[string]bool{}
		for _, s := range v.sources {
			if s.Broad != "" || s.Rel == "." || seen[s.Rel] {
				continue
			}
			seen[s.Rel] = true
			if s.Glob {
				v.checkGlob(pass, s)
				continue
			}
			ex, by := ig.Match(s.Rel)
			if !ex || by == nil {
				continue
			}
			full := filepath.Join(v.b.ContextDir, filepath.FromSlash(s.Rel))
			st, err := os.Stat(full)
			switch {
			case err == nil && st.IsDir():
				if ig.MayReinclude(s.Rel) && anyIncluded(ig, v.b.ContextDir, s.Rel) {
					continue
				}
			case err != nil && ig.MayReinclude(s.Rel):
				continue // absent here; as a directory it could keep re-included files
			}
			what, ref := "copies", v.dockerfileRef(s.In)
			if s.Mount {
				what = "mounts"
				ref = fmt.Sprintf("`RUN --mount=type=bind,source=%s` (%s:%d)", s.Raw, v.dockerfileName(), s.In.StartLine)
			}
			pass.Report(analysis.Finding{
				File:  v.b.IgnorePath,
				Range: lineRange(ig, by.Line),
				Message: fmt.Sprintf("%s excludes %q, which %s %s: the build fails (\"/%s\": not found)",
					patternText(ig, by), s.Rel, ref, what, s.Rel),
				Help: fmt.Sprintf("add `!%s` after line %d, or narrow the pattern", s.Rel, by.Line),
			})
		}
	}),
})

// checkGlob reports a glob source whose every match in the context is
// excluded (BuildKit copies nothing then, without an error).
func (v *facts) checkGlob(pass *analysis.Pass, s source) {
	if strings.Contains(s.Rel, "**") {
		return
	}
	matches, err := filepath.Glob(filepath.Join(v.b.ContextDir, filepath.FromSlash(s.Rel)))
	if err != nil || len(matches) == 0 {
		return
	}
	ig := v.b.Ignore
	var names []string
	var first *dockerignore.Pattern
	for _, m := range matches {
		rel, err := filepath.Rel(v.b.ContextDir, m)
		if err != nil {
			return
		}
		rel = filepath.ToSlash(rel)
		ex, by := ig.Match(rel)
		if !ex || by == nil {
			return
		}
		if isDir(m) && ig.MayReinclude(rel) && anyIncluded(ig, v.b.ContextDir, rel) {
			return
		}
		if first == nil {
			first = by
		}
		names = append(names, rel)
	}
	sort.Strings(names)
	pass.Report(analysis.Finding{
		File:  v.b.IgnorePath,
		Range: lineRange(ig, first.Line),
		Message: fmt.Sprintf("%s excludes %s, every file that `%s` in %s matches: the COPY silently copies nothing and later steps miss %s",
			patternText(ig, first), list(quoteAll(names), 3), s.Raw, v.dockerfileRef(s.In), itThem(len(names))),
		Help: fmt.Sprintf("add an exception after line %d (`!%s`), or narrow the pattern", first.Line, names[0]),
	})
}

// anyIncluded reports whether some file below the context directory rel
// is not excluded (the walk is bounded; at the bound it answers true).
func anyIncluded(ig *dockerignore.File, ctx, rel string) bool {
	found, n := false, 0
	root := filepath.Join(ctx, filepath.FromSlash(rel))
	_ = project.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if n++; n > 5000 {
			found = true
			return filepath.SkipAll
		}
		r, err := filepath.Rel(ctx, p)
		if err != nil {
			return nil
		}
		r = filepath.ToSlash(r)
		if d.IsDir() {
			if p != root && !ig.MayReinclude(r) {
				if ex, _ := ig.Match(r); ex {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if ex, _ := ig.Match(r); !ex {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// patternText names a pattern as written and its line:
// "pattern `*.json` (line 3)".
func patternText(ig *dockerignore.File, p *dockerignore.Pattern) string {
	text := p.Text
	if p.Line >= 1 && p.Line <= len(ig.Lines) {
		text = strings.TrimSpace(ig.Lines[p.Line-1])
	}
	return fmt.Sprintf("pattern `%s` (line %d)", text, p.Line)
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}
