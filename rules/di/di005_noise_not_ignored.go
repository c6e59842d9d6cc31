package di

import (
	"fmt"
	"path/filepath"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/project"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// NoiseNotIgnored reports logs, coverage reports and build output that a
// whole-context COPY brings in.
var NoiseNotIgnored = register(&analysis.Rule{
	ID:       "DI005",
	Name:     "noise-not-ignored",
	Title:    "logs, coverage or build output are not excluded from a whole-context COPY",
	Severity: analysis.Info,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "Files that only matter on the developer's machine make the build context bigger and, worse, " +
			"change all the time: a new line in `npm-debug.log` or a fresh coverage report invalidates the " +
			"`COPY . .` layer and every step after it. Build output the image builds itself (`dist/`, " +
			"`.next/`) is also stale host output that the build overwrites or, in a later stage, mixes with.\n\n" +
			"The rule fires when a whole-context COPY/ADD (without `--from`, in any stage) would bring " +
			"`*.log` files at the context root (`npm-debug.log`, `yarn-error.log`), and in Node projects also `coverage/` and — " +
			"when a RUN in the Dockerfile runs a build step (`npm run build`, `tsc`, `next build`, …) — the " +
			"build's output directory: `.next` for Next.js, `.nuxt`/`.output` for Nuxt, `.svelte-kit` for " +
			"SvelteKit, `build` for Create React App and Remix, `dist` otherwise. A directory the Dockerfile " +
			"copies by name (`COPY dist ./dist`) is never suggested. A pattern that excludes the coverage " +
			"of workspace packages (`**/coverage`, `/packages/**/coverage`, `packages/*/coverage`) counts for " +
			"`coverage/`. Without a `.dockerignore` DI001 reports " +
			"instead.",
		Bad:         "# .dockerignore (the Dockerfile runs `COPY . .` and `RUN npm run build`)\nnode_modules\n.git\n",
		Good:        "node_modules\n.git\n*.log\ncoverage\ndist\n",
		ExampleFile: ".dockerignore",
		Fix: "Add the patterns to the `.dockerignore`; `seaworthy fix` appends them, except a build output " +
			"directory that exists and is not in the context's `.gitignore` (it may be committed and needed).",
		AppliesTo: "It is about the size and cache churn of shipped images.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		v := factsFor(b)
		if v == nil || v.b.Ignore == nil || len(v.whole) == 0 {
			return
		}
		targets := []target{{label: "`*.log`", probe: "app.log", pattern: "*.log"}}
		var outputs []target
		if v.node {
			targets = append(targets, target{label: "`coverage/`", probe: "coverage/lcov.info", pattern: "coverage", nested: coverageNested})
			if v.buildStep != nil {
				for _, dir := range v.buildOutputs() {
					outputs = append(outputs, target{label: "`" + dir + "/`", probe: dir + "/index.js", pattern: dir})
				}
			}
		}
		miss, cp := v.missing(append(targets, outputs...))
		if len(miss) == 0 {
			return
		}
		labels := make([]string, len(miss))
		var built []string
		fixable := miss[:0:0]
		for i, t := range miss {
			labels[i] = t.label
			if contains(v.patternsOf(outputs), t.pattern) {
				built = append(built, t.label)
				// Build output present on disk and not git-ignored may be
				// a committed directory the image needs: no fix for it.
				if v.exists(t.pattern) && !v.gitIgnored(t.pattern) {
					continue
				}
			}
			fixable = append(fixable, t)
		}
		msg := fmt.Sprintf(".dockerignore does not exclude %s: %s sends them to the build and any change invalidates the layer cache",
			list(labels, 6), v.dockerfileRef(cp.In))
		if len(built) > 0 {
			msg += fmt.Sprintf(" (%s %s written by `%s`, %s:%d)", list(built, 2), isAre(len(built)), cmdText(v.buildStep), v.dockerfileName(), v.buildStep.Line)
		}
		pass.Report(analysis.Finding{
			File:    v.b.IgnorePath,
			Range:   anchor(v.b.Ignore),
			Message: msg,
			Help:    "add the missing patterns to .dockerignore",
			Fix:     v.appendFix(fixable),
		})
	}),
})

// coverageNested are representative places of workspace packages' coverage
// reports, so that a pattern such as `**/coverage` or
// `/packages/**/coverage` counts as excluding coverage.
var coverageNested = []nestedProbe{
	{"packages/x/coverage/lcov.info", "packages/x/src/index.js"},
	{"apps/x/coverage/lcov.info", "apps/x/src/index.js"},
	{"libs/x/coverage/lcov.info", "libs/x/src/index.js"},
	{"x/coverage/lcov.info", "x/src/index.js"},
}

// buildOutputs names the directories the project's build writes, from
// its framework (package.json dependencies and the build command).
func (v *facts) buildOutputs() []string {
	has := func(name string) bool {
		if v.b.Package == nil {
			return false
		}
		m := v.b.Package.Manifest
		_, dep := m.Dependencies[name]
		_, dev := m.DevDependencies[name]
		return dep || dev
	}
	words := v.buildStep.Words()
	runs := func(tool string) bool {
		for _, w := range words {
			if w == tool {
				return true
			}
		}
		return false
	}
	switch {
	case has("gatsby") || runs("gatsby"):
		return nil // public/ also holds sources
	case has("next") || runs("next"):
		return []string{".next"}
	case has("nuxt") || has("nuxt3") || runs("nuxt") || runs("nuxi"):
		return []string{".nuxt", ".output"}
	case has("@sveltejs/kit") || runs("svelte-kit"):
		return []string{".svelte-kit"}
	case has("react-scripts") || runs("react-scripts") || has("@remix-run/dev") || runs("remix") ||
		has("@adonisjs/core") || has("@docusaurus/core") || runs("docusaurus"):
		return []string{"build"}
	}
	return []string{"dist"}
}

// cmdText is a shell command as words, shortened for messages.
func cmdText(c *dockerfile.ShellCommand) string {
	t := c.String()
	if len(t) > 40 {
		t = t[:37] + "..."
	}
	return t
}

func (v *facts) patternsOf(targets []target) []string {
	out := make([]string, len(targets))
	for i, t := range targets {
		out[i] = t.pattern
	}
	return out
}

// gitIgnored reports whether the context's .gitignore ignores the
// top-level name (read with Docker's matcher, which agrees with git for
// the plain names this is asked about).
func (v *facts) gitIgnored(name string) bool {
	src, err := regular.ReadFile(filepath.Join(v.b.ContextDir, ".gitignore"), 1<<20)
	if err != nil {
		return false
	}
	gi, err := dockerignore.Parse(".gitignore", src)
	if err != nil {
		return false
	}
	ex, _ := gi.Match(name)
	return ex
}
