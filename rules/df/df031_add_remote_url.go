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

// AddRemoteURL reports ADD of a URL without a checksum.
var AddRemoteURL = register(&analysis.Rule{
	ID:       "DF031",
	Name:     "add-remote-url",
	Title:    "ADD downloads a URL without a checksum",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "`ADD https://…` puts whatever the server returns at build time into the image. Nothing checks " +
			"that it is the file you reviewed: a moved release, a compromised mirror or a man in the middle " +
			"changes the image without any change to the Dockerfile, and two builds of the same commit can differ.\n\n" +
			"`ADD --checksum=sha256:…` (Dockerfile syntax 1.6 and later) makes the build fail when the content " +
			"changes. Git sources pinned to a full commit hash (`…git#<40 hex digits>`) are already fixed.",
		Bad: "FROM node:22-slim\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n" +
			"RUN chmod +x /tini\nUSER node\nENTRYPOINT [\"/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Good: "# syntax=docker/dockerfile:1\nFROM node:22-slim\n" +
			"ADD --chmod=755 --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \\\n" +
			"    https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n" +
			"USER node\nENTRYPOINT [\"/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add `--checksum=sha256:<digest>` to the ADD (compute it with `sha256sum` on the file you reviewed), " +
			"or download in a RUN and verify: `curl -fsSLo /tini $URL && echo \"$SHA256  /tini\" | sha256sum -c -`.",
		AppliesTo: "An unverified download runs in every build, development and CI builds included: a supply-chain " +
			"risk wherever it runs.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				add, ok := in.Command.(*instructions.AddCommand)
				if !ok || add.Checksum != "" {
					continue
				}
				if _, has := in.Flag("checksum"); has {
					continue
				}
				for _, src := range add.SourcePaths {
					u := strings.Trim(src, `"'`)
					lower := strings.ToLower(u)
					if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") || addPinnedGit.MatchString(u) {
						continue
					}
					msg := fmt.Sprintf("`ADD %s` downloads without `--checksum`: the build trusts whatever the server returns", analysis.Snippet(u, 120))
					if strings.HasPrefix(lower, "http://") {
						msg = fmt.Sprintf("`ADD %s` downloads over plain HTTP without `--checksum`: anyone on the path can change what the build gets", analysis.Snippet(u, 120))
					}
					pass.Report(analysis.Finding{
						Range:   locate.Instruction(f, in),
						Message: msg,
						Help:    "add `--checksum=sha256:<digest>`, or download with curl and verify the checksum",
					})
				}
			}
		}
	}),
})

// addPinnedGit matches a git URL pinned to a full commit hash.
var addPinnedGit = regexp.MustCompile(`(?i)\.git#[0-9a-f]{40}(:.*)?$`)
