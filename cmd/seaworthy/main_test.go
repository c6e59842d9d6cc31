package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
)

// The tests of this package run the built binary through the tools that
// deliver it: the docker CLI (as a plugin), the Docker engine (as an
// image), pre-commit, a GitHub Actions runner's environment and a GitLab
// CI job's script.
func TestMain(m *testing.M) {
	code := m.Run()
	enginetest.Stop()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// hostBinary builds seaworthy once for the tests that need no engine
// (enginetest's Env.Binary is the same static build, for those that do).
func hostBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "seaworthy-bin-"); binErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "seaworthy"), ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = &buildError{err: err, out: string(out)}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "seaworthy")
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "building seaworthy: " + e.err.Error() + "\n" + e.out }

// runCmd runs cmd and returns its combined output and exit code; a command
// that cannot start fails t.
func runCmd(t *testing.T, cmd *exec.Cmd) (string, int) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return string(out), cmd.ProcessState.ExitCode()
}
