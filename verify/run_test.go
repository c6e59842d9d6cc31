package verify_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/engine"
	rtrules "github.com/seaworthy-dev/seaworthy/rules/rt"
	"github.com/seaworthy-dev/seaworthy/verify"
	"github.com/seaworthy-dev/seaworthy/verify/present"
)

// These tests run verify against the fake engine (fake_test.go), each in a
// synctest bubble: time is the bubble's, so the durations below are the
// run's settings, not margins for a slow machine.

func fakeOptions(image string) verify.Options {
	return verify.Options{Image: image, SlowPath: "/slow", Grace: 700 * time.Millisecond,
		StartTimeout: 1500 * time.Millisecond, SlowStart: time.Second, Probe: "host"}
}

// fakeRun runs verify against f and returns what the user would see: the
// findings and the measurement table.
func fakeRun(t *testing.T, f *fake, ctx context.Context, opts verify.Options) (*verify.Report, []analysis.Finding, []present.Step, error) {
	t.Helper()
	defer f.shutdown()
	rep, err := verify.RunWith(ctx, f, f.prober(), opts)
	if err != nil {
		return rep, nil, nil, err
	}
	findings := verify.Findings(rep, analysis.NewRegistry(rtrules.Rules()...))
	return rep, findings, present.Steps(rep, findings), nil
}

func ruleIDs(findings []analysis.Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, f.Rule.ID)
	}
	slices.Sort(out)
	return out
}

func stepsWith(steps []present.Step, status string) []string {
	var out []string
	for _, st := range steps {
		if st.Status == status {
			out = append(out, string(st.Name))
		}
	}
	return out
}

// TestRunWithFake drives the verify logic with a scripted engine: each
// behaviour makes exactly its rule fire and marks its step of the table.
func TestRunWithFake(t *testing.T) {
	afterReady := []string{"user", "in-flight request", "SIGTERM", "draining", "SIGINT", "zombie reaping", "read-only root", "file writes"}
	afterStart := append([]string{"ready"}, afterReady...)
	for _, c := range []struct {
		name string
		app  fakeApp
		opts func(*verify.Options)
		want []string
		msg  string // matches the first finding's message
		// failed and skipped are the steps marked ✗ and – in the table.
		failed, skipped []string
	}{
		{name: "good", app: fakeApp{uid: 1000}},
		{name: "crash", app: fakeApp{uid: 1000, crash: 1, startDelay: 400 * time.Millisecond}, want: []string{"RT001"}, msg: `exited with code 1 .*DATABASE_URL is not set`,
			failed: []string{"start"}, skipped: afterStart},
		{name: "no-start", app: fakeApp{noStart: true}, want: []string{"RT001"}, msg: `could not start: exec: "nodejs-server": executable file not found`,
			failed: []string{"start"}, skipped: afterStart},
		{name: "loopback", app: fakeApp{uid: 1000, loopback: true}, want: []string{"RT002"}, msg: `listens on 127\.0\.0\.1:3000 only`,
			failed: []string{"ready"}, skipped: afterReady},
		{name: "root", app: fakeApp{uid: 0}, want: []string{"RT003"}, msg: `runs as uid 0`, failed: []string{"user"}},
		{name: "sigterm-ignored", app: fakeApp{uid: 1000, onTerm: "ignore"}, want: []string{"RT004", "RT012"}, msg: `still running 700 ms after SIGTERM`,
			failed: []string{"SIGTERM", "draining"}},
		{name: "exits-now", app: fakeApp{uid: 1000, onTerm: "now"}, want: []string{"RT005"}, msg: `GET /slow was in flight`,
			failed: []string{"in-flight request"}},
		{name: "exit1", app: fakeApp{uid: 1000, onTerm: "exit1"}, want: []string{"RT006"}, msg: `exited with code 1; its last output: "closing the pool failed"`,
			failed: []string{"SIGTERM"}},
		{name: "sigint-ignored", app: fakeApp{uid: 1000, onInt: "ignore"}, want: []string{"RT007"}, msg: `still running 700 ms after SIGINT`,
			failed: []string{"SIGINT"}},
		{name: "zombies", app: fakeApp{uid: 1000, zombies: true}, want: []string{"RT008"}, msg: `pid 42`, failed: []string{"zombie reaping"}},
		{name: "read-only", app: fakeApp{uid: 1000, roFails: true}, want: []string{"RT009"}, msg: `EROFS`, failed: []string{"read-only root"}},
		{name: "writes", app: fakeApp{uid: 1000, writes: []engine.Change{{Kind: "C", Path: "/app"}, {Kind: "A", Path: "/app/app.log"}, {Kind: "A", Path: "/data/x"}}},
			want: []string{"RT010"}, msg: `added /app/app\.log$`, failed: []string{"file writes"}},
		// Ready after 1.12 s, above the 1 s threshold and within the 1.5 s
		// start timeout.
		{name: "slow-start", app: fakeApp{uid: 1000, startDelay: 1120 * time.Millisecond}, want: []string{"RT011"}, msg: `took 1\.\d s to become ready \(threshold 1\.0 s\)`,
			failed: []string{"ready"}},
		{name: "late-close", app: fakeApp{uid: 1000, onTerm: "late-close"}, opts: func(o *verify.Options) { o.Grace = 2 * time.Second },
			want: []string{"RT012"}, failed: []string{"draining"}},
		{name: "no-slow-path", app: fakeApp{uid: 1000, onTerm: "now"}, opts: func(o *verify.Options) { o.SlowPath = "" },
			skipped: []string{"in-flight request"}},
		{name: "no-shell", app: fakeApp{uid: 1000, noShell: true}, skipped: []string{"user", "zombie reaping"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(c.app)
				opts := fakeOptions("app:1")
				if c.opts != nil {
					c.opts(&opts)
				}
				_, findings, steps, err := fakeRun(t, f, context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, fd := range findings {
					t.Logf("%s %s", fd.Rule.ID, fd.Message)
				}
				if got := ruleIDs(findings); !slices.Equal(got, c.want) {
					t.Errorf("findings %v, want %v", got, c.want)
				}
				if c.msg != "" && len(findings) > 0 && !regexp.MustCompile(c.msg).MatchString(findings[0].Message) {
					t.Errorf("message %q does not match %q", findings[0].Message, c.msg)
				}
				failed, skipped := stepsWith(steps, "fail"), stepsWith(steps, "skip")
				if !slices.Equal(failed, c.failed) || !slices.Equal(skipped, c.skipped) {
					t.Errorf("failed steps %v, skipped %v; want %v and %v", failed, skipped, c.failed, c.skipped)
					for _, st := range steps {
						t.Logf("step %-18s %-4s %s", st.Name, st.Status, st.Detail)
					}
				}
				if left := f.leftovers(); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
			})
		})
	}
}

