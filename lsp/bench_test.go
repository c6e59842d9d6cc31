package lsp_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkDidChange is what the editor waits for after an edit to a
// Dockerfile: a didChange notification sent over the pipe until the
// Dockerfile's diagnostics arrive, in the example project (a Dockerfile,
// .dockerignore, compose file and package with sources). The workspace
// check that follows a pause is left out (Settle is long): it is
// BenchmarkDidSave.
func BenchmarkDidChange(b *testing.B) {
	c, df, text := openExample(b, time.Hour)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		edited := text
		if i%2 == 0 {
			edited += "# an edit\n"
		}
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": df, "version": i + 2},
			"contentChanges": []any{map[string]any{"text": edited}},
		})
		c.waitDiagnostics(df, func(ds []diagnostic) bool { return len(ds) > 0 })
	}
}

// BenchmarkDidSave is the whole project's check after a save, until the
// Dockerfile's diagnostics arrive.
func BenchmarkDidSave(b *testing.B) {
	c, df, _ := openExample(b, time.Hour)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": df}})
		c.waitDiagnostics(df, func(ds []diagnostic) bool { return len(ds) > 0 })
	}
}

// openExample starts a server on examples/node-api with its Dockerfile
// open.
func openExample(b *testing.B, settle time.Duration) (c *client, df, text string) {
	dir, err := filepath.Abs("../examples/node-api")
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		b.Fatal(err)
	}
	c = startServerWith(b, settle)
	c.call("initialize", map[string]any{"processId": nil, "rootUri": fileURI(dir), "capabilities": map[string]any{}}, nil)
	c.notify("initialized", map[string]any{})
	df = fileURI(filepath.Join(dir, "Dockerfile"))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": df, "languageId": "dockerfile", "version": 1, "text": string(src),
	}})
	c.waitDiagnostics(df, func(ds []diagnostic) bool { return len(ds) > 0 })
	return c, df, string(src)
}
