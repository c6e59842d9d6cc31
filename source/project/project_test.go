package project

import (
	"fmt"
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
	// Every build knows the root it was found under; a Dockerfile named
	// on its own outside a project has none.
	for _, b := range p.Builds {
		if b.Root != root {
			t.Errorf("%s: Root = %q, want %q", b.DockerfilePath, b.Root, root)
		}
	}
	if b, err := NewBuild(filepath.Join(root, "Dockerfile"), root, ""); err != nil {
		t.Error(err)
	} else if b.Root != "" {
		t.Errorf("NewBuild without a root: Root = %q", b.Root)
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
		"dockerfile.mdx": false, "Dockerfile.j2": false, "Dockerfile.tmpl": false, "Dockerfile.bak": false,
		"Dockerfile.yml": false, "Dockerfile.sh": false, "Dockerfile.dev": true, "Dockerfile.release": true,
		"Dockerfile.alpine": true, "Dockerfile.bun": true, "web.Dockerfile": true,
		"Dockerfile.append": false, "Dockerfile.partial": false, "Dockerfile.inc": false,
	} {
		if IsDockerfileName(name) != want {
			t.Errorf("IsDockerfileName(%q) = %v", name, !want)
		}
	}
}

func TestIsComposeFileName(t *testing.T) {
	for name, want := range map[string]bool{
		"compose.yaml": true, "compose.yml": true, "docker-compose.yml": true, "docker-compose.yaml": true,
		"compose.override.yaml": true, "docker-compose.override.yml": true,
		"docker-compose.prod.yml": true, "docker-compose-prod.yml": true, "docker-compose.build.yml": true,
		"docker-compose_ci.yaml": true, "compose.dev.yaml": true, "compose-dev.yml": true,
		"composer.yaml": false, "compose.json": false, "docker-compose.yml.example": false,
		"my-compose.yml": false, "docker-compose": false, "compose": false,
	} {
		if IsComposeFileName(name) != want {
			t.Errorf("IsComposeFileName(%q) = %v", name, !want)
		}
	}
}

