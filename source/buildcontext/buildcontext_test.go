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

func TestReadFileUpToAndGlob(t *testing.T) {
	ctx := t.TempDir()
	write(t, filepath.Join(ctx, "package-lock.json"), strings.Repeat("#", buildcontext.MaxFileSize+1))
	write(t, filepath.Join(ctx, ".env"), "A=1\n")
	write(t, filepath.Join(ctx, ".env.local"), "A=2\n")
	write(t, filepath.Join(ctx, ".env.production"), "A=3\n")
	if err := os.MkdirAll(filepath.Join(ctx, ".env.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	ignore, err := dockerignore.Parse(filepath.Join(ctx, ".dockerignore"), []byte(".env.local\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := buildcontext.New(ctx, ignore)
	if _, err := d.ReadFile("package-lock.json"); err == nil {
		t.Error("ReadFile read a file larger than MaxFileSize")
	}
	if data, err := d.ReadFileUpTo("package-lock.json", buildcontext.MaxFixFileSize); err != nil || len(data) != buildcontext.MaxFileSize+1 {
		t.Errorf("ReadFileUpTo(package-lock.json) = %d bytes, %v; want the whole file", len(data), err)
	}
	if _, err := d.ReadFileUpTo(".env.local", buildcontext.MaxFixFileSize); !errors.Is(err, buildcontext.ErrNotInContext) {
		t.Errorf("ReadFileUpTo(.env.local): %v, want ErrNotInContext", err)
	}
	for pattern, want := range map[string]string{
		".env*":   ".env .env.production", // not the ignored file, not the directory
		"/.env.*": ".env.production",
		"*.yml":   "",
		"[":       "",
	} {
		if got := strings.Join(d.Glob(pattern), " "); got != want {
			t.Errorf("Glob(%q) = %q, want %q", pattern, got, want)
		}
	}
	var none *buildcontext.Dir
	if got := none.Glob(".env*"); got != nil {
		t.Errorf("nil Dir: Glob = %q, want none", got)
	}
}
