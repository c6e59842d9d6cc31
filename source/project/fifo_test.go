//go:build unix

package project

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Named pipes under a Dockerfile's or a compose file's name are skipped
// and listed; one in place of a .dockerignore is the build's IgnoreError.
// Nothing blocks.
func TestDiscoverNamedPipes(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"api/Dockerfile":        "FROM scratch\n",
		"api/package.json":      "{\"name\": \"api\",}\n",
		"api/worker.Dockerfile": "FROM scratch\n",
	})
	if err := os.Mkdir(filepath.Join(root, "web"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"web/Dockerfile", "web/compose.yaml", "api/.dockerignore"} {
		if err := syscall.Mkfifo(filepath.Join(root, name), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	p, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Builds) != 2 || len(p.ComposeFiles) != 0 {
		t.Fatalf("builds %d, compose files %v", len(p.Builds), p.ComposeFiles)
	}
	var skipped []string
	for _, s := range p.Skipped {
		rel, _ := filepath.Rel(root, s.Path)
		skipped = append(skipped, rel)
	}
	if len(skipped) != 2 || skipped[0] != "web/Dockerfile" || skipped[1] != "web/compose.yaml" {
		t.Errorf("skipped = %v", skipped)
	}
	for _, b := range p.Builds {
		if b.Ignore != nil || b.IgnoreError == nil || b.IgnoreError.Msg != "cannot be read: not a regular file (a named pipe)" {
			t.Errorf("%s: ignore %v, error %v", b.DockerfilePath, b.Ignore, b.IgnoreError)
		}
		if b.Package != nil || b.PackageError == nil || b.PackageError.Line != 1 {
			t.Errorf("%s: package %v, error %v", b.DockerfilePath, b.Package, b.PackageError)
		}
	}
	if p.Builds[0].PackageError != p.Builds[1].PackageError {
		t.Error("the builds of one package do not share its error")
	}
}
