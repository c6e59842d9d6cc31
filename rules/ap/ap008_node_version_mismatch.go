package ap

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/seaworthy-dev/seaworthy/analysis"
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
				if allowed, ok := engineAllows(want, major, exact); ok && !allowed {
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
				want, line, ok := versionFileMajor(content)
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

var versionNumber = regexp.MustCompile(`\d+(\.(\d+|x|X|\*))*`)

// engineAllows reports whether an engines.node range admits the major (or
// the exact version). ok is false when the range does not parse.
func engineAllows(rng string, major int, exact *semver.Version) (allowed, ok bool) {
	r := strings.TrimSpace(rng)
	switch strings.ToLower(r) {
	case "", "*", "x", "latest", "lts", "node":
		return true, false
	}
	c, err := semver.NewConstraint(r)
	if err != nil {
		return true, false
	}
	if exact != nil {
		return c.Check(exact), true
	}
	cands := []*semver.Version{semver.New(uint64(major), 0, 0, "", ""), semver.New(uint64(major), 999, 999, "", "")}
	for _, lit := range versionNumber.FindAllString(r, -1) {
		parts := strings.Split(lit, ".")
		m, err := strconv.Atoi(parts[0])
		if err != nil || m != major {
			continue
		}
		minor, patch := 0, 0
		if len(parts) > 1 {
			minor, _ = strconv.Atoi(parts[1])
		}
		if len(parts) > 2 {
			patch, _ = strconv.Atoi(parts[2])
		}
		for _, v := range [][2]int{{minor, patch}, {minor, patch + 1}, {minor, 999}, {minor + 1, 0}} {
			cands = append(cands, semver.New(uint64(major), uint64(v[0]), uint64(v[1]), "", ""))
		}
	}
	for _, v := range cands {
		if c.Check(v) {
			return true, true
		}
	}
	return false, true
}

// versionFileMajor reads the Node major of .nvmrc/.node-version content:
// `20`, `v20.11.1`, `20.x`, `lts/iron`, `iron`; aliases (`lts/*`, `node`,
// `stable`, `latest`, `system`) give ok=false. line is the content's line.
func versionFileMajor(content string) (major, line int, ok bool) {
	for i, l := range strings.Split(content, "\n") {
		l = strings.TrimSpace(l)
		if j := strings.IndexByte(l, '#'); j >= 0 {
			l = strings.TrimSpace(l[:j])
		}
		if l == "" {
			continue
		}
		l = strings.ToLower(strings.Fields(l)[0])
		line = i + 1
		if name, found := strings.CutPrefix(l, "lts/"); found {
			m, known := knowledge.NodeCodename(name)
			return m, line, known
		}
		if m, known := knowledge.NodeCodename(l); known {
			return m, line, true
		}
		l = strings.TrimPrefix(l, "v")
		digits := 0
		for digits < len(l) && l[digits] >= '0' && l[digits] <= '9' {
			digits++
		}
		if digits == 0 {
			return 0, line, false
		}
		m, err := strconv.Atoi(l[:digits])
		return m, line, err == nil && m > 0
	}
	return 0, 0, false
}
