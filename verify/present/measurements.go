package present

import (
	"time"

	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/verify"
)

// Measurements is the "measurements" object of `seaworthy verify --format
// json`: every measured value, the step table and the timing. A value that
// could not be measured is null (a nil pointer or slice).
//
// The fields are in the alphabetical order of their JSON keys: the output
// had that order when it was built from maps, and keeps it.
type Measurements struct {
	DrainingError  *string `json:"draining_error"`
	DrainingMS     *int64  `json:"draining_ms"`
	DrainingStatus *int    `json:"draining_status"`
	// EarlyExitCode is there only when the first container exited by
	// itself, before or after it became ready.
	EarlyExitCode *int           `json:"early_exit_code,omitempty"`
	Engine        MeasuredEngine `json:"engine"`
	// ExitCode is the same as SIGTERMExitCode.
	ExitCode        *int              `json:"exit_code"`
	ExitedEarly     bool              `json:"exited_early"`
	GraceMS         int64             `json:"grace_ms"`
	Image           string            `json:"image"`
	ImageID         string            `json:"image_id"`
	InFlightError   *string           `json:"inflight_error"`
	InFlightMS      *int64            `json:"inflight_ms"`
	InFlightStatus  *int              `json:"inflight_status"`
	PID1            *string           `json:"pid1"`
	Readiness       MeasuredReadiness `json:"readiness"`
	ReadOnlyReadyMS *int64            `json:"readonly_ready_ms"`
	ReadyMS         *int64            `json:"ready_ms"`
	SIGINTExitCode  *int              `json:"sigint_exit_code"`
	SIGINTExitMS    *int64            `json:"sigint_exit_ms"`
	SIGINTKilled    *bool             `json:"sigint_killed"`
	SIGTERMExitCode *int              `json:"sigterm_exit_code"`
	SIGTERMExitMS   *int64            `json:"sigterm_exit_ms"`
	SIGTERMKilled   *bool             `json:"sigterm_killed"`
	SlowStartMS     int64             `json:"slow_start_ms"`
	StartMS         int64             `json:"start_ms"`
	Steps           []MeasuredStep    `json:"steps"`
	Timing          MeasuredTiming    `json:"timing"`
	UID             *int              `json:"uid"`
	// Writes are the files written outside /tmp and the volumes, as
	// "A /path" (added), "C" (changed) or "D" (deleted); empty, not null,
	// when there were none.
	Writes []string `json:"writes"`
	Zombie *bool    `json:"zombie"`
}

// MeasuredEngine is the engine the run used.
type MeasuredEngine struct {
	APIVersion string `json:"api_version"` // negotiated
	Host       string `json:"host"`
	Version    string `json:"version"`
}

// MeasuredReadiness is how readiness was probed.
type MeasuredReadiness struct {
	From           *string `json:"from"` // "engine host" or "prober container"
	HealthPath     *string `json:"health_path"`
	Mode           string  `json:"mode"` // "http" or "healthcheck"
	Port           *int    `json:"port"`
	StartTimeoutMS int64   `json:"start_timeout_ms"`
	URL            *string `json:"url"`
}

// MeasuredStep is a row of the measurement table.
type MeasuredStep struct {
	Detail string           `json:"detail"`
	MS     *int64           `json:"ms,omitempty"` // absent when the step has no time to show
	Name   observation.Step `json:"name"`
	Rules  []string         `json:"rules"`
	Status string           `json:"status"`
}

// MeasuredTiming is the run's wall time split three ways (verify.Timing).
type MeasuredTiming struct {
	AppMS             int64                   `json:"app_ms"`
	EngineCalls       map[string]MeasuredCall `json:"engine_calls"` // by operation
	EngineStartMS     int64                   `json:"engine_start_ms"`
	OverheadByPhaseMS map[string]int64        `json:"overhead_by_phase_ms"`
	OverheadMS        int64                   `json:"overhead_ms"`
	WallMS            int64                   `json:"wall_ms"`
}

// MeasuredCall is the count and total time of one engine operation.
type MeasuredCall struct {
	Count int   `json:"count"`
	MS    int64 `json:"ms"`
}

