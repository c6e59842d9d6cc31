package ap

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// NodeVersionMismatch reports a Node version request the runtime base
// image does not satisfy.
var NodeVersionMismatch = register(&analysis.Rule{
	ID:       "AP008",
	Name:     "node-version-mismatch",
	Title:    "the project asks for a Node version the runtime image does not have",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "`engines.node` in package.json, `.nvmrc` and `.node-version` say which Node the project is " +
			"developed and tested on. When the runtime image's base has another major, production runs " +
			"code on a Node nobody tested: APIs differ between majors (fetch, test runner, permission " +
			"model, module loading), native modules are built for the wrong ABI, and deprecations turn " +
			"into crashes.\n\n" +
			"The base's Node major is read from its tag (`node:20-slim`, `node:22.11.0-alpine`, " +
			"`gcr.io/distroless/nodejs22-debian12`; codenames like `node:iron` too); when the tag does " +
			"not say (`node:lts`, a variable, an unknown image), the rule stays silent. `engines.node` is " +
			"an npm semver range (checked against the exact version when the tag has one); .nvmrc " +
			"codenames (`lts/iron`) are mapped, aliases (`lts/*`, `node`, `stable`) skipped.",
		Bad:  "# package.json: \"engines\": { \"node\": \">=22\" }\nFROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "# package.json: \"engines\": { \"node\": \">=22\" }\nFROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Use a base image with the Node version the project asks for (`FROM node:22-slim`), or " +
			"update `engines.node` / `.nvmrc` if the project has moved on. Findings in package.json and " +
			".nvmrc cannot be ignored inline; use `.seaworthy.yaml` or `--ignore`.",
		AppliesTo: "A different Node major in a development or test image means developers and CI run another " +
			"runtime than the project asks for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		if pkg == nil || b.Dockerfile == nil {
			return
		}
		reported := map[string]bool{}
		for _, st := range b.Dockerfile.FinalStages() {
			base, major, exact, ok := runtimeNode(st)
			if !ok {
				continue
			}
			if want := strings.TrimSpace(pkg.Manifest.Engines["node"]); want != "" && !reported[pkg.ManifestPath] {
				if allowed, ok := nodeapp.EngineAllows(want, major, exact); ok && !allowed {
					reported[pkg.ManifestPath] = true
					have := fmt.Sprintf("Node %d", major)
					if exact != nil {
						have = "Node " + exact.String()
					}
					pass.Report(analysis.Finding{
						File:    pkg.ManifestPath,
						Range:   lineRange(manifestLine(pkg, "engines", "node")),
						Message: fmt.Sprintf("engines.node asks for %q, but the runtime image %s has %s", want, base, have),
						Help:    "use a base image with a Node version in that range, or update engines.node",
					})
				}
			}
			for _, name := range []string{".nvmrc", ".node-version"} {
				content, ok := pkg.NodeVersionFiles[name]
				path := filepath.Join(pkg.Dir, name)
				if !ok || reported[path] {
					continue
				}
				want, line, ok := nodeapp.VersionFileMajor(content)
				if !ok || want == major {
					continue
				}
				reported[path] = true
				pass.Report(analysis.Finding{
					File:    path,
					Range:   lineRange(line),
					Message: fmt.Sprintf("%s asks for Node %d, but the runtime image %s has Node %d", name, want, base, major),
					Help:    fmt.Sprintf("use a Node %d base image (`FROM node:%d-slim`), or update %s", want, want, name),
				})
			}
		}
	}),
})

var fullVersionTag = regexp.MustCompile(`^v?(\d+\.\d+\.\d+)(-|$)`)

// runtimeNode returns the Node major of a stage's base image (and the
// exact version when an official node tag has one).
func runtimeNode(st *dockerfile.Stage) (base string, major int, exact *semver.Version, ok bool) {
	root := st.Root()
	if !root.External() {
		return "", 0, nil, false
	}
	facts, known := knowledge.LookupImage(root.Registry, root.Repository, root.Tag)
	if !known || !facts.Node || facts.NodeMajor == 0 {
		return "", 0, nil, false
	}
	base = root.Name()
	if root.Tag != "" {
		base += ":" + root.Tag
	}
	if root.Registry == "" && root.Repository == "node" {
		if m := fullVersionTag.FindStringSubmatch(root.Tag); m != nil {
			exact, _ = semver.NewVersion(m[1])
		}
	}
	return base, facts.NodeMajor, exact, true
}
