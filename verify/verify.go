package verify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/verify/probe"
)

// Report is a finished run: the observations, where they came from, and
// how long the run took.
type Report struct {
	Result *observation.Result
	Engine engine.Info
	// ProbeURL is the readiness URL (empty for HEALTHCHECK readiness).
	ProbeURL string
	// StartTook is how long creating and starting the first container
	// took; Memory and PidsLimit are the limits every container ran with.
	StartTook         time.Duration
	Memory, PidsLimit int64
	Timing            Timing
	// Notes are things to tell the user that are not findings: leftovers
	// of earlier runs removed, resources that could not be removed.
	Notes []string
}

// Error is a run verify could not complete (exit code 2): no engine, no
// image, the engine gone mid-run, interrupted, timed out.
type Error struct {
	Msg string
	Err error
	// Notes as in Report (cleanup problems, removed leftovers).
	Notes []string
}

func (e *Error) Error() string {
	if e.Err != nil && !strings.Contains(e.Msg, e.Err.Error()) {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Timing constants of the run.
const (
	// settleInFlight is how long the slow request runs before SIGTERM, so
	// the server is surely working on it.
	settleInFlight = 300 * time.Millisecond
	// drainingDelay is how long after SIGTERM the new request is sent.
	drainingDelay = 250 * time.Millisecond
	// orphanLife is how long the orphaned child lives; reapWait how long
	// PID 1 gets to reap it after that.
	orphanLife = 100 * time.Millisecond
	reapWait   = 1500 * time.Millisecond
	logTail    = 20
)

// Run runs the image and returns what it observed. The error is an *Error
// when the run could not be completed; everything created is removed in
// either case.
func Run(ctx context.Context, eng engine.Engine, opts Options) (*Report, error) {
	return run(ctx, eng, probe.Host{}, opts)
}

// run is Run with the prober that probes from this machine given: the
// tests' fake engine runs its containers in memory and gives a prober that
// reaches them there.
func run(ctx context.Context, eng engine.Engine, host probe.Prober, opts Options) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, &Error{Msg: err.Error()}
	}
	opts = opts.withDefaults()
	tl := newTimeline()
	r := &runner{
		eng:     timed{eng, tl},
		host:    host,
		opts:    opts,
		tl:      tl,
		id:      randomID(),
		expires: time.Now().Add(opts.Timeout + 5*time.Minute),
		res:     &observation.Result{Image: opts.Image},
	}
	runCtx, cancel := context.WithTimeout(ctx, opts.Timeout)
	r.cancel = cancel
	err := r.run(runCtx)
	cancel()
	tl.phase("cleanup")
	for _, cerr := range r.cleanup(ctx) {
		r.note("cleanup failed: %v; the next verify run removes what is left", cerr)
	}
	rep := &Report{Result: r.res, Engine: r.info, ProbeURL: r.probeURL, StartTook: r.startTook,
		Memory: opts.Memory, PidsLimit: opts.PidsLimit, Timing: tl.finish(), Notes: r.notes}
	if err == nil {
		err = r.fatal()
	}
	if err != nil {
		var ve *Error
		if !errors.As(err, &ve) {
			ve = &Error{Msg: err.Error(), Err: err}
		}
		switch {
		case ctx.Err() != nil:
			ve = &Error{Msg: "interrupted; removed the containers and network verify had created", Err: ctx.Err()}
		case runCtx.Err() != nil && errors.Is(err, context.DeadlineExceeded):
			ve = &Error{Msg: fmt.Sprintf("verify did not finish within %s (--timeout); removed what it had created", roundDur(opts.Timeout)), Err: err}
		}
		ve.Notes = append(ve.Notes, r.notes...)
		return rep, ve
	}
	return rep, nil
}

type runner struct {
	eng     engine.Engine
	host    probe.Prober // probes from this machine
	opts    Options
	tl      *timeline
	id      string
	expires time.Time
	cancel  context.CancelFunc

	info      engine.Info
	img       *engine.Image
	res       *observation.Result
	network   string
	probe     probe.Prober // where probes come from: host or a prober container
	probeURL  string
	local     bool // the engine runs on this machine (its /proc is ours)
	startTook time.Duration

	mu      sync.Mutex
	created []resource
	notes   []string
	failed  error // first fatal error of a parallel branch
}

