package pin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/internal/registrytest"
	"github.com/seaworthy-dev/seaworthy/pin"
)

func TestDigestFromMirror(t *testing.T) {
	host, want := registrytest.Start(t, "library/node:22-bookworm-slim", "nginxinc/nginx-unprivileged:1.28-alpine", "oven/bun:1-slim")
	r := pin.Resolver{Registry: host}
	for image, repo := range map[string]string{
		"node:22-bookworm-slim":                   "library/node:22-bookworm-slim",
		"nginxinc/nginx-unprivileged:1.28-alpine": "nginxinc/nginx-unprivileged:1.28-alpine",
		"docker.io/oven/bun:1-slim":               "oven/bun:1-slim",
	} {
		got, err := r.Digest(context.Background(), image)
		if err != nil {
			t.Fatalf("%s: %v", image, err)
		}
		if got != want[repo] {
			t.Errorf("%s: digest %s, want %s", image, got, want[repo])
		}
	}
	if _, err := r.Digest(context.Background(), "node:18-missing"); err == nil || !strings.Contains(err.Error(), "library/node:18-missing") {
		t.Errorf("a tag the registry lacks: error %v, want one naming the reference", err)
	}
}

func TestDigestNoRegistry(t *testing.T) {
	// Nothing listens on port 1.
	_, err := pin.Resolver{Registry: "127.0.0.1:1"}.Digest(context.Background(), "node:22-bookworm-slim")
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1/library/node:22-bookworm-slim") {
		t.Errorf("error %v, want one naming the unreachable reference", err)
	}
	if _, err := (pin.Resolver{}).Digest(context.Background(), "node@sha256:"+strings.Repeat("a", 64)); err == nil {
		t.Error("a reference pinned already: no error")
	}
}

const dockerfile = `# syntax=docker/dockerfile:1
FROM node:22-bookworm-slim AS build
RUN npm ci

FROM --platform=linux/amd64 nginxinc/nginx-unprivileged:1.28-alpine AS runtime
COPY --from=build /app/dist /usr/share/nginx/html
FROM build AS test
FROM scratch
`

func TestFromImages(t *testing.T) {
	got := strings.Join(pin.FromImages([]byte(dockerfile)), " ")
	if want := "node:22-bookworm-slim nginxinc/nginx-unprivileged:1.28-alpine"; got != want {
		t.Errorf("FromImages = %q, want %q", got, want)
	}
}

func TestDockerfile(t *testing.T) {
	got := string(pin.Dockerfile([]byte(dockerfile), map[string]string{"node:22-bookworm-slim": "sha256:abc"}))
	want := strings.Replace(dockerfile, "FROM node:22-bookworm-slim AS build", "FROM node:22-bookworm-slim@sha256:abc AS build", 1)
	if got != want {
		t.Errorf("Dockerfile:\n%s\nwant:\n%s", got, want)
	}
}

// TestDockerfileKeepsLayout: a FROM split over lines, CRLF line endings
// and extra spaces are kept; only `@digest` is added.
func TestDockerfileKeepsLayout(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\r\nFROM  --platform=$BUILDPLATFORM \\\r\n    node:22-bookworm-slim   AS build\r\nRUN echo node:22-bookworm-slim\r\nFROM build\r\n"
	if got := strings.Join(pin.FromImages([]byte(src)), " "); got != "node:22-bookworm-slim" {
		t.Errorf("FromImages = %q", got)
	}
	got := string(pin.Dockerfile([]byte(src), map[string]string{"node:22-bookworm-slim": "sha256:abc"}))
	want := strings.Replace(src, "    node:22-bookworm-slim   AS", "    node:22-bookworm-slim@sha256:abc   AS", 1)
	if got != want {
		t.Errorf("Dockerfile:\n%q\nwant:\n%q", got, want)
	}
}
