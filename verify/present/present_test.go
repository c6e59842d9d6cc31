package present

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/report"
	rtrules "github.com/seaworthy-dev/seaworthy/rules/rt"
	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/verify"
)

var update = flag.Bool("update", false, "rewrite the .golden files of TestPresentation")

// presentationCases are finished runs, as Run returns them, covering every
// branch of the measurement table and the JSON measurements.
func presentationCases() map[string]*verify.Report {
	const ms = time.Millisecond
	settings := observation.Settings{Port: 3000, HealthPath: "/health", Readiness: "http", SlowPath: "/slow",
		ProbeFrom: "engine host", Grace: 10 * time.Second, StartTimeout: 30 * time.Second, SlowStart: 10 * time.Second}
	eng := engine.Info{Host: "unix:///var/run/docker.sock", ServerVersion: "20.10.24+dfsg1", APIVersion: "1.41", OS: "linux", Arch: "x86_64"}
	timing := verify.Timing{Wall: 3223 * ms, Waiting: 2363 * ms, EngineStart: 726 * ms, Overhead: 134 * ms,
		Phases: []verify.Phase{{Name: "init"}, {Name: "setup", Overhead: 50 * ms}, {Name: "start", Overhead: 12 * ms},
			{Name: "ready"}, {Name: "checks", Overhead: 1 * ms}, {Name: "cleanup", Overhead: 69 * ms}},
		Calls: []verify.Call{{Op: "container start", Count: 3, Total: 3002 * ms}, {Op: "container diff", Count: 1, Total: 400 * ms},
			{Op: "container kill", Count: 3, Total: 314 * ms}, {Op: "ping", Count: 1, Total: 4 * ms}}}
	good := func() *verify.Report {
		return &verify.Report{
			Result: &observation.Result{
				Image: "seaworthy-test/good:latest", ImageID: "sha256:fda51225984703b4ca9c84cb4500436f0978062884b699bb5f058e29f8cecf64",
				Settings:  settings,
				Start:     observation.Start{Ready: true, ReadyAfter: 215 * ms},
				User:      observation.User{UID: 1000, Configured: "node", Command: "/usr/bin/tini -- node server.js"},
				Term:      observation.Stop{Signal: "SIGTERM", Exited: true, ExitAfter: 1846 * ms},
				InFlight:  observation.Request{Path: "/slow", Status: 200, Duration: 2007 * ms},
				Draining:  observation.Request{Path: "/health", Err: "connection refused"},
				Interrupt: observation.Stop{Signal: "SIGINT", Exited: true, ExitAfter: 184 * ms},
				Reap:      observation.Reap{PID: 42, Init: "/usr/bin/tini -- node server.js"},
				ReadOnly:  observation.Start{Ready: true, ReadyAfter: 266 * ms},
				Writes:    observation.Writes{Changes: []observation.Change{}},
			},
			Engine: eng, ProbeURL: "http://192.168.96.2:3000/health", StartTook: 671 * ms,
			Memory: 512 << 20, PidsLimit: 256, Timing: timing,
		}
	}
	notTested := func(r *observation.Result, why string) {
		for _, s := range []*string{&r.User.Skipped, &r.Term.Skipped, &r.InFlight.Skipped, &r.Draining.Skipped,
			&r.Interrupt.Skipped, &r.Reap.Skipped, &r.ReadOnly.Skipped, &r.Writes.Skipped} {
			*s = why
		}
	}
	cases := map[string]*verify.Report{"good": good()}

	crash := good()
	crash.Result.Start = observation.Start{Exited: true, ExitCode: 1, ExitAfter: 412 * ms, Logs: "Error: DATABASE_URL is not set\nNode.js v18.20.4\n"}
	crash.Result.User, crash.Result.Term, crash.Result.Interrupt = observation.User{}, observation.Stop{}, observation.Stop{}
	crash.Result.InFlight, crash.Result.Draining, crash.Result.Reap = observation.Request{}, observation.Request{}, observation.Reap{}
	crash.Result.ReadOnly, crash.Result.Writes = observation.Start{}, observation.Writes{}
	notTested(crash.Result, "the container exited before it became ready")
	cases["crash"] = crash

	noStart := good()
	*noStart.Result = observation.Result{Image: "app:1", ImageID: "sha256:0123", Settings: settings,
		Start: observation.Start{StartFailed: `exec: "nodejs-server": executable file not found in $PATH`}}
	noStart.ProbeURL, noStart.Memory, noStart.StartTook = "", 1<<30, 400*time.Microsecond
	noStart.Timing = verify.Timing{Wall: 90 * ms, Overhead: 90 * ms}
	noStart.Notes = []string{"removed 1 leftover(s) of an interrupted verify run: container seaworthy-abc-main"}
	notTested(noStart.Result, "the container could not start")
	cases["no-start"] = noStart

	loopback := good()
	*loopback.Result = observation.Result{Image: "app:1", ImageID: "sha256:0123", Settings: settings,
		Start: observation.Start{LastProbe: "connection refused", Listening: []string{"127.0.0.1:3000"}, Logs: "listening on 127.0.0.1:3000\n"}}
	notTested(loopback.Result, "the container never became ready")
	cases["never-ready"] = loopback

	hc := good()
	hc.ProbeURL = ""
	hc.Result.Settings = observation.Settings{Readiness: "healthcheck", HealthcheckCmd: []string{"CMD-SHELL", "node healthcheck.js && echo <ok> & true"},
		ProbeFrom: "engine host", Grace: 8 * time.Second, StartTimeout: 1500 * ms, SlowStart: 2 * time.Second}
	hc.Result.InFlight = observation.Request{Skipped: "no HTTP port to send requests to (readiness came from the HEALTHCHECK command)"}
	hc.Result.Draining = hc.Result.InFlight
	hc.Result.Start.ReadyAfter = 2500 * ms // RT011
	cases["healthcheck"] = hc

	bad := good()
	r := bad.Result
	r.User = observation.User{UID: 0, Command: "/bin/sh -c node server.js"}
	r.Term = observation.Stop{Signal: "SIGTERM", Killed: true, ExitCode: 137, ExitAfter: 10200 * ms}
	r.InFlight = observation.Request{Path: "/slow", Err: "connection closed without a response", Duration: 303 * ms}
	r.Draining = observation.Request{Path: "/health", Status: 200, Duration: 2 * ms}
	r.Interrupt = observation.Stop{Signal: "SIGINT", Exited: true, ExitCode: 130, ExitAfter: 55 * ms}
	r.Reap = observation.Reap{Zombie: true, PID: 42, Init: "/bin/sh -c node server.js"}
	r.ReadOnly = observation.Start{Exited: true, ExitCode: 1, ExitAfter: 812 * ms, Logs: "Error: EROFS: read-only file system\n"}
	r.Writes = observation.Writes{Changes: []observation.Change{{Kind: "A", Path: "/app/a<b>&c.log"}, {Kind: "C", Path: "/app/x"}, {Kind: "D", Path: "/etc/motd"}, {Kind: "A", Path: "/root/.npm/_logs/debug.log"}}}
	r.Settings.ProbeFrom = "prober container"
	cases["bad"] = bad

	early := good()
	r = early.Result
	r.Start = observation.Start{Ready: true, ReadyAfter: 120 * ms, ExitedAfterReady: true, ExitCode: 3, ExitAfter: 15 * time.Second}
	why := "the container exited by itself (code 3) before it was signalled"
	r.Term, r.InFlight, r.Draining = observation.Stop{Skipped: why}, observation.Request{Path: "/slow", Skipped: why}, observation.Request{Skipped: why}
	r.Interrupt = observation.Stop{Signal: "SIGINT", Skipped: "the second container exited by itself (code 3) before it was signalled"}
	r.Reap = observation.Reap{Skipped: "could not leave an orphaned process behind: the image has no shell (/bin/sh)"}
	r.ReadOnly = observation.Start{LastProbe: "HTTP 500"}
	r.User = observation.User{Skipped: "could not read the uid of PID 1: the image has no shell (/bin/sh)", Command: "node server.js"}
	r.Writes = observation.Writes{Skipped: "could not read the container's filesystem changes: boom"}
	early.Timing = verify.Timing{}
	cases["exited-after-ready"] = early
	return cases
}

