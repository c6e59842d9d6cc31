package df

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// BaseImageNotDigestPinned reports external base images without a digest.
var BaseImageNotDigestPinned = register(&analysis.Rule{
	ID:       "DF003",
	Name:     "base-image-not-digest-pinned",
	Title:    "base image is not pinned by digest",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Tags move. `node:22.11.0-bookworm-slim` is rebuilt and re-pushed when Debian ships " +
			"security updates, so the same tag names different images over time. Only a digest " +
			"(`@sha256:…`) names exactly one image: builds are reproducible, a scan result applies to " +
			"the image you actually run, and a compromised or mistaken push to the tag cannot reach " +
			"your build.",
		Bad:  "FROM node:22.11.0-bookworm-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22.11.0-bookworm-slim@sha256:4a7b3d2c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Append the digest of the image the tag currently points to, keeping the readable tag " +
			"beside it: `FROM node:22.11.0-bookworm-slim@sha256:…`. Get it with " +
			"`docker buildx imagetools inspect node:22.11.0-bookworm-slim` (the top-level `Digest`, " +
			"which covers every platform). Let Renovate or Dependabot update the digest, so security " +
			"rebuilds still reach you through reviewed pull requests. Images from a registry whose tags you " +
			"treat as immutable can be exempted with `trusted-registries: [registry.internal.example]` in " +
			"`.seaworthy.yaml`.",
		AppliesTo: "A digest pins exactly what is deployed. Development and test images are rebuilt often and are " +
			"better off following their tag's patch and security updates.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			b := st.Base
			if !b.External() || b.Digest != "" || trusted(pass.Settings.TrustedRegistries, b.Registry) || stage.NamedContextBase(f, st) {
				continue
			}
			ref := b.Expanded
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, st.From),
				Message: fmt.Sprintf("base image `%s` is not pinned by digest: the tag can move to a different image between builds", ref),
				Help:    fmt.Sprintf("append the digest, e.g. `%s@sha256:<digest>` (see `docker buildx imagetools inspect %s`)", ref, ref),
			})
		}
	}),
})

// trusted reports whether registry is one the user treats as immutable
// (`trusted-registries` in .seaworthy.yaml); host names compare without
// case. Docker Hub images have the registry "".
func trusted(registries []string, registry string) bool {
	for _, r := range registries {
		if registry != "" && strings.EqualFold(strings.TrimSuffix(r, "/"), registry) {
			return true
		}
	}
	return false
}
