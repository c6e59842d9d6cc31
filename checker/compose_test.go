package checker_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/rules"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func summary(findings []analysis.Finding, root string) []string {
	var out []string
	for _, f := range findings {
		rel, _ := filepath.Rel(root, f.File)
		out = append(out, rel+":"+strconv.Itoa(f.Range.Start.Line)+" "+f.Rule.ID+" "+f.Severity.String())
	}
	return out
}

func TestCheckCompose(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"compose.yaml": `services:
  api:
    build: .
    restart: unless-stopped
    depends_on:
      - db
  # seaworthy ignore=CO003 throw-away database
  db:
    # seaworthy ignore=CO004 pinned by the platform team
    image: postgres
    restart: always
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]
  cache:
    image: redis
    restart: always
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
    volumes:
      - cache:/data
volumes:
  cache:
`,
		"compose.override.yaml": `services:
  db:
    environment:
      POSTGRES_PASSWORD: example
    ports:
      - "5432:5432"
`,
		"tools/docker-compose.yml": `version: "3"
services:
  adminer:
    image: adminer:4
    restart: always
`,
		".seaworthy.yaml": "overrides:\n  - files: [\"tools/**\"]\n    severity:\n      CO007: warning\n",
	})
	cfg, err := config.Load(filepath.Join(dir, ".seaworthy.yaml"), rules.Registry())
	if err != nil {
		t.Fatal(err)
	}
	policy, err := config.NewPolicy(rules.Registry(), []string{"CO001"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{filepath.Join(dir, "compose.override.yaml"), filepath.Join(dir, "compose.yaml"), filepath.Join(dir, "tools", "docker-compose.yml")}
	sources := checker.Sources{}
	findings := checker.CheckCompose(paths, checker.Options{Rules: rules.Registry(), Config: cfg, Policy: policy}, sources)
	got := strings.Join(summary(findings, dir), "\n")
	want := strings.Join([]string{
		"compose.override.yaml:4 CO006 warning", // written in the override, reported there
		"compose.override.yaml:6 CO008 info",
		"compose.yaml:15 CO004 warning", // redis; postgres's CO004 is ignored by the comment
		"tools/docker-compose.yml:1 CO007 warning",
	}, "\n")
	if got != want {
		t.Errorf("findings:\n%s\nwant:\n%s", got, want)
	}
	for _, p := range paths {
		if len(sources[p]) == 0 {
			t.Errorf("sources has no lines for %s", p)
		}
	}
}

// A compose file set that does not load is a CO000 finding on the file
// and line where it fails; the other sets are still checked.
func TestCheckComposeLoadError(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"compose.yaml":         "services:\n  api:\n    image: node:latest\n    restart: always\n",
		"broken/compose.yaml":  "services:\n  api:\n    image: [node\n",
		"invalid/compose.yaml": "services:\n  api:\n    image: node:22\n    restart: always\n    bogus: true\n",
	})
	opts := checker.Options{Rules: rules.Registry()}
	for _, tc := range []struct {
		file, msg string
		line      int
	}{
		{"broken/compose.yaml", "invalid YAML", 3},
		{"invalid/compose.yaml", "bogus", 5},
	} {
		path := filepath.Join(dir, tc.file)
		sources := checker.Sources{}
		findings := checker.CheckCompose([]string{filepath.Join(dir, "compose.yaml"), path}, opts, sources)
		got := summary(findings, dir)
		want := []string{"compose.yaml:3 CO004 warning", fmt.Sprintf("%s:%d CO000 error", tc.file, tc.line)}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings %v, want %v", tc.file, got, want)
		}
		for _, f := range findings {
			if f.Rule.ID == "CO000" && !strings.Contains(f.Message, tc.msg) {
				t.Errorf("%s: message %q, want %q in it", tc.file, f.Message, tc.msg)
			}
		}
		if len(sources[path]) == 0 {
			t.Errorf("%s: no lines in sources", tc.file)
		}
	}
}
