package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/internal/registrytest"
)

// TestInitPin runs `init --pin` against an in-memory registry standing in
// for Docker Hub: the Dockerfile's base image is pinned to the digest the
// registry serves, and --json reports it.
func TestInitPin(t *testing.T) {
	host, digests := registrytest.Start(t, "library/node:22-bookworm-slim")
	digest := digests["library/node:22-bookworm-slim"]

	dir := t.TempDir()
	for name, content := range map[string]string{
		".git/HEAD":    "",
		"app/.nvmrc":   "22\n",
		"app/index.js": "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n",
		"app/package.json": `{"name": "app", "scripts": {"start": "node index.js"}}
`,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	t.Setenv("SEAWORTHY_TODAY", "2026-11-23")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"init", "--pin", "--registry", host, "--json", "app"}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit code %d\n%s", code, &stderr)
	}
	var out struct {
		Pins []struct{ Image, Digest, Error string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Pins) != 1 || out.Pins[0].Image != "node:22-bookworm-slim" || out.Pins[0].Digest != digest {
		t.Errorf("pins = %+v, want node:22-bookworm-slim at %s", out.Pins, digest)
	}
	df, err := os.ReadFile(filepath.Join("app", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "FROM node:22-bookworm-slim@" + digest + " AS runtime\n"; !strings.Contains(string(df), want) {
		t.Errorf("Dockerfile has no %q:\n%s", want, df)
	}
}
