package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/buildctx"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// TestHelpEdits applies the fix of every fixable rule to the rule's own
// Bad example, as `seaworthy fix` would, and checks what comes out: the
// rule no longer fires, no file became one its parser rejects (a X000
// finding), and the build still works in principle: every file a COPY or
// ADD takes from the context is there and not excluded by the
// .dockerignore, and no stage runs a build step (`npm run build`, `tsc`,
// `nest build`) after an install or prune that left out the
// devDependencies it needs. Problems the example already had before the
// fix are not the fix's doing and are not reported.
func TestHelpEdits(t *testing.T) {
	for _, r := range Registry().Rules() {
		if !r.Fixable {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			c := exampleCase(t, r, "Bad", r.Doc.Bad)
			rules := rulesReading(r.Check.Input())
			before, findings := c.Check(t, rules)
			edits := map[string][]analysis.Edit{}
			for _, f := range findings {
				if f.Rule == r && f.Fix != nil {
					edits[f.File] = append(edits[f.File], f.Fix.Edits...)
				}
			}
			if len(edits) == 0 {
				t.Fatalf("the Bad example gets no fix from %s", r.ID)
			}
			for i, f := range c.Archive.Files {
				e, ok := edits[f.Name]
				if !ok {
					continue
				}
				out, err := analysis.ApplyEdits(f.Data, e)
				if err != nil {
					t.Fatalf("%s: the fix does not apply: %v", f.Name, err)
				}
				c.Archive.Files[i].Data = out
				delete(edits, f.Name)
			}
			for name := range edits {
				t.Fatalf("the fix edits %s, which the example does not hold", name)
			}
			after, findings := c.Check(t, rules)
			for _, f := range findings {
				if f.Rule == r || strings.HasSuffix(f.Rule.ID, "000") {
					t.Errorf("after the fix, %s fires: %s:%d: %s", f.Rule.ID, f.File, f.Range.Start.Line, f.Message)
				}
			}
			was := buildProblems(t, before, c.Settings.Dockerfile)
			for _, p := range buildProblems(t, after, c.Settings.Dockerfile) {
				if !slices.Contains(was, p) {
					t.Errorf("after the fix, the build breaks: %s", p)
				}
			}
		})
	}
}

// buildProblems lists what would make the build of the Dockerfile at rel
// (below root, built from root) fail: context files a COPY or ADD takes
// that are missing or excluded by the .dockerignore, and build steps that
// run without the devDependencies they need. None when there is no
// Dockerfile (a compose file's example).
func buildProblems(t *testing.T, root, rel string) []string {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(rel))
	src, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := dockerfile.Parse(path, src, dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := project.NewBuild(path, root, root)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range buildctx.Sources(f) {
		if b.Ignore != nil {
			if excluded, _ := b.Ignore.Match(s.Path); excluded {
				out = append(out, fmt.Sprintf("a COPY or ADD takes %s, which the .dockerignore excludes", s.Path))
				continue
			}
		}
		if buildctx.Found([]buildctx.Source{s}, root) == 0 {
			out = append(out, fmt.Sprintf("a COPY or ADD takes %s, which the context does not hold", s.Path))
		}
	}
	for _, st := range f.Stages {
		withoutDev := false
		for _, rc := range stage.ChainRunCommands(st) {
			if i, ok := install.Classify(rc.Cmd); ok && i.ProjectInstall() {
				withoutDev = stage.RemovesDevDependencies(f, rc.In, rc.Cmd)
				continue
			}
			if stage.RemovesDevDependencies(f, rc.In, rc.Cmd) {
				withoutDev = true
				continue
			}
			if withoutDev && install.IsBuildStep(rc.Cmd) {
				out = append(out, fmt.Sprintf("stage %s runs `%s` after an install without devDependencies", st.Label(), rc.Cmd))
			}
		}
	}
	return out
}

// TestBuildProblems shows that buildProblems sees what breaks a build.
func TestBuildProblems(t *testing.T) {
	root := t.TempDir()
	for name, data := range map[string]string{
		"Dockerfile": "FROM node:22 AS build\nWORKDIR /app\nCOPY package.json package-lock.json tsconfig.json ./\n" +
			"RUN npm ci --omit=dev\nCOPY src ./src\nRUN npm run build\n\n" +
			"FROM node:22 AS pruned\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm prune --omit=dev && npx tsc\n\n" +
			"FROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY package.json .env ./\nRUN npm ci\nRUN npm run build\n" +
			"COPY --from=build /app/dist ./dist\nCMD [\"node\", \"dist/server.js\"]\n",
		".dockerignore":     ".env\n",
		"package.json":      "{}",
		"package-lock.json": "{}",
		".env":              "A=1\n",
		"src/server.ts":     "",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := buildProblems(t, root, "Dockerfile")
	want := []string{
		"a COPY or ADD takes tsconfig.json, which the context does not hold",
		"a COPY or ADD takes .env, which the .dockerignore excludes",
		"stage \"build\" runs `npm run build` after an install without devDependencies",
		"stage \"pruned\" runs `npx tsc` after an install without devDependencies",
		"stage #2 runs `npm run build` after an install without devDependencies",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing problem %q", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
