package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/verify/probe"
)

// mainChecks runs on the first container once it is ready: the uid of
// PID 1, SIGTERM with a request in flight and one arriving while it
// drains, then the filesystem diff.
func (r *runner) mainChecks(ctx context.Context, c *ctr) error {
	r.checkUser(ctx, c)
	if c.exited() {
		return r.exitedAfterReady(ctx, c)
	}
	return r.terminate(ctx, c)
}

// exitedAfterReady: the container stopped by itself before it was
// signalled; the signal checks cannot run.
func (r *runner) exitedAfterReady(ctx context.Context, c *ctr) error {
	st := &r.res.Start
	st.ExitedAfterReady, st.ExitCode, st.ExitAfter = true, c.exit.Code, c.exit.At.Sub(c.started)
	st.Logs, _ = r.eng.Logs(ctx, c.id, logTail)
	why := fmt.Sprintf("the container exited by itself (code %d) before it was signalled", c.exit.Code)
	for _, s := range []*string{&r.res.Term.Skipped, &r.res.InFlight.Skipped, &r.res.Draining.Skipped} {
		*s = why
	}
	return r.checkWrites(ctx, c)
}

// checkUser reads the uid of PID 1: from the engine host's /proc when it
// is this machine, else through the container's shell.
func (r *runner) checkUser(ctx context.Context, c *ctr) {
	u := &r.res.User
	u.Configured = r.img.User
	u.Command = strings.Join(append([]string{c.path}, c.args...), " ")
	if r.local {
		if dir, ok := hostProc(c.pid, c.path, c.args); ok {
			status, err := os.ReadFile(filepath.Join(dir, "status"))
			if uid, ok := parseStatusUID(string(status)); err == nil && ok {
				m, _ := os.ReadFile(filepath.Join(dir, "uid_map"))
				u.UID = mapUID(string(m), uid)
				return
			}
		}
	}
	res, err := r.shell(ctx, c, `while read -r k v rest; do [ "$k" = Uid: ] && echo "$rest"; done < /proc/1/status`)
	if err != nil {
		u.Skipped = "could not read the uid of PID 1: " + err.Error()
		if errors.Is(err, errNoShell) {
			u.Skipped = "could not read the uid of PID 1: the engine's processes are not visible from here and " + err.Error()
		}
		return
	}
	// "$rest" holds the effective, saved and fs uids.
	f := strings.Fields(res.Stdout)
	uid, perr := 0, error(nil)
	if len(f) > 0 {
		uid, perr = strconv.Atoi(f[0])
	}
	if len(f) == 0 || perr != nil {
		u.Skipped = fmt.Sprintf("could not read the uid of PID 1 (got %q)", strings.TrimSpace(res.Stdout+res.Stderr))
		return
	}
	u.UID = uid
}

