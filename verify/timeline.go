package verify

import (
	"context"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
)

// Timing splits a run's wall time three ways: waiting for the app (its
// start-up, the slow request, its shutdown, the orphan's life), waiting for
// the engine to start containers (`docker start`: namespaces, network,
// runc), and verify's own overhead: every other engine call (inspect, exec,
// diff, kill, remove, network) and seaworthy's own work, counted only where
// nothing of the first two ran at the same time.
type Timing struct {
	Wall, Waiting, EngineStart, Overhead time.Duration
	// Phases is the overhead of each phase of the run, in order.
	Phases []Phase
	// Calls are the engine API calls by operation (their durations add up
	// to more than the wall time when calls ran in parallel).
	Calls []Call
}

// Phase is one part of the run with its overhead.
type Phase struct {
	Name     string
	Overhead time.Duration
}

// Call is the count and total duration of one engine operation.
type Call struct {
	Op    string
	Count int
	Total time.Duration
}

type span struct{ from, to time.Time }

// Kinds of spans.
const (
	waitApp   = iota // the app's own time
	waitStart        // the engine starting a container
)

// timeline records waits, phases and engine calls.
type timeline struct {
	mu     sync.Mutex
	start  time.Time
	waits  [2][]span
	phases []struct {
		name string
		at   time.Time
	}
	calls map[string]*Call
}

func newTimeline() *timeline {
	return &timeline{start: time.Now(), calls: map[string]*Call{}}
}

// wait records that [from, now) was spent waiting for the app.
func (t *timeline) wait(from time.Time) {
	t.waitSpan(waitApp, from, time.Now())
}

func (t *timeline) waitSpan(kind int, from, to time.Time) {
	if !to.After(from) {
		return
	}
	t.mu.Lock()
	t.waits[kind] = append(t.waits[kind], span{from, to})
	t.mu.Unlock()
}

// phase starts a named phase of the main flow.
func (t *timeline) phase(name string) {
	t.mu.Lock()
	t.phases = append(t.phases, struct {
		name string
		at   time.Time
	}{name, time.Now()})
	t.mu.Unlock()
}

func (t *timeline) call(op string, d time.Duration) {
	t.mu.Lock()
	c := t.calls[op]
	if c == nil {
		c = &Call{Op: op}
		t.calls[op] = c
	}
	c.Count++
	c.Total += d
	t.mu.Unlock()
}

// finish computes the Timing up to now.
func (t *timeline) finish() Timing {
	t.mu.Lock()
	defer t.mu.Unlock()
	end := time.Now()
	app := mergeSpans(t.waits[waitApp])
	merged := mergeSpans(append(append([]span(nil), t.waits[waitApp]...), t.waits[waitStart]...))
	out := Timing{Wall: end.Sub(t.start)}
	out.Waiting = covered(app, t.start, end)
	out.EngineStart = covered(merged, t.start, end) - out.Waiting
	out.Overhead = out.Wall - out.Waiting - out.EngineStart
	for i, p := range t.phases {
		to := end
		if i+1 < len(t.phases) {
			to = t.phases[i+1].at
		}
		out.Phases = append(out.Phases, Phase{Name: p.name, Overhead: to.Sub(p.at) - covered(merged, p.at, to)})
	}
	if len(t.phases) > 0 && t.phases[0].at.After(t.start) {
		first := t.phases[0].at
		out.Phases = append([]Phase{{Name: "init", Overhead: first.Sub(t.start) - covered(merged, t.start, first)}}, out.Phases...)
	}
	for _, c := range t.calls {
		out.Calls = append(out.Calls, *c)
	}
	sort.Slice(out.Calls, func(i, j int) bool { return out.Calls[i].Total > out.Calls[j].Total })
	return out
}

