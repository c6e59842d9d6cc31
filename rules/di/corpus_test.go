package di

import (
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/internal/corpus"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

var corpusRule = flag.String("corpus-rule", "", "with SEAWORTHY_CORPUS: print every finding of this rule ID")

// TestCorpus is a review aid, not a gate: with SEAWORTHY_CORPUS set to a
// corpus directory holding MANIFEST.tsv, it runs the DI rules over every
// .dockerignore paired with the Dockerfiles that use it (and, for DI001,
// over the Dockerfiles of whole-repository copies that have none), fails
// on a panic, and prints per-rule counts (and, with -corpus-rule, each
// finding with the line it points at).
//
// The corpus holds single files, not whole projects, so each pair gets a
// temporary context directory with only the related package.json in it:
// checks that look for files on disk (nested node_modules, present
// secrets, directory sources) see an almost empty context.
func TestCorpus(t *testing.T) {
	dir, rows := corpus.Open(t)
	dockerfiles := map[string]manifestRow{}
	for _, r := range rows {
		if r["kind"] == "dockerfile" {
			dockerfiles[r["repo"]+"\x00"+r["path"]] = r
		}
	}
	counts := map[string]int{}
	pairs, unpaired, withIgnore := 0, 0, map[string]bool{}
	run := func(df manifestRow, ig manifestRow) {
		pairs++
		for _, fd := range corpusCheck(t, dir, df, ig) {
			counts[fd.Rule.ID]++
			if fd.Rule.ID == "DI004" {
				counts["DI004/"+fd.Severity.String()]++
			}
			if strings.HasPrefix(fd.Message, "internal error") {
				t.Errorf("%s:%d: %s", fd.File, fd.Range.Start.Line, fd.Message)
			}
			if fd.Rule.ID == *corpusRule {
				rel, _ := filepath.Rel(dir, fd.File)
				line := ""
				if src, err := os.ReadFile(fd.File); err == nil {
					if ls := strings.Split(string(src), "\n"); fd.Range.Start.Line >= 1 && fd.Range.Start.Line <= len(ls) {
						line = strings.TrimSpace(ls[fd.Range.Start.Line-1])
					}
				}
				fix := ""
				if fd.Fix != nil {
					fix = "\n    fix: " + fd.Fix.Title
				}
				fmt.Printf("%s:%d: %s\n    | %s%s\n", rel, fd.Range.Start.Line, fd.Message, line, fix)
			}
		}
	}
	ignores := 0
	for _, r := range rows {
		if r["kind"] != "dockerignore" {
			continue
		}
		ignores++
		used := strings.TrimPrefix(r["related"], "used_by=")
		if used == "" {
			unpaired++
			continue
		}
		for _, p := range strings.Split(used, ",") {
			df, ok := dockerfiles[r["repo"]+"\x00"+p]
			if !ok {
				unpaired++
				continue
			}
			withIgnore[df["id"]] = true
			run(df, r)
		}
	}
	lone := 0
	for _, r := range rows {
		if r["kind"] == "dockerfile" && r["source"] == "whole-repo" && !withIgnore[r["id"]] && r["dup_of"] == "" &&
			r["origin"] != "lint-fixture" && !strings.Contains(r["related"], "dockerignore=") {
			lone++
			run(r, nil)
		}
	}
	var ids []string
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Printf("%-12s %5d\n", id, counts[id])
	}
	fmt.Printf("%d .dockerignore files, %d builds checked (%d without .dockerignore), %d ignore files or uses without a Dockerfile in the corpus\n",
		ignores, pairs, lone, unpaired)
}

type manifestRow = corpus.Row

// corpusCheck runs the DI rules on one Dockerfile with its .dockerignore
// (nil: none) in a temporary context holding the related package.json.
func corpusCheck(t *testing.T, dir string, dfRow, igRow manifestRow) []analysis.Finding {
	dfPath := filepath.Join(dir, dfRow["file"])
	src, err := os.ReadFile(dfPath)
	if err != nil {
		t.Fatal(err)
	}
	// The context is a directory inside a checkout (a repository root
	// with .git, as upstream): the directory of the context's
	// .dockerignore, else the Dockerfile's.
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctxRel := path.Dir(dfRow["path"])
	if igRow != nil && path.Base(igRow["path"]) == ".dockerignore" {
		ctxRel = path.Dir(igRow["path"])
	}
	ctx := filepath.Join(root, filepath.FromSlash(ctxRel))
	if err := os.MkdirAll(ctx, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &project.Build{DockerfilePath: dfPath, ContextDir: ctx}
	for _, rel := range strings.Split(dfRow["related"], ";") {
		p, ok := strings.CutPrefix(rel, "package.json=")
		if !ok || path.Dir(p) != ctxRel {
			continue
		}
		repoDir, _, _ := strings.Cut(dfRow["file"], "/")
		pkgFile := filepath.Join(dir, repoDir, strings.ReplaceAll(p, "/", "__"))
		if data, err := os.ReadFile(pkgFile); err == nil {
			if err := os.WriteFile(filepath.Join(ctx, "package.json"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			if pkg, err := nodeproject.Load(ctx); err == nil {
				b.Package = pkg
			}
		}
	}
	if igRow != nil {
		b.IgnorePath = filepath.Join(dir, igRow["file"])
		data, err := os.ReadFile(b.IgnorePath)
		if err != nil {
			t.Fatal(err)
		}
		if b.Ignore, err = dockerignore.Parse(b.IgnorePath, data); err != nil {
			t.Logf("%s: %v", b.IgnorePath, err)
			return nil
		}
	}
	opts := checker.Options{Rules: analysis.NewRegistry(Rules()...), Today: analysistest.Today}
	res, err := checker.CheckBuild(b, src, opts, checker.Sources{})
	if err != nil {
		t.Logf("%s: %v", dfPath, err)
		return nil
	}
	var out []analysis.Finding
	for _, fd := range res.Findings {
		if fd.Rule.Family() == "DI" {
			out = append(out, fd)
		}
	}
	return out
}