// TestDiscoverContexts: the context of each Dockerfile comes from how the
// project builds it.
func TestDiscoverContexts(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		".dockerignore":            "node_modules\n",
		"package.json":             `{"name":"root","scripts":{"image":"docker build -f tools/Dockerfile .","up":"docker compose -f compose.yaml -f compose.ci.yaml up"}}`,
		"compose.yaml":             "services: {}\n",
		"compose.ci.yaml":          "services: {}\n",
		"tools/Dockerfile":         "FROM scratch\n",
		"docker/Dockerfile":        "FROM scratch\n",
		"docker/worker.Dockerfile": "FROM scratch\n",
		"apps/web/Dockerfile":      "FROM scratch\n",
		"apps/api/Containerfile":   "FROM scratch\n",
		"apps/api/package.json":    `{"name":"api"}`,
		"apps/api/Dockerfile":      "FROM scratch\n",
		"apps/api/Dockerfile.slim": "FROM scratch\n",
		"deploy/app.docker":        "FROM scratch\n",
		"lonely/Dockerfile":        "FROM scratch\n",
		"svc/Dockerfile":           "FROM scratch\n",
		"scripts/img.sh":           "#!/bin/sh\ndocker build -f svc/Dockerfile svc\n",
		".github/workflows/ci.yml": `name: ci
on: push
env:
  DOCKERFILE: docker/worker.Dockerfile
jobs:
  image:
    strategy:
      matrix:
        app: [web]
        include:
          - app: api
            file: Containerfile
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          file: ./docker/Dockerfile
          push: true
      - name: apps
        uses: docker/build-push-action@v6
        with:
          context: .
          file: apps/${{ matrix.app }}/${{ matrix.file || 'Dockerfile' }}
      - run: |
          echo building
          docker build -f "$DOCKERFILE" .
      - run: docker buildx build -o type=image,name=x/app,push=true -f ../deploy/app.docker ..
        working-directory: apps
      - run: docker build -f ${{ secrets.FILE }} .
      - uses: docker/build-push-action@v6
        with:
          file: apps/${{ matrix.app }}/Dockerfile${{ matrix.app == 'api' && '.slim' || '' }}
      - uses: docker/build-push-action@v6
        with:
          file: svc/Dockerfile${{ github.ref_name == 'main' && '.prod' || '' }}
`,
		"Makefile": "IMAGE ?= x\nDIR := lonely\n\nbuild:\n\t@docker build -t $(IMAGE) -f $(DIR)/Dockerfile $(CURDIR)\n",
		// dokploy's dev container: built from the folder above.
		".devcontainer/devcontainer.json": "{\n\t// the repository\n\t\"build\": {\n\t\t\"dockerfile\": \"Dockerfile\",\n\t\t\"context\": \"..\",\n\t},\n}\n",
		".devcontainer/Dockerfile":        "FROM scratch\n",
		// A dev container with no context: its own folder.
		"tools/dev/.devcontainer.json": `{"dockerFile": "Dockerfile.dev"}`,
		"tools/dev/Dockerfile.dev":     "FROM scratch\n",
		// An image-based dev container names no Dockerfile.
		"tools/img/.devcontainer/devcontainer.json": `{"image": "node:22", "context": ".."}`,
		"tools/img/Dockerfile":                      "FROM scratch\n",
	})
	p, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range p.Builds {
		df, _ := filepath.Rel(root, b.DockerfilePath)
		ctx, _ := filepath.Rel(root, b.ContextDir)
		src := b.ContextSource.Kind
		if b.ContextSource.File != "" {
			file, _ := filepath.Rel(root, b.ContextSource.File)
			src += fmt.Sprintf(" %s:%d", file, b.ContextSource.Line)
		}
		if b.ContextSource.Publishes {
			src += " published"
		}
		ig := ""
		if b.IgnorePath != "" {
			ig, _ = filepath.Rel(root, b.IgnorePath)
		}
		got = append(got, fmt.Sprintf("%s: %s (%s) %s", df, ctx, src, ig))
	}
	want := []string{
		".devcontainer/Dockerfile: . (devcontainer .devcontainer/devcontainer.json:4) .dockerignore", // "context": ".."
		"apps/api/Containerfile: . (ci .github/workflows/ci.yml:23) .dockerignore",                   // the matrix include row
		"apps/api/Dockerfile: apps/api (dockerfile-dir) ",                                            // refly's `Dockerfile${{ matrix.app == 'api' && '.slim' || '' }}` is not it
		"apps/api/Dockerfile.slim: . (ci .github/workflows/ci.yml:32) .dockerignore",                 // …but this
		"apps/web/Dockerfile: . (ci .github/workflows/ci.yml:23) .dockerignore",
		"docker/Dockerfile: . (ci .github/workflows/ci.yml:17 published) .dockerignore", // no context: the repository
		"docker/worker.Dockerfile: . (ci .github/workflows/ci.yml:26) .dockerignore",
		"lonely/Dockerfile: . (makefile Makefile:5) .dockerignore",
		"svc/Dockerfile: svc (script scripts/img.sh:2) ", // run from the root: the only start where the file is found
		"tools/Dockerfile: . (package.json package.json:1) .dockerignore",
		"tools/dev/Dockerfile.dev: tools/dev (devcontainer tools/dev/.devcontainer.json:1) ", // no context: the config's folder
		"tools/img/Dockerfile: tools/img (dockerfile-dir) ",                                  // an image, not a build
		"deploy/app.docker: . (ci .github/workflows/ci.yml:27 published) .dockerignore",      // named by a build only
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("builds:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(p.ComposeRuns) != 1 || len(p.ComposeRuns[0].Files) != 2 || filepath.Base(p.ComposeRuns[0].Files[1]) != "compose.ci.yaml" {
		t.Errorf("compose runs = %+v", p.ComposeRuns)
	}
}

func TestWorkspace(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"package.json":                            `{"name":"mono","workspaces":["apps/*","packages/**","!packages/legacy","tools"]}`,
		"apps/server/package.json":                `{"name":"@acme/server"}`,
		"apps/web/package.json":                   `{"name":"web"}`,
		"apps/notes/README.md":                    "no package\n",
		"packages/ui/package.json":                `{"name":"@acme/ui"}`,
		"packages/ui/node_modules/x/package.json": `{"name":"x"}`,
		"packages/legacy/package.json":            `{"name":"legacy"}`,
		"packages/deep/a/package.json":            `{"name":"deep-a"}`,
		"tools/package.json":                      `{"name":"tools"}`,
		"pnpm/pnpm-workspace.yaml":                "packages:\n  - 'svc/*'\n",
		"pnpm/svc/a/package.json":                 `{"name":"a"}`,
		"lerna/lerna.json":                        `{"version":"1.0.0"}`,
		"lerna/packages/b/package.json":           `{"name":"b"}`,
	})
	show := func(ms []Member) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Rel+"="+m.Name)
		}
		return strings.Join(out, " ")
	}
	if got, want := show(Workspace(root)), "apps/server=@acme/server apps/web=web packages/deep/a=deep-a packages/ui=@acme/ui tools=tools"; got != want {
		t.Errorf("workspaces:\n got %s\nwant %s", got, want)
	}
	if got := show(Workspace(filepath.Join(root, "pnpm"))); got != "svc/a=a" {
		t.Errorf("pnpm workspace: %s", got)
	}
	if got := show(Workspace(filepath.Join(root, "lerna"))); got != "packages/b=b" {
		t.Errorf("lerna workspace: %s", got)
	}
	if got := Workspace(filepath.Join(root, "apps", "web")); got != nil {
		t.Errorf("a package is not a workspace: %v", got)
	}
}

