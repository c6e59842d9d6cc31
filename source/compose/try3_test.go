package compose

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestTryPerFile(t *testing.T) {
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
	Load(files[0])
	type r struct{ f string; d time.Duration; n int }
	var rs []r
	for _, f := range files {
		st := time.Now()
		for i := 0; i < 5; i++ { Load(f) }
		b, _ := os.ReadFile(f)
		rs = append(rs, r{f, time.Since(st) / 5, len(b)})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].d > rs[j].d })
	for _, x := range rs[:15] {
		fmt.Println(x.d, x.n, x.f)
	}
}
