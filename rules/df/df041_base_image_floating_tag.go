package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// BaseImageFloatingTag reports a runtime Node base whose tag names no Node
// major (`node:alpine`, `node:lts`), so it moves across majors.
var BaseImageFloatingTag = register(&analysis.Rule{
	ID:       "DF041",
	Name:     "base-image-floating-tag",
	Title:    "runtime base image tag names no Node major",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Tags such as `node:alpine`, `node:slim`, `node:bookworm-slim`, `node:lts`, `node:lts-alpine` " +
			"and `node:current` follow whatever Node line is newest (or newest LTS): when a new major comes " +
			"out, the next build of an unchanged commit runs on it. Native modules built for the old ABI, " +
			"removed APIs and changed defaults then break in production without any change in the " +
			"repository, and nobody chose the upgrade. A tag with the major (`node:22-alpine`) still " +
			"receives security and minor updates.",
		Bad:  "FROM node:lts-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Name the Node major in the tag, keeping the variant: `node:22-alpine`, `node:22-slim`, " +
			"`node:22-bookworm-slim`; an exact version (`node:22.11.0-alpine`) with a digest pins it fully. " +
			"Renovate or Dependabot propose the next major as a reviewed change.",
		AppliesTo: "It is about what a deployed image runs on. Development and test images often follow the " +
			"newest line on purpose and are rebuilt and thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Stage]bool{}
		for _, st := range f.FinalStages() {
			chain := st.Ancestors()
			root := chain[len(chain)-1]
			b := root.Base
			if seen[root] || !b.External() || b.Tag == "" || strings.EqualFold(b.Tag, "latest") {
				continue // DF001, DF002
			}
			seen[root] = true
			img, ok := stage.Base(st)
			if !ok || !floatingNodeTag(b, img) {
				continue
			}
			ref := fmt.Sprintf("`%s`", b.Raw)
			if b.Expanded != b.Raw {
				ref = fmt.Sprintf("`%s` (`%s`)", b.Raw, b.Expanded)
			}
			what := "the next build can run on a new Node major nobody chose"
			if b.Digest != "" {
				what = "the digest pins it today, but its updates can jump to a new Node major"
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, root.From),
				Message: fmt.Sprintf("runtime base image %s names no Node major: %s", ref, what),
				Help:    fmt.Sprintf("name the major in the tag, e.g. `%s`", majorTag(b, newestLTS(pass))),
			})
		}
	}),
})

// floatingNodeTag: an official node tag or a distroless nodejs repository
// that names no Node major. Other images that ship Node tag their own way.
func floatingNodeTag(b dockerfile.BaseImage, img knowledge.ImageFacts) bool {
	if !img.Node || img.NodeMajor != 0 {
		return false
	}
	if t := strings.TrimPrefix(b.Tag, "v"); t != "" && t[0] >= '0' && t[0] <= '9' {
		return false // a version tag (distroless's old `nodejs:16`, a template's `0.0.0`)
	}
	return stage.OfficialNodeBaseImage(b) || img.Variant == knowledge.VariantDistroless
}

// newestLTS is the newest Node LTS major supported on the check date.
func newestLTS(pass *analysis.Pass) int {
	newest := 0
	for _, m := range knowledge.NodeSchedule().SupportedLTS(pass.Today) {
		newest = max(newest, m)
	}
	return newest
}

// majorTag suggests the reference with a Node major: the tag's variant
// kept (node:lts-alpine → node:24-alpine), or distroless's versioned
// repository.
func majorTag(b dockerfile.BaseImage, major int) string {
	variant := strings.ToLower(b.Tag)
	for _, moving := range []string{"lts", "current"} {
		if variant == moving {
			variant = ""
		}
		variant = strings.TrimPrefix(variant, moving+"-")
	}
	if major == 0 {
		return b.Name() + ":<major>-" + strings.TrimSuffix(variant, "-")
	}
	if !stage.OfficialNodeBaseImage(b) {
		return fmt.Sprintf("%s%d-debian12", b.Name(), major) // gcr.io/distroless/nodejs → nodejs22-debian12
	}
	tag := fmt.Sprint(major)
	if variant != "" {
		tag += "-" + variant
	}
	return b.Name() + ":" + tag
}
