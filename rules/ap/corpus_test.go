package ap

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/internal/corpus"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

var corpusRule = flag.String("corpus-rule", "", "with SEAWORTHY_CORPUS: print every finding of this rule ID")

// TestCorpus is a review aid, not a gate: with SEAWORTHY_CORPUS set to the
// corpus directory, it rebuilds, per repository, a tree of the corpus
// files at their upstream paths (Dockerfiles, .dockerignore files,
// package.json files, and empty lockfiles where the manifest's `lockfile`
// column says one exists), then runs every AP rule on every Dockerfile's
// build as project discovery would set it up. Sources are not in the
// corpus, so this exercises the package.json-level rules (AP001, AP002,
// AP007, AP008). It fails on a panic and prints per-rule counts (and,
// with -corpus-rule, each finding).
func TestCorpus(t *testing.T) {
	dir, rows := corpus.Open(t)
	byRepo := map[string][]manifestRow{}
	hasPackage := map[string]bool{}
	for _, r := range rows {
		byRepo[r["repo"]] = append(byRepo[r["repo"]], r)
		if r["kind"] == "package.json" {
			hasPackage[r["repo"]] = true
		}
	}
	counts := map[string]int{}
	builds, withPackage := 0, 0
	var repos []string
	for repo := range byRepo {
		repos = append(repos, repo)
	}
	sort.Strings(repos)
	for _, repo := range repos {
		if !hasPackage[repo] {
			continue
		}
		root := filepath.Join(t.TempDir(), strings.ReplaceAll(repo, "/", "__"))
		if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		var dockerfiles []string
		for _, r := range byRepo[repo] {
			switch r["kind"] {
			case "dockerfile", "dockerignore", "package.json":
			default:
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, r["file"]))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(root, filepath.FromSlash(r["path"])), src)
			if r["kind"] == "dockerfile" {
				dockerfiles = append(dockerfiles, filepath.Join(root, filepath.FromSlash(r["path"])))
			}
			if r["kind"] == "package.json" && r["lockfile"] != "" {
				for _, entry := range strings.Split(r["lockfile"], ";") {
					entry = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(entry), "(unverified)"))
					if _, lf, ok := strings.Cut(entry, ":"); ok && lf != "" {
						writeFile(t, filepath.Join(root, filepath.FromSlash(lf)), []byte("{}\n"))
					}
				}
			}
		}
		for _, dfPath := range dockerfiles {
			b, err := project.NewBuild(dfPath, filepath.Dir(dfPath), root)
			if err != nil {
				t.Logf("%s: %v", dfPath, err)
				continue
			}
			src, _ := os.ReadFile(dfPath)
			f, err := dockerfile.Parse(dfPath, src, dockerfile.Options{})
			if err != nil {
				continue
			}
			builds++
			if b.Package == nil {
				continue
			}
			withPackage++
			for _, r := range Rules() {
				pass := analysis.NewPass(r, dfPath, func(fd analysis.Finding) {
					counts[fd.Rule.ID]++
					if fd.Rule.ID == *corpusRule {
						rel, _ := filepath.Rel(root, fd.File)
						fmt.Printf("%s: %s:%d: %s\n", repo, rel, fd.Range.Start.Line, fd.Message)
					}
				})
				b.Dockerfile, pass.Today = f, analysistest.Today
				func() {
					defer func() {
						if v := recover(); v != nil {
							t.Errorf("%s panicked on %s: %v", r.ID, dfPath, v)
						}
					}()
					analysis.Run(r, pass, b)
				}()
			}
		}
	}
	for _, r := range Rules() {
		fmt.Printf("%s %-28s %4d\n", r.ID, r.Name, counts[r.ID])
	}
	fmt.Printf("%d builds, %d with a package.json\n", builds, withPackage)
}

type manifestRow = corpus.Row

func writeFile(t *testing.T, p string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
