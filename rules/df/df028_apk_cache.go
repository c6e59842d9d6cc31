package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// ApkCache reports `apk add` that leaves the package index cache behind.
var ApkCache = register(&analysis.Rule{
	ID:       "DF028",
	Name:     "apk-cache",
	Title:    "apk add leaves its cache in the layer",
	Severity: analysis.Info,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`apk add` keeps the downloaded package index (and, with `-U`/`--update-cache`, a fresh one) under " +
			"`/var/cache/apk`. In an image that cache is dead weight: a few megabytes per layer that nothing at run " +
			"time reads, and that a later RUN cannot remove from the layer that wrote it. `apk add --no-cache` " +
			"fetches the index to a temporary place and leaves nothing behind.\n\n" +
			"The rule checks stages that end up in the final image. Removing `/var/cache/apk` in the same RUN, or a " +
			"BuildKit cache or tmpfs mount on `/var/cache/apk`, is fine too. A separate `apk update` is reported as " +
			"well: it stores the index the same way, and `apk add --no-cache` fetches a fresh one anyway.",
		Bad:  "FROM node:22-alpine\nRUN apk add tini\nUSER node\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-alpine\nRUN apk add --no-cache tini\nUSER node\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Use `apk add --no-cache <packages>` (and drop a separate `apk update`), or mount a cache: " +
			"`RUN --mount=type=cache,target=/var/cache/apk apk add <packages>`. `seaworthy fix` adds `--no-cache`.",
		AppliesTo: "It is about the size of the shipped image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			if !stage.Shipped(f, st) {
				continue
			}
			for _, in := range stage.Runs(st) {
				if stage.HasCacheMount(in, "/var/cache/apk", "/etc/apk/cache") || stage.Removes(in, "/var/cache/apk", "/etc/apk/cache") {
					continue
				}
				cleaned := false
				for _, c := range in.Script.Commands {
					if p, ok := install.OSCommandOf(c); ok && p.Tool == "apk" && p.Verb == "cache" {
						cleaned = true // apk cache clean / purge
					}
				}
				if cleaned {
					continue
				}
				for _, c := range in.Script.Commands {
					p, ok := install.OSCommandOf(c)
					if ok && p.Tool == "apk" && p.Verb == "update" && !p.Has("--no-cache") {
						pass.Report(analysis.Finding{
							Range:   locate.Command(f, c),
							Message: "`apk update` stores the package index in /var/cache/apk in this layer",
							Help:    "drop it and use `apk add --no-cache`, which fetches a fresh index without keeping it",
						})
						continue
					}
					if !ok || p.Tool != "apk" || p.Verb != "add" || p.Has("--no-cache") {
						continue
					}
					fd := analysis.Finding{
						Range:   locate.Command(f, c),
						Message: fmt.Sprintf("`apk add` of %s without `--no-cache`: the package index stays in /var/cache/apk in this layer", pkgList(p.Packages())),
						Help:    "use `apk add --no-cache`",
					}
					if edit := insertAfter(f, in, c, "add", " --no-cache"); edit != nil {
						fd.Fix = &analysis.Fix{Title: "Add `--no-cache`", Edits: []analysis.Edit{*edit}}
					}
					pass.Report(fd)
				}
			}
		}
	}),
})
