package checker_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/rules"
)

// ids lists findings as "file:line ID".
func ids(findings []analysis.Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, f.File+":"+strconv.Itoa(f.Range.Start.Line)+" "+f.Rule.ID)
	}
	return out
}

func request(paths ...string) checker.Request {
	return checker.Request{Paths: paths, Rules: rules.Registry(), Settings: config.Settings{Today: "2026-11-23"}}
}

// composeProject is a project whose compose file builds a Dockerfile in a
// subdirectory from the project root and with a target stage.
var composeProject = map[string]string{
	"compose.yaml": `services:
  api:
    build:
      context: .
      dockerfile: docker/api.Dockerfile
      target: runtime
    restart: always
`,
	"docker/api.Dockerfile": `FROM node:22-slim AS runtime
WORKDIR /app
COPY . .
CMD ["node", "server.js"]

FROM runtime AS debug
USER node
`,
	".dockerignore": "node_modules\n",
	"package.json":  `{"name": "x", "scripts": {"start": "node server.js"}}` + "\n",
}

func TestCheckComposeBuild(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", composeProject)

	// The project: compose says the context is the root (its
	// .dockerignore applies) and the final stage is "runtime".
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	got := ids(res.Findings)
	for _, want := range []string{".dockerignore:1 DI003", "docker/api.Dockerfile:1 DF011"} {
		if !slices.Contains(got, want) {
			t.Errorf("project: no %s in %q", want, got)
		}
	}
	if res.Files != 2 {
		t.Errorf("project: Files = %d, want 2 (the Dockerfile and compose.yaml)", res.Files)
	}
	if !res.Failed() {
		t.Error("project: Failed() = false with warnings and the default fail-on")
	}
	if len(res.Sources["docker/api.Dockerfile"]) != 7 || len(res.Sources["compose.yaml"]) != 7 {
		t.Errorf("Sources has no lines of the Dockerfile and the compose file: %v", res.Sources)
	}

	// The Dockerfile alone: its directory is the context, no target.
	res, err = checker.Check(context.Background(), request("docker/api.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	got = ids(res.Findings)
	if !slices.Contains(got, "docker/api.Dockerfile:3 DI001") || slices.Contains(got, "docker/api.Dockerfile:1 DF011") {
		t.Errorf("Dockerfile alone: want DI001 and no DF011 on the runtime stage, got %q", got)
	}
}

// Two Dockerfiles that build one package report its sources' findings
// once.
func TestCheckSharedPackageDeduped(t *testing.T) {
	t.Chdir(t.TempDir())
	df := "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n"
	writeFiles(t, ".", map[string]string{
		"Dockerfile":        df,
		"dev.Dockerfile":    df,
		".dockerignore":     "node_modules\n",
		"package.json":      `{"name": "x", "main": "server.js", "dependencies": {"express": "^4"}}` + "\n",
		"package-lock.json": "{}\n",
		"server.js":         "const express = require(\"express\");\nconst app = express();\napp.listen(3000, \"127.0.0.1\");\n",
	})
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, id := range ids(res.Findings) {
		if id == "server.js:3 AP004" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("AP004 on server.js reported %d times, want once: %q", n, ids(res.Findings))
	}
}

func TestCheckStdin(t *testing.T) {
	req := request("-")
	req.Stdin = strings.NewReader("FROM node:22\n# seaworthy ignore=DF999\nCMD node server.js\n")
	res, err := checker.Check(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Findings); !slices.Contains(got, "<stdin>:3 DF013") {
		t.Errorf("no DF013 on <stdin>: %q", got)
	}
	want := []checker.Warning{{File: "<stdin>", Line: 2, Code: "DF999"}}
	if !slices.Equal(res.Warnings, want) {
		t.Errorf("Warnings = %v, want %v", res.Warnings, want)
	}
	if got := res.Warnings[0].String(); got != "<stdin>:2: ignore comment names no rule: \"DF999\" (see `seaworthy rules`)" {
		t.Errorf("warning text %q", got)
	}
}

// The config is the one found from the checked path upwards, for a
// directory and for a file, whatever the current directory.
func TestCheckConfigNearPath(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/Dockerfile":         "FROM node:22\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		"app/.seaworthy.yaml":    "ignore: [DF003]\nseverity: {DF004: error}\nfail-on: error\n",
		"other/.seaworthy.yaml":  "ignore: [DF004]\n",
		"other/elsewhere.txt":    "",
		"app/sub/.gitkeep":       "",
		"app/compose.yaml":       "services:\n  api:\n    build: .\n    restart: always\n",
		"app/sub/Dockerfile.api": "FROM node:22\nUSER node\nCMD [\"node\", \"server.js\"]\n",
	})
	t.Chdir(dir + "/other")
	for _, path := range []string{dir + "/app", dir + "/app/Dockerfile", dir + "/app/sub/Dockerfile.api"} {
		res, err := checker.Check(context.Background(), request(path))
		if err != nil {
			t.Fatal(err)
		}
		var sev4 analysis.Severity
		for _, f := range res.Findings {
			switch f.Rule.ID {
			case "DF003":
				t.Errorf("%s: DF003 is ignored by app/.seaworthy.yaml", path)
			case "DF004":
				sev4 = f.Severity
			}
		}
		if sev4 != analysis.Error {
			t.Errorf("%s: DF004 severity %v, want error (app/.seaworthy.yaml)", path, sev4)
		}
		if res.Settings.FailOn != analysis.Error || !res.Failed() {
			t.Errorf("%s: fail-on %v (failed %v), want error from the config", path, res.Settings.FailOn, res.Failed())
		}
	}
	// An explicit config wins; the command line wins over it.
	req := request(dir + "/app")
	req.Settings.Config = dir + "/other/.seaworthy.yaml"
	req.Settings.Ignore = []string{"DF003"}
	req.Settings.FailOn = "none"
	res, err := checker.Check(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule.ID == "DF003" || f.Rule.ID == "DF004" {
			t.Errorf("%s reported: ignored by --ignore and the named config", f.Rule.ID)
		}
	}
	if res.Failed() {
		t.Error("Failed() with --fail-on none")
	}
}

func TestCheckErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", map[string]string{
		"empty/Dockerfile":    "\n",
		"comments/Dockerfile": "# only a comment\n",
		"binary.Dockerfile":   "FROM\x00node\n",
		"ok/Dockerfile":       "FROM scratch\nCOPY app /app\n",
		"nothing/README.md":   "",
		"bad.yaml":            "ignore: [DF999]\n",
	})
	for _, tc := range []struct {
		name string
		req  func(r *checker.Request)
		want string
	}{
		{"missing", func(r *checker.Request) { r.Paths = []string{"missing"} }, "missing: no such file or directory"},
		{"empty", func(r *checker.Request) { r.Paths = []string{"empty/Dockerfile"} }, "empty/Dockerfile: empty Dockerfile"},
		{"comments", func(r *checker.Request) { r.Paths = []string{"comments/Dockerfile"} }, "comments/Dockerfile: no instructions (only comments or blank lines)"},
		{"stdin", func(r *checker.Request) { r.Paths, r.Stdin = []string{"-"}, strings.NewReader("\n") }, "<stdin>: empty Dockerfile"},
		{"-f binary", func(r *checker.Request) { r.Dockerfiles = []string{"binary.Dockerfile"} }, "binary.Dockerfile: not a text file (binary content)"},
		{"directory as a file", func(r *checker.Request) { r.Paths = []string{"ok/Dockerfile/"} }, "ok/Dockerfile/: not a directory"},
		{"nothing", func(r *checker.Request) { r.Paths = []string{"nothing"} }, "nothing: no Dockerfile or compose file found"},
		{"-f directory", func(r *checker.Request) { r.Dockerfiles = []string{"ok"} }, "ok: is a directory, -f wants a Dockerfile"},
		{"target", func(r *checker.Request) { r.Paths, r.Target = []string{"ok"}, "nope" }, `ok/Dockerfile: --target "nope": no stage of that name`},
		{"config", func(r *checker.Request) { r.Paths, r.Settings.Config = []string{"ok"}, "bad.yaml" }, `bad.yaml:1: unknown rule "DF999"`},
		{"severity", func(r *checker.Request) { r.Paths, r.Settings.Severity = []string{"ok"}, []string{"DF003"} }, `--severity "DF003": want ID=level`},
		{"fail-on", func(r *checker.Request) { r.Paths, r.Settings.FailOn = []string{"ok"}, "sometimes" }, "--fail-on: unknown fail-on level"},
		{"today", func(r *checker.Request) { r.Paths, r.Settings.Today = []string{"ok"}, "23/11/2026" }, `--today "23/11/2026": want a date as YYYY-MM-DD`},
	} {
		req := request()
		tc.req(&req)
		_, err := checker.Check(context.Background(), req)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestCheckCanceled(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", composeProject)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := checker.Check(ctx, request(".")); err != context.Canceled {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestFix(t *testing.T) {
	t.Chdir(t.TempDir())
	files := map[string]string{
		"Dockerfile":    "FROM node:22\nMAINTAINER x\nCMD node server.js\n",
		".dockerignore": "node_modules\n",
		"compose.yaml":  "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n    restart: always\n",
	}
	writeFiles(t, ".", files)
	res, err := checker.Fix(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range res.Changes {
		paths = append(paths, c.Path)
		if string(c.Old) != files[c.Path] {
			t.Errorf("%s: Old is not the file's text", c.Path)
		}
		if data, _ := os.ReadFile(c.Path); string(data) != files[c.Path] {
			t.Errorf("%s: Fix wrote the file", c.Path)
		}
	}
	if want := []string{"Dockerfile", "compose.yaml"}; !slices.Equal(paths, want) {
		t.Errorf("changed %q, want %q", paths, want)
	}
	if res.Fixed != 3 {
		t.Errorf("Fixed = %d, want 3 (MAINTAINER, shell-form CMD, compose version)", res.Fixed)
	}
	df := string(res.Changes[0].New)
	if !strings.Contains(df, `CMD ["node", "server.js"]`) || strings.Contains(df, "MAINTAINER") {
		t.Errorf("fixed Dockerfile:\n%s", df)
	}
	if d := string(res.Changes[1].Diff()); !strings.HasPrefix(d, "diff a/compose.yaml b/compose.yaml\n") || !strings.Contains(d, "\n-version: \"3.8\"\n") {
		t.Errorf("compose.yaml diff:\n%s", d)
	}

	// The fixed text checks clean of the fixed rules.
	for _, c := range res.Changes {
		if err := os.WriteFile(c.Path, c.New, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	again, err := checker.Fix(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	if again.Fixed != 0 || len(again.Changes) != 0 {
		t.Errorf("second Fix: %d fixed, %d changes", again.Fixed, len(again.Changes))
	}
}

func TestFixStdin(t *testing.T) {
	req := request("-")
	req.Stdin = strings.NewReader("FROM nginx:1.27\nMAINTAINER x\n")
	res, err := checker.Fix(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || !res.Changes[0].Stdin() || res.Fixed != 1 {
		t.Fatalf("changes %+v, fixed %d", res.Changes, res.Fixed)
	}
	if !strings.Contains(string(res.Changes[0].New), `LABEL org.opencontainers.image.authors="x"`) {
		t.Errorf("fixed text:\n%s", res.Changes[0].New)
	}
}

// TestCheckPushedBuildOutranksTestCompose is shaped like karakeep: CI
// pushes docker/Dockerfile's targets; a benchmark stack (test, by its
// folder) builds one of them with a context of its own. The pushed build
// decides the context and the targets checked; a production stack's
// target that CI does not push (or its last stage) is checked too, and
// with no build that pushes, a production stack's build decides before
// the test stack's. Near miss: with no other build, the test stack's
// still gives the context.
func TestCheckPushedBuildOutranksTestCompose(t *testing.T) {
	df := "FROM node:22-slim AS base\nWORKDIR /app\nCOPY . .\n" +
		"FROM base AS aio\nCMD [\"node\", \"aio.js\"]\n" +
		"FROM base AS web\nCMD [\"node\", \"web.js\"]\n" +
		"FROM base AS lite\nCMD [\"node\", \"lite.js\"]\n" +
		"FROM base AS mcp\nCMD [\"node\", \"mcp.js\"]\n"
	workflow := `on: push
jobs:
  build:
    strategy:
      matrix:
        target: [aio, web]
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: .
          file: docker/Dockerfile
          target: ${{ matrix.target }}
          push: true
`
	bench := "services:\n  web:\n    build:\n      dockerfile: docker/Dockerfile\n      context: ../../\n      target: aio\n"
	for _, tc := range []struct {
		name       string
		files      map[string]string
		from, tgts string
	}{
		{"pushed", map[string]string{".github/workflows/docker.yml": workflow}, ".github/workflows/docker.yml:11", "aio, web"},
		{"pushed and a production stack", map[string]string{
			".github/workflows/docker.yml":    workflow,
			"docker/docker-compose.build.yml": "services:\n  web:\n    build:\n      dockerfile: docker/Dockerfile\n      context: ..\n      target: lite\n    restart: unless-stopped\n",
		}, ".github/workflows/docker.yml:11", "aio, lite, web"},
		{"a production stack before a test one", map[string]string{
			"docker/docker-compose.build.yml": "services:\n  web:\n    build:\n      dockerfile: docker/Dockerfile\n      context: ..\n      target: lite\n    restart: unless-stopped\n",
		}, "docker/docker-compose.build.yml:3", "lite +last"},
		{"pushed and a production stack of the last stage", map[string]string{
			".github/workflows/docker.yml": workflow,
			"compose.yaml":                 "services:\n  web:\n    build:\n      dockerfile: docker/Dockerfile\n    restart: unless-stopped\n",
		}, ".github/workflows/docker.yml:11", "aio, web +last"},
		{"nothing pushes", nil, "packages/benchmarks/docker-compose.yml:3", "aio +last"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			files := map[string]string{
				"docker/Dockerfile":                      df,
				".dockerignore":                          "node_modules\n",
				"package.json":                           `{"name": "x"}` + "\n",
				"packages/benchmarks/docker-compose.yml": bench,
				"packages/benchmarks/package.json":       `{"name": "bench", "private": true}` + "\n",
			}
			for k, v := range tc.files {
				files[k] = v
			}
			writeFiles(t, ".", files)
			res, err := checker.Check(context.Background(), request("."))
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range res.Builds {
				if b.Dockerfile != "docker/Dockerfile" {
					continue
				}
				got := b.Target
				if !b.TargetOnly {
					got += " +last"
				}
				if b.ContextFrom != tc.from || got != tc.tgts {
					t.Errorf("context from %q, targets %q; want from %q, targets %q", b.ContextFrom, got, tc.from, tc.tgts)
				}
				return
			}
			t.Errorf("no build of docker/Dockerfile in %+v", res.Builds)
		})
	}
}

// TestCheckNamedContexts is shaped like hyperdx: release-nightly.yml
// builds docker/hyperdx/Dockerfile from the repository with the named
// contexts hyperdx and api; the build shows them, and DF016 reads the
// entry script the prod stage copies `--from=hyperdx` (it lacks exec: a
// warning naming the named context). Near miss: a Makefile build of a
// second Dockerfile that passes no named context leaves `--from=hyperdx`
// an unknown image, and DF016 says the script could not be inspected. The
// workspace package is the one the named context api is (the near miss
// keeps the nearest package.json).
func TestCheckNamedContexts(t *testing.T) {
	t.Chdir(t.TempDir())
	df := "FROM node:22-alpine AS prod\nUSER node\nWORKDIR /app\n" +
		"COPY --from=api ./bin ./packages/api/bin\n" +
		"COPY --from=hyperdx ./entry.prod.sh /etc/local/entry.sh\n" +
		"ENTRYPOINT [\"sh\", \"/etc/local/entry.sh\"]\n"
	writeFiles(t, ".", map[string]string{
		"docker/hyperdx/Dockerfile":    df,
		"docker/hyperdx/entry.prod.sh": "#!/bin/sh\n./node_modules/.bin/concurrently \"./packages/api/bin/hyperdx api\"\n",
		"docker/plain/Dockerfile":      df,
		"docker/plain/entry.prod.sh":   "#!/bin/sh\nexec node server.js\n",
		"packages/api/bin/hyperdx":     "#!/usr/bin/env node\n",
		"packages/api/package.json":    `{"name": "@hyperdx/api"}` + "\n",
		"packages/app/package.json":    `{"name": "@hyperdx/app"}` + "\n",
		"package.json":                 `{"name": "root", "private": true, "workspaces": ["packages/*"]}` + "\n",
		"Makefile":                     "build-plain:\n\tdocker build . -f docker/plain/Dockerfile\n",
		".github/workflows/release-nightly.yml": `on: push
jobs:
  app:
    steps:
      - uses: docker/build-push-action@v6
        with:
          file: ./docker/hyperdx/Dockerfile
          build-contexts: |
            hyperdx=./docker/hyperdx
            api=./packages/api
          push: true
`,
	})
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	named, pkg := map[string]string{}, map[string]string{}
	for _, b := range res.Builds {
		named[b.Dockerfile] = strings.Join(b.NamedContexts, ", ")
		pkg[b.Dockerfile] = b.Package
	}
	if got := pkg["docker/hyperdx/Dockerfile"]; got != "packages/api" {
		t.Errorf("docker/hyperdx/Dockerfile: package %q, want packages/api (COPY --from=api)", got)
	}
	if got := pkg["docker/plain/Dockerfile"]; got != "." {
		t.Errorf("docker/plain/Dockerfile: package %q, want . (no named context api)", got)
	}
	if got, want := named["docker/hyperdx/Dockerfile"], "api=packages/api, hyperdx=docker/hyperdx"; got != want {
		t.Errorf("docker/hyperdx/Dockerfile: named contexts %q, want %q", got, want)
	}
	if got := named["docker/plain/Dockerfile"]; got != "" {
		t.Errorf("docker/plain/Dockerfile: named contexts %q, want none", got)
	}
	df016 := map[string]string{}
	for _, f := range res.Findings {
		if f.Rule.ID == "DF016" {
			df016[f.File] = f.Message
		}
	}
	if m := df016["docker/hyperdx/Dockerfile"]; !strings.Contains(m, "docker/hyperdx/entry.prod.sh in the named build context hyperdx") {
		t.Errorf("docker/hyperdx/Dockerfile: DF016 %q, want the script read from the named context", m)
	}
	if m := df016["docker/plain/Dockerfile"]; !strings.Contains(m, "could not be inspected") {
		t.Errorf("docker/plain/Dockerfile: DF016 %q, want a script that could not be inspected", m)
	}
}
