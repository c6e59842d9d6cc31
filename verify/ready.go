package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

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
