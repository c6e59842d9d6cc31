package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"package.json":                         `{"name":"root"}`,
		"Dockerfile":                           "FROM scratch\n",
		"Dockerfile.dockerignore":              "node_modules\n",
		".dockerignore":                        ".git\n",
		"services/api/Dockerfile.prod":         "FROM scratch\n",
		"services/api/worker.Dockerfile":       "FROM scratch\n",
		"services/api/package.json":            `{"name":"api"}`,
		"services/api/README.md":               "not a Dockerfile\n",
		"services/web/Containerfile":           "FROM scratch\n",
		"node_modules/x/Dockerfile":            "FROM scratch\n",
		"compose.yaml":                         "services: {}\n",
		"compose.override.yaml":                "services: {}\n",
		"deploy/docker-compose.yml":            "services: {}\n",
		"node_modules/y/docker-compose.yml":    "services: {}\n",
		"services/api/Dockerfile.dockerignore": "dist\n",
	})
	p, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range p.Builds {
		rel, _ := filepath.Rel(root, b.DockerfilePath)
		got = append(got, rel)
	}
	want := "Dockerfile services/api/Dockerfile.prod services/api/worker.Dockerfile services/web/Containerfile"
	if strings.Join(got, " ") != want {
		t.Errorf("builds = %v, want %v", got, want)
	}
	// <Dockerfile>.dockerignore wins over the context's .dockerignore.
	if b := p.Builds[0]; filepath.Base(b.IgnorePath) != "Dockerfile.dockerignore" || b.Package == nil || b.Package.Manifest.Name != "root" {
		t.Errorf("root build = ignore %q package %+v", b.IgnorePath, b.Package)
	}
	// Two Dockerfiles of one package share its parsed package.
	if a, w := p.Builds[1], p.Builds[2]; a.Package == nil || a.Package != w.Package || a.Package.Manifest.Name != "api" {
		t.Errorf("api builds do not share the api package: %p %p", a.Package, w.Package)
	}
	// No package.json between services/web and the context: none found.
	if b := p.Builds[3]; b.Package != nil || b.Ignore != nil {
		t.Errorf("web build = package %+v ignore %q", b.Package, b.IgnorePath)
	}
	var composes []string
	for _, c := range p.ComposeFiles {
		rel, _ := filepath.Rel(root, c)
		composes = append(composes, rel)
	}
	if strings.Join(composes, " ") != "compose.override.yaml compose.yaml deploy/docker-compose.yml" {
		t.Errorf("compose files = %v", composes)
	}
}

func TestIsDockerfileName(t *testing.T) {
	for name, want := range map[string]bool{
		"Dockerfile": true, "dockerfile": true, "Containerfile": true, "Dockerfile.prod": true,
		"api.Dockerfile": true, "Dockerfile.dockerignore": false, "Dockerfile.md": false, "README": false,
	} {
		if IsDockerfileName(name) != want {
			t.Errorf("IsDockerfileName(%q) = %v", name, !want)
		}
	}
}
