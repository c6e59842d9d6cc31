// Package present shows a verify run to the user: the measurement table
// (Steps), its text rendering (WriteText) and the "measurements" object of
// the JSON output (NewMeasurements). It reads a finished run (verify.Report)
// and the findings the RT rules reported on it; it never talks to the
// engine.
package present

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/rules/rt"
	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/verify"
)

// Step is one row of the measurement table.
type Step struct {
	Name observation.Step
	// Rules are the IDs of the RT rules that judge the step.
	Rules []string
	// Status is "pass", "fail" (a rule of the step reported a finding) or
	// "skip" (it could not be tested; Detail says why).
	Status string
	// Took is the step's measured time (0: none to show).
	Took   time.Duration
	Detail string
}

// table builds the rows of the measurement table.
type table struct {
	rules map[observation.Step][]string // the rules judging each step (rt.Step)
	fired map[string]bool               // rule IDs with a finding
	steps []Step
}

// row makes the row of a step: failed when one of its rules fired, else
// not tested when skipped is set, else passed.
func (t *table) row(name observation.Step, skipped string, took time.Duration, detail string) Step {
	st := Step{Name: name, Rules: t.rules[name], Status: "pass", Took: took, Detail: detail}
	for _, id := range st.Rules {
		if t.fired[id] {
			st.Status = "fail"
		}
	}
	if skipped != "" && st.Status != "fail" {
		st.Status, st.Took, st.Detail = "skip", 0, "not tested: "+skipped
	}
	return st
}

func (t *table) add(name observation.Step, skipped string, took time.Duration, detail string) {
	t.steps = append(t.steps, t.row(name, skipped, took, detail))
}

// stepRules groups the RT rules by the step they judge.
func stepRules() map[observation.Step][]string {
	out := map[observation.Step][]string{}
	for _, r := range rt.Rules() {
		if step, ok := rt.Step(r.ID); ok {
			out[step] = append(out[step], r.ID)
		}
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out
}

// Steps builds the measurement table from the observations and the
// findings that remain after the policy was applied. Each row lists the RT
// rules that judge its step.
func Steps(rep *verify.Report, findings []analysis.Finding) []Step {
	t := &table{rules: stepRules(), fired: map[string]bool{}}
	for _, f := range findings {
		if f.Rule != nil {
			t.fired[f.Rule.ID] = true
		}
	}
	res := rep.Result
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
	t.add(observation.StepStart, "", rep.StartTook, startDetail)

	var readyDetail, readySkipped string
	readyTook := st.ReadyAfter
	switch {
	case st.Ready && s.Readiness == "http":
		readyDetail = fmt.Sprintf("HTTP 2xx from GET %s on port %d, probed from the %s", s.HealthPath, s.Port, s.ProbeFrom)
	case st.Ready:
		readyDetail = "the image's HEALTHCHECK command passed"
	case st.StartFailed != "":
		readySkipped = "the container could not start"
	case st.Exited:
		readySkipped = "the container exited before it became ready"
	default:
		readyDetail = fmt.Sprintf("not ready within %s (last attempt: %s)", human(s.StartTimeout), st.LastProbe)
		readyTook = s.StartTimeout
	}
	ready := t.row(observation.StepReady, readySkipped, readyTook, readyDetail)
	if st.Ready && ready.Status == "fail" {
		// Ready, and still a finding: it took longer than the threshold.
		ready.Detail += fmt.Sprintf("; slower than %s", human(s.SlowStart))
	}
	t.steps = append(t.steps, ready)

	u := res.User
	t.add(observation.StepUser, u.Skipped, 0, fmt.Sprintf("PID 1 runs as uid %d: %s", u.UID, u.Command))

	t.add(observation.StepInFlight, res.InFlight.Skipped, res.InFlight.Duration, requestDetail(res.InFlight, "completed during shutdown", "was cut off"))
	t.add(observation.StepSIGTERM, res.Term.Skipped, res.Term.ExitAfter, stopDetail(res.Term, s.Grace))
	t.add(observation.StepDraining, res.Draining.Skipped, 0, drainingDetail(res.Draining))
	t.add(observation.StepSIGINT, res.Interrupt.Skipped, res.Interrupt.ExitAfter, stopDetail(res.Interrupt, s.Grace))

	reap := fmt.Sprintf("an orphaned process was reaped by PID 1 (%s)", res.Reap.Init)
	if res.Reap.Zombie {
		reap = fmt.Sprintf("an orphaned process stayed a zombie under PID 1 (%s)", res.Reap.Init)
	}
	t.add(observation.StepReap, res.Reap.Skipped, 0, reap)

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
	t.add(observation.StepReadOnly, ro.Skipped, roTook, roDetail)

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
	t.add(observation.StepWrites, res.Writes.Skipped, 0, wr)
	return t.steps
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

// ms formats a measured time: "850 ms", "12.3 s".
func ms(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// mib formats a memory limit: "512 MiB", "1 GiB".
func mib(b int64) string {
	if b%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", b>>30)
	}
	return fmt.Sprintf("%d MiB", b>>20)
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
