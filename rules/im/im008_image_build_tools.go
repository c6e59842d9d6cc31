package im

import (
	"fmt"
	"path"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageBuildTools reports compilers, build tools and package manager
// caches in the runtime filesystem.
var ImageBuildTools = family.Add(&analysis.Rule{
	ID:       "IM008",
	Name:     "image-build-tools",
	Title:    "the runtime image holds build tools or package manager caches",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "Compilers and build tools (gcc, g++, make, python3 for node-gyp, git) are needed to install some " +
			"packages, not to run them: in the runtime image they add hundreds of megabytes and give an attacker " +
			"who gets a shell everything needed to build the next stage of an attack. Package manager caches " +
			"(`~/.npm/_cacache`, yarn's and pnpm's stores) are copies of what node_modules already holds.",
		Bad: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/usr/bin/gcc --\n\n-- image/layer1/usr/bin/make --\n\n" +
			"-- image/layer2/root/.npm/_cacache/index-v5/00/ab --\n{}\n",
		Good: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/usr/local/bin/node --\n\n",
		ExampleFile: exampleFile,
		Fix: "Build in a stage that has the tools (`FROM node:22 AS build`, `npm ci`, compile) and copy only the app " +
			"and its node_modules into a slim final stage; clear caches in the step that fills them " +
			"(`npm ci --omit=dev && npm cache clean --force`) or mount them as build caches " +
			"(`RUN --mount=type=cache,target=/root/.npm npm ci`).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		var tools []string
		for _, t := range buildTools {
			for _, dir := range []string{"usr/bin", "usr/local/bin", "bin"} {
				if _, ok := img.Lookup(path.Join(dir, t)); ok {
					tools = append(tools, t)
					break
				}
			}
		}
		if len(tools) > 0 {
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("the runtime filesystem holds build tools: %s", listSome(tools, 8)),
				Help:    "install and compile in a build stage and copy only the app into a slim final stage",
			})
		}
		var caches []string
		var total int64
		for _, c := range cacheDirs(img) {
			size := img.DirSize(c)
			total += size
			caches = append(caches, fmt.Sprintf("/%s (%s)", c, mb(size)))
		}
		if len(caches) > 0 {
			pass.Report(analysis.Finding{
				Message: fmt.Sprintf("the runtime filesystem holds package manager caches, %s: %s", mb(total), listSome(caches, 4)),
				Help:    "clean the cache in the step that fills it (`npm cache clean --force`) or use `RUN --mount=type=cache`",
			})
		}
	}),
})

// buildTools are the compilers and build tools looked for.
var buildTools = []string{"gcc", "g++", "cc", "c++", "make", "cmake", "python3", "python", "git", "node-gyp"}

// cacheDirs are the package manager caches of the final filesystem, in
// root's and every home directory.
func cacheDirs(img *imagefs.Image) []string {
	homes := []string{"root"}
	for _, h := range img.Children("home") {
		homes = append(homes, "home/"+h)
	}
	var out []string
	for _, h := range homes {
		for _, c := range []string{".npm/_cacache", ".cache/yarn", ".yarn/berry/cache", ".local/share/pnpm/store", ".cache/pnpm", ".cache/node-gyp"} {
			if _, ok := img.Lookup(path.Join(h, c)); ok {
				out = append(out, path.Join(h, c))
			}
		}
	}
	for _, c := range []string{"usr/local/share/.cache/yarn", "tmp/.npm"} {
		if _, ok := img.Lookup(c); ok {
			out = append(out, c)
		}
	}
	return out
}
