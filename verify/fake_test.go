package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
)

// fakeApp scripts how a fake container behaves.
type fakeApp struct {
	startDelay time.Duration
	crash      int  // exit code at start (0: no crash)
	noStart    bool // the engine refuses to start it
	loopback   bool
	uid        int
	onTerm     string // "drain" (default), "now", "ignore", "exit1", "late-close"
	onInt      string // "drain" (default), "ignore"
	zombies    bool
	roFails    bool
	writes     []engine.Change
	noShell    bool
}

// fake is an Engine whose containers are in-process HTTP servers, each on
// its own loopback address (127.0.0.x) and the same port.
type fake struct {
	t    *testing.T
	app  fakeApp
	port int

	mu       sync.Mutex
	nextIP   int
	ctrs     map[string]*fakeCtr
	networks map[string]bool
	images   map[string]bool
	calls    int
	dieAfter int // > 0: calls after this many return ErrUnreachable
	created  []string
}

type fakeCtr struct {
	id, ip   string
	spec     engine.ContainerSpec
	srv      *http.Server
	ln       net.Listener
	exit     chan engine.Exit
	exitOnce sync.Once
	draining atomic.Bool
	running  atomic.Bool
	mu       sync.Mutex // guards srv, ln, logs
	logs     strings.Builder
}

func newFake(t *testing.T, app fakeApp) *fake {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return &fake{t: t, app: app, port: port, nextIP: 10, ctrs: map[string]*fakeCtr{}, networks: map[string]bool{}, images: map[string]bool{}}
}

func (f *fake) call() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.dieAfter > 0 && f.calls > f.dieAfter {
		return fmt.Errorf("fake call: %w at fake:// (EOF)", engine.ErrUnreachable)
	}
	return nil
}

func (f *fake) Host() string { return "fake://engine" }

func (f *fake) Ping(context.Context) (engine.Info, error) {
	if err := f.call(); err != nil {
		return engine.Info{}, err
	}
	return engine.Info{Host: f.Host(), ServerVersion: "fake", APIVersion: "1.41", OS: "linux", Arch: "x86_64"}, nil
}

func (f *fake) Image(_ context.Context, ref string) (*engine.Image, error) {
	if err := f.call(); err != nil {
		return nil, err
	}
	if ref == "missing" {
		return nil, fmt.Errorf("image %q: %w", ref, engine.ErrNotFound)
	}
	img := &engine.Image{ID: "sha256:fake", Cmd: []string{"node", "server.js"}, ExposedPorts: []string{strconv.Itoa(f.port) + "/tcp"}, Volumes: []string{"/data"}, OS: "linux"}
	if ref == "nocmd" {
		img.Cmd = nil
	}
	return img, nil
}

func (f *fake) CreateNetwork(_ context.Context, s engine.NetworkSpec) (string, error) {
	if err := f.call(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.networks[s.Name] = true
	f.created = append(f.created, "network "+s.Name)
	return s.Name, nil
}

func (f *fake) RemoveNetwork(_ context.Context, id string) error {
	if err := f.call(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.networks, id)
	return nil
}

func (f *fake) CreateContainer(_ context.Context, s engine.ContainerSpec) (string, error) {
	if err := f.call(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextIP++
	id := fmt.Sprintf("c%d", f.nextIP)
	f.ctrs[id] = &fakeCtr{id: id, ip: fmt.Sprintf("127.0.0.%d", f.nextIP), spec: s, exit: make(chan engine.Exit, 1)}
	f.created = append(f.created, "container "+id)
	return id, nil
}

func (f *fake) get(id string) *fakeCtr {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ctrs[id]
}

func (f *fake) WaitExit(_ context.Context, id string) <-chan engine.Exit {
	return f.get(id).exit
}

func (c *fakeCtr) log(s string) {
	c.mu.Lock()
	c.logs.WriteString(s)
	c.mu.Unlock()
}

func (c *fakeCtr) stop(code int) {
	c.exitOnce.Do(func() {
		c.running.Store(false)
		c.mu.Lock()
		if c.srv != nil {
			c.srv.Close()
		}
		c.mu.Unlock()
		c.exit <- engine.Exit{Code: code, At: time.Now()}
	})
}

func (f *fake) StartContainer(_ context.Context, id string) error {
	if err := f.call(); err != nil {
		return err
	}
	c := f.get(id)
	app := f.app
	if app.noStart {
		return errors.New(`starting container: OCI runtime create failed: exec: "nodejs-server": executable file not found in $PATH: unknown`)
	}
	c.running.Store(true)
	go func() {
		time.Sleep(app.startDelay)
		if app.crash != 0 {
			c.log("Error: DATABASE_URL is not set\nNode.js v18.20.4\n")
			c.stop(app.crash)
			return
		}
		if c.spec.ReadOnlyRootfs && app.roFails {
			c.log("Error: EROFS: read-only file system, open '/app/state.json'\n")
			c.stop(1)
			return
		}
		host := c.ip
		if app.loopback {
			host = "127.0.0.1" // not the container's address
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(f.port)))
		if err != nil {
			if app.loopback {
				return // another fake container holds it: still unreachable at c.ip
			}
			f.t.Errorf("fake container listen: %v", err)
			return
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
			if c.draining.Load() {
				w.WriteHeader(503)
				return
			}
			io.WriteString(w, "ok")
		})
		mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(600 * time.Millisecond):
				io.WriteString(w, "done")
			case <-r.Context().Done():
			}
		})
		srv := &http.Server{Handler: mux}
		c.mu.Lock()
		c.ln, c.srv = ln, srv
		c.mu.Unlock()
		go srv.Serve(ln)
	}()
	return nil
}