// terminate sends SIGTERM with a slow request in flight, sends a new
// request while the container drains, and waits up to the grace period
// for the exit, then SIGKILLs.
func (r *runner) terminate(ctx context.Context, c *ctr) error {
	s := r.res.Settings
	if s.Readiness != "http" {
		r.res.InFlight.Skipped = "no HTTP port to send requests to (readiness came from the HEALTHCHECK command)"
		r.res.Draining.Skipped = r.res.InFlight.Skipped
	} else if s.SlowPath == "" {
		r.res.InFlight.Skipped = "no --slow-path given: an endpoint that takes a second or more"
	}
	var slow chan probe.Result
	var sentAt time.Time
	if r.res.InFlight.Skipped == "" {
		r.res.InFlight.Path = s.SlowPath
		slow = make(chan probe.Result, 1)
		sent := make(chan struct{})
		var once sync.Once
		go func() {
			slow <- r.probe.Get(ctx, r.url(c, s.SlowPath), s.Grace+5*time.Second, func() {
				once.Do(func() { close(sent) })
			})
		}()
		select {
		case <-sent:
		case <-time.After(2 * time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
		sentAt = time.Now()
		select {
		case <-time.After(settleInFlight):
		case res := <-slow:
			slow <- res // finished early: judged below
		}
		r.tl.wait(sentAt)
	}

	// The filesystem diff is taken while the container drains: it sees
	// what the container wrote while it ran, and the engine's (sometimes
	// slow) diff overlaps the app's shutdown.
	diffDone := make(chan error, 1)
	go func() { diffDone <- r.checkWrites(ctx, c) }()
	before := time.Now()
	if err := r.eng.Signal(ctx, c.id, "SIGTERM"); err != nil {
		<-diffDone
		return r.signalErr(ctx, c, err)
	}
	// The signal has been delivered once the engine answers: times after
	// SIGTERM count from here.
	t0 := time.Now()
	term := &r.res.Term
	term.Signal = "SIGTERM"

	draining := make(chan probe.Result, 1)
	if r.res.Draining.Skipped == "" {
		r.res.Draining.Path = s.HealthPath
		go func() {
			// Two requests, sent drainingDelay and 2×drainingDelay after
			// SIGTERM, concurrently so a slow prober does not shift the
			// second one. Served normally means both got a 2xx: a busy
			// machine may delay the app's signal handler a little, a
			// server that keeps serving does so for longer.
			results := make(chan probe.Result, 2)
			for k := 1; k <= 2; k++ {
				go func(at time.Time) {
					select {
					case <-time.After(time.Until(at)):
					case <-c.done:
					}
					if c.exited() {
						results <- probe.Result{Err: "the container had already exited"}
						return
					}
					results <- r.probe.Get(ctx, r.url(c, s.HealthPath), 2*time.Second, nil)
				}(t0.Add(time.Duration(k) * drainingDelay))
			}
			a, b := <-results, <-results
			if a.OK() {
				a = b // report the one that was turned away, if any
			}
			draining <- a
		}()
	}

	if err := r.awaitExit(ctx, c, t0, term); err != nil {
		return err
	}
	term.Logs, _ = r.eng.Logs(ctx, c.id, logTail)

	if slow != nil {
		var res probe.Result
		select {
		case res = <-slow:
		case <-time.After(3 * time.Second):
			res = probe.Result{Err: "no response by the time the container had exited"}
		}
		in := &r.res.InFlight
		switch {
		case res.Done.Before(before) && res.Status != 0:
			in.Skipped = fmt.Sprintf("GET %s answered %s in %s, before SIGTERM was sent: --slow-path should take a second or more", s.SlowPath, res, roundDur(res.Took))
			if res.Status == 404 || res.Status == 405 {
				in.Skipped = fmt.Sprintf("GET %s answered %s: is --slow-path right?", s.SlowPath, res)
			}
		case res.OK() && res.Done.Before(t0):
			// It finished while the engine was still delivering the
			// signal: it may never have seen SIGTERM.
			in.Skipped = fmt.Sprintf("GET %s finished (%s) while the engine was still delivering SIGTERM (%s): give a --slow-path that takes longer",
				s.SlowPath, res, roundDur(t0.Sub(before)))
		default:
			in.Status, in.Err, in.Duration = res.Status, res.Err, res.Took
		}
	}
	if r.res.Draining.Skipped == "" {
		res := <-draining
		r.res.Draining.Status, r.res.Draining.Err, r.res.Draining.Duration = res.Status, res.Err, res.Took
	}
	return <-diffDone
}

// signalErr handles a failed kill: the container may have exited just
// before it.
func (r *runner) signalErr(ctx context.Context, c *ctr, err error) error {
	if errors.Is(err, engine.ErrUnreachable) || ctx.Err() != nil {
		return r.engineErr(err)
	}
	select {
	case <-c.done:
		return r.exitedAfterReady(ctx, c)
	case <-time.After(time.Second):
	}
	return fmt.Errorf("sending a signal to the %s container: %w", c.role, err)
}

// awaitExit waits for the container to exit within the grace period after
// t0, and SIGKILLs it at the deadline.
func (r *runner) awaitExit(ctx context.Context, c *ctr, t0 time.Time, st *observation.Stop) error {
	defer func() { r.tl.wait(t0) }()
	grace := r.res.Settings.Grace
	select {
	case <-c.done:
		st.Exited, st.ExitCode, st.ExitAfter = true, c.exit.Code, max(0, c.exit.At.Sub(t0))
		return nil
	case <-time.After(time.Until(t0.Add(grace))):
	case <-ctx.Done():
		return ctx.Err()
	}
	st.Killed = true
	if err := r.eng.Signal(ctx, c.id, "SIGKILL"); err != nil && !c.exited() {
		return r.engineErr(err)
	}
	select {
	case <-c.done:
		st.ExitCode, st.ExitAfter = c.exit.Code, max(0, c.exit.At.Sub(t0))
	case <-time.After(10 * time.Second):
		return fmt.Errorf("the %s container did not stop after SIGKILL", c.role)
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// checkWrites reads the first container's filesystem diff.
func (r *runner) checkWrites(ctx context.Context, c *ctr) error {
	changes, err := r.eng.Changes(ctx, c.id)
	if err != nil {
		if errors.Is(err, engine.ErrUnreachable) {
			return r.engineErr(err)
		}
		r.res.Writes.Skipped = "could not read the container's filesystem changes: " + err.Error()
		return nil
	}
	r.res.Writes.Changes = filterWrites(changes, r.img.Volumes)
	return nil
}

// filterWrites keeps the leaves of the diff (a file, or a directory with
// no changed entries under it) that are outside /tmp and the declared
// volumes.
func filterWrites(changes []engine.Change, volumes []string) []observation.Change {
	paths := make([]string, 0, len(changes))
	for _, ch := range changes {
		paths = append(paths, ch.Path)
	}
	sort.Strings(paths)
	parent := map[string]bool{}
	for _, p := range paths {
		for d := filepath.Dir(p); d != "/" && d != "."; d = filepath.Dir(d) {
			parent[d] = true
		}
	}
	allowed := append([]string{"/tmp", "/var/tmp", "/dev/shm"}, volumes...)
	out := []observation.Change{}
	for _, ch := range changes {
		if parent[ch.Path] || under(ch.Path, allowed) {
			continue
		}
		out = append(out, observation.Change{Kind: ch.Kind, Path: ch.Path})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func under(p string, dirs []string) bool {
	for _, d := range dirs {
		d = strings.TrimRight(d, "/")
		if d == "" {
			continue
		}
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// interruptBranch: a fresh container gets the orphan test, then SIGINT.
func (r *runner) interruptBranch(ctx context.Context) {
	stop := &r.res.Interrupt
	stop.Signal = "SIGINT"
	c, err := r.startContainer(ctx, "sigint", false)
	if err != nil {
		r.fail(err)
		return
	}
	if c == nil {
		stop.Skipped, r.res.Reap.Skipped = "the second container could not start", "the second container could not start"
		return
	}
	var st observation.Start
	if err := r.waitReady(ctx, c, &st); err != nil {
		r.fail(err)
		return
	}
	if !st.Ready {
		why := "the second container did not become ready (" + st.LastProbe + ")"
		if st.Exited {
			why = fmt.Sprintf("the second container exited (code %d) before it became ready", st.ExitCode)
		}
		stop.Skipped, r.res.Reap.Skipped = why, why
		return
	}
	if err := r.checkReap(ctx, c); err != nil {
		r.fail(err)
		return
	}
	if c.exited() {
		stop.Skipped = fmt.Sprintf("the second container exited by itself (code %d) before it was signalled", c.exit.Code)
		return
	}
	if err := r.eng.Signal(ctx, c.id, "SIGINT"); err != nil {
		if c.exited() {
			stop.Skipped = "the second container exited by itself before it was signalled"
			return
		}
		r.fail(r.engineErr(err))
		return
	}
	t0 := time.Now()
	if err := r.awaitExit(ctx, c, t0, stop); err != nil {
		r.fail(err)
		return
	}
	stop.Logs, _ = r.eng.Logs(ctx, c.id, logTail)
}

// checkReap leaves an orphan behind and checks PID 1 reaps it once it
// exits. One exec does it all: a subshell starts a short sleep in the
// background and exits at once, so the sleep is re-parented to PID 1; the
// exec'd shell then watches /proc/<pid>/stat until the process is gone, or
// prints its last state after orphanLife+reapWait.
func (r *runner) checkReap(ctx context.Context, c *ctr) error {
	rp := &r.res.Reap
	rp.Init = strings.Join(append([]string{c.path}, c.args...), " ")
	life := strconv.FormatFloat(orphanLife.Seconds(), 'f', -1, 64)
	polls := int((orphanLife + reapWait) / (100 * time.Millisecond))
	script := fmt.Sprintf(`p=$( (sleep %s >/dev/null 2>&1 & echo $!) ); echo "pid $p"; i=0; l=gone
while [ $i -lt %d ]; do sleep 0.1; i=$((i+1)); if read -r l < /proc/$p/stat 2>/dev/null; then :; else l=gone; break; fi; done
echo "$l"`, life, polls)
	t0 := time.Now()
	res, err := r.shell(ctx, c, script)
	r.tl.waitSpan(waitApp, t0.Add(orphanLife), time.Now()) // the orphan's life and PID 1's chance to reap it
	if err != nil {
		if errors.Is(err, engine.ErrUnreachable) {
			return r.engineErr(err)
		}
		rp.Skipped = "could not leave an orphaned process behind: " + err.Error()
		return nil
	}
	lines := strings.Split(strings.TrimSpace(res.Stdout), "\n")
	pidText, ok := strings.CutPrefix(lines[0], "pid ")
	pid, perr := strconv.Atoi(strings.TrimSpace(pidText))
	if !ok || perr != nil || len(lines) < 2 {
		rp.Skipped = fmt.Sprintf("could not leave an orphaned process behind (the shell said %q)", strings.TrimSpace(res.Stdout+res.Stderr))
		return nil
	}
	rp.PID = pid
	last := strings.TrimSpace(lines[len(lines)-1])
	if last == "gone" {
		return nil // reaped
	}
	state, err := procStatState(last)
	if err != nil {
		rp.Skipped = err.Error()
		return nil
	}
	rp.Zombie = state == "Z"
	if state != "Z" {
		rp.Skipped = fmt.Sprintf("the orphaned process %d was still running (state %s) after %s", pid, state, roundDur(orphanLife+reapWait))
	}
	return nil
}

// readOnlyBranch: a third container with a read-only root filesystem and
// a tmpfs on /tmp must still become ready.
func (r *runner) readOnlyBranch(ctx context.Context) {
	ro := &r.res.ReadOnly
	c, err := r.startContainer(ctx, "readonly", true)
	if err != nil {
		r.fail(err)
		return
	}
	if c == nil {
		ro.Skipped = "the read-only container could not start"
		return
	}
	if err := r.waitReady(ctx, c, ro); err != nil {
		r.fail(err)
		return
	}
	if !c.exited() {
		if err := r.eng.Signal(ctx, c.id, "SIGKILL"); err != nil && errors.Is(err, engine.ErrUnreachable) {
			r.fail(r.engineErr(err))
		}
	}
}
