package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// BaseImageLatest reports FROM with the `latest` tag.
var BaseImageLatest = register(&analysis.Rule{
	ID:       "DF002",
	Name:     "base-image-latest",
	Title:    "base image uses the latest tag",
	Severity: analysis.Error,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`latest` is not a version: it is whatever the image's maintainers pushed last. " +
			"For `node:latest` that is the newest *Current* release, so a rebuild can jump to a new " +
			"Node major (often not an LTS line), a new Debian release or a different libc without any " +
			"change in your repository, and two builds of the same commit produce different images.",
		Bad:  "FROM node:latest\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22.11.0-bookworm-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Replace `latest` with an exact version tag of a supported LTS line " +
			"(`node:22.11.0-bookworm-slim`), and pin the digest next to it for reproducible builds " +
			"(`node:22.11.0-bookworm-slim@sha256:…`). Renovate or Dependabot keep both current.",
		AppliesTo: "Reproducible, reviewed builds matter for what is deployed. Development and test images often " +
			"follow `latest` on purpose (a tool, a mail catcher, a test against the latest release) and are rebuilt " +
			"and thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			b := st.Base
			if !b.External() || b.Tag != "latest" {
				continue
			}
			ref := fmt.Sprintf("`%s`", b.Raw)
			if b.Expanded != b.Raw {
				ref = fmt.Sprintf("`%s` (`%s`)", b.Raw, b.Expanded)
			}
			msg := fmt.Sprintf("base image %s uses the `latest` tag: the build gets whatever version is newest at build time", ref)
			if b.Digest != "" {
				msg = fmt.Sprintf("base image %s uses the `latest` tag: the digest pins it, but the tag says nothing about the version and digest updates can jump to a new major", ref)
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, st.From),
				Message: msg,
				Help:    fmt.Sprintf("pin a version tag instead, e.g. `%s:<version>`", b.Name()),
			})
		}
	}),
})
