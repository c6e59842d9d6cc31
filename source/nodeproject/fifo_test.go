//go:build unix

package nodeproject

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A named pipe under a source name is skipped, not read (which would
// block), and named by SkippedSources.
func TestSkippedSources(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"package.json": `{"name":"api"}`, "src/server.js": "require('http')\n"})
	fifo := filepath.Join(root, "src", "worker.js")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	p, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	files, err := p.Sources()
	if err != nil || len(files) != 1 || files[0].Rel != "src/server.js" {
		t.Errorf("sources = %+v, %v", files, err)
	}
	if s := p.SkippedSources(); len(s) != 1 || s[0].Path != fifo || s[0].String() != fifo+": skipped: not a regular file (a named pipe)" {
		t.Errorf("skipped = %v", s)
	}
}