func mergeSpans(spans []span) []span {
	s := append([]span(nil), spans...)
	sort.Slice(s, func(i, j int) bool { return s[i].from.Before(s[j].from) })
	var out []span
	for _, sp := range s {
		if n := len(out); n > 0 && !sp.from.After(out[n-1].to) {
			if sp.to.After(out[n-1].to) {
				out[n-1].to = sp.to
			}
			continue
		}
		out = append(out, sp)
	}
	return out
}

// covered is how much of [from, to) the merged spans cover.
func covered(merged []span, from, to time.Time) time.Duration {
	var d time.Duration
	for _, s := range merged {
		a, b := s.from, s.to
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		if b.After(a) {
			d += b.Sub(a)
		}
	}
	return d
}

// timed wraps an Engine and records the duration of every call.
type timed struct {
	engine.Engine
	tl *timeline
}

func (e timed) rec(op string, t0 time.Time) { e.tl.call(op, time.Since(t0)) }

func (e timed) Ping(ctx context.Context) (engine.Info, error) {
	defer e.rec("ping", time.Now())
	return e.Engine.Ping(ctx)
}
func (e timed) Image(ctx context.Context, ref string) (*engine.Image, error) {
	defer e.rec("image inspect", time.Now())
	return e.Engine.Image(ctx, ref)
}
func (e timed) CreateNetwork(ctx context.Context, s engine.NetworkSpec) (string, error) {
	defer e.rec("network create", time.Now())
	return e.Engine.CreateNetwork(ctx, s)
}
func (e timed) RemoveNetwork(ctx context.Context, id string) error {
	defer e.rec("network remove", time.Now())
	return e.Engine.RemoveNetwork(ctx, id)
}
func (e timed) CreateContainer(ctx context.Context, s engine.ContainerSpec) (string, error) {
	defer e.rec("container create", time.Now())
	return e.Engine.CreateContainer(ctx, s)
}
func (e timed) StartContainer(ctx context.Context, id string) error {
	t0 := time.Now()
	defer func() {
		e.rec("container start", t0)
		e.tl.waitSpan(waitStart, t0, time.Now())
	}()
	return e.Engine.StartContainer(ctx, id)
}
func (e timed) Inspect(ctx context.Context, id string) (*engine.Container, error) {
	defer e.rec("container inspect", time.Now())
	return e.Engine.Inspect(ctx, id)
}
func (e timed) Signal(ctx context.Context, id, sig string) error {
	defer e.rec("container kill", time.Now())
	return e.Engine.Signal(ctx, id, sig)
}
func (e timed) RemoveContainer(ctx context.Context, id string) error {
	defer e.rec("container remove", time.Now())
	return e.Engine.RemoveContainer(ctx, id)
}
func (e timed) Changes(ctx context.Context, id string) ([]engine.Change, error) {
	defer e.rec("container diff", time.Now())
	return e.Engine.Changes(ctx, id)
}
func (e timed) Logs(ctx context.Context, id string, tail int) (string, error) {
	defer e.rec("container logs", time.Now())
	return e.Engine.Logs(ctx, id, tail)
}
func (e timed) Exec(ctx context.Context, id string, s engine.ExecSpec) (*engine.ExecResult, error) {
	defer e.rec("exec", time.Now())
	return e.Engine.Exec(ctx, id, s)
}
func (e timed) Session(ctx context.Context, id string, cmd []string) (*engine.Session, error) {
	defer e.rec("exec session", time.Now())
	return e.Engine.Session(ctx, id, cmd)
}
func (e timed) ImportImage(ctx context.Context, r io.Reader, ref string, changes []string) (string, error) {
	defer e.rec("image import", time.Now())
	return e.Engine.ImportImage(ctx, r, ref, changes)
}
func (e timed) RemoveImage(ctx context.Context, id string) error {
	defer e.rec("image remove", time.Now())
	return e.Engine.RemoveImage(ctx, id)
}
func (e timed) Owned(ctx context.Context, label string) ([]engine.Resource, error) {
	defer e.rec("list owned", time.Now())
	return e.Engine.Owned(ctx, label)
}
