package purpose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile/dockerfiletest"
)

const (
	prod = analysis.Production
	dev  = analysis.Development
	test = analysis.Test
	ex   = analysis.Example
)

// plain is a production Dockerfile nothing in whose content says
// otherwise.
const plain = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n"

func parse(t *testing.T, src string) *dockerfile.File {
	t.Helper()
	return dockerfiletest.Parse(t, src)
}

// TestDockerfilePaths: names and folders of real repositories (the
// Dockerfile's content is plain production).
func TestDockerfilePaths(t *testing.T) {
	for _, tc := range []struct {
		rel    string
		want   analysis.Purpose
		reason string
	}{
		{"Dockerfile", prod, ""},
		{"apps/web/Dockerfile", prod, ""},
		{"packages/in-app-agent-sandbox-runtime/Dockerfile", prod, ""}, // langfuse: "sandbox" is not a word of ours
		{"Dockerfile.dev", dev, "named Dockerfile.dev"},
		{"dev.Dockerfile", dev, "named dev.Dockerfile"},
		{"Dockerfile-local", dev, "named Dockerfile-local"},
		{"Dockerfile.local", dev, "named Dockerfile.local"}, // sct/overseerr
		{"Dockerfile.development", dev, ""},
		{".gitpod.Dockerfile", dev, "named .gitpod.Dockerfile"},
		{"Dockerfile.devops", prod, ""},
		{"Dockerfile.integration", test, "named Dockerfile.integration"},      // logto
		{"test/test-radius.dockerfile", test, "named test-radius.dockerfile"}, // uptime-kuma
		{"Dockerfile.ci", test, ""},
		{"Dockerfile.e2e", test, ""},
		{"Dockerfile.prod", prod, "named Dockerfile.prod"},
		{"prod.Dockerfile", prod, "named prod.Dockerfile"}, // hoppscotch
		{"Dockerfile.prod-debug", dev, ""},
		{"Dockerfile.template", prod, ""}, // docker-library: a generator's template
		{".devcontainer/Dockerfile", dev, "in .devcontainer/"},
		{"src/javascript-node/.devcontainer/Dockerfile", dev, "in src/javascript-node/.devcontainer/"},
		{".cursor/Dockerfile", dev, "in .cursor/"}, // langfuse: an editor agent's image
		{".codesandbox/Dockerfile", dev, ""},
		{"examples/with-script-in-browser/.codesandbox/Dockerfile", dev, ""},       // excalidraw
		{"docker/development/Dockerfile.gotenberg", dev, "in docker/development/"}, // documenso
		{"docker/local-postgres/Dockerfile", dev, "in docker/local-postgres/"},     // unleash
		{"dev/containers/node/Dockerfile", dev, "in dev/"},
		{"image/discourse_dev/Dockerfile", dev, ""},
		{"image/discourse_test/Dockerfile", test, ""},
		{"e2e/Dockerfile", test, "in e2e/"},
		{"tests/dockerfile/checks/resources/pass/Dockerfile", test, "in tests/"}, // checkov fixtures
		{"result/tests/Dockerfile", test, "in result/tests/"},
		{"benchmarks/http/Dockerfile", test, ""},
		{"packages/server/test/fixtures/Dockerfile", test, "in packages/server/test/fixtures/"},
		{".github/actions/release/Dockerfile", test, "in .github/ (CI)"},
		{"ci/release-image/Dockerfile", prod, "in ci/release-image/"}, // code-server: ci/ holds release images
		{"examples/with-docker/Dockerfile", ex, "in examples/"},
		{"examples/nodejs/backend/Dockerfile", ex, "in examples/"},
		{"test/examples/Dockerfile.node", test, "in test/"}, // dockerfilelint's fixtures
		{"docs/site/Dockerfile", ex, ""},
		{"templates/blank/Dockerfile", ex, ""},
		{"deploy/examples/Dockerfile", ex, "in deploy/examples/"},
		{"docker/production/Dockerfile", prod, "in docker/production/"},
		{"hosting/docker/webapp/Dockerfile", prod, "in hosting/"},
		{"packages/hoppscotch-selfhost-web/Dockerfile", prod, ""},
		{"deploy/dev/Dockerfile", dev, ""},
	} {
		got := Dockerfile(tc.rel, parse(t, plain))
		if got.Purpose != tc.want || tc.reason != "" && got.Reason != tc.reason {
			t.Errorf("%s: %v (%s), want %v (%s)", tc.rel, got.Purpose, got.Reason, tc.want, tc.reason)
		}
	}
}

