package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/rules"
	"github.com/seaworthy-dev/seaworthy/verify"
	"github.com/seaworthy-dev/seaworthy/verify/present"
)

// testOptions are shorter than the defaults so the samples run quickly,
// with margins for a busy machine: an 8 s grace period, a 10 s start
// timeout, the /slow endpoint of the samples.
func testOptions(image string) verify.Options {
	return verify.Options{
		Image:        image,
		SlowPath:     "/slow",
		Grace:        8 * time.Second,
		StartTimeout: 10 * time.Second,
	}
}

// runs limits how many verify runs go on at once (each starts three
// containers) so timing stays realistic on a small machine.
var runs = make(chan struct{}, 3)

func runVerify(t *testing.T, e *testEnv, opts verify.Options) (*verify.Report, []analysis.Finding) {
	t.Helper()
	runs <- struct{}{}
	defer func() { <-runs }()
	rep, err := verify.Run(context.Background(), e.eng, opts)
	if err != nil {
		t.Fatalf("verify %s: %v", opts.Image, err)
	}
	return rep, verify.Findings(rep, rules.Registry())
}

func ids(findings []analysis.Finding) []string {
	out := []string{}
	for _, f := range findings {
		out = append(out, f.Rule.ID)
	}
	sort.Strings(out)
	return out
}

// samples: each RT rule fires on its own bad sample and nowhere it should
// not; the good sample and the two readiness variants are silent.
var samples = []struct {
	name string
	want []string
	// msg must match the message of the first wanted finding.
	msg  string
	opts func(*verify.Options)
	// skipped steps expected (by name); all others must have run.
	skipped []string
}{
	{name: "good"},
	{name: "rt001-crash", want: []string{"RT001"}, msg: `exited with code 1 .*DATABASE_URL is not set`,
		skipped: []string{"ready", "user", "in-flight request", "SIGTERM", "draining", "SIGINT", "zombie reaping", "read-only root", "file writes"}},
	{name: "rt002-loopback", want: []string{"RT002"}, msg: `listens on 127\.0\.0\.1:3000 only`,
		opts:    func(o *verify.Options) { o.StartTimeout = 4 * time.Second },
		skipped: []string{"user", "in-flight request", "SIGTERM", "draining", "SIGINT", "zombie reaping", "read-only root", "file writes"}},
	{name: "rt003-root", want: []string{"RT003"}, msg: `runs as uid 0 \(root\): the image sets no USER`},
	{name: "rt004-sigterm-ignored", want: []string{"RT004"}, msg: `still running 8\.0 s after SIGTERM`},
	{name: "rt005-exits-immediately", want: []string{"RT005"}, msg: `GET /slow was in flight .* did not complete`},
	{name: "rt006-unclean-exit", want: []string{"RT006"}, msg: `exited with code 1; .*pool already ended`},
	{name: "rt007-sigint-ignored", want: []string{"RT007"}, msg: `still running 8\.0 s after SIGINT`},
	{name: "rt008-no-init", want: []string{"RT008"}, msg: `stayed a zombie: PID 1 \(.node server\.js.\)`},
	{name: "rt009-needs-writable-root", want: []string{"RT009"}, msg: `read-only root filesystem .* exited with code 1 .*not writable: EROFS`},
	{name: "rt010-logs-to-file", want: []string{"RT010"}, msg: `added /app/logs/app\.log`},
	{name: "rt011-slow-start", want: []string{"RT011"}, msg: `took \d+\.\d s to become ready \(threshold 2\.0 s\)`,
		opts: func(o *verify.Options) { o.SlowStart = 2 * time.Second }},
	{name: "rt012-accepts-after-sigterm", want: []string{"RT012"}, msg: `served normally \(HTTP 200\)`},
	// The named variants that break several things at once.
	{name: "shell-form-cmd", want: []string{"RT004", "RT007", "RT012"}, msg: `PID 1 is ./bin/sh -c node server\.js.`},
	{name: "node-pid1-no-handler", want: []string{"RT004", "RT007", "RT008", "RT012"}, msg: `PID 1 is .node server\.js.`},
	// Readiness from the HEALTHCHECK command (no EXPOSE): no HTTP requests.
	{name: "healthcheck-cmd", skipped: []string{"in-flight request", "draining"},
		opts: func(o *verify.Options) { o.StartTimeout = 20 * time.Second }},
	// No shell: the orphan test cannot run; everything else does.
	{name: "no-shell", skipped: []string{"zombie reaping"}},
	// CMD names a program the image lacks: the engine cannot start it.
	{name: "missing-command", want: []string{"RT001"}, msg: `could not start: .*nodejs-server.*not found`,
		skipped: []string{"ready", "user", "in-flight request", "SIGTERM", "draining", "SIGINT", "zombie reaping", "read-only root", "file writes"}},
}

