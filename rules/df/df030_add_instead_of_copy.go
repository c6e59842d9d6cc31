package df

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// AddInsteadOfCopy reports ADD of local files that COPY would copy the same.
var AddInsteadOfCopy = register(&analysis.Rule{
	ID:       "DF030",
	Name:     "add-instead-of-copy",
	Title:    "ADD used where COPY does the job",
	Severity: analysis.Warning,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`ADD` does more than copy: it downloads URLs and unpacks local tar archives, deciding by the " +
			"content of the source. For ordinary files and directories it behaves like `COPY`, but a reader " +
			"cannot tell which behaviour was meant, and a file that happens to be a tarball is silently unpacked. " +
			"`COPY` says exactly what happens.\n\n" +
			"The rule fires on `ADD` whose sources are all local and none is named like a tar archive " +
			"(`.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`, `.tar.xz`, `.tar.zst`, …) — unpacking those is what ADD is for. " +
			"Remote sources are DF031's business.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nADD package.json package-lock.json ./\nRUN npm ci --omit=dev\nADD . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Replace `ADD` with `COPY`; the flags `--chown`, `--chmod`, `--link` and `--exclude` work the same. " +
			"`seaworthy fix` does it when the ADD uses none of the ADD-only flags (`--checksum`, `--keep-git-dir`, `--unpack`).",
		AppliesTo: "ADD's extra behaviours (unpacking archives) surprise the reader of any Dockerfile.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				add, ok := in.Command.(*instructions.AddCommand)
				if !ok || len(add.SourcePaths) == 0 || len(add.SourceContents) > 0 {
					continue
				}
				local := true
				for _, src := range add.SourcePaths {
					if addRemote(src) || addArchive(src) || strings.Contains(src, "$") {
						local = false
					}
				}
				if !local {
					continue
				}
				fd := analysis.Finding{
					Range:   locate.Instruction(f, in),
					Message: fmt.Sprintf("`ADD %s` copies local files: COPY does the same without ADD's URL fetching and archive unpacking", analysis.Snippet(strings.Join(add.SourcePaths, " "), 60)),
					Help:    "use COPY",
				}
				_, checksum := in.Flag("checksum")
				_, keepGit := in.Flag("keep-git-dir")
				_, unpack := in.Flag("unpack")
				if !checksum && !keepGit && !unpack {
					if edit := keywordEdit(f, in, "COPY"); edit != nil {
						fd.Fix = &analysis.Fix{Title: "Replace ADD with COPY", Edits: []analysis.Edit{*edit}}
					}
				}
				pass.Report(fd)
			}
		}
	}),
})

var (
	addURL = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
	// addArchiveExt are names ADD may unpack: tar, alone or compressed
	// (Docker detects gzip, bzip2, xz and zstd by content).
	addArchiveExt = regexp.MustCompile(`(?i)\.(tar|tgz|tbz2?|tb2|txz|tzst|taz|tz|tlz|gz|bz2|xz|zst|lz|lzma|z)$`)
)

// addRemote reports whether an ADD source is fetched: a URL or a git ref.
func addRemote(src string) bool {
	return addURL.MatchString(src) || strings.HasPrefix(src, "git@")
}

// addArchive reports whether an ADD source is named like an archive ADD
// unpacks.
func addArchive(src string) bool {
	return addArchiveExt.MatchString(strings.Trim(src, `"'`))
}