// TestPresentation renders each case as the measurement table (text) and
// as `--format json`, and compares both with testdata/present/*.golden.
func TestPresentation(t *testing.T) {
	reg := analysis.NewRegistry(rtrules.Rules()...)
	for name, rep := range presentationCases() {
		t.Run(name, func(t *testing.T) {
			findings := verify.Findings(rep, reg)
			steps := Steps(rep, findings)
			var text bytes.Buffer
			WriteText(&text, rep, steps, false)
			var js bytes.Buffer
			res := &report.Result{Findings: findings, Files: 1, Read: report.Read{Images: 1}, Rules: reg, Tool: report.Tool{Name: "seaworthy", Version: "test"},
				Measurements: NewMeasurements(rep, steps)}
			if err := report.Write(&js, "json", res, report.Options{}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", name+".txt.golden"), text.Bytes())
			golden(t, filepath.Join("testdata", name+".json.golden"), js.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestEveryRuleHasARow: the table is built from the rules, each RT rule
// marks exactly one row, and every row has a rule.
func TestEveryRuleHasARow(t *testing.T) {
	rep := presentationCases()["good"]
	seen := map[string]int{}
	for _, st := range Steps(rep, nil) {
		if len(st.Rules) == 0 {
			t.Errorf("step %q has no rule", st.Name)
		}
		for _, id := range st.Rules {
			seen[id]++
			if step, _ := rtrules.Step(id); step != st.Name {
				t.Errorf("%s is in the row of %q, but judges %q", id, st.Name, step)
			}
		}
	}
	for _, r := range rtrules.Rules() {
		if seen[r.ID] != 1 {
			t.Errorf("%s is in %d rows of the table, want 1", r.ID, seen[r.ID])
		}
	}
}
