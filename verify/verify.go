// Package verify runs an image in a real Docker engine and measures what
// the RT rules judge: start-up and readiness, the user of PID 1, what
// SIGTERM and SIGINT do, an in-flight request during shutdown, zombie
// reaping, a read-only root filesystem and files written into the
// container.
//
// Run does the engine work, through the engine.Engine interface, and
// returns the observations (source/observation) with the run's timing;
// Findings runs the RT rules over them. The HTTP probes and the prober
// container's protocol are package verify/probe; the measurement table,
// its text and the JSON measurements are package verify/present. Every
// container, network and image Run creates carries seaworthy's labels and
// is removed before Run returns, whatever happened; leftovers of a killed
// run are removed by the next one.
package verify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	goruntime "runtime"
	"sort"
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
	// quiet: Msg already says what Err would add.
	quiet bool
}

func (e *Error) Error() string {
	if e.Err != nil && !e.quiet && !strings.Contains(e.Msg, e.Err.Error()) {
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

func (r *runner) run(ctx context.Context) error {
	r.tl.phase("setup")
	info, err := r.eng.Ping(ctx)
	if err != nil {
		if errors.Is(err, engine.ErrUnreachable) {
			// The engine's error already names the host and the cause.
			return &Error{Msg: fmt.Sprintf("cannot reach the Docker engine at %s: %s (is dockerd running? DOCKER_HOST names another engine)", r.eng.Host(), engine.Cause(err)), Err: err, quiet: true}
		}
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
