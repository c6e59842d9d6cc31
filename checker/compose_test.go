package checker_test

import (
	"context"
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

// refly's deploy/docker: docker-compose.base.yml defines the datastores
// and a privileged sandbox; docker-compose.yml includes it,
// docker-compose.middleware.yml and docker-compose.self-deploy-dev.yml
// extend its services, docker-compose.elasticsearch.yml includes the
// middleware stack and extends docker-compose.yml's api, which extends
// docker-compose.services.yml's. A key written on one line is one finding,
// naming the stacks that run it; the same problem on another line (a
// second privileged service, `privileged: true` written again by an
// extending service) is a finding of its own.
var reflyDeploy = map[string]string{
	"deploy/docker/docker-compose.base.yml": `services:
  redis:
    image: redis/redis-stack:latest
    restart: always
  sandbox:
    image: ghcr.io/refly-ai/refly-executor-slim:latest
    restart: unless-stopped
    privileged: true
`,
	"deploy/docker/docker-compose.middleware.yml": `services:
  redis:
    extends:
      file: docker-compose.base.yml
      service: redis
  sandbox:
    extends:
      file: docker-compose.base.yml
      service: sandbox
  runner:
    image: acme/runner:1.0
    restart: always
    privileged: true
`,
	"deploy/docker/docker-compose.self-deploy-dev.yml": `services:
  sandbox:
    extends:
      file: docker-compose.base.yml
      service: sandbox
  sandbox-debug:
    extends:
      file: docker-compose.base.yml
      service: sandbox
    privileged: true
`,
	"deploy/docker/docker-compose.yml": `name: refly
include:
  - path: docker-compose.base.yml
services:
  api:
    extends:
      file: docker-compose.services.yml
      service: api
    image: reflyai/refly-api:latest
`,
	"deploy/docker/docker-compose.services.yml": `services:
  api:
    restart: always
`,
	"deploy/docker/docker-compose.elasticsearch.yml": `include:
  - path: docker-compose.middleware.yml
services:
  api:
    extends:
      file: docker-compose.yml
      service: api
`,
}

func TestCheckComposeExtendsReportedOnce(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", reflyDeploy)
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if f.Rule.ID == "CO004" || f.Rule.ID == "CO010" {
			_, sets, _ := strings.Cut(f.Message, " (for ")
			got = append(got, fmt.Sprintf("%s:%d %s %s", strings.TrimPrefix(f.File, "deploy/docker/"), f.Range.Start.Line, f.Rule.ID, strings.TrimSuffix(sets, ")")))
		}
	}
	want := []string{
		"docker-compose.base.yml:3 CO004 docker-compose.base.yml, docker-compose.middleware.yml",
		"docker-compose.base.yml:6 CO004 docker-compose.base.yml, docker-compose.middleware.yml",
		// The development stack runs it too (CO004 does not apply there).
		"docker-compose.base.yml:8 CO010 docker-compose.base.yml, docker-compose.middleware.yml, docker-compose.self-deploy-dev.yml",
		"docker-compose.middleware.yml:13 CO010 ",      // another service: its own finding
		"docker-compose.self-deploy-dev.yml:10 CO010 ", // written again: its own line
		"docker-compose.yml:9 CO004 docker-compose.yml, docker-compose.elasticsearch.yml",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if lines := res.Sources["deploy/docker/docker-compose.base.yml"]; len(lines) != 8 {
		t.Errorf("Sources: %d lines of docker-compose.base.yml", len(lines))
	}
	// Each file once in the purposes (docker-compose.services.yml, which
	// no service could run alone, is merged onto docker-compose.yml: a
	// second set with that base).
	var files []string
	for _, p := range res.Purposes {
		files = append(files, p.File)
	}
	if len(slices.Compact(slices.Clone(files))) != len(files) {
		t.Errorf("a file is listed twice in the purposes: %q", files)
	}
}

// A fix in a file that other sets extend is made once, by the set that
// holds the file: the extending sets read the file from disk, so their
// re-check after the fix would edit stale lines.
func TestFixComposeExtended(t *testing.T) {
	t.Chdir(t.TempDir())
	base := `services:
  db:
    image: postgres:17
    restart: always
    volumes:
      - db:/var/lib/postgresql/data
  api:
    image: acme/api:1.0
    restart: always
    depends_on:
      db:
        condition: service_healthy
volumes:
  db:
`
	writeFiles(t, ".", map[string]string{
		"docker-compose.base.yml": base,
		"docker-compose.middleware.yml": `services:
  db:
    extends: {file: docker-compose.base.yml, service: db}
  api:
    extends: {file: docker-compose.base.yml, service: api}
volumes:
  db:
`,
	})
	req := request(".")
	req.Settings.Ignore = []string{"CO002"} // CO011's fix alone
	res, err := checker.Fix(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || res.Changes[0].Path != "docker-compose.base.yml" {
		t.Fatalf("changes %+v, want docker-compose.base.yml only", res.Changes)
	}
	if got := string(res.Changes[0].New); strings.Count(got, "healthcheck:") != 1 {
		t.Errorf("fixed docker-compose.base.yml:\n%s", got)
	}
}
