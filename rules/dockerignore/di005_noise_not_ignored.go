package dockerignore

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	df "github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// NoiseNotIgnored reports logs, coverage reports and build output that a
// whole-context COPY brings in.
var NoiseNotIgnored = register(&analysis.Rule{
	ID:       "DI005",
	Name:     "noise-not-ignored",
	Title:    "logs, coverage or build output are not excluded from a whole-context COPY",
	Severity: analysis.Info,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "Files that only matter on the developer's machine make the build context bigger and, worse, " +
			"change all the time: a new line in `npm-debug.log` or a fresh coverage report invalidates the " +
			"`COPY . .` layer and every step after it. Build output the image builds itself (`dist/`, " +
			"`.next/`) is also stale host output that the build overwrites or, in a later stage, mixes with.\n\n" +
			"The rule fires when a whole-context COPY/ADD (without `--from`, in any stage) would bring " +
			"`*.log` files at the context root, and in Node projects also `npm-debug.log*`, `coverage/` and — " +
			"when a RUN in the Dockerfile runs a build step (`npm run build`, `tsc`, `next build`, …) — the " +
			"build's output directory: `.next` for Next.js, `.nuxt`/`.output` for Nuxt, `.svelte-kit` for " +
			"SvelteKit, `build` for Create React App and Remix, `dist` otherwise. A directory the Dockerfile " +
			"copies by name (`COPY dist ./dist`) is never suggested. Without a `.dockerignore` DI001 reports " +
			"instead.",
		Bad:         "# .dockerignore (the Dockerfile runs `COPY . .` and `RUN npm run build`)\nnode_modules\n.git\n",
		Good:        "node_modules\n.git\n*.log\nnpm-debug.log*\ncoverage\ndist\n",
		ExampleFile: ".dockerignore",
		Fix:         "Add the patterns to the `.dockerignore`; `seaworthy fix` appends them.",
	},
	Run: func(pass *analysis.Pass) {
		v := factsFor(pass)
		if v == nil || v.b.Ignore == nil || len(v.whole) == 0 {
			return
		}
		targets := []target{{label: "`*.log`", probe: "app.log", pattern: "*.log"}}
		if v.node {
			targets = append(targets,
				target{label: "`npm-debug.log*`", probe: "npm-debug.log.1", pattern: "npm-debug.log*"},
				target{label: "`coverage/`", probe: "coverage/lcov.info", pattern: "coverage"})
			if v.buildStep != nil {
				for _, dir := range v.buildOutputs() {
					targets = append(targets, target{
						label:   fmt.Sprintf("`%s/` (built by `%s`, %s:%d)", dir, cmdText(v.buildStep), v.dockerfileName(), v.buildStep.Line),
						probe:   dir + "/index.js",
						pattern: dir,
					})
				}
			}
		}
		miss, cp := v.missing(targets)
		if len(miss) == 0 {
			return
		}
		labels := make([]string, len(miss))
		for i, t := range miss {
			labels[i] = t.label
		}
		pass.Report(analysis.Finding{
			File: v.b.IgnorePath, Range: anchor(v.b.Ignore),
			Message: fmt.Sprintf(".dockerignore does not exclude %s: %s sends them to the build and any change invalidates the layer cache",
				list(labels, 5), v.dockerfileRef(cp.In)),
			Help: "add the missing patterns to .dockerignore",
			Fix:  v.appendFix(miss),
		})
	},
})

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
	case has("next") || runs("next"):
		return []string{".next"}
	case has("nuxt") || has("nuxt3") || runs("nuxt") || runs("nuxi"):
		return []string{".nuxt", ".output"}
	case has("@sveltejs/kit") || runs("svelte-kit"):
		return []string{".svelte-kit"}
	case has("react-scripts") || runs("react-scripts") || has("@remix-run/dev") || runs("remix"):
		return []string{"build"}
	}
	return []string{"dist"}
}

// cmdText is a shell command as words, shortened for messages.
func cmdText(c *df.ShellCommand) string {
	t := c.String()
	if len(t) > 40 {
		t = t[:37] + "..."
	}
	return t
}
