package im

import (
	"fmt"
	"path"
	"sort"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageDevDependencies reports devDependencies installed in the image.
var ImageDevDependencies = family.Add(&analysis.Rule{
	ID:       "IM007",
	Name:     "image-dev-dependencies",
	Title:    "node_modules holds devDependencies",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "Test runners, compilers, linters and type packages (jest, typescript, eslint, @types/*) are often most of " +
			"a node_modules folder: they make the image larger and slower to pull, and add code with its own " +
			"vulnerabilities to what runs in production, where nothing needs them. The audit reads the app's " +
			"package.json (from `--project`, else from the image: the WORKDIR, then the directory of the command's " +
			"script) and looks for each package listed only in devDependencies in the app's node_modules.",
		Bad: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/app/package.json --\n{\"dependencies\": {\"express\": \"^4.21.0\"}, \"devDependencies\": {\"jest\": \"^29.7.0\"}}\n" +
			"-- image/layer1/app/node_modules/express/package.json --\n{\"name\": \"express\"}\n" +
			"-- image/layer1/app/node_modules/jest/package.json --\n{\"name\": \"jest\"}\n",
		Good: "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"WorkingDir\": \"/app\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/app/package.json --\n{\"dependencies\": {\"express\": \"^4.21.0\"}, \"devDependencies\": {\"jest\": \"^29.7.0\"}}\n" +
			"-- image/layer1/app/node_modules/express/package.json --\n{\"name\": \"express\"}\n",
		ExampleFile: exampleFile,
		Fix: "Install production dependencies only in the image: `npm ci --omit=dev` (yarn: `yarn workspaces focus " +
			"--production`, pnpm: `pnpm install --prod`), or build in a stage with every dependency and copy into the " +
			"final stage a node_modules installed or pruned (`npm prune --omit=dev`) without them.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		app, ok := img.App()
		if !ok {
			return
		}
		m := app.Manifest
		var found []string
		for name := range m.DevDependencies {
			if _, ok := m.Dependencies[name]; ok {
				continue
			}
			if _, ok := m.OptionalDependencies[name]; ok {
				continue
			}
			if _, ok := m.PeerDependencies[name]; ok {
				continue
			}
			if _, ok := img.Lookup(path.Join(app.Dir, "node_modules", name)); ok {
				found = append(found, name)
			}
		}
		if len(found) == 0 {
			return
		}
		sort.Strings(found)
		noun := "packages"
		if len(found) == 1 {
			noun = "package"
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("/%s holds %d %s that %s lists only as devDependencies: %s",
				path.Join(app.Dir, "node_modules"), len(found), noun, app.From, listSome(found, 8)),
			Help: "install with `npm ci --omit=dev` (or prune with `npm prune --omit=dev`) in the final stage",
			Path: "/" + path.Join(app.Dir, "node_modules"),
		})
	}),
})
