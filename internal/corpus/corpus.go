// Package corpus reads the shared corpus of real Dockerfiles, compose
// files, .dockerignore files and package.json files that benchmarks and
// review tests run over. The corpus lives outside the repository; the
// SEAWORTHY_CORPUS environment variable names its directory, and tests
// that need it skip without it.
package corpus

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Row is one file of the corpus: its MANIFEST.tsv columns by name (id,
// repo, path, kind, file, lockfile, related, …).
type Row map[string]string

// Open returns the corpus directory and the rows of its MANIFEST.tsv. It
// skips tb when SEAWORTHY_CORPUS is not set and fails it when the manifest
// cannot be read.
func Open(tb testing.TB) (dir string, rows []Row) {
	tb.Helper()
	dir = os.Getenv("SEAWORTHY_CORPUS")
	if dir == "" {
		tb.Skip("set SEAWORTHY_CORPUS to the corpus directory (see scripts/bench-corpus.sh)")
	}
	fh, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	var header []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = cols
			continue
		}
		r := make(Row, len(header))
		for i, h := range header {
			if i < len(cols) {
				r[h] = cols[i]
			}
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return dir, rows
}

// Files returns the paths of the corpus files of a kind ("dockerfile",
// "compose", "dockerignore", "package.json"), in manifest order.
func Files(dir string, rows []Row, kind string) []string {
	var out []string
	for _, r := range rows {
		if r["kind"] == kind {
			out = append(out, filepath.Join(dir, r["file"]))
		}
	}
	return out
}
