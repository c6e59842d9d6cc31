package verify

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// Findings runs the rules of reg that read runtime observations over the
// run's observations. Findings name the image as their file.
func Findings(rep *Report, reg *analysis.Registry) []analysis.Finding {
	if rep == nil || rep.Result == nil {
		return nil
	}
	out := checker.RunRules(rep.Result, rep.Result.Image, reg.ForInput(rep.Result.InputKind()), time.Time{})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule.ID < out[j].Rule.ID })
	return out
}

// Step is one line of the measurement table.
type Step struct {
	Name  string
	Rules []string
	// Status is "pass", "fail" (a rule of the step reported a finding) or
	// "skip" (it could not be tested; Detail says why).
	Status string
	// Took is the step's measured time (0: none to show).
	Took   time.Duration
	Detail string
}

// Steps builds the measurement table from the observations and the
// findings that remain after the policy was applied.
func Steps(rep *Report, findings []analysis.Finding) []Step {
	res := rep.Result
	fired := map[string]bool{}
	for _, f := range findings {
		if f.Rule != nil {
			fired[f.Rule.ID] = true
		}
	}
	var steps []Step
	add := func(name string, rules []string, skipped string, took time.Duration, detail string) {
		st := Step{Name: name, Rules: rules, Status: "pass", Took: took, Detail: detail}
		for _, id := range rules {
			if fired[id] {
				st.Status = "fail"
			}
		}
		if skipped != "" && st.Status != "fail" {
			st.Status, st.Took, st.Detail = "skip", 0, "not tested: "+skipped
		}
		steps = append(steps, st)
	}
	s, st := res.Settings, res.Start

	startDetail := fmt.Sprintf("started with a %s memory limit and a %d pids limit on a network with no way out", mib(rep.Memory), rep.PidsLimit)
	switch {
	case st.StartFailed != "":
		startDetail = "could not start: " + st.StartFailed
	case st.Exited:
		startDetail = fmt.Sprintf("exited with code %d after %s, before it was ready", st.ExitCode, ms(st.ExitAfter))
	case st.ExitedAfterReady:
		startDetail = fmt.Sprintf("exited by itself with code %d after %s", st.ExitCode, ms(st.ExitAfter))
	}
	add("start", []string{"RT001"}, "", rep.StartTook, startDetail)

	var readyDetail string
	switch {
	case st.Ready && s.Readiness == "http":
		readyDetail = fmt.Sprintf("HTTP 2xx from GET %s on port %d, probed from the %s", s.HealthPath, s.Port, s.ProbeFrom)
	case st.Ready:
		readyDetail = "the image's HEALTHCHECK command passed"
	case st.Exited || st.StartFailed != "":
		readyDetail = "never ready: the container stopped first"
	default:
		readyDetail = fmt.Sprintf("not ready within %s (last attempt: %s)", human(s.StartTimeout), st.LastProbe)
	}
	if st.Ready && fired["RT011"] {
		readyDetail += fmt.Sprintf("; slower than %s", human(s.SlowStart))
	}
	readyTook := st.ReadyAfter
	if !st.Ready && !st.Exited && st.StartFailed == "" {
		readyTook = s.StartTimeout
	}
	add("ready", []string{"RT002", "RT011"}, "", readyTook, readyDetail)

	u := res.User
	add("user", []string{"RT003"}, u.Skipped, 0, fmt.Sprintf("PID 1 runs as uid %d: %s", u.UID, u.Command))

	add("in-flight request", []string{"RT005"}, res.InFlight.Skipped, res.InFlight.Duration, requestDetail(res.InFlight, "completed during shutdown", "was cut off"))
	add("SIGTERM", []string{"RT004", "RT006"}, res.Term.Skipped, res.Term.ExitAfter, stopDetail(res.Term, s.Grace))
	add("draining", []string{"RT012"}, res.Draining.Skipped, 0, drainingDetail(res.Draining))
	add("SIGINT", []string{"RT007"}, res.Interrupt.Skipped, res.Interrupt.ExitAfter, stopDetail(res.Interrupt, s.Grace))

	reap := fmt.Sprintf("an orphaned process was reaped by PID 1 (%s)", res.Reap.Init)
	if res.Reap.Zombie {
		reap = fmt.Sprintf("an orphaned process stayed a zombie under PID 1 (%s)", res.Reap.Init)
	}
	add("zombie reaping", []string{"RT008"}, res.Reap.Skipped, 0, reap)

	ro := res.ReadOnly
	roDetail := "ready with a read-only root filesystem and a tmpfs on /tmp"
	roTook := ro.ReadyAfter
	switch {
	case ro.Ready:
	case ro.Exited:
		roDetail, roTook = fmt.Sprintf("read-only root filesystem: exited with code %d before it was ready", ro.ExitCode), ro.ExitAfter
	default:
		roDetail, roTook = fmt.Sprintf("read-only root filesystem: not ready within %s", human(s.StartTimeout)), s.StartTimeout
	}
	add("read-only root", []string{"RT009"}, ro.Skipped, roTook, roDetail)

	wr := "nothing written outside /tmp and the declared volumes"
	if n := len(res.Writes.Changes); n > 0 {
		var paths []string
		for i, c := range res.Writes.Changes {
			if i == 3 {
				paths = append(paths, fmt.Sprintf("+%d more", n-3))
				break
			}
			paths = append(paths, c.Kind+" "+c.Path)
		}
		wr = "wrote " + strings.Join(paths, ", ")
	}
	add("file writes", []string{"RT010"}, res.Writes.Skipped, 0, wr)
	return steps
}

