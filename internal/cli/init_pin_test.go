package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestInitPin runs `init --pin` against an in-memory registry standing in
// for Docker Hub: the Dockerfile's base image is pinned to the digest the
// registry serves, and --json reports it.
func TestInitPin(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(1024, 1)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(u.Host + "/library/node:22-bookworm-slim")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	digest, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}

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
	if code := Main([]string{"init", "--pin", "--registry", u.Host, "--json", "app"}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit code %d\n%s", code, &stderr)
	}
	var out struct {
		Pins []struct{ Image, Digest, Error string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Pins) != 1 || out.Pins[0].Image != "node:22-bookworm-slim" || out.Pins[0].Digest != digest.String() {
		t.Errorf("pins = %+v, want node:22-bookworm-slim at %s", out.Pins, digest)
	}
	df, err := os.ReadFile(filepath.Join("app", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "FROM node:22-bookworm-slim@" + digest.String() + " AS runtime\n"; !strings.Contains(string(df), want) {
		t.Errorf("Dockerfile has no %q:\n%s", want, df)
	}
}
