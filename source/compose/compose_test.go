package compose

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func load(t *testing.T, files ...Source) *Project {
	t.Helper()
	p, err := LoadSources(files...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const base = `# app stack
x-common: &common
  restart: unless-stopped
  environment:
    LOG_LEVEL: info

services:
  api:
    <<: *common
    build:
      context: ./api
      target: runtime
    depends_on:
      - db
      - cache
    ports:
      - "${API_PORT}:3000"
  worker:
    build: .
    depends_on:
      db:
        condition: service_healthy
        restart: true
    environment:
      - QUEUE=jobs
      - TOKEN=abc
      - BARE
  db:
    image: postgres:${PG_VERSION:-16}
    profiles: [db]
  cache:
    image: redis:7
`

func TestPositions(t *testing.T) {
	p := load(t, Source{Path: "compose.yaml", Data: []byte(base)})
	f := p.Files[0]
	for _, tc := range []struct {
		path []string
		line int
	}{
		{[]string{"services"}, 7},
		{[]string{"services", "api"}, 8},
		{[]string{"services", "api", "depends_on", "db"}, 14},    // short form: the list item
		{[]string{"services", "api", "depends_on", "cache"}, 15}, // short form
		{[]string{"services", "worker", "depends_on", "db"}, 21}, // long form: the key
		{[]string{"services", "worker", "depends_on", "db", "condition"}, 22},
		{[]string{"services", "worker", "depends_on", "db", "required"}, 21}, // missing: nearest parent
		{[]string{"services", "worker", "environment", "TOKEN"}, 26},         // KEY=value item
		{[]string{"services", "worker", "environment", "BARE"}, 27},
		{[]string{"services", "api", "restart"}, 3}, // through the merge key, where it is written
		{[]string{"services", "api", "environment", "LOG_LEVEL"}, 5},
		{[]string{"services", "api", "healthcheck", "test"}, 8}, // missing: the service
		{[]string{"services", "nope", "image"}, 7},              // missing service: `services`
		{[]string{"volumes"}, 1},                                // nothing: line 1
		{[]string{"services", "api", "ports", "0"}, 17},         // index
	} {
		if got := f.Line(tc.path...); got != tc.line {
			t.Errorf("Line(%s) = %d, want %d", strings.Join(tc.path, "."), got, tc.line)
		}
		if got := p.Line(tc.path...); got != tc.line {
			t.Errorf("Project.Line(%s) = %d, want %d", strings.Join(tc.path, "."), got, tc.line)
		}
	}
	if pos := p.Pos("services", "worker", "depends_on", "db"); pos.Col != 7 || pos.File != "compose.yaml" {
		t.Errorf("Pos = %+v, want column 7 in compose.yaml", pos)
	}
}

func TestModel(t *testing.T) {
	p := load(t, Source{Path: "compose.yaml", Data: []byte(base)})
	var names []string
	for _, s := range p.Services {
		names = append(names, s.Name)
	}
	// db is behind a profile and still checked.
	if want := []string{"api", "cache", "db", "worker"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("services %v, want %v", names, want)
	}
	api := p.Service("api").Config
	if d := api.DependsOn["db"]; d.Condition != types.ServiceConditionStarted || !d.Required {
		t.Errorf("short depends_on normalised to %+v", d)
	}
	if d := p.Service("worker").Config.DependsOn["db"]; d.Condition != types.ServiceConditionHealthy || !d.Restart {
		t.Errorf("long depends_on: %+v", d)
	}
	if api.Restart != "unless-stopped" {
		t.Errorf("merge key not applied: restart %q", api.Restart)
	}
	if img := p.Service("db").Config.Image; img != "postgres:16" {
		t.Errorf("default not interpolated: %q", img)
	}
	// ${API_PORT} is unset: the load still succeeds.
	if len(api.Ports) != 1 || api.Ports[0].Target != 3000 {
		t.Errorf("ports %+v", api.Ports)
	}
	if v, unset := p.Interpolate("redis:${TAG}"); v != "redis:" || !unset {
		t.Errorf("Interpolate unset = %q, %v", v, unset)
	}
	if v, unset := p.Interpolate("postgres:${PG:-16}"); v != "postgres:16" || unset {
		t.Errorf("Interpolate default = %q, %v", v, unset)
	}
	if v, unset := p.Interpolate("a$$b"); v != "a$b" || unset {
		t.Errorf("Interpolate escape = %q, %v", v, unset)
	}
	env := p.Files[0].Entries("services", "worker", "environment")
	want := []Entry{{Key: "QUEUE", Value: "jobs", HasValue: true, Line: 25, Col: 9}, {Key: "TOKEN", Value: "abc", HasValue: true, Line: 26, Col: 9}, {Key: "BARE", Line: 27, Col: 9}}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("list entries %+v\nwant %+v", env, want)
	}
	m := p.Files[0].Entries("services", "api", "environment")
	if len(m) != 1 || m[0].Key != "LOG_LEVEL" || m[0].Value != "info" || m[0].Line != 5 {
		t.Errorf("map entries through merge key: %+v", m)
	}
}

func TestOverride(t *testing.T) {
	override := `services:
  api:
    depends_on:
      db:
        condition: service_healthy
    restart: always
  db:
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]
`
	p := load(t, Source{Path: "compose.yaml", Data: []byte(base)}, Source{Path: "compose.override.yaml", Data: []byte(override)})
	api := p.Service("api").Config
	if api.DependsOn["db"].Condition != types.ServiceConditionHealthy || api.DependsOn["cache"].Condition != types.ServiceConditionStarted {
		t.Errorf("merged depends_on %+v", api.DependsOn)
	}
	if api.Restart != "always" {
		t.Errorf("restart %q", api.Restart)
	}
	for _, tc := range []struct {
		path []string
		file string
		line int
	}{
		{[]string{"services", "api"}, "compose.yaml", 8},                                           // a mapping: where it is defined
		{[]string{"services", "api", "restart"}, "compose.override.yaml", 6},                       // a leaf written in both: the override wins
		{[]string{"services", "api", "depends_on", "db", "condition"}, "compose.override.yaml", 5}, // only in the override
		{[]string{"services", "api", "depends_on", "cache"}, "compose.yaml", 15},                   // only in the base
		{[]string{"services", "db", "healthcheck", "test"}, "compose.override.yaml", 9},
		{[]string{"services", "db", "image"}, "compose.yaml", 29},
	} {
		pos := p.Pos(tc.path...)
		if pos.File != tc.file || pos.Line != tc.line {
			t.Errorf("Pos(%s) = %s:%d, want %s:%d", strings.Join(tc.path, "."), pos.File, pos.Line, tc.file, tc.line)
		}
	}
	if f, n := p.Raw("services", "api", "restart"); f.Path != "compose.override.yaml" || n.Value != "always" {
		t.Errorf("Raw = %s %q", f.Path, n.Value)
	}
}

func TestSets(t *testing.T) {
	got := Sets([]string{
		"a/compose.override.yaml",
		"a/compose.yaml",
		"a/docker-compose.yml", // a second base name: on its own
		"b/docker-compose.yml",
		"b/docker-compose.override.yml",
		"b/docker-compose.prod.yml",
		"c/compose.override.yml", // no base beside it
		"d/compose.yml",
	}, Grouping{})
	want := [][]string{
		{"a/compose.yaml", "a/compose.override.yaml"},
		{"a/docker-compose.yml"},
		{"b/docker-compose.yml", "b/docker-compose.override.yml"},
		{"b/docker-compose.prod.yml"},
		{"c/compose.override.yml"},
		{"d/compose.yml"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sets = %v\nwant %v", got, want)
	}
}

// Files passed together with -f load as one set; a file only ever merged
// onto another is not loaded alone.
func TestSetsRuns(t *testing.T) {
	paths := []string{
		"compose.override.yaml",
		"compose.yaml",
		"docker-compose.prod.yml",
		"deploy/docker-compose.traefik.yml",
		"deploy/docker-compose.yml",
		"packages/api/docker-compose.local.yml",
	}
	got := Sets(paths, Grouping{Runs: [][]string{
		{"compose.yaml", "docker-compose.prod.yml"},
		{"deploy/docker-compose.yml", "deploy/docker-compose.traefik.yml"},
		{"./compose.yaml", "packages/api/docker-compose.local.yml"},
		{"compose.yaml", "docker-compose.prod.yml"}, // twice: once
		{"compose.yaml", "missing.yml"},             // not found: ignored
		{"compose.yaml"},                            // one file: its own set anyway
	}})
	want := [][]string{
		{"compose.yaml", "compose.override.yaml"},
		{"compose.yaml", "docker-compose.prod.yml"},
		{"compose.yaml", "packages/api/docker-compose.local.yml"},
		{"deploy/docker-compose.yml"},
		{"deploy/docker-compose.yml", "deploy/docker-compose.traefik.yml"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sets =\n%v\nwant\n%v", got, want)
	}
}

// A fragment (services without image or build) merges onto the default
// base beside it, or is left out; a fragment a run uses goes with the run.
func TestSetsFragments(t *testing.T) {
	paths := []string{
		"compose.yaml",
		"docker-compose.prod.yml",
		"docker-compose.traefik.yml",
		"hosting/compose.override.yml",
		"hosting/docker-compose.labels.yml",
		"other/docker-compose.ci.yml",
		"other/docker-compose.yml",
	}
	fragments := map[string]bool{
		"docker-compose.traefik.yml": true, "hosting/compose.override.yml": true,
		"hosting/docker-compose.labels.yml": true, "other/docker-compose.ci.yml": true,
	}
	got := Sets(paths, Grouping{
		Runs:     [][]string{{"other/docker-compose.yml", "other/docker-compose.ci.yml"}},
		Fragment: func(p string) bool { return fragments[p] },
	})
	want := [][]string{
		{"compose.yaml"},
		{"compose.yaml", "docker-compose.traefik.yml"},
		{"docker-compose.prod.yml"},
		{"other/docker-compose.yml"},
		{"other/docker-compose.yml", "other/docker-compose.ci.yml"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sets =\n%v\nwant\n%v", got, want)
	}
}

func TestIsFragment(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		src  string
		want bool
	}{
		"labels.yml":  {"services:\n  web:\n    labels: [a]\n", true},
		"full.yml":    {"services:\n  web:\n    image: nginx:1.27\n  api:\n    build: .\n  x:\n    extends: {service: web}\n", false},
		"mixed.yml":   {"services:\n  web:\n    image: nginx:1.27\n  db:\n    ports: [\"5432:5432\"]\n", true},
		"nothing.yml": {"volumes:\n  data:\n", false},
		"bad.yml":     {"services: [\n", false},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(tc.src), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := IsFragment(p); got != tc.want {
			t.Errorf("IsFragment(%s) = %v", name, got)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"yaml", "services:\n  api:\n    image: node\n   bad: [\n", 4, "invalid YAML"},
		{"schema", "services:\n  api:\n    image: node:22\n    restart: always\n    bogus: true\n", 5, `services.api: unknown key "bogus"`},
		{"type", "services:\n  api:\n    image: node:22\n    healthcheck:\n      test: [\"CMD\", \"x\"]\n      retries: many\n", 6, "retries"},
		{"port", "services:\n  api:\n    image: node:22\n    ports:\n      - 3000:3000\n      - 127.0.0.1:3001\n", 6, "hostPort"},
		{"empty", "", 0, "empty compose file"},
		{"list", "- a\n", 1, "mapping"},
		// In the words of a compose file, not of JSON schema or Go.
		{"array", "services:\n  api:\n    image: node:22\n    ports: 5\n", 4, "services.api.ports must be a list"},
		{"duration", "services:\n  api:\n    image: node:22\n    healthcheck:\n      interval: abc\n", 5,
			`services.api.healthcheck.interval: invalid duration "abc" (want a duration such as 10s or 1m30s)`},
	} {
		_, err := LoadSources(Source{Path: "x/compose.yaml", Data: []byte(tc.src)})
		var cerr *Error
		if !errors.As(err, &cerr) {
			t.Errorf("%s: error %v", tc.name, err)
			continue
		}
		if cerr.File != "x/compose.yaml" || cerr.Line != tc.line || !strings.Contains(cerr.Msg, tc.msg) || strings.Contains(cerr.Msg, "time:") {
			t.Errorf("%s: got %v, want line %d with %q", tc.name, err, tc.line, tc.msg)
		}
	}
	// An override with an error is named as such.
	_, err := LoadSources(Source{Path: "compose.yaml", Data: []byte("services:\n  api:\n    image: node:22\n")},
		Source{Path: "compose.override.yaml", Data: []byte("services:\n  api:\n    tty: [1]\n")})
	var cerr *Error
	if !errors.As(err, &cerr) || cerr.File != "compose.override.yaml" || cerr.Line != 3 {
		t.Errorf("override error: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestLenient(t *testing.T) {
	src := `services:
  api:
    image: ${REGISTRY}/api:${TAG:?set TAG}
    cpus: ${CPUS}
    privileged: ${PRIVILEGED}
    ports:
      - "${PORT}:${PORT}"
    extends:
      file: missing/base.yaml
      service: base
    env_file: missing.env
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:${PORT}/health"]
      retries: ${RETRIES}
`
	p := load(t, Source{Path: "compose.yaml", Data: []byte(src)})
	api := p.Service("api").Config
	if api.Privileged {
		t.Errorf("unset privileged became true")
	}
	if _, unset := p.Interpolate(p.Files[0].Node("services", "api", "image").Value); !unset {
		t.Errorf("image should report an unset variable")
	}
}

func TestDotEnv(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  db:\n    image: postgres:${PG}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("PG=17\n"), 0o644)
	t.Setenv("PG", "99") // the process environment is not used
	p, err := Load(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if img := p.Service("db").Config.Image; img != "postgres:17" {
		t.Errorf("image %q, want postgres:17 from .env", img)
	}
}

func TestBuilds(t *testing.T) {
	src := `services:
  api:
    build:
      context: ./api
      dockerfile: docker/Dockerfile.prod
      target: runtime
  web:
    build: web
  root:
    build: .
  inline:
    build:
      context: .
      dockerfile_inline: |
        FROM node:22
  remote:
    build: https://github.com/acme/app.git#main
  abs:
    build:
      context: /srv/app
  image-only:
    image: node:22
`
	p := load(t, Source{Path: "proj/compose.yaml", Data: []byte(src)})
	got := p.Builds()
	want := []Build{
		{Service: "abs", File: "proj/compose.yaml", Line: 19, ContextDir: "/srv/app", Dockerfile: "/srv/app/Dockerfile"},
		{Service: "api", File: "proj/compose.yaml", Line: 3, ContextDir: "proj/api", Dockerfile: "proj/api/docker/Dockerfile.prod", Target: "runtime"},
		{Service: "inline", File: "proj/compose.yaml", Line: 12, ContextDir: "proj", Inline: true},
		{Service: "remote", File: "proj/compose.yaml", Line: 17, Remote: "https://github.com/acme/app.git#main"},
		{Service: "root", File: "proj/compose.yaml", Line: 10, ContextDir: "proj", Dockerfile: "proj/Dockerfile"},
		{Service: "web", File: "proj/compose.yaml", Line: 8, ContextDir: "proj/web", Dockerfile: "proj/web/Dockerfile"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Builds:\n%+v\nwant\n%+v", got, want)
	}
}

func TestAliasCycles(t *testing.T) {
	for _, src := range []string{
		"services:\n  a: &x\n    <<: *x\n    image: x\n",
		"services:\n  a: &x\n    image: x\n    b: *x\n",
		"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
			"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nservices: {a: {image: x}}\n",
	} {
		_, err := LoadSources(Source{Path: "compose.yaml", Data: []byte(src)})
		var cerr *Error
		if !errors.As(err, &cerr) || cerr.Line == 0 {
			t.Errorf("%q: error %v, want one with a line", src, err)
		}
	}
}
