package checker_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/checker"
)

// Result.Read counts what a run read, each shared file once.
func TestCheckRead(t *testing.T) {
	t.Chdir(t.TempDir())
	df := "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n"
	writeFiles(t, ".", map[string]string{
		"Dockerfile":     df,
		"dev.Dockerfile": df,
		".dockerignore":  "node_modules\n",
		"compose.yaml":   "services:\n  api:\n    build: .\n    restart: always\n",
		"package.json":   `{"name": "x", "main": "server.js"}` + "\n",
		"server.js":      "require('http').createServer().listen(3000);\n",
		"lib/a.js":       "module.exports = 1;\n",
		"test/a.test.js": "// a test, not a source the AP rules read\n",
	})
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	want := checker.Read{Dockerfiles: 2, IgnoreFiles: 1, ComposeFiles: 1, Packages: 1, Sources: 2}
	if res.Read != want {
		t.Errorf("Read = %+v, want %+v", res.Read, want)
	}
	if res.Files != 3 {
		t.Errorf("Files = %d, want 3 (two Dockerfiles and the compose file)", res.Files)
	}
}

// A file named as a path is checked by its name or content, or refused.
func TestCheckFileKinds(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", map[string]string{
		"app/package.json":  `{"name": "x"}` + "\n",
		"app/build.docker":  "# syntax=docker/dockerfile:1\nFROM node:22-slim\nUSER node\n",
		"app/stack.conf":    "services:\n  web:\n    image: nginx:1.27.3\n",
		"app/notes.txt":     "FROM here on, nothing is a Dockerfile.\n",
		"app/Dockerfile.ci": "RUNN odd\n",
	})
	for _, path := range []string{"app/package.json", "app/notes.txt"} {
		_, err := checker.Check(context.Background(), request(path))
		var nc *checker.NotCheckableError
		if !errors.As(err, &nc) || nc.Path != path || !strings.Contains(err.Error(), "`seaworthy check app`") {
			t.Errorf("%s: error %v, want a NotCheckableError suggesting the directory", path, err)
		}
	}
	for path, files := range map[string]int{"app/build.docker": 1, "app/stack.conf": 1, "app/Dockerfile.ci": 1} {
		res, err := checker.Check(context.Background(), request(path))
		if err != nil || res.Files != files {
			t.Errorf("%s: %v (files %v)", path, err, res)
		}
	}
	req := request()
	req.Dockerfiles = []string{"app/notes.txt"}
	if _, err := checker.Check(context.Background(), req); err != nil {
		t.Errorf("-f app/notes.txt: %v, want it checked as a Dockerfile", err)
	}
}
