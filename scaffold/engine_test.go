package scaffold_test

// The engine proof: a JavaScript, a TypeScript, a pnpm and a workspace
// member sample, their files written by init, built unchanged in a real
// Docker engine and run through verify, which must report no error and no
// warning.
//
// Building offline needs two things the generated Dockerfile does not
// say, given to the test engine instead:
//   - network for `apt-get install tini` and `npm ci`: the image is built
//     with the docker CLI's classic builder and `--network host` (the
//     engine package's builder has no network);
//   - trust in the certificate the npm registry is served with here: the
//     test engine's node:22-bookworm-slim stand-in gets the host's CA
//     bundle and NODE_EXTRA_CA_CERTS in one extra layer (as a company's
//     base image with its own CA would), under the same tag.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
	"github.com/seaworthy-dev/seaworthy/rules"
	"github.com/seaworthy-dev/seaworthy/verify"
	"github.com/seaworthy-dev/seaworthy/verify/present"
)

func TestMain(m *testing.M) {
	code := m.Run()
	enginetest.Stop()
	os.Exit(code)
}

// hostCABundle is the CA bundle the host trusts.
func hostCABundle() string {
	for _, p := range []string{os.Getenv("NODE_EXTRA_CA_CERTS"), os.Getenv("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt"} {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

var trustOnce sync.Once

// trustHostCA adds the host's CA bundle to the test engine's
// node:22-bookworm-slim.
func trustHostCA(t *testing.T, env *enginetest.Env) {
	t.Helper()
	env.Base(t, enginetest.Node22Slim)
	trustOnce.Do(func() {
		ca := hostCABundle()
		if ca == "" {
			return
		}
		dir := t.TempDir()
		data, err := os.ReadFile(ca)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "host-ca.crt"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		df := "FROM " + enginetest.Node22Slim + "\n" +
			"COPY host-ca.crt /usr/local/share/host-ca.crt\n" +
			"ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca.crt\n"
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
			t.Fatal(err)
		}
		env.Build(t, dir, enginetest.Node22Slim)
	})
}

// dockerBuild builds the Dockerfile in dir/member with dir as the
// context, with the docker CLI's classic builder on the host network.
func dockerBuild(t *testing.T, env *enginetest.Env, dir, member, tag string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", "build", "--network", "host", "-f", filepath.Join(dir, member, "Dockerfile"), "-t", tag, dir)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+env.Host, "DOCKER_BUILDKIT=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("docker build %s: %v\n%s", dir, err, out)
	}
}

func TestGeneratedImagesPassVerify(t *testing.T) {
	env := enginetest.Shared(t)
	trustHostCA(t, env)
	samples := []struct {
		name, member string
		// absent is a package another workspace member depends on: the
		// member's image must not hold it.
		absent string
	}{
		{"js-app", ".", ""}, {"ts-app", ".", ""}, {"pnpm-app", ".", ""},
		// A workspace member: the context is the workspace root.
		{"ws-app", "apps/api", "is-number"},
	}
	for _, sample := range samples {
		name, member, absent := sample.name, sample.member, sample.absent
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "engine", name))); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(dir, member)
			res := generate(t, target)
			for _, f := range res.Files {
				if err := os.WriteFile(filepath.Join(target, f.Name), f.Content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if !strings.HasPrefix(string(res.Files[0].Content), "# Written by `seaworthy init`") || res.Image != enginetest.Node22Slim {
				t.Fatalf("unexpected Dockerfile for %s (base %s)", name, res.Image)
			}
			checkClean(t, target)
			tag := "seaworthy-test/init-" + name + ":latest"
			t0 := time.Now()
			dockerBuild(t, env, dir, member, tag)
			t.Logf("%s: built in %s", name, time.Since(t0).Round(time.Second))
			if absent != "" {
				assertNoModule(t, env, tag, absent)
			}
			t0 = time.Now()
			rep, err := verify.Run(context.Background(), env.Engine, verify.Options{
				Image:        tag,
				SlowPath:     "/slow",
				Grace:        8 * time.Second,
				StartTimeout: 20 * time.Second,
				ProberBinary: env.Binary(t),
			})
			if err != nil {
				t.Fatalf("verify %s: %v", tag, err)
			}
			t.Logf("%s: verified in %s", name, time.Since(t0).Round(time.Second))
			findings := verify.Findings(rep, rules.Registry())
			for _, f := range findings {
				if f.Severity >= analysis.Warning {
					t.Errorf("verify %s: %s %s %s", tag, f.Severity, f.Rule.ID, f.Message)
				}
			}
			for _, st := range present.Steps(rep, findings) {
				t.Logf("  step %-18s %-4s %s", st.Name, st.Status, st.Detail)
				if st.Status == "skip" {
					t.Errorf("verify %s: step %s skipped: %s", tag, st.Name, st.Detail)
				}
			}
		})
	}
}

// assertNoModule fails when node in the image resolves module from its
// working directory.
func assertNoModule(t *testing.T, env *enginetest.Env, tag, module string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", "run", "--rm", "--entrypoint", "node", tag, "-e", "require.resolve(process.argv[1])", module)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+env.Host)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("%s: the image resolves %s, a dependency of another workspace member", tag, module)
	} else if !strings.Contains(string(out), "Cannot find module") {
		t.Errorf("%s: running node to resolve %s: %v\n%s", tag, module, err, out)
	}
}
