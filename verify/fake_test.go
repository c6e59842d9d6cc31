package verify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/verify/probe"
)

// The fake engine runs its containers in memory: each is a scripted server
// (fakeApp) that the fake's prober (fakeProber) reaches by the container's
// address. Nothing touches the network or the wall clock: the tests run
// inside a testing/synctest bubble, whose clock advances only when every
// goroutine of the run is waiting, so the app's start-up delay, the grace
// period and every probe interval take no real time and always happen in
// the same order.

// fakePort is the port every fake container serves on.
const fakePort = 3000

// fakeApp scripts how a fake container behaves.
type fakeApp struct {
	startDelay time.Duration
	crash      int  // exit code at start (0: no crash)
	noStart    bool // the engine refuses to start it
	loopback   bool // it listens on 127.0.0.1 only
	uid        int
	onTerm     string // "drain" (default), "now", "ignore", "exit1", "late-close"
	onInt      string // "drain" (default), "ignore"
	zombies    bool
	roFails    bool
	writes     []engine.Change
	noShell    bool
}

// Fake app timing: /slow answers after slowRequest; a "late-close" app
// keeps serving for lateClose after SIGTERM.
const (
	slowRequest = 600 * time.Millisecond
	lateClose   = 1200 * time.Millisecond
)

// fake is an Engine whose containers are fakeCtrs.
type fake struct {
	app fakeApp

	mu       sync.Mutex
	nextIP   int
	ctrs     map[string]*fakeCtr
	networks map[string]bool
	calls    int
	dieAfter int // > 0: calls after this many return ErrUnreachable
	created  []string
}

// fakeCtr is a running fake container: its server accepts requests once
// it has started (listening) and until it drains or exits.
type fakeCtr struct {
	id, ip string
	spec   engine.ContainerSpec
	exit   chan engine.Exit // the exit, once
	gone   chan struct{}    // closed at exit
	once   sync.Once
	active sync.WaitGroup // requests being served

	mu        sync.Mutex // guards the fields below
	listening bool
	draining  bool
	logs      strings.Builder
}

func newFake(app fakeApp) *fake {
	return &fake{app: app, nextIP: 1, ctrs: map[string]*fakeCtr{}, networks: map[string]bool{}}
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
	img := &engine.Image{ID: "sha256:fake", Cmd: []string{"node", "server.js"}, ExposedPorts: []string{strconv.Itoa(fakePort) + "/tcp"}, Volumes: []string{"/data"}, OS: "linux"}
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
	f.ctrs[id] = &fakeCtr{id: id, ip: fmt.Sprintf("10.0.0.%d", f.nextIP), spec: s, exit: make(chan engine.Exit, 1), gone: make(chan struct{})}
	f.created = append(f.created, "container "+id)
	return id, nil
}

func (f *fake) get(id string) *fakeCtr {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ctrs[id]
}

func (f *fake) WaitExit(ctx context.Context, id string) <-chan engine.Exit {
	c := f.get(id)
	out := make(chan engine.Exit, 1)
	go func() {
		select {
		case e := <-c.exit:
			out <- e
		case <-ctx.Done():
			out <- engine.Exit{Err: ctx.Err()}
		}
	}()
	return out
}

func (c *fakeCtr) log(s string) {
	c.mu.Lock()
	c.logs.WriteString(s)
	c.mu.Unlock()
}

func (c *fakeCtr) stop(code int) {
	c.once.Do(func() {
		close(c.gone)
		c.exit <- engine.Exit{Code: code, At: time.Now()}
	})
}

func (c *fakeCtr) exited() bool {
	select {
	case <-c.gone:
		return true
	default:
		return false
	}
}

// boot is the app starting up: after its start-up delay it crashes or
// listens.
func (c *fakeCtr) boot(app fakeApp) {
	if app.startDelay > 0 {
		select {
		case <-time.After(app.startDelay):
		case <-c.gone:
			return
		}
	}
	switch {
	case app.crash != 0:
		c.log("Error: DATABASE_URL is not set\nNode.js v18.20.4\n")
		c.stop(app.crash)
	case c.spec.ReadOnlyRootfs && app.roFails:
		c.log("Error: EROFS: read-only file system, open '/app/state.json'\n")
		c.stop(1)
	default:
		c.mu.Lock()
		c.listening = true
		c.mu.Unlock()
	}
}

