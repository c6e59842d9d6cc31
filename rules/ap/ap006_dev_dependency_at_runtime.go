package ap

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// DevDependencyAtRuntime reports a runtime import of a package that the
// image's production-only install leaves out.
var DevDependencyAtRuntime = register(&analysis.Rule{
	ID:       "AP006",
	Name:     "dev-dependency-at-runtime",
	Title:    "runtime code imports a package that is only a devDependency",
	Severity: analysis.Error,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A production image installs without devDependencies (`npm ci --omit=dev`, " +
			"`NODE_ENV=production`, `npm prune --omit=dev`, `yarn install --production`, " +
			"`pnpm install --prod`). A package the app loads at run time but lists only under " +
			"devDependencies is then missing, and the container crashes with \"Cannot find module\" " +
			"as soon as the file that loads it runs — often only in production, because every " +
			"development machine has devDependencies installed.\n\n" +
			"What is read: `require`, `import`, `export … from` and literal `import()` in the " +
			"package's sources, without tests, dev tool configurations, tooling directories " +
			"(scripts/, tools/, examples/, …), TypeScript type-only imports, and loads inside " +
			"`try`/`if` blocks or behind `&&`/`?:` (optional loads). When the final stage copies only " +
			"named paths from the context (directly or from a builder stage that copied the context), files " +
			"outside them are left out; a copied build output (`dist/`) ships the package's `src/` and " +
			"top-level files. The `prisma.seed` script of package.json is left out too, and so are " +
			"helpers kept among the sources that only tests load (`src/fixtures.ts` imported only by " +
			"`__tests__/`; a file that nothing imports, or named like an entry point, still counts), and, " +
			"when the image runs with NODE_ENV=production, files the app loads only under " +
			"`if (process.env.NODE_ENV !== 'production' …)`. Projects that bundle " +
			"(esbuild, webpack, rollup, tsup, ncc, vite, next build, …) are not checked: the bundle " +
			"carries its imports with it.",
		ExampleFile: "server.js",
		Bad: "// package.json: \"devDependencies\": { \"dotenv\": \"^16.4.0\" }\n// Dockerfile:   RUN npm ci --omit=dev\n" +
			"require('dotenv').config()\nconst express = require('express')\n",
		Good: "// package.json: \"dependencies\": { \"dotenv\": \"^16.4.0\", \"express\": \"^4.21.0\" }\n// Dockerfile:   RUN npm ci --omit=dev\n" +
			"require('dotenv').config()\nconst express = require('express')\n",
		Fix: "Move the package from devDependencies to dependencies (`npm install --save-prod <pkg>`), or " +
			"stop loading it at run time (load development-only helpers behind a check of " +
			"`NODE_ENV` inside a try block).",
		AppliesTo: "Development and test images install devDependencies.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		f := b.Dockerfile
		if pkg == nil || f == nil || len(pkg.Manifest.DevDependencies) == 0 {
			return
		}
		var prodStage *dockerfile.Stage
		var installCmd *dockerfile.ShellCommand
		var installIn *dockerfile.Instruction
		for _, st := range purpose.Deployed(f) {
			if c, in, ok := stage.OmitsDevDependencies(f, st); ok {
				prodStage, installCmd, installIn = st, c, in
				break
			}
		}
		if prodStage == nil || bundles(pkg, f) {
			return
		}
		how := fmt.Sprintf("%s, %s line %d", quote(installCmd.String()), filepath.Base(b.DockerfilePath), installIn.StartLine)
		if i, ok := install.Classify(installCmd); ok && !i.OmitDev {
			if v, set := stage.EnvBefore(stageOf(installIn, prodStage), "NODE_ENV", installIn.StartLine); set && v == "production" {
				how += ", under NODE_ENV=production"
			} else {
				how += ", then pruned"
			}
		}
		paths, all := stage.ShippedContextPaths(f, prodStage)
		seeds := nodeapp.PrismaSeedFiles(pkg)
		var testOnly, devOnly map[string]bool // read at the first finding
		loadsRead := false
		for _, sf := range nodeapp.SourcesOf(pkg).RuntimeFiles() {
			if seeds[sf.Rel] {
				continue // run by `prisma db seed`, a development command
			}
			if !all && !shippedFile(b, sf, paths) {
				continue
			}
			seen := map[string]bool{}
			for _, im := range sf.Imports {
				if im.TypeOnly || im.Conditional {
					continue
				}
				name, kind := jsscan.PackageName(im.Spec)
				if kind != jsscan.SpecPackage || seen[name] || name == pkg.Manifest.Name || strings.HasPrefix(name, "@types/") {
					continue
				}
				if _, dev := pkg.Manifest.DevDependencies[name]; !dev || nodeapp.HasRuntimeDep(pkg, name) {
					continue
				}
				if !loadsRead {
					testOnly, loadsRead = nodeapp.TestOnlyFiles(pkg), true
					if runsInProduction(f, prodStage) {
						devOnly = nodeapp.DevOnlyFiles(pkg)
					}
				}
				if testOnly[sf.Rel] || devOnly[sf.Rel] {
					break // a test helper, or loaded only outside production
				}
				seen[name] = true
				pass.Report(analysis.Finding{
					File:  sf.Path,
					Range: lineRange(im.Line),
					Message: fmt.Sprintf("%q is loaded here but is only in devDependencies, and the image installs without them (%s): the container fails with \"Cannot find module '%s'\"",
						name, how, im.Spec),
					Help: fmt.Sprintf("move %q from devDependencies to dependencies in package.json", name),
				})
			}
		}
	}),
})