// TestDockerfileContent: headers and what the final stage runs.
func TestDockerfileContent(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      analysis.Purpose
		reason    string
	}{
		{"dev container header", "# Dev container Dockerfile\nFROM --platform=${BUILDPLATFORM} golang:1.24 AS b\nFROM mcr.microsoft.com/devcontainers/universal:2\n", dev, `its header says "Dev container"`},
		{"do not use in production", "# syntax=docker/dockerfile:1\n# Local tooling image. DO NOT USE IN PRODUCTION.\n" + plain, dev, `its header says "DO NOT USE IN PRODUCTION"`},
		{"not for production", "# This image is not intended for production use\n" + plain, dev, ""},
		{"for development only", "# Builder image\n# For local development only: mounts the sources.\n" + plain, dev, ""},
		{"integration tests", "### Dockerfile for integration tests ###\n" + plain, test, `its header says "integration tests"`},
		{"for testing only", "# Helper.\n# For testing only.\n" + plain, test, ""},
		{"title says production", "# Production image. For local development use Dockerfile.dev\n" + plain, prod, ""},
		{"local development in a later line", "# Self-host image\n# See docs for local development\n" + plain, prod, ""},
		{"don't run as root in production", "# Don't run production as root\n" + plain, prod, ""},
		{"comment after the first instruction", "FROM node:22-slim\n# DO NOT USE IN PRODUCTION\nCMD [\"node\", \"s.js\"]\n", prod, ""},
		{"tail -f /dev/null", "FROM node:22\nWORKDIR /workspace\nCMD [\"tail\", \"-f\", \"/dev/null\"]\n", dev, "it runs `tail -f /dev/null` (an idle container)"},
		{"sleep infinity shell form", "FROM node:22\nCMD sleep infinity\n", dev, ""},
		{"sleep a minute", "FROM node:22\nCMD [\"sleep\", \"60\"]\n", test, "its command is `sleep 60`: it starts no app (a helper image a build copies files out of)"},
		{"sleep then the app", "FROM node:22\nCMD [\"/bin/sh\", \"-c\", \"node healthcheck.js & sleep 5 && pnpm run start-worker\"]\n", prod, ""},
		{"npm test", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"test\"]\n", test, "it runs `npm test`"},
		{"playwright", "FROM mcr.microsoft.com/playwright:v1.48.0\nCMD [\"npx\", \"playwright\", \"test\"]\n", test, ""},
		{"test script", "FROM node:22\nCMD [\"yarn\", \"test:browser\"]\n", test, `it runs the "test:browser" script`},
		{"cypress run", "FROM cypress/base:20\nENTRYPOINT [\"cypress\", \"run\"]\n", test, ""},
		// AP007 and DF010 report these: the command alone does not make a
		// Dockerfile a development one.
		{"nodemon", "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npx\", \"nodemon\", \"server.js\"]\n", prod, ""},
		{"npm run dev", "FROM node:22-alpine\nCOPY . .\nRUN yarn\nCMD yarn dev\n", prod, ""},
		{"NODE_ENV=development", "FROM node:22-slim\nENV NODE_ENV=development\nCMD [\"node\", \"s.js\"]\n", prod, ""},
		{"last stage dev", "FROM node:22-slim AS prod\nCMD [\"node\", \"s.js\"]\nFROM node:22 AS development\nCMD [\"npm\", \"run\", \"dev\"]\n", dev, `its final stage "development" is a development stage`},
		{"last stage prod", "FROM node:22 AS dev\nCMD [\"npm\", \"run\", \"dev\"]\nFROM node:22-slim AS prod\nCMD [\"node\", \"s.js\"]\n", prod, ""},
		// nango's packages/frontend/bin/Dockerfile serves test pages.
		{"python http.server", "FROM python:latest\nADD . /\nEXPOSE 7000\nCMD python -m http.server 7000", dev,
			"it runs `python -m http.server 7000`, Python's file server that its documentation says is not for production"},
		{"python3 -u -m http.server", "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"python3\", \"-u\", \"-m\", \"http.server\", \"--directory\", \"/srv\"]\n", dev, ""},
		// Near misses: a Python app, a Node static server.
		{"python app", "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"python\", \"-m\", \"gunicorn\", \"app:app\"]\n", prod, ""},
		{"python script named http.server", "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"python\", \"server.py\", \"-m\", \"http.server\"]\n", prod, ""},
		{"node static server", "FROM node:22-alpine\nCOPY dist /srv\nRUN npm i -g serve\nCMD [\"serve\", \"-s\", \"/srv\"]\n", prod, ""},
		// A start script the Dockerfile writes: a development setup when it
		// installs or runs `prisma migrate dev` before a development runner.
		{"heredoc start script: install, migrate dev, dev", "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nCOPY <<EOF /app/start.sh\npnpm install\npnpm prisma migrate dev\npnpm run dev\nEOF\nCMD [\"sh\", \"/app/start.sh\"]\n", dev,
			"its start script /app/start.sh runs `pnpm install`, then `pnpm run dev`: a development setup"},
		{"heredoc start script: migrate dev, nodemon", "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCOPY --chmod=755 <<EOF /usr/local/bin/start.sh\n#!/bin/sh\nnpx prisma migrate dev --skip-seed\nexec npx nodemon src/index.js\nEOF\nCMD [\"start.sh\"]\n", dev, ""},
		// Near misses: a production start, and a development runner alone
		// (AP007's to report).
		{"heredoc start script: migrate deploy, node", "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCOPY <<EOF /app/start.sh\nnpx prisma migrate deploy\nexec node server.js\nEOF\nCMD [\"sh\", \"/app/start.sh\"]\n", prod, ""},
		{"heredoc start script: install --prod, node", "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nCOPY <<EOF /app/start.sh\nnpm ci --omit=dev\nexec npm start\nEOF\nCMD [\"sh\", \"/app/start.sh\"]\n", prod, ""},
		{"heredoc start script: dev runner alone", "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCOPY <<EOF /app/start.sh\nnpx prisma migrate deploy\nexec npm run dev\nEOF\nCMD [\"sh\", \"/app/start.sh\"]\n", prod, ""},
	} {
		got := Dockerfile("Dockerfile", parse(t, tc.src))
		if got.Purpose != tc.want || tc.reason != "" && got.Reason != tc.reason {
			t.Errorf("%s: %v (%s), want %v (%s)", tc.name, got.Purpose, got.Reason, tc.want, tc.reason)
		}
	}
}

