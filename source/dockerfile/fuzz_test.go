package dockerfile

import (
	"testing"
)

// FuzzParse: no input may panic the model; every error has a line, but
// the one error of a file that is no Dockerfile at all.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"FROM node:22-slim\nRUN npm ci\nCMD [\"node\",\"a.js\"]\n",
		"ARG V=22\nFROM node:${V}-alpine AS base\nFROM base\nRUN <<EOF\nset -e\nnpm ci\nEOF\n",
		"# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\n",
		"FROM a\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci && \\\n# c\n  echo 'x\n",
		"FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n",
		"FROM a\nCMD [\"unterminated\"\n",
		"FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Item x | y\n",
		"FROM a\nCOPY <<EOF /x\nhello\nEOF\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("Dockerfile", src, Options{})
		if err != nil {
			return
		}
		if file.Unusable() != nil {
			if len(file.Errors) != 1 || file.Errors[0].Line != 0 || len(file.Instructions) != 0 {
				t.Fatalf("unusable file (%v) with errors %+v and %d instructions", file.Unusable(), file.Errors, len(file.Instructions))
			}
			return
		}
		for _, e := range file.Errors {
			if e.Line < 1 || e.Message == "" {
				t.Fatalf("error without line or message: %+v", e)
			}
		}
		for _, in := range file.Instructions {
			if in.StartLine < 1 || in.EndLine < in.StartLine {
				t.Fatalf("bad instruction range %d-%d", in.StartLine, in.EndLine)
			}
			if in.Script != nil {
				for _, c := range in.Script.Commands {
					if c.Line < 1 {
						t.Fatalf("command %q without line", c.Name)
					}
				}
			}
		}
		for _, st := range file.Stages {
			_ = st.Root()
		}
	})
}