func randomID() string {
	b := make([]byte, 5)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (r *runner) note(format string, args ...any) {
	r.mu.Lock()
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// fail records a fatal error from a parallel branch and stops the run.
func (r *runner) fail(err error) {
	r.mu.Lock()
	if r.failed == nil {
		r.failed = err
	}
	r.mu.Unlock()
	r.cancel()
}

func (r *runner) fatal() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

// engineErr turns an engine error into the run's error.
func (r *runner) engineErr(err error) error {
	if errors.Is(err, engine.ErrUnreachable) {
		return &Error{Msg: fmt.Sprintf("the Docker engine at %s stopped answering during verify", r.eng.Host()), Err: err}
	}
	return err
}

// ctr is a container of the run.
type ctr struct {
	role    string
	id      string
	started time.Time // when `start` returned
	ip      string
	pid     int
	path    string
	args    []string

	done chan struct{} // closed at exit
	exit engine.Exit
}

func (c *ctr) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func (r *runner) run(ctx context.Context) error {
	r.tl.phase("setup")
	info, err := r.eng.Ping(ctx)
	if err != nil {
		return &Error{Msg: fmt.Sprintf("cannot reach the Docker engine at %s (is dockerd running? DOCKER_HOST names another engine)", r.eng.Host()), Err: err}
	}
	r.info = info
	r.local = goruntime.GOOS == "linux" && (strings.HasPrefix(r.eng.Host(), "unix://") || r.eng.Host() == "")

	// Leftovers of killed runs, in parallel with the image lookup.
	sweepDone := make(chan struct{})
	go func() {
		defer close(sweepDone)
		stale, err := sweep(ctx, r.eng, r.id)
		if len(stale) > 0 {
			r.note("removed %d leftover(s) of an interrupted verify run: %s", len(stale), describeResources(stale))
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			r.note("could not remove leftovers of an earlier run: %v", err)
		}
	}()
	img, err := r.eng.Image(ctx, r.opts.Image)
	<-sweepDone
	if err != nil {
		if errors.Is(err, engine.ErrNotFound) {
			return &Error{Msg: fmt.Sprintf("image %q not found in the Docker engine at %s: build or pull it first (verify runs local images and never pulls)", r.opts.Image, r.eng.Host())}
		}
		return &Error{Msg: fmt.Sprintf("inspecting image %q", r.opts.Image), Err: r.engineErr(err)}
	}
	r.img = img
	r.res.ImageID = img.ID
	if len(img.Entrypoint) == 0 && len(img.Cmd) == 0 {
		return &Error{Msg: fmt.Sprintf("image %q has no ENTRYPOINT or CMD: there is no command to run", r.opts.Image)}
	}
	if img.OS != "" && img.OS != "linux" {
		return &Error{Msg: fmt.Sprintf("image %q is a %s image; verify runs Linux images", r.opts.Image, img.OS)}
	}
	if err := r.settings(); err != nil {
		return err
	}

	r.network = "seaworthy-" + r.id
	netID, err := r.eng.CreateNetwork(ctx, engine.NetworkSpec{Name: r.network, Internal: true, Labels: r.labels()})
	if err != nil {
		return &Error{Msg: "creating verify's private network", Err: r.engineErr(err)}
	}
	r.track("network", netID)
	if r.opts.Probe == "container" || (r.opts.Probe == "auto" && !r.local) {
		if err := r.startProber(ctx); err != nil {
			return err
		}
	}

	r.tl.phase("start")
	t0 := time.Now()
	main, err := r.startContainer(ctx, "main", false)
	r.startTook = time.Since(t0)
	if err != nil {
		return err
	}
	if main == nil { // the engine could not start it: RT001
		r.skipAfterStart("the container could not start")
		return nil
	}
	if r.probe == nil {
		if err := r.chooseProber(ctx, main); err != nil {
			return err
		}
	}

	r.tl.phase("ready")
	if err := r.waitReady(ctx, main, &r.res.Start); err != nil {
		return err
	}
	if !r.res.Start.Ready {
		why := "the container never became ready"
		if r.res.Start.Exited {
			why = "the container exited before it became ready"
		}
		r.skipAfterStart(why)
		return nil
	}

	// The second and third containers run beside the first one's checks.
	r.tl.phase("checks")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r.interruptBranch(ctx) }()
	go func() { defer wg.Done(); r.readOnlyBranch(ctx) }()
	if err := r.mainChecks(ctx, main); err != nil {
		r.fail(err)
	}
	wg.Wait()
	return r.fatal()
}

func describeResources(rs []engine.Resource) string {
	var parts []string
	for _, x := range rs {
		name := x.Name
		if name == "" {
			name = x.ID
			if len(name) > 12 {
				name = name[:12]
			}
		}
		parts = append(parts, x.Kind+" "+name)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// settings resolves the readiness endpoint from the flags and the image.
func (r *runner) settings() error {
	s := &r.res.Settings
	s.Grace, s.StartTimeout, s.SlowStart = r.opts.Grace, r.opts.StartTimeout, r.opts.SlowStart
	hcPort, hcPath := healthcheckURL(r.img.Healthcheck)
	s.Port = r.opts.Port
	if s.Port == 0 {
		s.Port = hcPort
	}
	if s.Port == 0 {
		s.Port = lowestTCPPort(r.img.ExposedPorts)
	}
	s.HealthPath = r.opts.HealthPath
	if s.HealthPath == "" && hcPath != "" && (hcPort == 0 || hcPort == s.Port) {
		s.HealthPath = hcPath
	}
	if s.HealthPath == "" {
		s.HealthPath = DefaultHealthPath
	}
	s.SlowPath = r.opts.SlowPath
	switch {
	case s.Port > 0:
		s.Readiness = "http"
	case hasHealthcheck(r.img.Healthcheck):
		s.Readiness = "healthcheck"
		s.HealthcheckCmd = r.img.Healthcheck
		s.HealthPath = ""
	default:
		return &Error{Msg: fmt.Sprintf("cannot tell when %q is ready: it EXPOSEs no port and has no HEALTHCHECK; give --port (and --health-path, default %s)", r.opts.Image, DefaultHealthPath)}
	}
	return nil
}

func hasHealthcheck(test []string) bool {
	return len(test) > 1 && (test[0] == "CMD" || test[0] == "CMD-SHELL")
}

// healthcheckURL finds the first http(s) URL in a HEALTHCHECK command and
// returns its port and path.
func healthcheckURL(test []string) (int, string) {
	if !hasHealthcheck(test) {
		return 0, ""
	}
	text := strings.Join(test[1:], " ")
	i := strings.Index(text, "http://")
	if j := strings.Index(text, "https://"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return 0, ""
	}
	end := strings.IndexAny(text[i:], " \t'\"`)|;&,")
	raw := text[i:]
	if end >= 0 {
		raw = text[i : i+end]
	}
	u, err := url.Parse(raw)
	if err != nil {
		return 0, ""
	}
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		port = map[string]int{"http": 80, "https": 443}[u.Scheme]
	}
	if strings.Contains(u.Host, "$") {
		return 0, ""
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return port, path
}

func lowestTCPPort(ports []string) int {
	best := 0
	for _, p := range ports {
		num, proto, _ := strings.Cut(p, "/")
		if proto != "" && proto != "tcp" {
			continue
		}
		n, err := strconv.Atoi(num)
		if err == nil && n > 0 && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}

// skipAfterStart marks every later check as not tested.
func (r *runner) skipAfterStart(why string) {
	res := r.res
	for _, s := range []*string{&res.User.Skipped, &res.Term.Skipped, &res.InFlight.Skipped, &res.Draining.Skipped,
		&res.Interrupt.Skipped, &res.Reap.Skipped, &res.ReadOnly.Skipped, &res.Writes.Skipped} {
		if *s == "" {
			*s = why
		}
	}
}

// startContainer creates and starts a container of the run. It returns a
// nil ctr (and no error) when the engine refused to start it for a reason
// of the image's (recorded as StartFailed for the first run).
func (r *runner) startContainer(ctx context.Context, role string, readOnly bool) (*ctr, error) {
	spec := engine.ContainerSpec{
		Name:      fmt.Sprintf("seaworthy-%s-%s", r.id, role),
		Image:     r.img.ID,
		Env:       r.opts.Env,
		Labels:    r.labels(),
		Network:   r.network,
		Memory:    r.opts.Memory,
		PidsLimit: r.opts.PidsLimit,
	}
	if readOnly {
		spec.ReadOnlyRootfs = true
		spec.Tmpfs = map[string]string{"/tmp": "rw,nosuid,nodev,mode=1777,size=64m"}
	}
	id, err := r.eng.CreateContainer(ctx, spec)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("creating the %s container from %q", role, r.opts.Image), Err: r.engineErr(err)}
	}
	r.track("container", id)
	c := &ctr{role: role, id: id, done: make(chan struct{})}
	exitCh := r.eng.WaitExit(ctx, id)
	go func() {
		e := <-exitCh
		if e.Err == nil {
			c.exit = e
			close(c.done)
		}
	}()
	if err := r.eng.StartContainer(ctx, id); err != nil {
		if errors.Is(err, engine.ErrUnreachable) || ctx.Err() != nil {
			return nil, r.engineErr(err)
		}
		if role == "main" {
			r.res.Start.StartFailed = startError(err)
			r.res.Start.Logs, _ = r.eng.Logs(ctx, id, logTail)
		}
		return nil, nil
	}
	c.started = time.Now()
	in, err := r.eng.Inspect(ctx, id)
	if err != nil {
		return nil, r.engineErr(err)
	}
	c.ip, c.pid, c.path, c.args = in.IP[r.network], in.Pid, in.Path, in.Args
	return c, nil
}

// startError shortens the engine's start error to its cause.
func startError(err error) string {
	s := err.Error()
	if i := strings.Index(s, "exec: "); i >= 0 {
		s = s[i:]
	} else if i := strings.LastIndex(s, "Error response from daemon: "); i >= 0 {
		s = s[i+len("Error response from daemon: "):]
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ": unknown")
}

func (r *runner) url(c *ctr, path string) string {
	return "http://" + net.JoinHostPort(c.ip, strconv.Itoa(r.res.Settings.Port)) + path
}

// waitReady polls the readiness probe until it passes, the container
// exits, or the start timeout passes.
func (r *runner) waitReady(ctx context.Context, c *ctr, st *observation.Start) error {
	s := r.res.Settings
	deadline := c.started.Add(s.StartTimeout)
	defer func() { r.tl.wait(c.started) }()
	if s.Readiness == "http" && c.role == "main" {
		r.probeURL = r.url(c, s.HealthPath)
	}
	for attempt := 0; ; attempt++ {
		if c.exited() {
			return r.exitedBeforeReady(ctx, c, st)
		}
		remaining := time.Until(deadline)
		if remaining <= 0 {
			return r.neverReady(ctx, c, st)
		}
		var ok bool
		var at time.Time
		if s.Readiness == "http" {
			res := r.probe.Get(ctx, r.url(c, s.HealthPath), min(time.Second, remaining), nil)
			ok, at = res.OK(), res.Done
			if !ok {
				st.LastProbe = res.String()
			}
		} else {
			ok, at = r.healthcheck(ctx, c, st, min(5*time.Second, remaining))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if ok {
			st.Ready, st.ReadyAfter = true, at.Sub(c.started)
			return nil
		}
		interval := 50 * time.Millisecond
		if time.Since(c.started) > 2*time.Second || s.Readiness == "healthcheck" {
			// A HEALTHCHECK command is a process in the container:
			// run it less often.
			interval = 200 * time.Millisecond
		}
		select {
		case <-time.After(interval):
		case <-c.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// healthcheck runs the image's HEALTHCHECK command in the container.
func (r *runner) healthcheck(ctx context.Context, c *ctr, st *observation.Start, timeout time.Duration) (bool, time.Time) {
	test := r.res.Settings.HealthcheckCmd
	cmd := test[1:]
	if test[0] == "CMD-SHELL" {
		cmd = []string{"/bin/sh", "-c", strings.Join(test[1:], " ")}
	}
	ectx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := r.eng.Exec(ectx, c.id, engine.ExecSpec{Cmd: cmd})
	if err != nil {
		st.LastProbe = "HEALTHCHECK: " + err.Error()
		return false, time.Now()
	}
	if res.ExitCode != 0 {
		st.LastProbe = fmt.Sprintf("HEALTHCHECK exit code %d", res.ExitCode)
		if out := lastLine(res.Stdout + res.Stderr); out != "" {
			st.LastProbe += ": " + out
		}
	}
	return res.ExitCode == 0, time.Now()
}

func (r *runner) exitedBeforeReady(ctx context.Context, c *ctr, st *observation.Start) error {
	st.Exited, st.ExitCode, st.ExitAfter = true, c.exit.Code, c.exit.At.Sub(c.started)
	if in, err := r.eng.Inspect(ctx, c.id); err == nil {
		st.OOMKilled = in.OOMKilled
	} else if errors.Is(err, engine.ErrUnreachable) {
		return r.engineErr(err)
	}
	logs, err := r.eng.Logs(ctx, c.id, logTail)
	if errors.Is(err, engine.ErrUnreachable) {
		return r.engineErr(err)
	}
	st.Logs = logs
	return nil
}

func (r *runner) neverReady(ctx context.Context, c *ctr, st *observation.Start) error {
	st.Listening = r.listening(ctx, c)
	logs, err := r.eng.Logs(ctx, c.id, logTail)
	if errors.Is(err, engine.ErrUnreachable) {
		return r.engineErr(err)
	}
	st.Logs = logs
	return nil
}

// listening lists the TCP addresses the container listens on, from the
// host's /proc or through the container's shell; nil when unknown.
func (r *runner) listening(ctx context.Context, c *ctr) []string {
	if r.local {
		if dir, ok := hostProc(c.pid, c.path, c.args); ok {
			t4, err4 := os.ReadFile(filepath.Join(dir, "net", "tcp"))
			t6, _ := os.ReadFile(filepath.Join(dir, "net", "tcp6"))
			if err4 == nil {
				return nonNil(listening(string(t4), string(t6)))
			}
		}
	}
	res, err := r.shell(ctx, c, `for f in /proc/net/tcp /proc/net/tcp6; do [ -r $f ] && while read -r l; do echo "$l"; done < $f; done; true`)
	if err != nil || res == nil {
		return nil
	}
	return nonNil(listening(res.Stdout))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// errNoShell: the image has no /bin/sh to run a check with.
var errNoShell = errors.New("the image has no shell (/bin/sh)")

// shell runs a sh script in the container. A missing shell is errNoShell.
func (r *runner) shell(ctx context.Context, c *ctr, script string) (*engine.ExecResult, error) {
	ectx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := r.eng.Exec(ectx, c.id, engine.ExecSpec{Cmd: []string{"/bin/sh", "-c", script}})
	if err != nil {
		if strings.Contains(err.Error(), "executable file not found") || strings.Contains(err.Error(), "no such file or directory") {
			return nil, errNoShell
		}
		return nil, err
	}
	if (res.ExitCode == 126 || res.ExitCode == 127) && noShellOutput(res.Stdout+res.Stderr) {
		return nil, errNoShell
	}
	return res, nil
}

func noShellOutput(s string) bool {
	return s == "" || strings.Contains(s, "executable file not found") || strings.Contains(s, "no such file or directory") ||
		strings.Contains(s, "OCI runtime exec failed")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// roundDur shortens a duration for a message: whole seconds from 10 s,
// tenths from 1 s, else milliseconds.
func roundDur(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
