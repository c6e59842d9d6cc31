package verify_test

// The test engine: a private dockerd (Debian's docker.io) on its own
// socket and data root, a Node base image imported from a cached rootfs
// tarball (scripts/engine-setup.sh builds it with debootstrap), and the
// sample apps of testdata/apps built on it with the classic builder. No
// registry is needed.
//
// Environment:
//   SEAWORTHY_SKIP_ENGINE_TESTS=1  skip every test that needs an engine
//   SEAWORTHY_TEST_DOCKER_HOST     use this engine instead of starting one
//   SEAWORTHY_CACHE                where the base image tarball is cached

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/verify"
)

const baseImage = "seaworthy-test/node:18-bookworm"

type testEnv struct {
	host   string
	eng    *engine.Docker
	dir    string // scratch directory (socket, data root, binary)
	bin    string // static seaworthy binary (prober, subprocess tests)
	daemon *exec.Cmd

	setup time.Duration // time to bring the engine and images up

	mu     sync.Mutex
	images map[string]error // sample -> build error
}

var (
	envOnce sync.Once
	env     *testEnv
	envErr  error
)

func skipEngine(t *testing.T) {
	t.Helper()
	if os.Getenv("SEAWORTHY_SKIP_ENGINE_TESTS") == "1" {
		t.Skip("SEAWORTHY_SKIP_ENGINE_TESTS=1: engine tests skipped")
	}
}

// engineEnv brings the test engine up once for the whole test binary.
func engineEnv(t *testing.T) *testEnv {
	t.Helper()
	skipEngine(t)
	envOnce.Do(func() { env, envErr = newTestEnv() })
	if envErr != nil {
		t.Fatalf("engine tests need a Docker engine (set SEAWORTHY_SKIP_ENGINE_TESTS=1 to skip them): %v", envErr)
	}
	return env
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test directory")
		}
		dir = parent
	}
}

