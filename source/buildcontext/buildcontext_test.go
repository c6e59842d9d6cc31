package buildcontext_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
)

func TestReadFile(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "secret.sh"), "echo outside\n")
	ctx := t.TempDir()
	write(t, filepath.Join(ctx, "scripts", "start.sh"), "exec node server.js\n")
	write(t, filepath.Join(ctx, "local.sh"), "echo ignored\n")
	write(t, filepath.Join(ctx, "big.sh"), strings.Repeat("#", buildcontext.MaxFileSize+1))
	if err := os.Symlink(filepath.Join(outside, "secret.sh"), filepath.Join(ctx, "out.sh")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := os.Symlink("scripts/start.sh", filepath.Join(ctx, "in.sh")); err != nil {
		t.Fatal(err)
	}
	ignore, err := dockerignore.Parse(filepath.Join(ctx, ".dockerignore"), []byte("local.sh\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := buildcontext.New(ctx, ignore)
	for _, rel := range []string{"scripts/start.sh", "/scripts/start.sh", "./scripts/../scripts/start.sh", "in.sh"} {
		data, err := d.ReadFile(rel)
		if err != nil || string(data) != "exec node server.js\n" {
			t.Errorf("ReadFile(%q) = %q, %v; want the script", rel, data, err)
		}
	}
	for _, rel := range []string{"missing.sh", "local.sh", "out.sh", "../" + filepath.Base(outside) + "/secret.sh", "*.sh"} {
		if _, err := d.ReadFile(rel); !errors.Is(err, buildcontext.ErrNotInContext) {
			t.Errorf("ReadFile(%q): %v, want ErrNotInContext", rel, err)
		}
	}
	if _, err := d.ReadFile("scripts"); err == nil {
		t.Error("ReadFile(scripts) read a directory")
	}
	if _, err := d.ReadFile("big.sh"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("ReadFile(big.sh): %v, want a size error", err)
	}
	if !d.Sent("scripts/start.sh") || d.Sent("local.sh") || d.Sent("out.sh") || d.Sent("scripts") {
		t.Error("Sent: want only regular files inside the context that the .dockerignore keeps")
	}
	if !d.IsDir("scripts") || d.IsDir("scripts/start.sh") || d.IsDir("missing") {
		t.Error("IsDir: want only the directory")
	}
	var none *buildcontext.Dir
	if _, err := none.ReadFile("scripts/start.sh"); !errors.Is(err, buildcontext.ErrNotInContext) {
		t.Errorf("nil Dir: %v, want ErrNotInContext", err)
	}
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