// TestFakeNoShell: without a shell the uid and the orphan test cannot be
// run, and the table says why.
func TestFakeNoShell(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rep, findings, steps, err := fakeRun(t, newFake(fakeApp{uid: 1000, noShell: true}), context.Background(), fakeOptions("app:1"))
		if err != nil {
			t.Fatal(err)
		}
		if len(findings) != 0 {
			t.Errorf("findings %v on a good app without a shell", ruleIDs(findings))
		}
		res := rep.Result
		if !strings.Contains(res.Reap.Skipped, "no shell") || !strings.Contains(res.User.Skipped, "no shell") {
			t.Errorf("reap skipped %q, user skipped %q; want both to say the image has no shell", res.Reap.Skipped, res.User.Skipped)
		}
		for _, st := range steps {
			if st.Status == "skip" && !strings.Contains(st.Detail, "not tested: could not") {
				t.Errorf("step %s: %q does not say why it was not tested", st.Name, st.Detail)
			}
		}
	})
}

func TestFakeErrors(t *testing.T) {
	for _, c := range []struct {
		name, image string
		dieAfter    int // engine calls that succeed; -1: none
		want        string
	}{
		{"missing image", "missing", 0, `image "missing" not found in the Docker engine at fake://engine`},
		{"no command", "nocmd", 0, `image "nocmd" has no ENTRYPOINT or CMD`},
		{"no engine", "app:1", -1, `cannot reach the Docker engine at fake://engine`},
		{"engine gone", "app:1", 8, `stopped answering during verify`},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(fakeApp{uid: 1000})
				f.dieAfter = c.dieAfter
				if c.dieAfter < 0 {
					f.calls, f.dieAfter = 1<<30, 1
				}
				_, _, _, err := fakeRun(t, f, context.Background(), fakeOptions(c.image))
				var ve *verify.Error
				if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("error %v, want a *verify.Error with %q", err, c.want)
				}
			})
		})
	}
}

// TestFakeCancel: cancelling the run (Ctrl-C) while the app starts up
// still removes everything.
func TestFakeCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(fakeApp{uid: 1000, startDelay: 5 * time.Second})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		opts := fakeOptions("app:1")
		opts.StartTimeout = 10 * time.Second
		_, _, _, err := fakeRun(t, f, ctx, opts)
		if err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Fatalf("error %v, want interrupted", err)
		}
		if left := f.leftovers(); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
		if len(f.created) < 2 {
			t.Errorf("created only %v before the cancel", f.created)
		}
	})
}

// TestFakeTimeout: a run that does not finish within --timeout stops with
// the timeout message and removes what it created.
func TestFakeTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(fakeApp{uid: 1000, startDelay: 5 * time.Second})
		opts := fakeOptions("app:1")
		opts.StartTimeout, opts.Timeout = 10*time.Second, 1500*time.Millisecond
		_, _, _, err := fakeRun(t, f, context.Background(), opts)
		if err == nil || !strings.Contains(err.Error(), "did not finish within 1.5s (--timeout)") {
			t.Fatalf("error %v, want the --timeout message", err)
		}
		if left := f.leftovers(); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
}