// runsInProduction reports whether the stage's container runs with
// NODE_ENV=production: an ENV, or the command it starts sets it.
func runsInProduction(f *dockerfile.File, st *dockerfile.Stage) bool {
	if _, v := stage.LastEnv(st, "NODE_ENV"); v == "production" {
		return true
	}
	_, ok := nodeapp.StartSetsNodeEnv(f, st)
	return ok
}

// shippedFile reports whether the final stage's context COPYs include
// the source file.
func shippedFile(b *project.Build, sf *nodeapp.SourceFile, paths []string) bool {
	rel, err := filepath.Rel(b.ContextDir, sf.Path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return true // outside the context: cannot tell
	}
	rel = filepath.ToSlash(rel)
	if stage.ContextPathCopied(rel, paths) {
		return true
	}
	// Sources compile into a copied build output (`dist/`): the package's
	// top-level files and source directories ship in compiled form.
	pkgRel, err := filepath.Rel(b.ContextDir, b.Package.Dir)
	if err != nil {
		return true
	}
	pkgRel = filepath.ToSlash(pkgRel)
	for _, p := range paths {
		dir, base := path.Split(p)
		if !buildOutputDirs[base] || path.Clean(dir+".") != pkgRel && !(pkgRel == "." && dir == "") {
			continue
		}
		within := sf.Rel
		first, _, nested := strings.Cut(within, "/")
		if !nested || compiledSourceDirs[first] {
			return true
		}
	}
	return false
}

// buildOutputDirs are directories compilers write to.
var buildOutputDirs = map[string]bool{"dist": true, "build": true, "out": true, "lib": true, ".output": true}

// compiledSourceDirs are directories whose sources compile into the
// build output.
var compiledSourceDirs = map[string]bool{"src": true, "lib": true, "app": true, "server": true, "api": true, "source": true}

// bundlerCommands are build commands that bundle the app's imports into
// its output.
var bundlerCommands = [][]string{
	{"esbuild"}, {"webpack"}, {"rollup"}, {"tsup"}, {"ncc"}, {"parcel"}, {"rspack"}, {"tsdown"},
	{"unbuild"}, {"pkgroll"}, {"rolldown"}, {"microbundle"}, {"bun", "build"}, {"vite", "build"},
	{"next", "build"}, {"nuxt", "build"}, {"nuxi", "build"}, {"ng", "build"}, {"react-scripts", "build"},
	{"remix", "build"}, {"remix", "vite:build"}, {"astro", "build"}, {"gatsby", "build"},
	{"svelte-kit", "build"}, {"vue-cli-service", "build"}, {"react-router", "build"}, {"vinxi", "build"},
}

// bundles reports whether the project bundles its code: a package.json
// script or a Dockerfile RUN runs a bundler.
func bundles(pkg *nodeproject.Package, f *dockerfile.File) bool {
	for _, s := range pkg.Manifest.Scripts {
		if runsBundler(strings.Fields(s)) {
			return true
		}
	}
	for _, in := range f.Instructions {
		if in.Keyword == "RUN" && in.Script != nil {
			for _, c := range in.Script.Commands {
				if runsBundler(c.Words()) {
					return true
				}
			}
		}
	}
	return false
}

func runsBundler(words []string) bool {
	for i, w := range words {
		w = w[strings.LastIndex(w, "/")+1:]
		for _, cmd := range bundlerCommands {
			if w != cmd[0] {
				continue
			}
			if len(cmd) == 1 || i+1 < len(words) && words[i+1] == cmd[1] {
				return true
			}
		}
	}
	return false
}

// stageOf is the stage holding an instruction (def when unknown).
func stageOf(in *dockerfile.Instruction, def *dockerfile.Stage) *dockerfile.Stage {
	if in != nil && in.Stage != nil {
		return in.Stage
	}
	return def
}