func requestDetail(r observation.Request, ok, bad string) string {
	if r.OK() {
		return fmt.Sprintf("GET %s %s (HTTP %d)", r.Path, ok, r.Status)
	}
	got := r.Err
	if r.Status != 0 {
		got = fmt.Sprintf("HTTP %d", r.Status)
	}
	return fmt.Sprintf("GET %s %s: %s", r.Path, bad, got)
}

func drainingDetail(r observation.Request) string {
	if r.OK() {
		return fmt.Sprintf("a new request to %s after SIGTERM was served normally (HTTP %d)", r.Path, r.Status)
	}
	got := r.Err
	if r.Status != 0 {
		got = fmt.Sprintf("HTTP %d", r.Status)
	}
	return fmt.Sprintf("a new request to %s after SIGTERM was turned away: %s", r.Path, got)
}

func stopDetail(st observation.Stop, grace time.Duration) string {
	if st.Killed {
		return fmt.Sprintf("still running %s after %s: killed with SIGKILL", human(grace), st.Signal)
	}
	return fmt.Sprintf("exited with code %d after %s", st.ExitCode, st.Signal)
}

func ms(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func mib(b int64) string {
	if b%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", b>>30)
	}
	return fmt.Sprintf("%d MiB", b>>20)
}

// Measurements is the JSON "measurements" object: every measured value
// (null when it could not be measured), the step table and the timing.
func Measurements(rep *Report, steps []Step) map[string]any {
	res := rep.Result
	s := res.Settings
	msOf := func(d time.Duration) int64 { return d.Milliseconds() }
	m := map[string]any{
		"image":    res.Image,
		"image_id": res.ImageID,
		"engine": map[string]any{
			"host": rep.Engine.Host, "version": rep.Engine.ServerVersion, "api_version": rep.Engine.APIVersion,
		},
		"readiness": map[string]any{
			"mode": s.Readiness, "url": nilIfEmpty(rep.ProbeURL), "from": nilIfEmpty(s.ProbeFrom),
			"port": nilIfZero(s.Port), "health_path": nilIfEmpty(s.HealthPath), "start_timeout_ms": msOf(s.StartTimeout),
		},
		"grace_ms":      msOf(s.Grace),
		"slow_start_ms": msOf(s.SlowStart),
		"start_ms":      msOf(rep.StartTook),
		"ready_ms":      nil,
		"exited_early":  res.Start.Exited || res.Start.StartFailed != "",
		"uid":           nil,
		"pid1":          nilIfEmpty(res.User.Command),
	}
	if res.Start.Ready {
		m["ready_ms"] = msOf(res.Start.ReadyAfter)
	}
	if res.Start.Exited || res.Start.ExitedAfterReady {
		m["early_exit_code"] = res.Start.ExitCode
	}
	if res.User.Skipped == "" && res.Start.Ready {
		m["uid"] = res.User.UID
	}
	stop := func(prefix string, st observation.Stop) {
		m[prefix+"_exit_ms"], m[prefix+"_exit_code"], m[prefix+"_killed"] = nil, nil, nil
		if st.Skipped == "" && st.Signal != "" && (st.Exited || st.Killed) {
			m[prefix+"_exit_ms"], m[prefix+"_exit_code"], m[prefix+"_killed"] = msOf(st.ExitAfter), st.ExitCode, st.Killed
		}
	}
	stop("sigterm", res.Term)
	stop("sigint", res.Interrupt)
	m["exit_code"] = m["sigterm_exit_code"]
	req := func(prefix string, r observation.Request) {
		m[prefix+"_status"], m[prefix+"_error"], m[prefix+"_ms"] = nil, nil, nil
		if r.Skipped == "" && r.Path != "" {
			m[prefix+"_status"], m[prefix+"_error"], m[prefix+"_ms"] = nilIfZero(r.Status), nilIfEmpty(r.Err), msOf(r.Duration)
		}
	}
	req("inflight", res.InFlight)
	req("draining", res.Draining)
	m["zombie"] = nil
	if res.Reap.Skipped == "" && res.Start.Ready {
		m["zombie"] = res.Reap.Zombie
	}
	m["readonly_ready_ms"] = nil
	if res.ReadOnly.Ready {
		m["readonly_ready_ms"] = msOf(res.ReadOnly.ReadyAfter)
	}
	m["writes"] = nil
	if res.Writes.Skipped == "" && res.Start.Ready {
		w := []string{}
		for _, c := range res.Writes.Changes {
			w = append(w, c.Kind+" "+c.Path)
		}
		m["writes"] = w
	}
	var js []map[string]any
	for _, st := range steps {
		e := map[string]any{"name": st.Name, "rules": st.Rules, "status": st.Status, "detail": st.Detail}
		if st.Took > 0 {
			e["ms"] = msOf(st.Took)
		}
		js = append(js, e)
	}
	m["steps"] = js
	t := rep.Timing
	phases := map[string]int64{}
	for _, p := range t.Phases {
		phases[p.Name] += msOf(p.Overhead)
	}
	calls := map[string]any{}
	for _, c := range t.Calls {
		calls[c.Op] = map[string]any{"count": c.Count, "ms": msOf(c.Total)}
	}
	m["timing"] = map[string]any{
		"wall_ms": msOf(t.Wall), "app_ms": msOf(t.Waiting), "engine_start_ms": msOf(t.EngineStart), "overhead_ms": msOf(t.Overhead),
		"overhead_by_phase_ms": phases, "engine_calls": calls,
	}
	return m
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nilIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// WriteText renders the run for a person: a header, one line per step
// with its time and ✓ (passed), ✗ (a finding) or – (not tested), and the
// overhead breakdown. The findings follow it (report.Write).
func WriteText(w io.Writer, rep *Report, steps []Step, color bool) {
	paint := func(sgr, s string) string {
		if !color {
			return s
		}
		return sgr + s + "\x1b[0m"
	}
	res := rep.Result
	id := strings.TrimPrefix(res.ImageID, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	fmt.Fprintf(w, "%s %s (%s) on Docker %s, API %s\n", paint("\x1b[1m", "verify"), res.Image, id, rep.Engine.ServerVersion, rep.Engine.APIVersion)
	if rep.ProbeURL != "" {
		fmt.Fprintf(w, "probe  GET %s from the %s\n", rep.ProbeURL, res.Settings.ProbeFrom)
	} else if res.Settings.Readiness == "healthcheck" {
		fmt.Fprintf(w, "probe  the image's HEALTHCHECK: %s\n", strings.Join(res.Settings.HealthcheckCmd[1:], " "))
	}
	fmt.Fprintln(w)
	for _, st := range steps {
		mark := paint("\x1b[1;32m", "✓")
		switch st.Status {
		case "fail":
			mark = paint("\x1b[1;31m", "✗")
		case "skip":
			mark = paint("\x1b[1;33m", "–")
		}
		took := ""
		if st.Took > 0 {
			took = ms(st.Took)
		}
		fmt.Fprintf(w, "  %s %-17s %8s  %s\n", mark, st.Name, took, st.Detail)
	}
	t := rep.Timing
	var parts []string
	for _, p := range t.Phases {
		parts = append(parts, fmt.Sprintf("%s %d ms", p.Name, p.Overhead.Milliseconds()))
	}
	fmt.Fprintf(w, "\ntime   %s: %s the app (start-up, requests, shutdown), %s the engine starting containers, %d ms verify's own overhead (%s)\n",
		ms(t.Wall), ms(t.Waiting), ms(t.EngineStart), t.Overhead.Milliseconds(), strings.Join(parts, ", "))
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note   %s\n", n)
	}
	fmt.Fprintln(w)
}

// human formats a setting for a sentence: "10 s", "1.5 s", "800 ms".
func human(d time.Duration) string {
	switch {
	case d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	case d >= time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}
