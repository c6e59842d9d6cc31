package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra/doc"

	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
)

// manPages renders one man page per command (seaworthy.1,
// seaworthy-check.1, …) from the command tree: the same help, flags and
// examples as --help.
func manPages(t *testing.T) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	root := newRootCmd(&IO{In: os.Stdin, Out: new(bytes.Buffer), Err: new(bytes.Buffer)})
	root.DisableAutoGenTag = true
	// A fixed date keeps the pages from changing with every regeneration.
	date := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	header := &doc.GenManHeader{Title: "SEAWORTHY", Section: "1", Source: "seaworthy", Manual: "seaworthy manual", Date: &date}
	if err := doc.GenManTree(root, header, dir); err != nil {
		t.Fatal(err)
	}
	pages := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		pages[filepath.Base(p)] = b
	}
	return pages
}

// TestManUpToDate fails when docs/man/ differs from the pages the commands
// generate. Regenerate with: go test ./internal/cli -run TestManUpToDate -update
func TestManUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "man")
	want := manPages(t)
	if _, ok := want["seaworthy.1"]; !ok || len(want) < 5 {
		t.Fatalf("generated %d pages, want seaworthy.1 and one per command", len(want))
	}
	if analysistest.Update() {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.1"))
		for _, p := range old {
			os.Remove(p)
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/man/%s missing; run: go test ./internal/cli -run TestManUpToDate -update", name)
			continue
		}
		if !bytes.Equal(got, text) {
			t.Errorf("docs/man/%s is stale; run: go test ./internal/cli -run TestManUpToDate -update", name)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, p := range files {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/man/%s belongs to no command; run with -update", filepath.Base(p))
		}
	}
}