func newTestEnv() (*testEnv, error) {
	t0 := time.Now()
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	// Short path: dockerd's and containerd's sockets live under it.
	dir, err := os.MkdirTemp("", "swv-")
	if err != nil {
		return nil, err
	}
	e := &testEnv{dir: dir, images: map[string]error{}}

	// The static binary builds while the engine comes up.
	binDone := make(chan error, 1)
	go func() { binDone <- e.buildBinary(root) }()

	tarball := ""
	e.host = os.Getenv("SEAWORTHY_TEST_DOCKER_HOST")
	if e.host == "" {
		out, err := exec.Command("bash", filepath.Join(root, "scripts", "engine-setup.sh"), "all").CombinedOutput()
		if err != nil {
			return e, fmt.Errorf("scripts/engine-setup.sh: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		tarball = lines[len(lines)-1]
		if err := e.startDaemon(); err != nil {
			return e, err
		}
	}
	if e.eng, err = engine.NewDockerHost(e.host); err != nil {
		return e, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := waitPing(ctx, e.eng); err != nil {
		return e, fmt.Errorf("%v; dockerd log:\n%s", err, e.daemonLog())
	}
	if _, err := e.eng.Image(ctx, baseImage); err != nil {
		if tarball == "" {
			out, err := exec.Command("bash", filepath.Join(root, "scripts", "engine-setup.sh"), "base").CombinedOutput()
			if err != nil {
				return e, fmt.Errorf("scripts/engine-setup.sh base: %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			tarball = lines[len(lines)-1]
		}
		f, err := os.Open(tarball)
		if err != nil {
			return e, err
		}
		_, err = e.eng.ImportImage(ctx, f, baseImage, []string{
			"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			`CMD ["node"]`,
		})
		f.Close()
		if err != nil {
			return e, fmt.Errorf("importing the base image: %w", err)
		}
	}
	if err := e.buildSamples(ctx, filepath.Join(root, "verify", "testdata", "apps")); err != nil {
		return e, err
	}
	if err := <-binDone; err != nil {
		return e, err
	}
	e.setup = time.Since(t0)
	return e, nil
}

func waitPing(ctx context.Context, eng *engine.Docker) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := eng.Ping(ctx)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the test dockerd did not answer within 60 s: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startDaemon starts dockerd the way the issue prescribes: private socket,
// data root and exec root, no iptables, no default bridge. Containers use
// user-defined networks, which verify creates itself.
func (e *testEnv) startDaemon() error {
	if os.Geteuid() != 0 {
		return errors.New("starting the test dockerd needs root; or give an engine with SEAWORTHY_TEST_DOCKER_HOST")
	}
	sock := filepath.Join(e.dir, "docker.sock")
	ns := fmt.Sprintf("seaworthy-test-%d", os.Getpid())
	cmd := exec.Command("dockerd",
		"--host", "unix://"+sock,
		"--data-root", filepath.Join(e.dir, "data"),
		"--exec-root", filepath.Join(e.dir, "exec"),
		"--pidfile", filepath.Join(e.dir, "docker.pid"),
		"--iptables=false", "--ip-masq=false", "--bridge=none",
		"--containerd-namespace", ns, "--containerd-plugins-namespace", ns+"-plugins",
	)
	logf, err := os.Create(filepath.Join(e.dir, "dockerd.log"))
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	// dockerd goes when the test binary does, even if it is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting dockerd: %w", err)
	}
	e.daemon = cmd
	e.host = "unix://" + sock
	return nil
}

func (e *testEnv) daemonLog() string {
	b, _ := os.ReadFile(filepath.Join(e.dir, "dockerd.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// stop stops the test dockerd by its pid and removes the scratch directory.
func (e *testEnv) stop() {
	if e == nil {
		return
	}
	if e.eng != nil {
		e.eng.Close()
	}
	if e.daemon != nil && e.daemon.Process != nil {
		e.daemon.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { e.daemon.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			e.daemon.Process.Kill()
			<-done
		}
	}
	// The data root may hold mounts if dockerd died hard; unmount what is
	// left before removing it.
	if out, err := exec.Command("sh", "-c", "grep -o ' "+e.dir+"[^ ]*' /proc/self/mounts | sort -r").Output(); err == nil {
		for _, m := range strings.Fields(string(out)) {
			syscall.Unmount(m, syscall.MNT_DETACH)
		}
	}
	os.RemoveAll(e.dir)
}

// buildBinary builds the static seaworthy binary used as the prober and
// for the subprocess tests (Ctrl-C, engine gone).
func (e *testEnv) buildBinary(root string) error {
	e.bin = filepath.Join(e.dir, "seaworthy")
	cmd := exec.Command("go", "build", "-o", e.bin, "./cmd/seaworthy")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the static seaworthy binary: %v\n%s", err, out)
	}
	return nil
}

// buildSamples builds every app under dir as seaworthy-test/<name>, four
// at a time.
func (e *testEnv) buildSamples(ctx context.Context, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, de := range entries {
		if !de.IsDir() {
			continue
		}
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var log bytes.Buffer
			_, err := e.eng.Build(ctx, engine.BuildSpec{Dir: filepath.Join(dir, name), Tag: sampleRef(name)}, &log)
			if err != nil {
				err = fmt.Errorf("building sample %s: %v\n%s", name, err, log.String())
			}
			e.mu.Lock()
			e.images[name] = err
			e.mu.Unlock()
		}(de.Name())
	}
	wg.Wait()
	return nil
}

func sampleRef(name string) string { return "seaworthy-test/" + name + ":latest" }

// sample returns the image reference of a built sample app.
func (e *testEnv) sample(t *testing.T, name string) string {
	t.Helper()
	e.mu.Lock()
	err, ok := e.images[name]
	e.mu.Unlock()
	if !ok {
		t.Fatalf("no sample app %q under testdata/apps", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return sampleRef(name)
}

// owned lists the resources carrying verify's run label.
func (e *testEnv) owned(t *testing.T) []engine.Resource {
	t.Helper()
	res, err := e.eng.Owned(context.Background(), verify.LabelRun)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMain(m *testing.M) {
	code := m.Run()
	if env != nil && env.eng != nil {
		// Every run must have removed what it created.
		if res, err := env.eng.Owned(context.Background(), verify.LabelRun); err == nil && len(res) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: verify left %d labelled resources behind:\n", len(res))
			for _, r := range res {
				fmt.Fprintf(os.Stderr, "  %s %s %s\n", r.Kind, r.Name, r.Labels[verify.LabelOwner])
			}
			code = 1
		}
	}
	if env != nil && env.setup > 0 {
		fmt.Fprintf(os.Stderr, "engine setup (dockerd, base image, %d sample builds, static binary): %s\n", len(env.images), env.setup.Round(time.Millisecond))
	}
	env.stop()
	os.Exit(code)
}
