package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
)

// TestImage builds seaworthy's own image (build/Dockerfile) from the
// static binary built here, checks its configuration, runs the README's
// `docker run` line on a sample project with no network, and checks the
// Dockerfile with seaworthy itself.
func TestImage(t *testing.T) {
	e := enginetest.Shared(t)
	bin := e.Binary(t)
	root := repoRoot(t)

	// The build context: build/ as the README builds it, with the binary.
	dir := t.TempDir()
	for _, name := range []string{"Dockerfile", ".dockerignore"} {
		copyFile(t, filepath.Join(root, "build", name), filepath.Join(dir, name), 0o644)
	}
	copyFile(t, bin, filepath.Join(dir, "seaworthy"), 0o755)
	e.Build(t, dir, "seaworthy")

	img, err := e.Engine.Image(context.Background(), "seaworthy")
	if err != nil {
		t.Fatal(err)
	}
	if img.User != "65532:65532" || img.WorkingDir != "/src" || len(img.Entrypoint) != 1 || img.Entrypoint[0] != "/usr/local/bin/seaworthy" {
		t.Errorf("image config: user %q, workdir %q, entrypoint %q; want a numeric non-root user, /src, the binary in exec form", img.User, img.WorkingDir, img.Entrypoint)
	}
	size, err := e.Docker(context.Background(), nil, "image", "inspect", "--format", "{{.Size}}", "seaworthy")
	if err != nil {
		t.Fatal(size)
	}
	t.Logf("image size: %s bytes", strings.TrimSpace(size))

	// A sample project, readable by the image's user as a checkout is.
	project := filepath.Join(t.TempDir(), "node-api")
	if err := os.CopyFS(project, os.DirFS(filepath.Join(root, "examples", "node-api"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(project), 0o755); err != nil {
		t.Fatal(err)
	}
	host := exec.Command(bin, "check", ".")
	host.Dir = project
	want, _ := host.Output()

	line := readmeLine(t, "# seaworthy's image", "docker run ")
	if !strings.Contains(line, "--network none") {
		t.Errorf("the README's %q does not cut the network", line)
	}
	run := exec.Command("bash", "-c", line)
	run.Dir = project
	run.Env = append(os.Environ(), "DOCKER_HOST="+e.Host)
	got, code := runCmd(t, run)
	if code != 1 {
		t.Fatalf("%s: exit code %d, want 1 (findings)\n%s", line, code, got)
	}
	summary := func(out []byte) string {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return lines[len(lines)-1]
	}
	if !strings.HasPrefix(summary([]byte(got)), "Found ") || summary([]byte(got)) != summary(want) {
		t.Errorf("in the image: %q\non the host: %q", summary([]byte(got)), summary(want))
	}
	if !strings.Contains(got, "/src/Dockerfile:") {
		t.Errorf("findings do not name /src/Dockerfile:\n%s", got)
	}

	// seaworthy passes its own image's Dockerfile, with the production rules.
	self := exec.Command(bin, "check", "--production", "--fail-on", "info", filepath.Join(root, "build"))
	if out, err := self.CombinedOutput(); err != nil {
		t.Errorf("seaworthy check --production build/: %v\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}
