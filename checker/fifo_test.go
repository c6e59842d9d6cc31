//go:build unix

package checker_test

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/checker"
)

// checkWithin runs Check and fails the test when it blocks.
func checkWithin(t *testing.T, req checker.Request) (*checker.Result, error) {
	t.Helper()
	type outcome struct {
		res *checker.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := checker.Check(context.Background(), req)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(30 * time.Second):
		t.Fatal("Check blocked")
		return nil, nil
	}
}

// TestCheckNamedPipes: named pipes are never opened for reading. Where a
// Dockerfile, compose file, source file or .seaworthy.yaml is looked for,
// one is skipped with a warning naming it; in place of a file a build
// uses (.dockerignore, package.json, .nvmrc) it is that file's finding;
// named on the command line it is an error.
func TestCheckNamedPipes(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", merge(
		service("api", map[string]string{".dockerignore": ""}),
		service("pkg", map[string]string{"package.json": ""}),
		service("nvm", nil),
		service("src", map[string]string{"server.js": "const app = require('express')()\napp.listen(3000)\n"}),
		map[string]string{"pipe/README.md": "", "compose.yaml": "services:\n  cache:\n    image: redis:7\n"},
	))
	for _, name := range []string{"api/.dockerignore", "pkg/package.json", "nvm/.nvmrc", "src/worker.js", "pipe/Dockerfile", "compose.override.yaml", ".seaworthy.yaml"} {
		if err := syscall.Mkfifo(name, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	res, err := checkWithin(t, request("."))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	for _, want := range []struct{ id, file string }{
		{"DI000", "api/.dockerignore"}, {"AP000", "pkg/package.json"}, {"AP000", "nvm/.nvmrc"}, {"DF011", "src/Dockerfile"},
	} {
		fs := findingsOf(res, want.id, want.file)
		if len(fs) != 1 || want.id != "DF011" && fs[0].Message != "cannot be read: not a regular file (a named pipe)" {
			t.Errorf("%s on %s: %v", want.id, want.file, fs)
		}
	}
	var warnings []string
	for _, w := range res.Warnings {
		warnings = append(warnings, w.String())
	}
	got := strings.Join(warnings, "\n")
	for _, name := range []string{".seaworthy.yaml", "compose.override.yaml", "pipe/Dockerfile", filepath.Join("src", "worker.js")} {
		if !strings.Contains(got, name+": skipped: not a regular file (a named pipe)") {
			t.Errorf("no warning about %s in:\n%s", name, got)
		}
	}

	for _, path := range []string{"pipe/Dockerfile", "compose.override.yaml"} {
		_, err := checkWithin(t, request(path))
		if err == nil || err.Error() != path+": not a regular file (a named pipe)" {
			t.Errorf("check %s: %v", path, err)
		}
	}
	req := request("api")
	req.Settings.Config = ".seaworthy.yaml"
	if _, err := checkWithin(t, req); err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
		t.Errorf("--config naming a named pipe: %v", err)
	}
}
