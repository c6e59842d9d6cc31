package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/facts/buildctx"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// buildProblems lists what would make the build of the Dockerfile at rel
// (below root, built from root) fail, for TestFixExamples to check that a
// fix does not break the build: context files a COPY or ADD takes
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