func TestDiscoverTargets(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"release/Dockerfile": "FROM scratch AS release\nFROM scratch AS tools\n",
		"release/deploy.sh":  "#!/bin/sh\ndocker build --target release -t app release\ndocker buildx build --push --target=release release\n",
		"mixed/Dockerfile":   "FROM scratch AS test\nFROM scratch AS release\n",
		"mixed/ci.sh":        "docker build --target test mixed\ndocker build --target release mixed\n",
		"last/Dockerfile":    "FROM scratch AS release\nFROM scratch\n",
		"last/ci.sh":         "docker build --target release last\ndocker build last\n",
		"var/Dockerfile":     "FROM scratch\n",
		"var/ci.sh":          "docker build --target \"$STAGE\" var\n",
		"wf/Dockerfile":      "FROM scratch AS prod\nFROM scratch AS dev\n",
		".github/workflows/ci.yml": `on: push
jobs:
  image:
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: wf
          target: prod
`,
	})
	builds := discoverBuilds(t, root)
	got := map[string]string{}
	for rel, b := range builds {
		got[rel] = b.Target
	}
	want := map[string]string{
		"release/Dockerfile": "release", // every build names it
		"mixed/Dockerfile":   "",        // two targets: which ships cannot be told
		"last/Dockerfile":    "",        // one build builds the last stage
		"var/Dockerfile":     "",        // a variable names it
		"wf/Dockerfile":      "prod",
	}
	for df, w := range want {
		if got[df] != w {
			t.Errorf("%s: target %q, want %q", df, got[df], w)
		}
	}
}

// TestDiscoverPushedBuild is shaped like karakeep's chrome.yml: a job
// builds the image to check it (load: true), a later one pushes it; the
// build that pushes decides, so the Dockerfile is known to be shipped.
// Near miss: a Dockerfile no build pushes keeps its first build.
func TestDiscoverPushedBuild(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"docker/chrome/Dockerfile": "FROM scratch\n",
		"docker/other/Dockerfile":  "FROM scratch\n",
		".github/workflows/chrome.yml": `on: push
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: .
          file: docker/chrome/Dockerfile
          load: true
          platforms: ${{ matrix.platform }}
          tags: karakeep-chrome:build-check
      - uses: docker/build-push-action@v6
        with:
          context: docker/other
  publish:
    steps:
      - run: docker buildx build --push -f docker/chrome/Dockerfile -t ghcr.io/x/chrome .
`,
		"docker/other/build.sh": "docker build -t other .\n",
	})
	got := discoverBuilds(t, root)
	if s := got["docker/chrome/Dockerfile"].ContextSource; !s.Publishes || s.Line != 18 {
		t.Errorf("docker/chrome/Dockerfile: %+v, want the pushing step (line 18)", s)
	}
	if s := got["docker/other/Dockerfile"].ContextSource; s.Publishes || s.Kind != FromWorkflow || s.Line != 15 {
		t.Errorf("docker/other/Dockerfile: %+v, want the workflow's build (line 15), not pushed", s)
	}
}

// discoverBuilds discovers root's builds by their Dockerfile's slash path
// from root.
func discoverBuilds(t *testing.T, root string) map[string]*Build {
	t.Helper()
	p, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Build{}
	for _, b := range p.Builds {
		rel, _ := filepath.Rel(root, b.DockerfilePath)
		out[filepath.ToSlash(rel)] = b
	}
	return out
}