func TestSamples(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			opts := testOptions(e.sample(t, s.name))
			if s.opts != nil {
				s.opts(&opts)
			}
			rep, findings := runVerify(t, e, opts)
			steps := present.Steps(rep, findings)
			t.Logf("%s: %v", s.name, ids(findings))
			for _, f := range findings {
				t.Logf("  %s %s", f.Rule.ID, f.Message)
			}
			want := s.want
			if want == nil {
				want = []string{}
			}
			if got := ids(findings); !slices.Equal(got, want) {
				t.Errorf("findings = %v, want %v", got, want)
				for _, st := range steps {
					t.Logf("  step %-18s %-4s %s", st.Name, st.Status, st.Detail)
				}
			}
			if s.msg != "" && len(findings) > 0 {
				if !regexp.MustCompile(s.msg).MatchString(findings[0].Message) {
					t.Errorf("%s message %q does not match %q", findings[0].Rule.ID, findings[0].Message, s.msg)
				}
			}
			for _, f := range findings {
				if f.File != opts.Image || f.Range.Start.Line != 0 {
					t.Errorf("%s: File %q line %d, want the image reference and no line", f.Rule.ID, f.File, f.Range.Start.Line)
				}
			}
			var skipped []string
			for _, st := range steps {
				if st.Status == "skip" {
					skipped = append(skipped, string(st.Name))
					if !strings.HasPrefix(st.Detail, "not tested: ") {
						t.Errorf("skipped step %s does not say why: %q", st.Name, st.Detail)
					}
				}
			}
			if !slices.Equal(skipped, s.skipped) {
				t.Errorf("skipped steps = %v, want %v", skipped, s.skipped)
				for _, st := range steps {
					t.Logf("  step %-18s %-4s %s", st.Name, st.Status, st.Detail)
				}
			}
		})
	}
}

// TestGoodSample checks the full measurement table of the good sample and
// logs verify's own overhead (a figure to report, not a timed assertion:
// `go test ./verify -run TestGoodSample -v` prints the breakdown).
func TestGoodSample(t *testing.T) {
	e := engineEnv(t)
	opts := testOptions(e.sample(t, "good"))
	rep, findings := runVerify(t, e, opts)
	if len(findings) != 0 {
		t.Fatalf("findings on the good sample: %v", ids(findings))
	}
	steps := present.Steps(rep, findings)
	var sb strings.Builder
	present.WriteText(&sb, rep, steps, false)
	t.Logf("\n%s", sb.String())
	for _, st := range steps {
		if st.Status != "pass" {
			t.Errorf("step %s: %s (%s)", st.Name, st.Status, st.Detail)
		}
	}
	m := present.NewMeasurements(rep, steps)
	for k, measured := range map[string]bool{
		"ready_ms": m.ReadyMS != nil, "uid": m.UID != nil, "sigterm_exit_ms": m.SIGTERMExitMS != nil, "exit_code": m.ExitCode != nil,
		"inflight_status": m.InFlightStatus != nil, "sigint_exit_ms": m.SIGINTExitMS != nil, "zombie": m.Zombie != nil,
		"readonly_ready_ms": m.ReadOnlyReadyMS != nil, "writes": m.Writes != nil,
	} {
		if !measured {
			t.Errorf("measurement %s is null", k)
		}
	}
	if t.Failed() {
		return
	}
	if *m.UID != 1000 || *m.ExitCode != 0 || *m.InFlightStatus != 200 || *m.Zombie || len(m.Writes) != 0 {
		t.Errorf("measurements: uid %d exit_code %d inflight_status %d zombie %v writes %q", *m.UID, *m.ExitCode, *m.InFlightStatus, *m.Zombie, m.Writes)
	}
	tm := rep.Timing
	t.Logf("wall %s = app %s + engine starting containers %s + overhead %s", tm.Wall, tm.Waiting, tm.EngineStart, tm.Overhead)
	for _, p := range tm.Phases {
		t.Logf("  overhead %-8s %s", p.Name, p.Overhead)
	}
	for _, c := range tm.Calls {
		t.Logf("  engine %-18s ×%d %s", c.Op, c.Count, c.Total)
	}
}

