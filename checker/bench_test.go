package checker_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/internal/cli"
	"github.com/seaworthy-dev/seaworthy/rules"
)

// corpus loads the Dockerfiles listed in $SEAWORTHY_CORPUS/MANIFEST.tsv.
func corpus(b *testing.B) (names []string, srcs [][]byte) {
	// The CLI runs with this GC setting (see cli.Main); both benchmarks
	// use it, so the ratio compares like with like.
	old := debug.SetGCPercent(cli.GCPercent)
	b.Cleanup(func() { debug.SetGCPercent(old) })
	dir := os.Getenv("SEAWORTHY_CORPUS")
	if dir == "" {
		b.Skip("set SEAWORTHY_CORPUS to the corpus directory (see scripts/bench-corpus.sh)")
	}
	fh, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 6 && cols[4] == "dockerfile" {
			src, err := os.ReadFile(filepath.Join(dir, cols[6]))
			if err != nil {
				b.Fatal(err)
			}
			names = append(names, cols[6])
			srcs = append(srcs, src)
		}
	}
	return names, srcs
}

// BenchmarkCorpusParseOnly: BuildKit's parser alone over the corpus.
func BenchmarkCorpusParseOnly(b *testing.B) {
	_, srcs := corpus(b)
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
	names, srcs := corpus(b)
	opts := checker.Options{Rules: rules.Registry(), Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			_, _ = checker.CheckDockerfile(names[j], src, opts)
		}
	}
}