// TestDiscoverSymlinks: a link to a file of the tree is found under the
// link's name (Reactive-Resume's compose.yml -> tools/compose/simple.yml),
// once; links out of the tree, to directories or dangling are not.
func TestDiscoverSymlinks(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write(t, root, map[string]string{
		"tools/compose/simple.yml": "services: {}\n",
		"docker/Dockerfile":        "FROM scratch\n",
	})
	write(t, outside, map[string]string{"docker-compose.yml": "services: {}\n"})
	for link, target := range map[string]string{
		"compose.yml":             "./tools/compose/simple.yml",
		"Dockerfile":              "docker/Dockerfile", // the file is found under its own name already
		"docker-compose.yml":      filepath.Join(outside, "docker-compose.yml"),
		"compose.dev.yml":         "./tools/compose/missing.yml",
		"deploy/compose.prod.yml": "../tools",
	} {
		p := filepath.Join(root, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	compose, err := FindComposeFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	dockerfiles, err := FindDockerfiles(root)
	if err != nil {
		t.Fatal(err)
	}
	rels := func(paths []string) string {
		var out []string
		for _, p := range paths {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return strings.Join(out, " ")
	}
	if got := rels(compose); got != "compose.yml" {
		t.Errorf("compose files = %q, want compose.yml", got)
	}
	if got := rels(dockerfiles); got != "docker/Dockerfile" {
		t.Errorf("Dockerfiles = %q, want docker/Dockerfile", got)
	}
}

// TestDiscoverNamedContexts is shaped like hyperdx: release-nightly.yml's
// build-push-action step builds docker/hyperdx/Dockerfile from the
// repository with `build-contexts:` hyperdx, api and app, and the
// Makefile's `build-local` adds clickhouse with `--build-context`; the
// build gets all of them. Near misses: a `build-contexts:` value that is
// a docker-image:// is an image, not a directory; a directory that does
// not exist and a value a GitHub expression gives are dropped; of two
// values for a name the stronger evidence (the workflow) wins; a build
// from another context does not add its named contexts.
func TestDiscoverNamedContexts(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"docker/hyperdx/Dockerfile":    "FROM scratch AS prod\nCOPY --from=hyperdx ./entry.prod.sh /etc/local/entry.sh\n",
		"docker/hyperdx/entry.prod.sh": "node server.js\n",
		"docker/clickhouse/config.xml": "<x/>\n",
		"packages/api/package.json":    "{}\n",
		"packages/app/package.json":    "{}\n",
		"packages/web/Dockerfile":      "FROM base\n",
		"packages/web/package.json":    `{"scripts": {"docker": "docker buildx build --build-context shared=../api -f Dockerfile ."}}`,
		"scripts/Dockerfile":           "FROM scratch\n",
		"scripts/build.sh":             "cd \"$(dirname \"$0\")\"\ndocker build --build-context other=../packages/app .\n",
		"Makefile": "build-local:\n\tdocker build . -f ./docker/hyperdx/Dockerfile \\\n\t\t--build-context clickhouse=./docker/clickhouse \\\n\t\t--build-context=hyperdx=./docker/other \\\n\t\t--target all-in-one\n" +
			"build-elsewhere:\n\tdocker build docker/hyperdx --build-context elsewhere=./packages/app\n",
		".github/workflows/release-nightly.yml": `on: push
jobs:
  app:
    steps:
      - name: Build and Push
        uses: docker/build-push-action@v6
        with:
          file: ./docker/hyperdx/Dockerfile
          target: prod
          build-contexts: |
            hyperdx=./docker/hyperdx
            api=./packages/api
            app=./packages/app
            missing=./packages/nope
            ref=${{ github.ref }}
          push: true
      - uses: docker/build-push-action@v6
        with:
          context: packages/web
          build-contexts: |
            base=docker-image://node:22-alpine
`,
	})
	builds := discoverBuilds(t, root)
	want := map[string]string{
		"docker/hyperdx/Dockerfile": "api=packages/api, app=packages/app, clickhouse=docker/clickhouse, hyperdx=docker/hyperdx",
		"packages/web/Dockerfile":   "base=docker-image://node:22-alpine, shared=packages/api",
		"scripts/Dockerfile":        "other=packages/app",
	}
	for df, w := range want {
		b := builds[df]
		if b == nil {
			t.Errorf("%s: not found", df)
			continue
		}
		var got []string
		for _, n := range b.NamedContexts {
			if n.Dir != "" {
				rel, _ := filepath.Rel(root, n.Dir)
				n.Dir = rel
			}
			got = append(got, n.String())
		}
		if g := strings.Join(got, ", "); g != w {
			t.Errorf("%s: named contexts %q, want %q", df, g, w)
		}
	}
	for _, n := range builds["packages/web/Dockerfile"].NamedContexts {
		if n.Name == "base" && (n.Dir != "" || n.Image != "docker-image://node:22-alpine") {
			t.Errorf("base: %+v, want an image, not a directory", n)
		}
	}
}
