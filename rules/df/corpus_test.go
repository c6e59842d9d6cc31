package df

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/internal/corpus"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

var corpusRule = flag.String("corpus-rule", "", "with SEAWORTHY_CORPUS: print every finding of this rule ID")

// TestCorpus is a review aid, not a gate: with SEAWORTHY_CORPUS set to a
// corpus directory holding MANIFEST.tsv, it runs every DF rule over every
// Dockerfile listed there, fails on a panic, and prints per-rule counts
// (and, with -corpus-rule, each finding with its source line).
func TestCorpus(t *testing.T) {
	dir, files := corpusDockerfiles(t)
	counts := map[string]int{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.Parse(path, src, dockerfile.Options{})
		if err != nil {
			t.Logf("%s: %v", path, err)
			continue
		}
		for _, fd := range checker.RunRules(f, path, Rules(), analysistest.Today) {
			counts[fd.Rule.ID]++
			if strings.HasPrefix(fd.Message, "internal error") {
				t.Errorf("%s:%d: %s", path, fd.Range.Start.Line, fd.Message)
			}
			if fd.Rule.ID == *corpusRule {
				rel, _ := filepath.Rel(dir, path)
				fmt.Printf("%s:%d: %s\n    | %s\n", rel, fd.Range.Start.Line, fd.Message, strings.TrimSpace(f.Line(fd.Range.Start.Line)))
			}
		}
	}
	var ids []string
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := findRule(id)
		fmt.Printf("%s %-36s %5d\n", id, r.Name, counts[id])
	}
	fmt.Printf("%d Dockerfiles\n", len(files))
}

func findRule(id string) *analysis.Rule {
	for _, r := range Rules() {
		if r.ID == id {
			return r
		}
	}
	return &analysis.Rule{ID: id}
}

func corpusDockerfiles(t *testing.T) (dir string, files []string) {
	dir, rows := corpus.Open(t)
	return dir, corpus.Files(dir, rows, "dockerfile")
}

// TestCorpusSyntaxAgreement: DF000 fires exactly where Docker's own parse
// (parser.Parse then instructions.Parse) fails.
func TestCorpusSyntaxAgreement(t *testing.T) {
	_, files := corpusDockerfiles(t)
	agree := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dockerFails := false
		res, err := parser.Parse(bytes.NewReader(src))
		if err != nil {
			dockerFails = true
		} else if _, _, err := instructions.Parse(res.AST, nil); err != nil {
			dockerFails = true
		}
		f, err := dockerfile.Parse(path, src, dockerfile.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if ours := len(f.Errors) > 0; ours != dockerFails {
			t.Errorf("%s: DF000=%v but Docker's parse fails=%v (%v)", path, ours, dockerFails, f.Errors)
			continue
		}
		agree++
	}
	fmt.Printf("DF000 agrees with Docker's parser on %d of %d Dockerfiles\n", agree, len(files))
}
