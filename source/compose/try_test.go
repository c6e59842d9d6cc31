package compose

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTryCorpus(t *testing.T) {
	dir := os.Getenv("SEAWORTHY_CORPUS")
	if dir == "" {
		t.Skip()
	}
	fh, _ := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	sc := bufio.NewScanner(fh)
	var files []string
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) > 6 && c[4] == "compose" {
			files = append(files, filepath.Join(dir, c[6]))
		}
	}
	start := time.Now()
	for _, f := range files {
		p, err := Load(f)
		if err != nil {
			fmt.Println("ERR", err)
			continue
		}
		_ = p
	}
	fmt.Println(len(files), time.Since(start))
}

func BenchmarkTryCorpus(b *testing.B) {
	dir := os.Getenv("SEAWORTHY_CORPUS")
	if dir == "" {
		b.Skip()
	}
	fh, _ := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	sc := bufio.NewScanner(fh)
	var files []string
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) > 6 && c[4] == "compose" {
			files = append(files, filepath.Join(dir, c[6]))
		}
	}
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			Load(f)
		}
	}
}
