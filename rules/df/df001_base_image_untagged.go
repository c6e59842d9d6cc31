package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// BaseImageUntagged reports FROM without a tag or digest.
var BaseImageUntagged = register(&analysis.Rule{
	ID:       "DF001",
	Name:     "base-image-untagged",
	Title:    "base image has neither tag nor digest",
	Severity: analysis.Error,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`FROM node` means `node:latest`: whatever the registry serves on the day of the build. " +
			"A rebuild can silently move to a new Node major, a new Debian release or a different libc, " +
			"and two builds of the same commit are no longer the same image.",
		Bad:  "FROM node\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22.11.0-bookworm-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Name an exact version tag (`node:22.11.0-bookworm-slim`), and for reproducible builds " +
			"pin the digest next to it (`node:22.11.0-bookworm-slim@sha256:…`).",
		AppliesTo: "Reproducible, reviewed builds matter for what is deployed. Development and test images often " +
			"follow the newest image on purpose (a tool, a mail catcher, a test against the latest release) and are " +
			"rebuilt and thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			b := st.Base
			if !b.External() || b.Tag != "" || b.Digest != "" || stage.NamedContextBase(f, st) {
				continue
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, st.From),
				Message: fmt.Sprintf("base image %q has no tag: it resolves to whatever `latest` is at build time", b.Raw),
				Help:    fmt.Sprintf("pin a version, e.g. `%s:<version>`", b.Raw),
			})
		}
	}),
})