func (f *fake) Inspect(_ context.Context, id string) (*engine.Container, error) {
	if err := f.call(); err != nil {
		return nil, err
	}
	c := f.get(id)
	return &engine.Container{ID: id, Running: c.running.Load(), IP: map[string]string{c.spec.Network: c.ip},
		Path: "node", Args: []string{"server.js"}}, nil
}

func (f *fake) Signal(_ context.Context, id, sig string) error {
	if err := f.call(); err != nil {
		return err
	}
	c := f.get(id)
	behaviour := f.app.onTerm
	if sig == "SIGINT" {
		behaviour = f.app.onInt
	}
	switch {
	case sig == "SIGKILL":
		go c.stop(137)
	case behaviour == "ignore":
	case behaviour == "now":
		go c.stop(0)
	case behaviour == "late-close":
		go func() {
			time.Sleep(1200 * time.Millisecond)
			c.stop(0)
		}()
	default: // drain, exit1
		c.draining.Store(true)
		code := 0
		if behaviour == "exit1" {
			code = 1
			c.log("closing the pool failed\n")
		}
		go func() {
			// Shutdown closes the listener and waits for every
			// connection with a request, read or not, to finish.
			c.mu.Lock()
			srv := c.srv
			c.mu.Unlock()
			srv.Shutdown(context.Background())
			c.stop(code)
		}()
	}
	return nil
}

func (f *fake) RemoveContainer(_ context.Context, id string) error {
	if err := f.call(); err != nil {
		return err
	}
	f.mu.Lock()
	c := f.ctrs[id]
	delete(f.ctrs, id)
	f.mu.Unlock()
	if c == nil {
		return fmt.Errorf("container %s: %w", id, engine.ErrNotFound)
	}
	c.stop(137)
	return nil
}

func (f *fake) Changes(context.Context, string) ([]engine.Change, error) {
	if err := f.call(); err != nil {
		return nil, err
	}
	return append([]engine.Change{{Kind: "C", Path: "/tmp"}, {Kind: "A", Path: "/tmp/x"}}, f.app.writes...), nil
}

func (f *fake) Logs(_ context.Context, id string, _ int) (string, error) {
	if err := f.call(); err != nil {
		return "", err
	}
	c := f.get(id)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.logs.String(), nil
}

func (f *fake) Exec(_ context.Context, id string, s engine.ExecSpec) (*engine.ExecResult, error) {
	if err := f.call(); err != nil {
		return nil, err
	}
	if f.app.noShell {
		return &engine.ExecResult{ExitCode: 126, Stdout: `OCI runtime exec failed: exec: "/bin/sh": stat /bin/sh: no such file or directory`}, nil
	}
	script := s.Cmd[len(s.Cmd)-1]
	switch {
	case strings.Contains(script, "/proc/1/status"):
		return &engine.ExecResult{Stdout: fmt.Sprintf("%d %d %d\n", f.app.uid, f.app.uid, f.app.uid)}, nil
	case strings.Contains(script, "& echo $!"):
		if f.app.zombies {
			return &engine.ExecResult{Stdout: "pid 42\n42 (sleep) Z 1 42 42 0\n"}, nil
		}
		return &engine.ExecResult{Stdout: "pid 42\ngone\n"}, nil
	case strings.Contains(script, "/proc/net/tcp"):
		if f.app.loopback {
			return &engine.ExecResult{Stdout: "  sl  local_address rem_address   st\n   0: 0100007F:" + fmt.Sprintf("%04X", f.port) + " 00000000:0000 0A\n"}, nil
		}
		return &engine.ExecResult{}, nil
	}
	return &engine.ExecResult{ExitCode: 127}, nil
}

func (f *fake) Session(context.Context, string, []string) (*engine.Session, error) {
	return nil, errors.New("the fake has no sessions")
}

func (f *fake) ImportImage(context.Context, io.Reader, string, []string) (string, error) {
	return "", errors.New("the fake has no images to import")
}

func (f *fake) RemoveImage(context.Context, string) error { return f.call() }

func (f *fake) Owned(context.Context, string) ([]engine.Resource, error) {
	if err := f.call(); err != nil {
		return nil, err
	}
	return nil, nil
}

// leftovers lists what is still there.
func (f *fake) leftovers() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for id := range f.ctrs {
		out = append(out, "container "+id)
	}
	for n := range f.networks {
		out = append(out, "network "+n)
	}
	return out
}