func (f *fake) StartContainer(_ context.Context, id string) error {
	if err := f.call(); err != nil {
		return err
	}
	c := f.get(id)
	if f.app.noStart {
		return errors.New(`starting container: OCI runtime create failed: exec: "nodejs-server": executable file not found in $PATH: unknown`)
	}
	if f.app.startDelay == 0 {
		c.boot(f.app)
	} else {
		go c.boot(f.app)
	}
	return nil
}

func (f *fake) Inspect(_ context.Context, id string) (*engine.Container, error) {
	if err := f.call(); err != nil {
		return nil, err
	}
	c := f.get(id)
	return &engine.Container{ID: id, Running: !c.exited(), IP: map[string]string{c.spec.Network: c.ip},
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
		c.stop(137)
	case behaviour == "ignore":
	case behaviour == "now":
		c.stop(0)
	case behaviour == "late-close":
		go func() {
			select {
			case <-time.After(lateClose):
				c.stop(0)
			case <-c.gone:
			}
		}()
	default: // drain, exit1: stop accepting, finish the requests being served, exit
		code := 0
		if behaviour == "exit1" {
			code = 1
			c.log("closing the pool failed\n")
		}
		c.mu.Lock()
		c.draining = true
		c.mu.Unlock()
		go func() {
			c.active.Wait()
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
			return &engine.ExecResult{Stdout: "  sl  local_address rem_address   st\n   0: 0100007F:" + fmt.Sprintf("%04X", fakePort) + " 00000000:0000 0A\n"}, nil
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

// shutdown stops every container still there, as a dying engine would, so
// no fake app outlives its test.
func (f *fake) shutdown() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.ctrs {
		c.stop(137)
	}
}

// prober reaches the fake's containers by their addresses, as the engine
// host reaches a real container's.
func (f *fake) prober() probe.Prober { return fakeProber{f} }

type fakeProber struct{ f *fake }

func (fakeProber) From() string { return "engine host" }

// accept finds the container listening at host and starts a request to it;
// nil when the connection would be refused.
func (p fakeProber) accept(host string) *fakeCtr {
	p.f.mu.Lock()
	var c *fakeCtr
	for _, x := range p.f.ctrs {
		if x.ip == host {
			c = x
		}
	}
	p.f.mu.Unlock()
	if c == nil || p.f.app.loopback {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.listening || c.draining || c.exited() {
		return nil
	}
	c.active.Add(1)
	return c
}

func (p fakeProber) Dial(_ context.Context, addr string, _ time.Duration) error {
	host, _, _ := strings.Cut(addr, ":")
	c := p.accept(host)
	if c == nil {
		return syscall.ECONNREFUSED
	}
	c.active.Done()
	return nil
}

func (p fakeProber) Get(ctx context.Context, rawURL string, timeout time.Duration, sent func()) probe.Result {
	t0 := time.Now()
	done := func(res probe.Result) probe.Result {
		res.Took, res.Done = time.Since(t0), time.Now()
		return res
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return done(probe.Result{Err: err.Error()})
	}
	c := p.accept(u.Hostname())
	if c == nil {
		return done(probe.Result{Err: "connection refused"})
	}
	defer c.active.Done()
	if sent != nil {
		sent()
	}
	switch u.Path {
	case "/health":
		return done(probe.Result{Status: 200})
	case "/slow":
		select {
		case <-time.After(slowRequest):
			return done(probe.Result{Status: 200})
		case <-c.gone:
			return done(probe.Result{Err: "connection closed without a response"})
		case <-time.After(timeout):
			return done(probe.Result{Err: fmt.Sprintf("no response within %s", timeout)})
		case <-ctx.Done():
			return done(probe.Result{Err: "canceled"})
		}
	}
	return done(probe.Result{Status: 404})
}
