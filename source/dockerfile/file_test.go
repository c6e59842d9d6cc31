package dockerfile

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func parse(t *testing.T, src string, opts Options) *File {
	t.Helper()
	f, err := Parse("Dockerfile", []byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestStagesAndBases(t *testing.T) {
	f := parse(t, `ARG NODE=22
ARG REG
FROM node:${NODE}-slim AS Build
RUN npm ci
FROM build AS test
FROM ${REG}/node:22
FROM docker.io/library/node:22.11.0-bookworm-slim@sha256:abc AS runtime
`, Options{})
	if len(f.Stages) != 4 {
		t.Fatalf("stages = %d", len(f.Stages))
	}
	b := f.Stages[0]
	if b.Name != "build" || b.Base.Repository != "node" || b.Base.Tag != "22-slim" || !b.Base.External() {
		t.Errorf("stage 0 = %q %+v", b.Name, b.Base)
	}
	if f.Stages[1].Base.Stage != b || f.Stages[1].Root().Tag != "22-slim" {
		t.Errorf("stage 1 does not resolve to stage 0: %+v", f.Stages[1].Base)
	}
	if !f.Stages[2].Base.Unresolved {
		t.Errorf("stage 2 with undefined ARG should be unresolved: %+v", f.Stages[2].Base)
	}
	r := f.Stages[3].Base
	if r.Repository != "node" || r.Tag != "22.11.0-bookworm-slim" || r.Digest != "sha256:abc" || r.Registry != "" {
		t.Errorf("stage 3 = %+v", r)
	}
	if !f.Stages[3].Final || f.Stages[0].Final {
		t.Errorf("only the last stage is final by default")
	}
	g := parse(t, "FROM a AS one\nFROM b AS two\n", Options{Target: "one"})
	if !g.Stages[0].Final || !g.Stages[1].Final {
		t.Errorf("--target marks the target final too")
	}
	if _, err := Parse("Dockerfile", []byte("FROM a\n"), Options{Target: "nope"}); err == nil {
		t.Errorf("unknown target accepted")
	}
}

func TestScriptLines(t *testing.T) {
	f := parse(t, `FROM node:22
RUN --mount=type=cache,target=/root/.npm apt-get update \
  # a comment Docker drops
  && apt-get install -y curl \

  && npm ci; echo "$(id -u)" | tee /tmp/x
CMD npm start
HEALTHCHECK --interval=5s CMD wget -qO- http://localhost:3000/health || exit 1
`, Options{})
	run := f.Stages[0].Instructions[0]
	if run.Script == nil || !run.Script.Parsed {
		t.Fatalf("RUN not parsed: %+v", run.Script)
	}
	var got []string
	for _, c := range run.Script.Commands {
		got = append(got, c.Name+"@"+itoa(c.Line)+":"+itoa(c.Col))
	}
	want := "apt-get@2:42 apt-get@4:6 npm@6:6 echo@6:14 id@6:22 tee@6:32"
	if strings.Join(got, " ") != want {
		t.Errorf("commands = %v\nwant %v", strings.Join(got, " "), want)
	}
	if len(run.Mounts) != 1 || run.Mounts[0].Target != "/root/.npm" {
		t.Errorf("mounts = %+v", run.Mounts)
	}
	cmd := f.Stages[0].Instructions[1]
	if cmd.ExecForm() || cmd.Script.Commands[0].Name != "npm" || cmd.Script.Commands[0].Col != 5 {
		t.Errorf("CMD script = %+v", cmd.Script.Commands[0])
	}
	hc := f.Stages[0].Instructions[2]
	if hc.Script == nil || hc.Script.Commands[0].Name != "wget" {
		t.Errorf("HEALTHCHECK script = %+v", hc.Script)
	}
}

func TestHeredocScript(t *testing.T) {
	f := parse(t, "FROM node:22\nRUN <<EOF\nset -e\nnpm ci\nEOF\nRUN cat <<EOF > /app/.npmrc\n//r/:_authToken=x\nEOF\n", Options{})
	run := f.Stages[0].Instructions[0]
	if len(run.Script.Commands) != 2 || run.Script.Commands[1].Name != "npm" || run.Script.Commands[1].Line != 4 {
		t.Errorf("heredoc commands = %+v", run.Script.Commands)
	}
	cat := f.Stages[0].Instructions[1].Script.Commands[0]
	if cat.Name != "cat" || len(cat.Redirects) != 2 || !strings.Contains(cat.Redirects[0].Heredoc+cat.Redirects[1].Heredoc, "_authToken") {
		t.Errorf("cat heredoc = %+v", cat)
	}
}

func TestBrokenShellFallsBack(t *testing.T) {
	f := parse(t, "FROM a\nRUN echo 'unterminated && npm install\n", Options{})
	s := f.Stages[0].Instructions[0].Script
	if s.Parsed || len(s.Commands) == 0 {
		t.Fatalf("want word fallback, got %+v", s)
	}
	if s.Commands[len(s.Commands)-1].Name != "npm" {
		t.Errorf("fallback commands = %+v", s.Commands)
	}
}

func TestErrors(t *testing.T) {
	f := parse(t, "FROM a\nFOO bar\nCMD [\"a\"\n", Options{})
	if len(f.Errors) != 1 || f.Errors[0].Line != 2 {
		t.Errorf("errors = %+v", f.Errors)
	}
}

// TestFlagDurationError: a flag duration buildkit cannot parse names the
// instruction and what it wants, not Go's time package.
func TestFlagDurationError(t *testing.T) {
	for flag, want := range map[string]string{
		"--interval=xx": `HEALTHCHECK: invalid duration "xx" (want a duration such as 30s or 1m30s)`,
		"--timeout=5x":  `HEALTHCHECK: unknown unit "x" in duration "5x" (want a duration such as 30s or 1m30s)`,
		"--retries=x":   `HEALTHCHECK: "x" is not a whole number`,
	} {
		f := parse(t, "FROM a\nHEALTHCHECK "+flag+" CMD true\n", Options{})
		if len(f.Errors) != 1 || f.Errors[0].Line != 2 || f.Errors[0].Message != want {
			t.Errorf("%s: errors = %+v, want line 2: %s", flag, f.Errors, want)
		}
	}
}

// TestUnusable: input that is no Dockerfile at all is one error on line 0
// and File.Unusable says why; text in an 8-bit encoding is text.
func TestUnusable(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		want error
	}{
		{"binary", "\x00\x01\x02FROM node", ErrBinary},
		{"controls", "\x01\x02\x03\x04\x05\x06\x07\x0e\x0f\x10 FROM", ErrBinary},
		{"empty", "", ErrEmpty},
		{"blank", "\n  \n", ErrEmpty},
		{"comments", "# syntax=docker/dockerfile:1\n\n# nothing else\n", ErrNoInstructions},
		{"latin-1", "# Entwickelt f\xfcr die Gr\xfc\xdfe\nFROM node:22-slim\nLABEL maintainer=\"Ren\xe9\"\n", nil},
		{"escape", "FROM node:22-slim\nRUN printf '\x1b[1mbold\x1b[0m\\b'\n", nil},
	} {
		f, err := Parse("Dockerfile", []byte(c.src), Options{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if f.Unusable() != c.want {
			t.Errorf("%s: Unusable() = %v, want %v", c.name, f.Unusable(), c.want)
		}
		if c.want != nil && (len(f.Errors) != 1 || f.Errors[0].Line != 0 || f.Errors[0].Message != c.want.Error() || len(f.Instructions) != 0) {
			t.Errorf("%s: errors = %+v, %d instructions", c.name, f.Errors, len(f.Instructions))
		}
		if c.want == nil && (len(f.Errors) != 0 || len(f.Stages) != 1) {
			t.Errorf("%s: errors = %+v, %d stages", c.name, f.Errors, len(f.Stages))
		}
	}
	f := Unreadable("api/Dockerfile", errors.New("permission denied"))
	if f.Unusable() == nil || len(f.Errors) != 1 || f.Errors[0].Message != "cannot be read: permission denied" {
		t.Errorf("Unreadable = %v %+v", f.Unusable(), f.Errors)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSyntaxDirective: Parse finds the directive as buildkit's DetectSyntax
// does.
func TestSyntaxDirective(t *testing.T) {
	for _, src := range []string{
		"# syntax=docker/dockerfile:1\nFROM node:22\n",
		"# SYNTAX = docker/dockerfile:1.7\nFROM node:22\n",
		"#!/usr/bin/env docker\n# syntax=docker/dockerfile:1\nFROM node:22\n",
		"// syntax=docker/dockerfile:1\nFROM node:22\n",
		"# escape=`\n# syntax=docker/dockerfile:1\nFROM node:22\n",
		"FROM node:22\n# syntax=docker/dockerfile:1\n",
		"FROM node:22\nRUN echo hi\n",
		"# hello\n# syntax=docker/dockerfile:1\nFROM node:22\n",
		"\n# syntax=docker/dockerfile:1\nFROM node:22\n",
		"#syntax=docker/dockerfile:1\r\nFROM node:22\r\n",
		"# check=skip=all\n// syntax=docker/dockerfile:1\nFROM node:22\n",
		"\xEF\xBB\xBF# syntax=docker/dockerfile:1\nFROM node:22\n",
		` {"\u0073yntax": "docker/dockerfile:1"}`,
		"# syntax=a\n# syntax=b\nFROM node:22\n",
		"# escape=\\\n# escape=`\n# syntax=x\nFROM node:22\n",
		"# syntax = docker/dockerfile:1 extra words  \nFROM node:22\n",
		"#\tsyntax=x\n", "# syntax=\n", "# 1syntax=x\n", "//syntax=x\n// escape=`\n",
	} {
		want, _, _, _ := parser.DetectSyntax([]byte(src))
		if got := parse(t, src, Options{}).Syntax; got != want {
			t.Errorf("%q: Syntax = %q, want %q", src, got, want)
		}
	}
}

func FuzzSyntaxDirective(f *testing.F) {
	for _, s := range []string{"# syntax=x\n", "#!sh\n// syntax = y z\n", "# escape=`\n#syntax=a\r\nFROM a\n", " {\"syntax\": \"j\"}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		want, _, _, wantOK := parser.DetectSyntax([]byte(src))
		if got, ok := detectSyntax([]byte(src)); got != want || ok != wantOK {
			t.Errorf("%q: detectSyntax = %q, %v; DetectSyntax = %q, %v", src, got, ok, want, wantOK)
		}
	})
}

func TestCopyPathsUnquoted(t *testing.T) {
	cases := []struct {
		src     string
		sources []string
		dest    string
	}{
		{"FROM node:22\nCOPY --link \".\" \"/app/\"\n", []string{"."}, "/app/"},
		{"FROM node:22\nCOPY \"package.json\" 'pnpm-lock.yaml' ./\n", []string{"package.json", "pnpm-lock.yaml"}, "./"},
		// Variables stay as written; quotes around them go.
		{"FROM node:22\nADD \"$APP_DIR/dist\" \"${DEST:-/srv}\"\n", []string{"$APP_DIR/dist"}, "${DEST:-/srv}"},
		// JSON form: the parser already decoded the strings.
		{"FROM node:22\nCOPY [\"a b\", \"/app/\"]\n", []string{"a b"}, "/app/"},
		{"# escape=`\nFROM node:22\nCOPY \"src\\app\" C:\\app\\\n", []string{`src\app`}, `C:\app\`},
		{"FROM node:22\nCOPY *.json ./\n", []string{"*.json"}, "./"},
	}
	for _, c := range cases {
		f := parse(t, c.src, Options{})
		in := f.Stages[0].Instructions[0]
		var sd instructions.SourcesAndDest
		switch cmd := in.Command.(type) {
		case *instructions.CopyCommand:
			sd = cmd.SourcesAndDest
		case *instructions.AddCommand:
			sd = cmd.SourcesAndDest
		default:
			t.Fatalf("%q: command %T", c.src, in.Command)
		}
		if !reflect.DeepEqual(sd.SourcePaths, c.sources) || sd.DestPath != c.dest {
			t.Errorf("%q: sources %q dest %q, want %q %q", c.src, sd.SourcePaths, sd.DestPath, c.sources, c.dest)
		}
	}
}
