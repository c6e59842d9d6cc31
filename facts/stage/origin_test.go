package stage

import (
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// fakeContext is a build context of a few files and directories.
type fakeContext struct {
	files, dirs []string
	ignored     []string
}

func (c fakeContext) IsDir(rel string) bool { return contains(c.dirs, rel) }
func (c fakeContext) Sent(rel string) bool {
	return contains(c.files, rel) && !contains(c.ignored, rel)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestContextFileOf: which context file a COPY puts at a path of the
// final stage, through globs, directories, the whole context and COPY
// --from of the Dockerfile's own stages; nothing when it cannot be told.
func TestContextFileOf(t *testing.T) {
	ctx := fakeContext{
		files:   []string{"package.json", "package-lock.json", "api/package.json", "ignored/package.json"},
		dirs:    []string{"api", "ignored"},
		ignored: []string{"ignored/package.json"},
	}
	for _, c := range []struct {
		name, src, want string
	}{
		{"named", "FROM node\nWORKDIR /app\nCOPY package.json ./\n", "package.json"},
		{"glob", "FROM node\nWORKDIR /app\nCOPY package*.json ./\n", "package.json"},
		{"whole context", "FROM node\nWORKDIR /app\nCOPY . .\n", "package.json"},
		{"directory", "FROM node\nWORKDIR /app\nCOPY api/ ./\n", "api/package.json"},
		{"later copy wins", "FROM node\nWORKDIR /app\nCOPY . .\nCOPY api ./\n", "api/package.json"},
		{"ignored file falls back", "FROM node\nWORKDIR /app\nCOPY . .\nCOPY ignored ./\n", "package.json"},
		{"to a file path", "FROM node\nCOPY api/package.json /app/package.json\n", "api/package.json"},
		{"from a stage", "FROM node AS b\nWORKDIR /src\nCOPY . .\nFROM node\nWORKDIR /app\nCOPY --from=b /src ./\n", "package.json"},
		{"from a stage, the file", "FROM node AS b\nWORKDIR /src\nCOPY api ./\nFROM node\nWORKDIR /app\nCOPY --from=b /src/package.json ./\n", "api/package.json"},
		{"elsewhere", "FROM node\nWORKDIR /app\nCOPY package.json /tmp/\n", ""},
		{"another image", "FROM node\nWORKDIR /app\nCOPY --from=org/img:1 /app ./\n", ""},
		{"written in the stage", "FROM node AS b\nWORKDIR /src\nRUN make\nFROM node\nWORKDIR /app\nCOPY --from=b /src ./\nCOPY package.json /elsewhere/\n", ""},
		{"a variable", "FROM node\nARG D\nWORKDIR /app\nCOPY $D/package.json ./\n", ""},
		{"rewritten by a RUN", "FROM node\nWORKDIR /app\nCOPY . .\nRUN echo {} > package.json\n", ""},
		{"absolute destination, variable WORKDIR", "FROM node\nENV HOME_DIR=/srv\nWORKDIR $HOME_DIR\nCOPY api/package.json /app/\n", "api/package.json"},
		{"from a stage, one of several sources", "FROM node AS b\nWORKDIR /src\nCOPY api ./\nFROM node\nCOPY --from=b /usr/bin/tini /src/package.json /app/\n", "api/package.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := parse(t, c.src)
			changes := func(in *dockerfile.Instruction) bool { return strings.Contains(in.Script.Text, "package.json") }
			got, ok := ContextFileOf(f, final(f).ChainInstructions(), "/app/package.json", ctx, changes)
			if !ok {
				got = ""
			}
			if got != c.want {
				t.Errorf("ContextFileOf = %q, want %q", got, c.want)
			}
		})
	}
}