// NewMeasurements collects the measurements of a run and its table.
func NewMeasurements(rep *verify.Report, steps []Step) *Measurements {
	res := rep.Result
	s, st := res.Settings, res.Start
	m := &Measurements{
		Image:   res.Image,
		ImageID: res.ImageID,
		Engine:  MeasuredEngine{Host: rep.Engine.Host, Version: rep.Engine.ServerVersion, APIVersion: rep.Engine.APIVersion},
		Readiness: MeasuredReadiness{
			Mode: s.Readiness, URL: nonEmpty(rep.ProbeURL), From: nonEmpty(s.ProbeFrom),
			Port: nonZero(s.Port), HealthPath: nonEmpty(s.HealthPath), StartTimeoutMS: s.StartTimeout.Milliseconds(),
		},
		GraceMS:     s.Grace.Milliseconds(),
		SlowStartMS: s.SlowStart.Milliseconds(),
		StartMS:     rep.StartTook.Milliseconds(),
		ExitedEarly: st.Exited || st.StartFailed != "",
		PID1:        nonEmpty(res.User.Command),
	}
	if st.Ready {
		m.ReadyMS = msOf(st.ReadyAfter)
	}
	if st.Exited || st.ExitedAfterReady {
		m.EarlyExitCode = ptr(st.ExitCode)
	}
	if res.User.Skipped == "" && st.Ready {
		m.UID = ptr(res.User.UID)
	}
	m.SIGTERMExitMS, m.SIGTERMExitCode, m.SIGTERMKilled = stopped(res.Term)
	m.SIGINTExitMS, m.SIGINTExitCode, m.SIGINTKilled = stopped(res.Interrupt)
	m.ExitCode = m.SIGTERMExitCode
	m.InFlightStatus, m.InFlightError, m.InFlightMS = requested(res.InFlight)
	m.DrainingStatus, m.DrainingError, m.DrainingMS = requested(res.Draining)
	if res.Reap.Skipped == "" && st.Ready {
		m.Zombie = ptr(res.Reap.Zombie)
	}
	if res.ReadOnly.Ready {
		m.ReadOnlyReadyMS = msOf(res.ReadOnly.ReadyAfter)
	}
	if res.Writes.Skipped == "" && st.Ready {
		m.Writes = []string{}
		for _, c := range res.Writes.Changes {
			m.Writes = append(m.Writes, c.Kind+" "+c.Path)
		}
	}
	for _, st := range steps {
		row := MeasuredStep{Name: st.Name, Rules: st.Rules, Status: st.Status, Detail: st.Detail}
		if st.Took > 0 {
			row.MS = msOf(st.Took)
		}
		m.Steps = append(m.Steps, row)
	}
	t := rep.Timing
	m.Timing = MeasuredTiming{
		WallMS: t.Wall.Milliseconds(), AppMS: t.Waiting.Milliseconds(), EngineStartMS: t.EngineStart.Milliseconds(),
		OverheadMS: t.Overhead.Milliseconds(), OverheadByPhaseMS: map[string]int64{}, EngineCalls: map[string]MeasuredCall{},
	}
	for _, p := range t.Phases {
		m.Timing.OverheadByPhaseMS[p.Name] += p.Overhead.Milliseconds()
	}
	for _, c := range t.Calls {
		m.Timing.EngineCalls[c.Op] = MeasuredCall{Count: c.Count, MS: c.Total.Milliseconds()}
	}
	return m
}

// stopped measures a signal test: null unless the signal was sent and the
// container exited or was killed.
func stopped(st observation.Stop) (exitMS *int64, code *int, killed *bool) {
	if st.Skipped == "" && st.Signal != "" && (st.Exited || st.Killed) {
		return msOf(st.ExitAfter), ptr(st.ExitCode), ptr(st.Killed)
	}
	return nil, nil, nil
}

// requested measures a request test: null unless the request was sent.
func requested(r observation.Request) (status *int, err *string, took *int64) {
	if r.Skipped == "" && r.Path != "" {
		return nonZero(r.Status), nonEmpty(r.Err), msOf(r.Duration)
	}
	return nil, nil, nil
}

func ptr[T any](v T) *T { return &v }

func msOf(d time.Duration) *int64 { return ptr(d.Milliseconds()) }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return ptr(s)
}

func nonZero(n int) *int {
	if n == 0 {
		return nil
	}
	return ptr(n)
}