// TestProberContainer probes from a prober container made of the static
// seaworthy binary, as when the engine's network is out of reach.
func TestProberContainer(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	for _, c := range []struct {
		name string
		want []string
	}{{"good", []string{}}, {"rt002-loopback", []string{"RT002"}}, {"rt012-accepts-after-sigterm", []string{"RT012"}}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opts := testOptions(e.sample(t, c.name))
			opts.Probe, opts.ProberBinary = "container", e.bin
			if c.name == "rt002-loopback" {
				opts.StartTimeout = 4 * time.Second
			}
			rep, findings := runVerify(t, e, opts)
			if got := rep.Result.Settings.ProbeFrom; got != "prober container" {
				t.Errorf("probes came from %q", got)
			}
			if got := ids(findings); !slices.Equal(got, c.want) {
				t.Errorf("via the prober: findings %v, want %v", got, c.want)
				for _, f := range findings {
					t.Logf("  %s %s", f.Rule.ID, f.Message)
				}
			}
		})
	}
}

func TestWrongPort(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	opts := testOptions(e.sample(t, "good"))
	opts.Port, opts.StartTimeout = 4000, 2*time.Second
	_, findings := runVerify(t, e, opts)
	if got := ids(findings); !slices.Equal(got, []string{"RT002"}) {
		t.Fatalf("findings %v, want [RT002]", got)
	}
	if msg := findings[0].Message; !strings.Contains(msg, "listens on [::]:3000, not on port 4000") {
		t.Errorf("message %q does not say where it listens", msg)
	}
}

func TestBadInput(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	for _, c := range []struct {
		image, want string
	}{
		{"seaworthy-test/does-not-exist:1", `image "seaworthy-test/does-not-exist:1" not found in the Docker engine`},
		{e.sample(t, "no-command"), `has no ENTRYPOINT or CMD`},
	} {
		_, err := verify.Run(context.Background(), e.eng, testOptions(c.image))
		var ve *verify.Error
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want a *verify.Error containing %q", c.image, err, c.want)
		}
	}
}

func TestTimeout(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	opts := testOptions(e.sample(t, "rt011-slow-start"))
	opts.Timeout = 1500 * time.Millisecond
	_, err := verify.Run(context.Background(), e.eng, opts)
	if err == nil || !strings.Contains(err.Error(), "did not finish within 1.5s") {
		t.Fatalf("error %v, want the --timeout message", err)
	}
}

// TestLeftoversRemoved: resources of a run whose process is gone are
// removed by the next run; those of a live run are not.
func TestLeftoversRemoved(t *testing.T) {
	e := engineEnv(t)
	ctx := context.Background()
	host, _ := os.Hostname()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	mk := func(owner string) string {
		labels := map[string]string{verify.LabelRun: "leftover" + owner, verify.LabelOwner: owner,
			verify.LabelExpires: strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)}
		id, err := e.eng.CreateContainer(ctx, engine.ContainerSpec{Image: baseImage, Labels: labels, Cmd: []string{"true"}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	stale := mk(fmt.Sprintf("%s/%d", host, dead.Process.Pid))
	live := mk(fmt.Sprintf("%s/%d", host, os.Getpid()))
	defer e.eng.RemoveContainer(ctx, live)
	rep, _ := runVerify(t, e, testOptions(e.sample(t, "good")))
	if _, err := e.eng.Inspect(ctx, stale); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("the dead run's container is still there (%v)", err)
	}
	if _, err := e.eng.Inspect(ctx, live); err != nil {
		t.Errorf("the live run's container was removed: %v", err)
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, "removed 1 leftover") }) {
		t.Errorf("notes %q do not mention the removed leftover", rep.Notes)
	}
}

