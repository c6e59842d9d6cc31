package checker_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/internal/cli"
	"github.com/seaworthy-dev/seaworthy/internal/corpus"
	"github.com/seaworthy-dev/seaworthy/rules"
)

// corpusDockerfiles loads the Dockerfiles of the corpus.
func corpusDockerfiles(b *testing.B) (names []string, srcs [][]byte) {
	// The CLI runs with this GC setting (see cli.Main); both benchmarks
	// use it, so the ratio compares like with like.
	old := debug.SetGCPercent(cli.GCPercent)
	b.Cleanup(func() { debug.SetGCPercent(old) })
	dir, rows := corpus.Open(b)
	for _, path := range corpus.Files(dir, rows, "dockerfile") {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, path)
		names = append(names, rel)
		srcs = append(srcs, src)
	}
	return names, srcs
}

// BenchmarkCorpusParseOnly: BuildKit's parser alone over the corpus.
func BenchmarkCorpusParseOnly(b *testing.B) {
	_, srcs := corpusDockerfiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, src := range srcs {
			_, _ = parser.Parse(bytes.NewReader(src))
		}
	}
}

// BenchmarkCorpusCheck: the full DF check (model, shell parsing, every
// rule, suppressions, policy) over the corpus.
func BenchmarkCorpusCheck(b *testing.B) {
	names, srcs := corpusDockerfiles(b)
	opts := checker.Options{Rules: rules.Registry(), Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			_, _ = checker.CheckDockerfile(names[j], src, opts)
		}
	}
}

// BenchmarkRecheck: an editor's re-check of examples/node-api's Dockerfile
// after an edit, with the build the project's check settled (what `seaworthy
// lsp` does on each change, without the protocol).
func BenchmarkRecheck(b *testing.B) {
	req := checker.Request{Paths: []string{"../examples/node-api"}, Rules: rules.Registry()}
	res, err := checker.Check(context.Background(), req)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join("..", "examples", "node-api", "Dockerfile")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok, err := res.Recheck(path, src); !ok || err != nil {
			b.Fatalf("Recheck: ok %v, err %v", ok, err)
		}
	}
}