// TestDockerfileTarget: with --target (or a compose target) the target is
// a final stage too, so a production file checked at its dev target keeps
// its production stage: the file stays production, and the rules skip
// the dev stage (Deployed).
func TestDockerfileTarget(t *testing.T) {
	src := "FROM node:22 AS dev\nCMD [\"npm\", \"run\", \"dev\"]\nFROM node:22-slim AS prod\nCMD [\"node\", \"s.js\"]\n"
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{Target: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if got := Dockerfile("Dockerfile", f); got.Purpose != prod {
		t.Errorf("purpose %v (%s), want production", got.Purpose, got.Reason)
	}
	deployed := Deployed(f)
	if len(deployed) != 1 || deployed[0].Name != "prod" {
		t.Errorf("Deployed = %v, want the prod stage only", deployed)
	}
	if len(DeployedFinal(f)) != 1 || !DevStage(f.Stages[0]) || DevStage(f.Stages[1]) {
		t.Error("DevStage/DeployedFinal disagree")
	}
}

func loadCompose(t *testing.T, src string) *compose.Project {
	t.Helper()
	p, err := compose.LoadSources(compose.Source{Path: t.TempDir() + "/compose.yaml", Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompose: compose stacks of real repositories.
func TestCompose(t *testing.T) {
	datastores := "services:\n  db:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n"
	for _, tc := range []struct {
		rel, src string
		want     analysis.Purpose
		reason   string
	}{
		{"docker-compose.yml", datastores, prod, ""},
		{"docker-compose.dev.yml", datastores, dev, "named docker-compose.dev.yml"},
		{"docker/dev-compose.yml", datastores, dev, ""}, // trigger.dev
		{"docker-compose-dev.yml", datastores, dev, ""},
		{"docker-compose.dev-redis-cluster.yml", datastores, dev, ""}, // langfuse
		{"packages/api/docker-compose.local.yml", datastores, dev, ""},
		{"compose.test.yaml", datastores, test, ""},
		{".github/docker-compose.test.yml", datastores, test, "named docker-compose.test.yml"},
		{"docker-compose.e2e.yml", datastores, test, ""},
		{"docker-compose.relational.ci.yaml", datastores, test, ""},
		{"docker/testing/compose.yml", datastores, test, "in docker/testing/"}, // documenso
		{"test-migrations/docker-compose.yml", datastores, test, "in test-migrations/"},
		{"cypress/docker-compose.yml", datastores, test, "in cypress/"},
		{".devcontainer/docker-compose.yml", datastores, dev, ""},
		{"docker/production/compose.yml", datastores, prod, "in docker/production/"},
		{"docker-compose.deploy.yml", datastores, prod, "named docker-compose.deploy.yml"},
		{"examples/with-postgres/compose.yaml", datastores, ex, ""},
		{"docker/docker-compose.yml", "# Core local-dev stack: the minimum a contributor needs to boot the webapp.\nname: x\n" + datastores, dev, `its header says "local-dev"`},
		{"docker-compose.yml", "# To make it easier to self-host, we have a preset docker compose config\n# - just-backend: All services except webapp for local development\n" + datastores, prod, ""}, // hoppscotch
		// vendure: the first sentence runs over two lines.
		{"docker-compose.yml", "# This contains the services required to develop and test Vendure\n# locally. It includes multiple SQL databases (for testing specific\n# versions), Elasticsearch, Redis etc.\nname: vendure-monorepo\n" + datastores, dev, `its header says "develop and test Vendure locally"`},
		{"docker-compose.yml", "# Services for local development\n" + datastores, dev, ""},
		{"docker-compose.yml", "# Development services\n" + datastores, dev, ""},
		{"docker-compose.yml", "# Dev stack: Postgres and Redis\n" + datastores, dev, ""},
		{"docker-compose.yml", "# used to develop locally\n" + datastores, dev, ""},
		// Near misses: deploying, a production stack, "developed" in
		// another sense, a development word past the first sentence.
		{"docker-compose.yml", "# How to deploy: run this stack on the server.\n# To develop locally use compose.dev.yaml.\n" + datastores, prod, ""},
		{"docker-compose.yml", "# Production stack; to develop and test locally, use docker-compose.dev.yml\n" + datastores, prod, ""},
		{"docker-compose.yml", "# Acme, developed by Acme Inc. and run locally by thousands\n" + datastores, prod, ""},
		{"docker-compose.yml", "# Acme\n#\n# See CONTRIBUTING.md to develop Acme locally\n" + datastores, prod, ""},
		{"docker-compose.yml", "# Copyright Acme\n# Licensed under the MIT licence\n# All rights reserved\n# Services for local development are in dev/\n" + datastores, prod, ""},
		{"docker-compose.yml", "services:\n  app:\n    build: .\n    command: npm run dev\n    volumes: [\".:/app\"]\n", dev, `its service "app" runs the "dev" script`},
		{"docker-compose.yml", "services:\n  result:\n    build: ./result\n    entrypoint: nodemon --inspect=0.0.0.0 server.js\n", dev, `its service "result" runs nodemon`},
		{"docker-compose.yml", "services:\n  app:\n    image: node:22\n    command: sh -c \"npm install && npx next dev\"\n", dev, ""},
		{"docker-compose.yml", "services:\n  app:\n    image: node:22\n    command: sleep infinity\n", dev, `its service "app" runs ` + "`sleep infinity`" + ` (an idle container)`},
		// dittofeed's self-hosting file: the idle admin CLI is optional,
		// behind a profile.
		{"docker-compose.lite.yaml", "services:\n  lite:\n    image: dittofeed/dittofeed-lite:v0.20.0\n    restart: always\n  admin-cli:\n    image: dittofeed/dittofeed-admin-cli:v0.20.0\n    command: tail -f /dev/null\n    profiles: [\"admin-cli\"]\n", prod, ""},
		{"docker-compose.yml", "services:\n  api:\n    build:\n      context: .\n      target: development\n", dev, `its service "api" builds the "development" target`},
		{"docker-compose.yml", "services:\n  web:\n    build: .\n  cypress:\n    image: cypress/included:14.0.3\n", test, `its service "cypress" runs tests`},
		{"docker-compose.yml", "services:\n  sut:\n    build: tests\n", test, ""},
		{"docker-compose.yml", "services:\n  maildev:\n    image: maildev/maildev:2.0.5\n", dev, ""},
		{"docker-compose.yml", "services:\n  api:\n    build: .\n    volumes: [\".:/usr/src/app\", \"/usr/src/app/node_modules\"]\n", dev, `its service "api" bind-mounts the source tree (.)`},
		{"docker-compose.yml", "services:\n  api:\n    build: .\n    volumes:\n      - type: bind\n        source: ./src\n        target: /app/src\n", dev, ""},
		{"docker-compose.yml", "services:\n  api:\n    build: .\n    volumes: [\"./uploads:/app/uploads\", \"./config.json:/app/config.json:ro\"]\n", prod, ""},
		{"docker-compose.yml", "services:\n  app:\n    image: app:1\n    command: [\"node\", \"dist/server.js\"]\n", prod, ""},
		{"docker-compose.yml", "services:\n  app:\n    image: app:1\n    command: npm start\n", prod, ""},
		// payload's templates: a development stack in an example folder.
		{"templates/website/docker-compose.yml", "services:\n  payload:\n    image: node:18-alpine\n    command: sh -c \"yarn install && yarn dev\"\n", dev, `its service "payload" runs the "dev" script`},
		{"examples/cluster-nginx/docker-compose.yml", "services:\n  server:\n    build: ./server\n", ex, "in examples/"},
	} {
		got := Compose(tc.rel, loadCompose(t, tc.src))
		if got.Purpose != tc.want || tc.reason != "" && got.Reason != tc.reason {
			t.Errorf("%s %q: %v (%s), want %v (%s)", tc.rel, firstLine(tc.src), got.Purpose, got.Reason, tc.want, tc.reason)
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// FuzzDockerfile: any path and content classify without a panic.
func FuzzDockerfile(f *testing.F) {
	f.Add("dev/Dockerfile", "# DO NOT USE IN PRODUCTION\nFROM node:22 AS dev\nCMD tail -f /dev/null\n")
	f.Add("../a/.github/x/Dockerfile", "FROM a\nCMD [\"sh\", \"-c\", \"\"]\n")
	f.Add("", "#\n#\n")
	f.Fuzz(func(t *testing.T, rel, src string) {
		if file, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{}); err == nil {
			Dockerfile(rel, file)
		}
		Name(rel)
		Folders(rel)
		header(strings.Split(src, "\n"), dockerfileDirective)
	})
}

// TestProductionFolderYieldsToContent: a production folder does not make
// an image that runs no app a service.
func TestProductionFolderYieldsToContent(t *testing.T) {
	for _, tc := range []struct {
		rel, src string
		want     analysis.Purpose
	}{
		{"deployments/prebuilt-debian/Dockerfile", "FROM node:24-trixie\nWORKDIR /app\nCOPY package.json .\nRUN pnpm install --frozen-lockfile\nCMD [\"sleep\", \"60s\"]\n", analysis.Test}, // homarr
		{"deploy/Dockerfile", "FROM node:22-slim\nCMD [\"node\", \"server.js\"]\n", analysis.Production},
	} {
		if got := Dockerfile(tc.rel, parse(t, tc.src)); got.Purpose != tc.want {
			t.Errorf("%s: %v (%s), want %v", tc.rel, got.Purpose, got.Reason, tc.want)
		}
	}
}

// TestDockerfileStartScriptInContext: the start script the command runs is
// read from the build context (inbox-zero's docker/Dockerfile.web runs
// apps/web/entrypoint.sh: `pnpm -w install`, `pnpm prisma migrate dev`,
// `pnpm run dev`).
func TestDockerfileStartScriptInContext(t *testing.T) {
	const df = "FROM node:24-alpine\nWORKDIR /app\nRUN npm install -g pnpm@11.0.9\nCOPY . .\nWORKDIR /app/apps/web\nCMD [\"/bin/sh\", \"/app/apps/web/entrypoint.sh\"]\n"
	for _, tc := range []struct {
		name, script string
		want         analysis.Purpose
		reason       string
	}{
		{"install, migrate dev, dev", "#!/bin/bash\n\npnpm -w install --filter '!@inboxzero/desktop'\npnpm prisma migrate dev\npnpm run dev\n", dev,
			"its start script apps/web/entrypoint.sh runs `pnpm -w install --filter !@inboxzero/desktop`, then `pnpm run dev`: a development setup"},
		{"migrate dev, dev", "#!/bin/sh\nset -e\npnpm prisma migrate dev\nexec pnpm dev\n", dev,
			"its start script apps/web/entrypoint.sh runs `pnpm prisma migrate dev`, then `pnpm dev`: a development setup"},
		// Near misses: migrations then the built server; a development
		// runner alone.
		{"migrate deploy, node", "#!/bin/sh\nset -e\npnpm prisma migrate deploy\nexec node server.js\n", prod, ""},
		{"install, start", "#!/bin/sh\npnpm install\nexec pnpm start\n", prod, ""},
		{"dev alone", "#!/bin/sh\nexec pnpm run dev\n", prod, ""},
	} {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "apps", "web"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "apps", "web", "entrypoint.sh"), []byte(tc.script), 0o644); err != nil {
			t.Fatal(err)
		}
		f := parse(t, df)
		f.Context = buildcontext.New(dir, nil)
		got := Dockerfile("docker/Dockerfile.web", f)
		if got.Purpose != tc.want || got.Reason != tc.reason {
			t.Errorf("%s: %v (%s), want %v (%s)", tc.name, got.Purpose, got.Reason, tc.want, tc.reason)
		}
	}
	// Without its context the script cannot be read: production.
	if got := Dockerfile("docker/Dockerfile.web", parse(t, df)); got.Purpose != prod {
		t.Errorf("no context: %v (%s), want production", got.Purpose, got.Reason)
	}
}
