package dockerignore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	f, err := Parse(".dockerignore", []byte("# deps\nnode_modules\n/.git\n*.log\n**/*.md\n!README.md\n.env*\n!.env.example\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"node_modules":              true,
		"node_modules/express/a.js": true,
		"packages/a/node_modules":   false, // node_modules matches at the root only
		".git/config":               true,
		"npm-debug.log":             true,
		"logs/x.log":                false,
		"docs/guide.md":             true,
		"README.md":                 false,
		".env":                      true,
		".env.production":           true,
		".env.example":              false,
		"package-lock.json":         false,
	}
	for p, want := range cases {
		got, by := f.Match(p)
		if got != want {
			t.Errorf("Match(%q) = %v (by %+v), want %v", p, got, by, want)
		}
	}
	if _, by := f.Match("node_modules/x"); by == nil || by.Line != 2 {
		t.Errorf("deciding pattern line = %+v, want 2", by)
	}
}

func TestMayReinclude(t *testing.T) {
	f, err := Parse(".dockerignore", []byte("*\n!src\n!packages/*/package.json\n!**/*.d.ts\n"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := Parse(".dockerignore", []byte("*\n!src\n!packages/*/package.json\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		f    *File
		dir  string
		want bool
	}{
		{g, "src", true},
		{g, "src/lib", true}, // !src re-includes everything below
		{g, "packages", true},
		{g, "packages/a", true},
		{g, "packages/a/src", false},
		{g, "docs", false},
		{f, "docs", true}, // !**/*.d.ts may match anywhere
	}
	for _, c := range cases {
		if got := c.f.MayReinclude(c.dir); got != c.want {
			t.Errorf("MayReinclude(%q) = %v, want %v", c.dir, got, c.want)
		}
	}
	if !(&File{}).FinalNewline() || !(&File{Source: []byte("a\n")}).FinalNewline() || (&File{Source: []byte("a")}).FinalNewline() {
		t.Error("FinalNewline")
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	if f, err := Read(filepath.Join(dir, ".dockerignore")); f != nil || err != nil {
		t.Errorf("Read of a missing file = %v, %v", f, err)
	}
	ok := filepath.Join(dir, "ok.dockerignore")
	bad := filepath.Join(dir, "bad.dockerignore")
	asDir := filepath.Join(dir, "dir.dockerignore")
	for path, text := range map[string]string{ok: "node_modules\n", bad: "node_modules\n[\n"} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(asDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if f, err := Read(ok); err != nil || len(f.Patterns) != 1 {
		t.Errorf("Read = %+v, %v", f, err)
	}
	var e *Error
	if _, err := Read(bad); !errors.As(err, &e) || e.Line != 2 || !strings.Contains(e.Msg, `invalid pattern "["`) {
		t.Errorf("Read of an invalid pattern = %v", err)
	}
	if _, err := Read(asDir); !errors.As(err, &e) || e.Line != 0 || e.Msg != "cannot be read: not a regular file (a directory)" {
		t.Errorf("Read of a directory = %v", err)
	}
}
