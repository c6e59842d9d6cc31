package df

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// UnverifiedDownload reports a RUN that downloads an archive or binary
// without checking a checksum, or pipes a download into a shell.
var UnverifiedDownload = register(&analysis.Rule{
	ID:       "DF042",
	Name:     "unverified-download",
	Title:    "download used without a checksum check",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A release archive or binary fetched with `curl` or `wget` is trusted as it arrives: a " +
			"compromised release, a hijacked project account, a moved `releases/latest` or a proxy that " +
			"rewrites the download puts unknown code into the image, and nothing in the build notices. " +
			"`curl … | sh` runs a script nobody has seen, fetched again at every build. Package managers " +
			"verify what they install; a plain download must be verified by the Dockerfile.\n\n" +
			"A `sha256sum -c` (also `shasum`, `gpg --verify`, `cosign verify-blob`, …) in the same RUN or a " +
			"later one of the stage counts as a check (a failing check fails the build). HEAD requests (`curl -I`, " +
			"`wget --spider`) download nothing. Keys, signatures and checksum " +
			"lists are not archives.",
		Bad: "FROM node:22-slim\nRUN curl -fsSL -o /tmp/litestream.tar.gz " +
			"https://github.com/benbjohnson/litestream/releases/download/v0.3.13/litestream-v0.3.13-linux-amd64.tar.gz \\\n" +
			"    && tar -xzf /tmp/litestream.tar.gz -C /usr/local/bin && rm /tmp/litestream.tar.gz\n" +
			"WORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nARG LITESTREAM_SHA256=eb75a3de5cab03875cdae9f5f539e6aedadd66607003d9b1e7a9077948818ba0\n" +
			"RUN curl -fsSL -o /tmp/litestream.tar.gz " +
			"https://github.com/benbjohnson/litestream/releases/download/v0.3.13/litestream-v0.3.13-linux-amd64.tar.gz \\\n" +
			"    && echo \"$LITESTREAM_SHA256  /tmp/litestream.tar.gz\" | sha256sum -c - \\\n" +
			"    && tar -xzf /tmp/litestream.tar.gz -C /usr/local/bin && rm /tmp/litestream.tar.gz\n" +
			"WORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Download a fixed version (not `releases/latest`), write its SHA-256 into the Dockerfile and " +
			"check it in the same RUN: `echo \"$SHA256  file.tar.gz\" | sha256sum -c -`. Or verify the " +
			"project's signature (`gpg --verify`, `cosign verify-blob`). Instead of piping an install " +
			"script into a shell, use the distribution's package, or download the script, check its " +
			"checksum, then run it. `ADD --checksum=sha256:… <url>` does the download and the check in one step.",
		AppliesTo: "It is about what ends up in a shipped image. Development images download tools on purpose " +
			"and are thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			runs := stage.Runs(st)
			for n, in := range runs {
				if dl := command.DownloadIntoShell(in.Script.Text); dl != "" {
					pass.Report(analysis.Finding{
						Range:   locate.Instruction(f, in),
						Message: fmt.Sprintf("the RUN pipes `%s` into a shell: a script nobody reviewed runs at every build, fetched again each time", analysis.Snippet(dl, 72)),
						Help:    "install from a package, or download the script, check its SHA-256 with `sha256sum -c`, then run it",
					})
					continue
				}
				var first *dockerfile.ShellCommand
				var url string
				for _, c := range in.Script.Commands {
					for _, u := range command.DownloadURLs(c) {
						if first == nil && knowledge.DownloadKind(u) != "" {
							first, url = c, u
						}
					}
				}
				if first == nil || verifiesChecksum(runs[n:]) {
					continue
				}
				pass.Report(analysis.Finding{
					Range: locate.Command(f, first),
					Message: fmt.Sprintf("`%s` downloads %s and nothing in the stage checks its checksum: a changed or tampered file goes into the image unnoticed",
						command.BaseName(first.Name), "`"+analysis.Snippet(url, 80)+"`"),
					Help: "check the file in the same RUN: `echo \"<sha256>  <file>\" | sha256sum -c -` (or use `ADD --checksum=sha256:… <url>`)",
				})
			}
		}
	}),
})

// verifiesChecksum: a command of the RUNs checks a checksum or signature
// (the download's RUN and the later ones of its stage: a check that fails
// fails the build either way).
func verifiesChecksum(runs []*dockerfile.Instruction) bool {
	for _, in := range runs {
		for _, c := range in.Script.Commands {
			if knowledge.VerifiesChecksum(command.Words(c)) {
				return true
			}
		}
	}
	return false
}
