package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// FullBaseInRuntime reports a final Node stage on a full node image.
var FullBaseInRuntime = register(&analysis.Rule{
	ID:       "DF004",
	Name:     "full-base-in-runtime",
	Title:    "runtime stage uses a full node image",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "The full `node:<version>` images are built on `buildpack-deps`: compilers, headers, " +
			"git, Python, ImageMagick libraries and hundreds of other packages. That is convenient for " +
			"compiling native modules, but none of it is needed to run the app: it makes the runtime " +
			"image several times larger, slower to pull and start, and every one of those packages " +
			"adds known CVEs that scanners report and attackers can use.",
		Bad: "FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n" +
			"COPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22 AS build\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n" +
			"COPY . .\n\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app ./\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Use `node:<version>-slim` (Debian, glibc: native modules keep working) or " +
			"`node:<version>-alpine` (musl: check native modules) for the final stage, or a distroless/" +
			"Chainguard Node image. If the build needs compilers, keep the full image in a build stage " +
			"and copy the result into the small runtime stage.",
		AppliesTo: "Image size and attack surface matter for what is deployed; a development or test image may want " +
			"the full toolchain of the full image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			facts, ok := stage.Base(st)
			if !ok || !facts.Node || facts.Variant != knowledge.VariantFull || purpose.DevStage(st) {
				continue
			}
			root := st.Root()
			if !stage.VariantKnown(root) {
				continue
			}
			where := "the final stage runs on"
			if st.Base.Stage != nil {
				where = fmt.Sprintf("the final stage builds on stage %s, which runs on", st.Base.Stage.Label())
			}
			pass.Report(analysis.Finding{
				Range: locate.Instruction(f, st.From),
				Message: fmt.Sprintf("%s the full image `%s`: compilers and hundreds of packages (and their CVEs) the app does not need at runtime",
					where, root.Expanded),
				Help: fmt.Sprintf("use `%s` (or an -alpine or distroless image) for the runtime stage and keep the full image for build stages", slimVariant(root.Name(), root.Tag)),
			})
		}
	}),
})

// slimVariant suggests the -slim variant of a full node image tag.
func slimVariant(name, tag string) string {
	if tag == "" || tag == "latest" {
		return name + ":<version>-slim"
	}
	return name + ":" + tag + "-slim"
}