// cliRun runs the static seaworthy binary.
func cliRun(e *testEnv, host string, args ...string) *exec.Cmd {
	cmd := exec.Command(e.bin, args...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+host, "NO_COLOR=1")
	return cmd
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestCLI runs `seaworthy verify` end to end: the good sample exits 0 with
// the measurement table, a bad one exits 1 with its finding, JSON carries
// the measurements, and no engine is exit 2.
func TestCLI(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	out, err := cliRun(e, e.host, "verify", e.sample(t, "good"), "--slow-path", "/slow").CombinedOutput()
	if exitCode(err) != 0 {
		t.Fatalf("good sample: exit %d\n%s", exitCode(err), out)
	}
	t.Logf("\n%s", out)
	for _, want := range []string{"✓ ready", "✓ SIGTERM", "✓ in-flight request", "✓ zombie reaping", "✓ read-only root", "verify's own overhead", "No problems found"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("text output lacks %q", want)
		}
	}

	out, err = cliRun(e, e.host, "verify", e.sample(t, "rt003-root"), "--format", "json", "--grace", "8s").Output()
	if exitCode(err) != 1 {
		t.Fatalf("root sample: exit %d\n%s", exitCode(err), out)
	}
	var doc struct {
		Findings []struct {
			Rule, File string
			Line       *int
		}
		Measurements map[string]any
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, out)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Rule != "RT003" || doc.Findings[0].File != e.sample(t, "rt003-root") || doc.Findings[0].Line != nil {
		t.Errorf("findings %+v, want one RT003 on the image with no line", doc.Findings)
	}
	if doc.Measurements["uid"] != float64(0) || doc.Measurements["ready_ms"] == nil || doc.Measurements["steps"] == nil {
		t.Errorf("measurements %v", doc.Measurements)
	}

	out, err = cliRun(e, "unix:///nonexistent/docker.sock", "verify", "x").CombinedOutput()
	if exitCode(err) != 2 || !strings.Contains(string(out), "cannot reach the Docker engine at unix:///nonexistent/docker.sock") {
		t.Errorf("no engine: exit %d, %s", exitCode(err), out)
	}
	out, err = cliRun(e, e.host, "verify", "seaworthy-test/nope").CombinedOutput()
	if exitCode(err) != 2 || !strings.Contains(string(out), `image "seaworthy-test/nope" not found`) {
		t.Errorf("unknown image: exit %d, %s", exitCode(err), out)
	}
}

// waitOwned waits until a resource owned by pid exists.
func waitOwned(t *testing.T, e *testEnv, pid int, kind string) {
	t.Helper()
	host, _ := os.Hostname()
	owner := fmt.Sprintf("%s/%d", host, pid)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range e.owned(t) {
			if r.Labels[verify.LabelOwner] == owner && r.Kind == kind {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s of process %d appeared", kind, pid)
}

func ownedBy(t *testing.T, e *testEnv, pid int) []engine.Resource {
	host, _ := os.Hostname()
	owner := fmt.Sprintf("%s/%d", host, pid)
	var out []engine.Resource
	for _, r := range e.owned(t) {
		if r.Labels[verify.LabelOwner] == owner {
			out = append(out, r)
		}
	}
	return out
}

// TestInterrupt: Ctrl-C in the middle of a run removes everything the run
// created and exits 2.
func TestInterrupt(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	cmd := cliRun(e, e.host, "verify", e.sample(t, "rt011-slow-start"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitOwned(t, e, cmd.Process.Pid, "container")
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if exitCode(err) != 2 || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want 2 and \"interrupted\"", exitCode(err), stderr.String())
	}
	if left := ownedBy(t, e, cmd.Process.Pid); len(left) > 0 {
		t.Errorf("left behind after Ctrl-C: %v", left)
	}
}

// TestEngineGone: the engine stops answering mid-run (the test cuts a
// proxy in front of it). verify exits 2 saying so; what it could not
// remove is removed by the next run.
func TestEngineGone(t *testing.T) {
	e := engineEnv(t)
	t.Parallel()
	target := strings.TrimPrefix(e.host, "unix://")
	sock := filepath.Join(e.dir, fmt.Sprintf("proxy-%d.sock", time.Now().UnixNano()%1e6))
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("unix", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, u)
			mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.Copy(c, u); c.Close() }()
		}
	}()
	cmd := cliRun(e, "unix://"+sock, "verify", e.sample(t, "rt011-slow-start"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitOwned(t, e, cmd.Process.Pid, "container")
	time.Sleep(300 * time.Millisecond)
	ln.Close()
	mu.Lock()
	for _, c := range conns {
		c.Close()
	}
	mu.Unlock()
	err = cmd.Wait()
	if exitCode(err) != 2 || !strings.Contains(stderr.String(), "stopped answering") {
		t.Errorf("exit %d, stderr %q; want 2 and \"stopped answering\"", exitCode(err), stderr.String())
	}
	t.Logf("stderr: %s", stderr.String())
	pid := cmd.Process.Pid
	if len(ownedBy(t, e, pid)) == 0 {
		t.Log("nothing was left behind to sweep")
		return
	}
	// The next run removes the dead run's leftovers.
	_, err = verify.Run(context.Background(), e.eng, verify.Options{Image: "seaworthy-test/nope"})
	var ve *verify.Error
	if !errors.As(err, &ve) {
		t.Fatalf("expected image not found, got %v", err)
	}
	t.Logf("next run: %v; notes %q", err, ve.Notes)
	if left := ownedBy(t, e, pid); len(left) > 0 {
		t.Errorf("the next run did not remove %v", left)
	}
}
