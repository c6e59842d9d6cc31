package co

import (
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/internal/corpus"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

var corpusRule = flag.String("corpus-rule", "", "with SEAWORTHY_CORPUS: print every finding of this rule ID")

// corpusComposeFiles lists the compose files of the corpus.
func corpusComposeFiles(tb testing.TB) (string, []string) {
	dir, rows := corpus.Open(tb)
	return dir, corpus.Files(dir, rows, "compose")
}

// TestCorpus is a review aid, not a gate: with SEAWORTHY_CORPUS set, it runs
// every CO rule over every compose file of the corpus, fails on a panic,
// and prints per-rule counts (and, with -corpus-rule, each finding with its
// source line). Files compose cannot load are listed.
func TestCorpus(t *testing.T) {
	dir, files := corpusComposeFiles(t)
	// The whole check, cold (first compose load of the process), as one
	// `seaworthy check` over these files would run it.
	start := time.Now()
	checker.CheckCompose(files, checker.Options{Rules: analysis.NewRegistry(Rules()...)}, checker.Sources{})
	fmt.Printf("CheckCompose over %d files, cold: %v\n", len(files), time.Since(start).Round(time.Millisecond))
	counts := map[string]int{}
	loaded := 0
	for _, set := range compose.Sets(files) {
		p, err := compose.Load(set...)
		if err != nil {
			fmt.Printf("not loaded: %v\n", err)
			continue
		}
		loaded++
		for _, fd := range checker.RunRules(p, p.Files[0].Path, Rules(), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
			counts[fd.Rule.ID]++
			if strings.HasPrefix(fd.Message, "internal error") {
				t.Errorf("%s:%d: %s", fd.File, fd.Range.Start.Line, fd.Message)
			}
			if fd.Rule.ID == *corpusRule {
				rel, _ := filepath.Rel(dir, fd.File)
				line := ""
				if f := p.File(fd.File); f != nil && fd.Range.Start.Line <= len(f.Lines) {
					line = strings.TrimSpace(f.Lines[fd.Range.Start.Line-1])
				}
				fmt.Printf("%s:%d: %s\n    | %s\n", rel, fd.Range.Start.Line, fd.Message, line)
			}
		}
	}
	var ids []string
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	reg := analysis.NewRegistry(Rules()...)
	for _, id := range ids {
		r, _ := reg.Lookup(id)
		fmt.Printf("%s %-40s %5d\n", id, r.Name, counts[id])
	}
	fmt.Printf("%d compose files, %d file sets loaded\n", len(files), loaded)
}

// BenchmarkCorpusCheck is the whole compose check (load with compose-go,
// YAML positions, every CO rule, suppressions, policy) over the corpus's
// compose files in one call, as `seaworthy check` does it.
func BenchmarkCorpusCheck(b *testing.B) {
	_, files := corpusComposeFiles(b)
	var ok []string
	for _, f := range files {
		if _, err := compose.Load(f); err == nil {
			ok = append(ok, f) // the benchmark measures files that load
		}
	}
	opts := checker.Options{Rules: analysis.NewRegistry(Rules()...), Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		checker.CheckCompose(ok, opts, checker.Sources{})
	}
	b.ReportMetric(float64(len(ok)), "files")
}
