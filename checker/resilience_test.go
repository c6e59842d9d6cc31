package checker_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
)

// nodeService is a healthy service of the monorepos below.
var nodeService = map[string]string{
	"Dockerfile":        "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
	".dockerignore":     "node_modules\n.git\n",
	"package.json":      `{"name": "svc", "dependencies": {"express": "^4.21.0"}}` + "\n",
	"package-lock.json": `{"lockfileVersion": 3}` + "\n",
	"server.js":         "require('express')().listen(3000)\n",
}

// service returns nodeService's files under dir, with changes (an empty
// text removes the file).
func service(dir string, changes map[string]string) map[string]string {
	out := map[string]string{}
	for name, text := range nodeService {
		out[dir+"/"+name] = text
	}
	for name, text := range changes {
		out[dir+"/"+name] = text
		if text == "" {
			delete(out, dir+"/"+name)
		}
	}
	return out
}

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// findingsOf returns the findings of rule id on file.
func findingsOf(res *checker.Result, id, file string) []analysis.Finding {
	var out []analysis.Finding
	for _, f := range res.Findings {
		if f.Rule.ID == id && f.File == file {
			out = append(out, f)
		}
	}
	return out
}

// TestCheckResilience: in a directory, each file that cannot be used is a
// finding on that file and every other service is still checked.
func TestCheckResilience(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", merge(
		service("api", nil),
		service("web", nil),
		service("worker", map[string]string{"Dockerfile": "FROM\x00\x01node\n"}),
		service("docs", map[string]string{"Dockerfile": "# to do\n\n"}),
		service("latin", map[string]string{"Dockerfile": "# Gr\xfc\xdfe\nFROM node:22-slim\nLABEL maintainer=\"Ren\xe9\"\nCMD node server.js\n"}),
		service("pkg", map[string]string{"package.json": "{\n  \"name\": \"pkg\",\n}\n"}),
		service("ign", map[string]string{".dockerignore": "", ".dockerignore/README": "a directory\n"}),
		service("nvm", map[string]string{".nvmrc/README": "a directory\n"}),
		map[string]string{
			"huge/README.md":      "",
			"compose.yaml":        "services:\n  api:\n    build: api\n    ports:\n      - \"127.0.0.1:3001\"\n",
			"deploy/compose.yaml": "services:\n  cache:\n    image: redis:latest\n",
		},
	))
	if err := os.WriteFile("web/Dockerfile", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Too large to read: as unreadable as a file without permission (which
	// root, running the tests in CI, can read anyway).
	if err := os.WriteFile("huge/Dockerfile", []byte("FROM scratch\n"+strings.Repeat("#", 8<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	for _, want := range []struct{ id, file, msg string }{
		{"DF000", "web/Dockerfile", "empty Dockerfile"},
		{"DF000", "worker/Dockerfile", "not a text file (binary content)"},
		{"DF000", "docs/Dockerfile", "no instructions (only comments or blank lines)"},
		{"DF000", "huge/Dockerfile", "cannot be read: larger than 8388608 bytes"},
		{"AP000", "pkg/package.json", "invalid package.json: invalid character '}'"},
		{"DI000", "ign/.dockerignore", "cannot be read: not a regular file (a directory)"},
		{"AP000", "nvm/.nvmrc", "cannot be read: not a regular file (a directory)"},
		{"CO000", "compose.yaml", "invalid hostPort: 127.0.0.1"},
		// The healthy parts are checked.
		{"DF011", "api/Dockerfile", ""},
		{"DF013", "latin/Dockerfile", ""},
		{"CO004", "deploy/compose.yaml", ""},
	} {
		fs := findingsOf(res, want.id, want.file)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, want.msg) {
			t.Errorf("%s on %s: %v, want one saying %q", want.id, want.file, fs, want.msg)
			continue
		}
		if strings.HasSuffix(want.id, "000") && fs[0].Severity != analysis.Error {
			t.Errorf("%s on %s: severity %s", want.id, want.file, fs[0].Severity)
		}
	}
	if fs := findingsOf(res, "AP000", "pkg/package.json"); len(fs) == 1 && fs[0].Range.Start.Line != 3 {
		t.Errorf("AP000 on pkg/package.json at line %d, want 3", fs[0].Range.Start.Line)
	}
	if fs := findingsOf(res, "CO000", "compose.yaml"); len(fs) == 1 && fs[0].Range.Start.Line != 5 {
		t.Errorf("CO000 on compose.yaml at line %d, want 5", fs[0].Range.Start.Line)
	}
	if fs := findingsOf(res, "DF000", "latin/Dockerfile"); len(fs) != 0 {
		t.Errorf("a Latin-1 Dockerfile is binary: %v", fs)
	}
	if fs := findingsOf(res, "DI001", "ign/Dockerfile"); len(fs) != 0 {
		t.Errorf("an unreadable .dockerignore is called missing: %v", fs)
	}
	if res.Files != 11 {
		t.Errorf("Files = %d, want 11 (9 Dockerfiles and 2 compose files)", res.Files)
	}
	if !res.Failed() {
		t.Error("Failed() = false")
	}
}

// TestCheckSharedFile: a problem in a file that several builds use is one
// finding naming the Dockerfiles.
func TestCheckSharedFile(t *testing.T) {
	t.Chdir(t.TempDir())
	df := "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n"
	writeFiles(t, ".", map[string]string{
		"Dockerfile":             df,
		"Dockerfile.worker":      df,
		"tools/build.Dockerfile": df, // its context is tools: the root's .dockerignore is not its
		"solo/Dockerfile":        df,
		"solo/.dockerignore":     "node_modules\n",
		".dockerignore":          "node_modules\n",
		".node-version":          "22\n",
		"package.json":           `{"name": "app"}` + "\n",
		"api/Dockerfile":         df,
		"api/worker.Dockerfile":  df,
		"api/package.json":       "{\"name\": \"api\",}\n",
		"api/.dockerignore":      "node_modules\n.git\n",
	})
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ id, file, suffix string }{
		{"DI003", ".dockerignore", " (for Dockerfile, Dockerfile.worker)"},
		{"DI005", "api/.dockerignore", " (for Dockerfile, worker.Dockerfile)"},
		{"AP008", ".node-version", " (for Dockerfile, Dockerfile.worker)"},
		{"AP000", "api/package.json", " (for Dockerfile, worker.Dockerfile)"},
	} {
		fs := findingsOf(res, want.id, want.file)
		if len(fs) != 1 || !strings.HasSuffix(fs[0].Message, want.suffix) {
			var msgs []string
			for _, f := range fs {
				msgs = append(msgs, f.Message)
			}
			t.Errorf("%s on %s: %q, want one ending in %q", want.id, want.file, msgs, want.suffix)
		}
	}
	// A file one build uses keeps its message, and so do the Dockerfiles.
	for _, f := range res.Findings {
		if strings.HasPrefix(f.File, "solo/") || strings.HasSuffix(f.File, "Dockerfile") {
			if strings.Contains(f.Message, "(for ") {
				t.Errorf("%s on %s: %q", f.Rule.ID, f.File, f.Message)
			}
		}
	}
	if len(findingsOf(res, "DI004", "solo/.dockerignore")) != 1 {
		t.Errorf("no DI004 on solo/.dockerignore: %q", ids(res.Findings))
	}
}

// TestCheckComposeTargetMissing: a compose build target that names no
// stage of its Dockerfile is a warning, and the Dockerfile is checked with
// its last stage as the final one; Fix goes on too.
func TestCheckComposeTargetMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", map[string]string{
		"api/Dockerfile": "FROM node:22-slim AS base\nMAINTAINER x\nCMD [\"node\", \"a.js\"]\n",
		"compose.yaml":   "services:\n  api:\n    build:\n      context: api\n      target: prod\n    restart: always\n",
	})
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(findingsOf(res, "DF011", "api/Dockerfile")) != 1 {
		t.Errorf("the Dockerfile is not checked: %q", ids(res.Findings))
	}
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.String(), `api/Dockerfile: a compose file builds the target "prod", which no stage defines`)
	}
	if !warned {
		t.Errorf("no warning about the target: %v", res.Warnings)
	}
	fixed, err := checker.Fix(context.Background(), request("."))
	if err != nil || fixed.Fixed != 1 {
		t.Errorf("Fix: %v, %+v", err, fixed)
	}
}
