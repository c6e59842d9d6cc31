package audit_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/audit"
	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
	"github.com/seaworthy-dev/seaworthy/rules"
	"github.com/seaworthy-dev/seaworthy/source/image"
)

func TestMain(m *testing.M) {
	code := m.Run()
	enginetest.Stop()
	os.Exit(code)
}

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func imageRules() []*analysis.Rule {
	return rules.Registry().ForInput((*imagefs.Image)(nil).InputKind())
}

// build builds testdata/NAME on the test engine with the classic builder,
// or with BuildKit through the docker CLI's buildx plugin
// (scripts/integrations-setup.sh installs it: `go install
// github.com/docker/buildx/cmd/buildx@v0.19.3` as
// ~/.docker/cli-plugins/docker-buildx; the test fails without it).
func build(t *testing.T, env *enginetest.Env, builder, name string) string {
	t.Helper()
	env.Base(t, enginetest.Node22Slim)
	tag := "seaworthy-audit-test/" + name + "-" + builder + ":1"
	label := "org.opencontainers.image.source=https://example.com/acme/" + name
	if builder == "buildkit" {
		if err := exec.Command("docker", "buildx", "version").Run(); err != nil {
			t.Fatalf("no docker CLI with the buildx plugin (scripts/integrations-setup.sh installs it; SEAWORTHY_SKIP_ENGINE_TESTS=1 skips engine tests): %v", err)
		}
		cmd := exec.Command("docker", "buildx", "build", "--network", "none", "--label", label, "--load", "-t", tag, filepath.Join("testdata", name))
		cmd.Env = append(os.Environ(), "DOCKER_HOST="+env.Host, "BUILDX_NO_DEFAULT_ATTESTATIONS=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("docker buildx build %s: %v\n%s", name, err, out)
		}
		return tag
	}
	var log strings.Builder
	k, v, _ := strings.Cut(label, "=")
	_, err := env.Engine.Build(context.Background(), engine.BuildSpec{
		Dir: filepath.Join("testdata", name), Tag: tag, Labels: map[string]string{k: v},
	}, &log)
	if err != nil {
		t.Fatalf("building %s: %v\n%s", name, err, log.String())
	}
	return tag
}

// TestBuiltImages builds the bad and the good sample in a real engine,
// with the classic builder and with BuildKit, audits each as `docker save`
// writes it and straight from the engine, and checks what is found.
func TestBuiltImages(t *testing.T) {
	env := enginetest.Shared(t)
	for _, builder := range []string{"classic", "buildkit"} {
		t.Run(builder, func(t *testing.T) { testBuiltImages(t, env, builder) })
	}
}

func testBuiltImages(t *testing.T, env *enginetest.Env, builder string) {
	for _, c := range []struct {
		name string
		want map[string]string // rule ID -> a message it must have
	}{
		{"bad", map[string]string{
			"IM001": `its config sets no User`,
			"IM002": `no HEALTHCHECK`,
			"IM003": "Env API_KEY holds a Stripe live key \\(`API_KEY=sk_l\\*\\*\\*\\*`\\)",
			"IM004": "build argument `NPM_TOKEN=npm_\\*\\*\\*\\*` \\(an npm token\\) is in history entry \\d+ \\(`ARG NPM_TOKEN=npm_\\*\\*\\*\\*`\\) and 3 later entries",
			"IM005": "/app/.env is an env file with a Stripe live key .*added by layer \\d+ \\(`COPY (dir:[0-9a-f]+.*|\\. \\.)`, testdata/bad/Dockerfile:7\\)",
			"IM006": "/app/.npmrc, an .npmrc with an auth token \\(`_authToken=npm_\\*\\*\\*\\*`\\), was added by layer \\d+ \\(`RUN printf .*Dockerfile:8\\) and deleted by layer \\d+ \\(`RUN rm -f .npmrc id_rsa`, .*Dockerfile:9\\)",
			"IM007": `/app/node_modules holds 2 packages that .*package.json lists only as devDependencies: jest and typescript`,
			"IM009": "12\\.\\d MB of lower layers .* the most by layer \\d+ \\(`RUN chmod -R g\\+w node_modules`",
			"IM010": "the command `/bin/sh -c npm start` runs in a shell",
			"IM013": `NODE_ENV=development`,
			"IM015": `setuid/setgid files`,
			"IM016": `org.opencontainers.image.revision`,
		}},
		// The test base has no tini (IM011); its Debian files are setuid (IM015).
		{"good", map[string]string{
			"IM011": "PID 1 is `node server.js` with no init",
			"IM015": `setuid/setgid files`,
			"IM016": `org.opencontainers.image.revision`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tag := build(t, env, builder, c.name)
			ctx := context.Background()
			// From the engine (docker-daemon:), then from the tar docker save wrote.
			src, err := env.Engine.SaveImage(ctx, tag, "docker-daemon:"+tag)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			// SEAWORTHY_AUDIT_KEEP=DIR keeps the saved tars (the README's
			// sample output is an audit of the bad one).
			dir := os.Getenv("SEAWORTHY_AUDIT_KEEP")
			if dir == "" {
				dir = t.TempDir()
			}
			saved := filepath.Join(dir, c.name+"-"+builder+".tar")
			copySaved(t, env, tag, saved)
			fromTar, err := image.Open(ctx, saved)
			if err != nil {
				t.Fatal(err)
			}
			defer fromTar.Close()
			for _, img := range []*image.Image{src, fromTar} {
				res, err := audit.Run(ctx, img, imageRules(), audit.Options{Project: filepath.Join("testdata", c.name), Today: today})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string][]string{}
				var ids []string
				for _, f := range res.Findings {
					if got[f.Rule.ID] == nil {
						ids = append(ids, f.Rule.ID)
					}
					got[f.Rule.ID] = append(got[f.Rule.ID], f.Message)
					if strings.Contains(f.Message, "a1b2c3d4") || strings.Contains(f.Message, "Pr0dPassw0rd") || strings.Contains(f.Message, "51Habc") {
						t.Errorf("%s: a secret in clear: %s", f.Rule.ID, f.Message)
					}
				}
				sort.Strings(ids)
				for id, pattern := range c.want {
					ok := false
					for _, m := range got[id] {
						ok = ok || regexp.MustCompile(pattern).MatchString(m)
					}
					if !ok {
						t.Errorf("%s: no %s finding matching %q; got %q", img.Ref, id, pattern, got[id])
					}
				}
				for _, id := range ids {
					if _, ok := c.want[id]; !ok {
						t.Errorf("%s: unexpected %s: %q", img.Ref, id, got[id])
					}
				}
				if res.Traced == 0 {
					t.Errorf("%s: no layer traced to the Dockerfile", img.Ref)
				}
			}
		})
	}
}

// copySaved writes `docker save` of tag to path through the engine.
func copySaved(t *testing.T, env *enginetest.Env, tag, path string) {
	t.Helper()
	rc, err := env.Engine.Client().ImageSave(context.Background(), []string{tag})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
}
