package compose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Shaped like refly's deploy/docker: docker-compose.base.yml defines the
// services, docker-compose.middleware.yml extends them and adds ports,
// and docker-compose.elasticsearch.yml extends docker-compose.yml's api,
// which extends docker-compose.services.yml's.
func TestExtendsPositions(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"docker-compose.base.yml": `services:
  redis:
    image: redis/redis-stack:latest
    ports:
      - 6379:6379
  sandbox:
    image: ghcr.io/refly-ai/refly-executor-slim:latest
    restart: unless-stopped
    privileged: true
  common:
    cap_add:
      - SYS_ADMIN
  worker:
    extends: common
    image: acme/worker:1.0
`,
		"docker-compose.middleware.yml": `services:
  redis:
    extends:
      file: docker-compose.base.yml
      service: redis
    ports:
      - 36379:6379
  sandbox:
    extends:
      file: docker-compose.base.yml
      service: sandbox
    restart: always
  executor:
    extends:
      file: ./docker-compose.base.yml
      service: sandbox
  worker:
    extends:
      file: docker-compose.base.yml
      service: worker
  ghost:
    extends:
      file: missing.yml
      service: ghost
    image: acme/ghost:1.0
`,
		"docker-compose.services.yml": `services:
  api:
    restart: always
    privileged: true
`,
		"docker-compose.yml": `services:
  api:
    image: reflyai/refly-api:latest
    extends: {file: docker-compose.services.yml, service: api}
`,
		"docker-compose.elasticsearch.yml": `services:
  api:
    extends:
      file: docker-compose.yml
      service: api
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	middleware, err := Load(path("docker-compose.middleware.yml"))
	if err != nil {
		t.Fatal(err)
	}
	elastic, err := Load(path("docker-compose.elasticsearch.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p    *Project
		path []string
		file string
		line int
	}{
		// Inherited: where the extended service writes it.
		{middleware, []string{"services", "sandbox", "privileged"}, "docker-compose.base.yml", 9},
		{middleware, []string{"services", "sandbox", "image"}, "docker-compose.base.yml", 7},
		{middleware, []string{"services", "redis", "image"}, "docker-compose.base.yml", 3},
		// Under another name: the same line.
		{middleware, []string{"services", "executor", "privileged"}, "docker-compose.base.yml", 9},
		// Through two extends, the second in the same file (`extends: common`).
		{middleware, []string{"services", "worker", "cap_add"}, "docker-compose.base.yml", 11},
		// Written by the set itself: its own line.
		{middleware, []string{"services", "sandbox", "restart"}, "docker-compose.middleware.yml", 12},
		{middleware, []string{"services", "redis", "ports"}, "docker-compose.middleware.yml", 6},
		// A mapping stays where the set defines it.
		{middleware, []string{"services", "sandbox"}, "docker-compose.middleware.yml", 8},
		// Written nowhere: the nearest parent in the set, as before.
		{middleware, []string{"services", "sandbox", "healthcheck"}, "docker-compose.middleware.yml", 8},
		// An extended file that does not exist: the service.
		{middleware, []string{"services", "ghost", "privileged"}, "docker-compose.middleware.yml", 21},
		// A chain across three files.
		{elastic, []string{"services", "api", "image"}, "docker-compose.yml", 3},
		{elastic, []string{"services", "api", "privileged"}, "docker-compose.services.yml", 4},
	} {
		pos := tc.p.Pos(tc.path...)
		if want := path(tc.file); pos.File != want || pos.Line != tc.line {
			t.Errorf("%s: Pos(%s) = %s:%d, want %s:%d", filepath.Base(tc.p.Files[0].Path), strings.Join(tc.path, "."),
				filepath.Base(pos.File), pos.Line, tc.file, tc.line)
		}
		if tc.p.File(pos.File) == nil {
			t.Errorf("File(%s) = nil: the excerpt and the range need its lines", filepath.Base(pos.File))
		}
	}
	if f, n := elastic.Raw("services", "api", "image"); f == nil || f.Path != path("docker-compose.yml") || n.Value != "reflyai/refly-api:latest" {
		t.Errorf("Raw(image) through extends = %v %v", f, n)
	}
	var items []string
	for _, it := range middleware.Items("services", "redis", "ports") {
		items = append(items, filepath.Base(it.File.Path)+":"+it.Node.Value)
	}
	if got, want := strings.Join(items, " "), "docker-compose.middleware.yml:36379:6379 docker-compose.base.yml:6379:6379"; got != want {
		t.Errorf("Items(ports) = %s, want %s", got, want)
	}
	var extended []string
	for _, f := range elastic.Extended {
		extended = append(extended, filepath.Base(f.Path))
	}
	if got, want := strings.Join(extended, " "), "docker-compose.yml docker-compose.services.yml"; got != want {
		t.Errorf("Extended = %s, want %s", got, want)
	}
	if !elastic.Extends(path("docker-compose.yml")) || elastic.Extends(path("docker-compose.elasticsearch.yml")) {
		t.Errorf("Extends: the extended files only")
	}
}

// An extends cycle (compose-go refuses it) ends the chain instead of
// looping.
func TestExtendsCycle(t *testing.T) {
	dir := t.TempDir()
	a := []byte("services:\n  x:\n    extends: {file: b.yml, service: y}\n    image: a:1\n")
	os.WriteFile(filepath.Join(dir, "a.yml"), a, 0o644)
	os.WriteFile(filepath.Join(dir, "b.yml"), []byte("services:\n  y:\n    extends: {file: a.yml, service: x}\n    privileged: true\n"), 0o644)
	f, err := ParseFile(filepath.Join(dir, "a.yml"), a)
	if err != nil {
		t.Fatal(err)
	}
	p := &Project{Files: []*File{f}}
	p.resolveExtends(map[string]bool{"x": true})
	if n := len(p.Origins("x")); n != 2 {
		t.Errorf("%d origins, want 2 (a.yml's x, b.yml's y)", n)
	}
	if pos := p.Pos("services", "x", "privileged"); filepath.Base(pos.File) != "b.yml" || pos.Line != 4 {
		t.Errorf("Pos = %+v, want b.yml:4", pos)
	}
}
