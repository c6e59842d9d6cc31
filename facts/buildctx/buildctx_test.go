package buildctx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile/dockerfiletest"
)

func parse(t *testing.T, src string) *dockerfile.File {
	t.Helper()
	return dockerfiletest.Parse(t, src)
}

func TestSources(t *testing.T) {
	f := parse(t, `FROM node:22 AS build
ARG APP=apps/api
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
COPY ${APP}/src ./src
COPY $UNSET/x ./
COPY . .
COPY --from=deps /app/node_modules ./node_modules
COPY <<EOF /etc/motd
hi
EOF
ADD https://example.com/x.tgz /tmp/
COPY /abs/config.json ./
COPY ../outside ./
FROM node:22
COPY --from=build /app/dist ./dist
COPY *.md ./
`)
	var got []string
	for _, s := range Sources(f) {
		got = append(got, s.Path)
	}
	want := "package.json pnpm-lock.yaml apps/api/src abs/config.json *.md"
	if strings.Join(got, " ") != want {
		t.Errorf("Sources = %q, want %q", strings.Join(got, " "), want)
	}
}

func write(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, name := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestImagePaths(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string
	}{
		// openstatus's apps/screenshot-service/Dockerfile.
		{"below a whole-context copy", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN rm -rf /app/apps/docs &&\\\n  rm -rf /app/packages/api\nRUN pnpm install\nWORKDIR /app/apps/screenshot-service\nCMD [\"bun\", \"start\"]\n",
			"apps/docs packages/api apps/screenshot-service"},
		{"relative WORKDIR, named destination", "FROM node:22\nCOPY . /srv/\nWORKDIR /srv\nWORKDIR apps/api\n", "apps/api"},
		{"before the copy, another stage, created", "FROM node:22 AS a\nWORKDIR /app/apps/x\nCOPY . /app\nRUN mkdir -p /app/dist && touch /app/.env\nFROM node:22\nWORKDIR /app/apps/y\n", ""},
		{"not below the copy", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN rm -rf /tmp/x /app\nWORKDIR /usr/src\n", ""},
		{"a variable", "FROM node:22\nWORKDIR /app\nCOPY . .\nWORKDIR /app/$APP\n", ""},
		// cloud-code-samples' go-guestbook frontend: the build writes /app/frontend.
		{"a build output", "FROM golang:1.21 AS build\nWORKDIR /app\nCOPY go.mod go.sum ./\nCOPY . ./\nRUN go build -mod=readonly -v -o /app/frontend .\nRUN cd /app/cmd && ls\n", "cmd"},
		{"a copy of named paths", "FROM node:22\nWORKDIR /app\nCOPY src ./src\nWORKDIR /app/apps/api\n", ""},
		// plane's apps/admin/Dockerfile.dev: `pnpm dev --filter=admin`
		// where the context was copied needs its pnpm-workspace.yaml.
		{"pnpm --filter in the copy", "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN corepack enable pnpm && pnpm add -g turbo\nRUN pnpm install\nEXPOSE 3000\nVOLUME [ \"/app/node_modules\", \"/app/admin/node_modules\" ]\nCMD [\"pnpm\", \"dev\", \"--filter=admin\"]\n", "pnpm-workspace.yaml"},
		{"pnpm -F in a RUN", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN pnpm install && pnpm -F web build\n", "pnpm-workspace.yaml"},
		// Near misses: no filter, a filter elsewhere (below the copy, after
		// a cd, before the copy), a filter given to the script.
		{"pnpm without a filter", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN pnpm install\nCMD [\"pnpm\", \"dev\"]\n", ""},
		{"pnpm --filter below the copy", "FROM node:22\nWORKDIR /app\nCOPY . .\nWORKDIR /app/apps/web\nCMD [\"pnpm\", \"--filter\", \"web\", \"dev\"]\n", "apps/web"},
		{"pnpm --filter after cd", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN cd /tmp/ws && pnpm --filter web build\n", ""},
		{"pnpm --filter before the copy", "FROM node:22\nWORKDIR /app\nRUN pnpm --filter web build\nCOPY . .\n", ""},
		{"--filter after --", "FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"pnpm\", \"start\", \"--\", \"--filter=x\"]\n", ""},
	} {
		var got []string
		for _, s := range ImagePaths(parse(t, tc.src)) {
			got = append(got, s.Path)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: ImagePaths = %q, want %q", tc.name, strings.Join(got, " "), tc.want)
		}
	}
}

func TestResolve(t *testing.T) {
	root := t.TempDir()
	write(t, root, "package.json", "pnpm-lock.yaml", "apps/api/package.json", "apps/api/src/main.ts",
		"docker/Dockerfile", "apps/api/Dockerfile", "solo/package.json", "solo/Dockerfile", "a/b/Dockerfile")
	for _, tc := range []struct {
		name, src, start string
		want             string
		ok               bool
	}{
		{"root context", "FROM x\nCOPY package.json pnpm-lock.yaml ./\nCOPY apps/api ./apps/api\n", "docker", ".", true},
		{"own directory", "FROM x\nCOPY package.json ./\nCOPY src ./src\n", "apps/api", "apps/api", false},
		{"workspace lockfile above", "FROM x\nCOPY package.json pnpm-lock.yaml ./\n", "apps/api", ".", true},
		{"glob", "FROM x\nCOPY *.yaml ./\n", "docker", ".", true},
		{"nothing found", "FROM x\nCOPY dist ./dist\n", "solo", "solo", false},
		{"tie: nearest", "FROM x\nCOPY package.json ./\nCOPY dist ./dist\n", "solo", "solo", false},
		{"nothing copied", "FROM x\nRUN true\n", "docker", "docker", false},
		{"two levels", "FROM x\nCOPY apps/api/src ./src\n", "a/b", ".", true},
	} {
		start := filepath.Join(root, tc.start)
		dir, _, ok := Resolve(Sources(parse(t, tc.src)), start, root)
		rel, _ := filepath.Rel(root, dir)
		if rel != tc.want || ok != tc.ok {
			t.Errorf("%s: Resolve = %s %v, want %s %v", tc.name, rel, ok, tc.want, tc.ok)
		}
	}
	// plane's apps/admin/Dockerfile.dev: only the repository root holds
	// the pnpm-workspace.yaml its `pnpm dev --filter=admin` needs, though
	// apps/admin has a .dockerignore; a folder with its own workspace file
	// is its own context.
	write(t, root, "pnpm-workspace.yaml", "apps/admin/package.json", "apps/admin/.dockerignore", "solo/pnpm-workspace.yaml")
	const dev = "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN pnpm install\nCMD [\"pnpm\", \"dev\", \"--filter=admin\"]\n"
	for _, tc := range []struct{ start, want string }{{"apps/admin", "."}, {"solo", "solo"}} {
		f := parse(t, dev)
		sources := append(Sources(f), ImagePaths(f)...)
		dir, _, _ := Resolve(sources, filepath.Join(root, tc.start), root)
		if rel, _ := filepath.Rel(root, dir); rel != tc.want {
			t.Errorf("pnpm --filter from %s: Resolve = %s, want %s", tc.start, rel, tc.want)
		}
	}
	// Never above stop.
	if dir, _, ok := Resolve(Sources(parse(t, "FROM x\nCOPY package.json ./\n")), filepath.Join(root, "a/b"), filepath.Join(root, "a")); ok {
		t.Errorf("Resolve climbed above stop: %s", dir)
	}
}

func TestPackage(t *testing.T) {
	cands := []Candidate{
		{Rel: "apps/server", Name: "@acme/server"},
		{Rel: "apps/web", Name: "web"},
		{Rel: "packages/db", Name: "@acme/db"},
	}
	for _, tc := range []struct {
		name, src, dfRel string
		want             string // Rel of the choice, "" for none
		why              string
	}{
		{"copies the package", "FROM node:22\nWORKDIR /app\nCOPY package.json ./\nCOPY apps/server ./\nCMD [\"node\", \"dist/main.js\"]\n", "Dockerfile", "apps/server", "COPY apps/server"},
		{"workdir in the package", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nWORKDIR /app/apps/server\nCMD [\"node\", \"dist/main.js\"]\n", "docker/Dockerfile", "apps/server", "WORKDIR /app/apps/server"},
		{"runs a file of the package", "FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"apps/web/server.js\"]\n", "Dockerfile", "apps/web", "runs apps/web/server.js"},
		{"npm -w", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build -w @acme/server\nCMD [\"npm\", \"start\"]\n", "Dockerfile", "apps/server", "npm run build -w @acme/server"},
		{"pnpm filter with deps", "FROM node:22\nCOPY . .\nRUN pnpm --filter=web... build\n", "Dockerfile", "apps/web", "pnpm --filter=web... build"},
		{"turbo prune, unscoped", "FROM node:22\nCOPY . .\nRUN turbo prune server --docker\n", "Dockerfile", "apps/server", "turbo prune server --docker"},
		{"turbo prune --scope", "FROM node:22\nCOPY . .\nRUN turbo prune --scope=@acme/db --docker\n", "Dockerfile", "packages/db", "turbo prune --scope=@acme/db --docker"},
		{"yarn workspace", "FROM node:22\nCOPY . .\nRUN yarn workspace web build\n", "Dockerfile", "apps/web", "yarn workspace web build"},
		{"nx run", "FROM node:22\nCOPY . .\nRUN npx nx run server:build\n", "Dockerfile", "apps/server", "npx nx run server:build"},
		{"nx run by name", "FROM node:22\nCOPY . .\nRUN npx nx run @acme/server:build\n", "Dockerfile", "apps/server", "npx nx run @acme/server:build"},
		{"the Dockerfile's directory", "FROM node:22\nCOPY . .\nRUN npm ci\n", "apps/web/Dockerfile", "apps/web", "the Dockerfile is in apps/web"},
		{"the app over its library", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN pnpm --filter @acme/db build && pnpm --filter web build\nFROM node:22\nCOPY --from=0 /app/apps/web/.next/standalone ./\nCOPY --from=0 /app/packages/db/dist ./packages/db/dist\n", "apps/web/Dockerfile", "apps/web", "the Dockerfile is in apps/web"},
		// dokploy's Dockerfile: a library and the app are built, the app deployed.
		{"pnpm deploy over a library built", "FROM node:22 AS build\nCOPY . /usr/src/app\nWORKDIR /usr/src/app\nRUN pnpm install --frozen-lockfile\nRUN pnpm --filter=@acme/db build\nRUN pnpm --filter=./apps/web run build\nRUN pnpm --filter=./apps/web --prod deploy --legacy /prod/web\nFROM node:22\nWORKDIR /app\nCOPY --from=build /prod/web/dist ./dist\nCMD [\"pnpm\", \"start\"]\n", "Dockerfile", "apps/web", "deploy --legacy /prod/web"},
		{"both built, none deployed: a tie", "FROM node:22 AS build\nCOPY . /usr/src/app\nWORKDIR /usr/src/app\nRUN pnpm --filter=@acme/db build\nRUN pnpm --filter=./apps/web run build\nFROM node:22\nWORKDIR /app\nCOPY --from=build /usr/src/app/node_modules ./node_modules\n", "Dockerfile", "", ""},
		// karakeep's docker/Dockerfile: the last stage works in apps/web.
		{"the final WORKDIR over a deploy elsewhere", "FROM node:22 AS base\nWORKDIR /app\nCOPY . .\nRUN pnpm deploy --legacy --filter @acme/server --prod /prod/server\nFROM node:22\nWORKDIR /app\nCOPY --from=base /app/apps/web/dist/index.js apps/web/index.js\nWORKDIR /app/apps/web\nCMD [\"node\", \"index.js\"]\n", "docker/Dockerfile", "apps/web", "WORKDIR /app/apps/web"},
		{"a deploy script is not pnpm deploy", "FROM node:22\nCOPY . .\nRUN pnpm --filter @acme/db run deploy && pnpm --filter web build\n", "Dockerfile", "", ""},
		{"pnpm deploy with a spaced filter", "FROM node:22\nCOPY . .\nRUN pnpm --filter @acme/db build && pnpm --filter web deploy /prod/web\n", "Dockerfile", "apps/web", "deploy /prod/web"},
		{"manifests only: a tie", "FROM node:22\nCOPY apps/server/package.json apps/server/\nCOPY apps/web/package.json apps/web/\n", "Dockerfile", "", ""},
		{"nothing", "FROM node:22\nCOPY . .\nCMD [\"node\", \"index.js\"]\n", "Dockerfile", "", ""},
		{"WORKDIR /app is not a package at app", "FROM node:22\nWORKDIR /web\nCOPY . .\n", "Dockerfile", "", ""},
	} {
		c, ok := Package(parse(t, tc.src), tc.dfRel, cands)
		got := ""
		if ok {
			got = cands[c.Index].Rel
		}
		if got != tc.want || ok && !strings.Contains(c.Why, tc.why) {
			t.Errorf("%s: Package = %q (%s), want %q (%s)", tc.name, got, c.Why, tc.want, tc.why)
		}
	}
}

// TestPackageNamed is shaped like hyperdx's docker/hyperdx/Dockerfile:
// built from the repository with the named contexts api=./packages/api
// and app=./packages/app, it copies sources `--from=api` and `--from=app`
// and installs only the API's production dependencies with `yarn
// workspaces focus @hyperdx/api --production`. Near misses: without the
// named contexts (or when the name is a stage) the COPY says nothing of a
// package; `yarn workspaces focus` without --production builds both and
// is a tie.
func TestPackageNamed(t *testing.T) {
	cands := []Candidate{
		{Rel: "packages/api", Name: "@hyperdx/api"},
		{Rel: "packages/app", Name: "@hyperdx/app"},
		{Rel: "packages/common-utils", Name: "@hyperdx/common-utils"},
	}
	named := map[string]string{"api": "packages/api", "app": "packages/app", "hyperdx": "docker/hyperdx"}
	build := "FROM node:22 AS builder\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY --from=api ./src ./packages/api/src\n"
	both := "FROM node:22 AS builder\nWORKDIR /app\nCOPY --from=api ./src ./packages/api/src\nCOPY --from=app ./src ./packages/app/src\n" +
		"RUN yarn workspace @hyperdx/api run build && yarn workspace @hyperdx/app run build\n"
	for _, tc := range []struct {
		name, src string
		named     map[string]string
		want, why string
	}{
		{"a COPY from a named context that is the package", build, named, "packages/api", "COPY --from=api ./src"},
		{"no named contexts: the name is an unknown image", build, nil, "", ""},
		{"a stage of that name", "FROM node:22 AS api\nRUN mkdir /src\n" + build, named, "", ""},
		{"yarn workspaces focus --production", both + "RUN yarn workspaces focus @hyperdx/api --production\n", named, "packages/api", "yarn workspaces focus @hyperdx/api --production"},
		{"yarn workspaces focus for a build: a tie", both + "RUN yarn workspaces focus @hyperdx/api\nRUN yarn workspaces focus @hyperdx/app\n", named, "", ""},
	} {
		c, ok := PackageNamed(parse(t, tc.src), "docker/hyperdx/Dockerfile", cands, tc.named)
		got := ""
		if ok {
			got = cands[c.Index].Rel
		}
		if got != tc.want || ok && !strings.Contains(c.Why, tc.why) {
			t.Errorf("%s: PackageNamed = %q (%s), want %q (%s)", tc.name, got, c.Why, tc.want, tc.why)
		}
	}
}
