package verify

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/engine"
	rtrules "github.com/seaworthy-dev/seaworthy/rules/rt"
)

func fakeOptions(image string) Options {
	return Options{Image: image, SlowPath: "/slow", Grace: 700 * time.Millisecond,
		StartTimeout: 1500 * time.Millisecond, SlowStart: time.Second, Probe: "host"}
}

// TestRunWithFake drives the verify logic with a scripted engine: each
// behaviour makes exactly its rule fire.
func TestRunWithFake(t *testing.T) {
	for _, c := range []struct {
		name string
		app  fakeApp
		want []string
		msg  string
		opts func(*Options)
	}{
		{name: "good", app: fakeApp{uid: 1000}},
		{name: "crash", app: fakeApp{uid: 1000, crash: 1}, want: []string{"RT001"}, msg: `exited with code 1 .*DATABASE_URL is not set`},
		{name: "no-start", app: fakeApp{noStart: true}, want: []string{"RT001"}, msg: `could not start: exec: "nodejs-server": executable file not found`},
		{name: "loopback", app: fakeApp{uid: 1000, loopback: true}, want: []string{"RT002"}, msg: `listens on 127\.0\.0\.1:\d+ only`},
		{name: "root", app: fakeApp{uid: 0}, want: []string{"RT003"}, msg: `runs as uid 0`},
		{name: "sigterm-ignored", app: fakeApp{uid: 1000, onTerm: "ignore"}, want: []string{"RT004", "RT012"}, msg: `still running 700 ms after SIGTERM`},
		{name: "exits-now", app: fakeApp{uid: 1000, onTerm: "now"}, want: []string{"RT005"}, msg: `GET /slow was in flight`},
		{name: "exit1", app: fakeApp{uid: 1000, onTerm: "exit1"}, want: []string{"RT006"}, msg: `exited with code 1; its last output: "closing the pool failed"`},
		{name: "sigint-ignored", app: fakeApp{uid: 1000, onInt: "ignore"}, want: []string{"RT007"}},
		{name: "zombies", app: fakeApp{uid: 1000, zombies: true}, want: []string{"RT008"}, msg: `pid 42`},
		{name: "read-only", app: fakeApp{uid: 1000, roFails: true}, want: []string{"RT009"}, msg: `EROFS`},
		{name: "writes", app: fakeApp{uid: 1000, writes: []engine.Change{{Kind: "C", Path: "/app"}, {Kind: "A", Path: "/app/app.log"}, {Kind: "A", Path: "/data/x"}}},
			want: []string{"RT010"}, msg: `added /app/app\.log$`, opts: func(o *Options) {}},
		{name: "slow-start", app: fakeApp{uid: 1000, startDelay: 1100 * time.Millisecond}, want: []string{"RT011"}},
		{name: "late-close", app: fakeApp{uid: 1000, onTerm: "late-close"}, want: []string{"RT012"}, opts: func(o *Options) { o.Grace = 2 * time.Second }},
		{name: "no-slow-path", app: fakeApp{uid: 1000, onTerm: "now"}, opts: func(o *Options) { o.SlowPath = "" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, c.app)
			opts := fakeOptions("app:1")
			if c.opts != nil {
				c.opts(&opts)
			}
			rep, err := Run(context.Background(), f, opts)
			if err != nil {
				t.Fatal(err)
			}
			findings := Findings(rep, analysis.NewRegistry(rtrules.Rules()...))
			var got []string
			for _, fd := range findings {
				got = append(got, fd.Rule.ID)
				t.Logf("%s %s", fd.Rule.ID, fd.Message)
			}
			sort.Strings(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %v, want %v", got, c.want)
				for _, st := range Steps(rep, findings) {
					t.Logf("step %-18s %-4s %s", st.Name, st.Status, st.Detail)
				}
			}
			if c.msg != "" && len(findings) > 0 && !regexp.MustCompile(c.msg).MatchString(findings[0].Message) {
				t.Errorf("message %q does not match %q", findings[0].Message, c.msg)
			}
			if left := f.leftovers(); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

func TestFakeNoShell(t *testing.T) {
	f := newFake(t, fakeApp{uid: 1000, noShell: true})
	rep, err := Run(context.Background(), f, fakeOptions("app:1"))
	if err != nil {
		t.Fatal(err)
	}
	res := rep.Result
	if !strings.Contains(res.Reap.Skipped, "no shell") || !strings.Contains(res.User.Skipped, "no shell") {
		t.Errorf("reap skipped %q, user skipped %q; want both to say the image has no shell", res.Reap.Skipped, res.User.Skipped)
	}
	findings := Findings(rep, analysis.NewRegistry(rtrules.Rules()...))
	if len(findings) != 0 {
		t.Errorf("findings %v on a good app without a shell", findings)
	}
	for _, st := range Steps(rep, findings) {
		if (st.Name == "user" || st.Name == "zombie reaping") != (st.Status == "skip") {
			t.Errorf("step %s: %s %s", st.Name, st.Status, st.Detail)
		}
	}
}

func TestFakeErrors(t *testing.T) {
	for _, c := range []struct {
		name, image string
		dieAfter    int
		want        string
	}{
		{"missing image", "missing", 0, `image "missing" not found in the Docker engine at fake://engine`},
		{"no command", "nocmd", 0, `image "nocmd" has no ENTRYPOINT or CMD`},
		{"no engine", "app:1", -1, `cannot reach the Docker engine at fake://engine`},
		{"engine gone", "app:1", 8, `stopped answering during verify`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, fakeApp{uid: 1000})
			if c.dieAfter < 0 {
				f.dieAfter = 0
				f.calls = 1 << 30
				f.dieAfter = 1
			} else {
				f.dieAfter = c.dieAfter
			}
			_, err := Run(context.Background(), f, fakeOptions(c.image))
			var ve *Error
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want a *verify.Error with %q", err, c.want)
			}
		})
	}
}

// TestFakeCancel: cancelling the run (Ctrl-C) still removes everything.
func TestFakeCancel(t *testing.T) {
	f := newFake(t, fakeApp{uid: 1000, startDelay: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	opts := fakeOptions("app:1")
	opts.StartTimeout = 10 * time.Second
	_, err := Run(ctx, f, opts)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("error %v, want interrupted", err)
	}
	if left := f.leftovers(); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if len(f.created) < 2 {
		t.Errorf("created only %v before the cancel", f.created)
	}
}

func TestHealthcheckURL(t *testing.T) {
	for _, c := range []struct {
		test []string
		port int
		path string
	}{
		{[]string{"CMD", "curl", "-f", "http://localhost:3000/health"}, 3000, "/health"},
		{[]string{"CMD-SHELL", "wget -qO- http://127.0.0.1:8080/healthz?full=1 || exit 1"}, 8080, "/healthz?full=1"},
		{[]string{"CMD", "node", "-e", "require('http').get('http://127.0.0.1:3000/health', r => process.exit(0))"}, 3000, "/health"},
		{[]string{"CMD-SHELL", "curl -f http://localhost/ready"}, 80, "/ready"},
		{[]string{"CMD-SHELL", "curl -f http://localhost:$PORT/"}, 0, ""},
		{[]string{"CMD", "node", "healthcheck.js"}, 0, ""},
		{[]string{"NONE"}, 0, ""},
		{nil, 0, ""},
	} {
		port, path := healthcheckURL(c.test)
		if port != c.port || path != c.path {
			t.Errorf("%q: %d %q, want %d %q", c.test, port, path, c.port, c.path)
		}
	}
}

func TestListening(t *testing.T) {
	tcp := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0000000000000000 100 0 0 10 0
   1: 0B00007F:B46D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   2: 020012AC:0BB8 030012AC:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 1 1 0000000000000000 100 0 0 10 0`
	tcp6 := `  sl  local_address                         remote_address                        st
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000
   1: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 00000000:00000000`
	got := listening(tcp, tcp6)
	want := []string{"127.0.0.1:3000", "127.0.0.1:80", "[::]:8080"}
	if !slices.Equal(got, want) {
		t.Errorf("listening = %v, want %v", got, want)
	}
}

func TestFilterWrites(t *testing.T) {
	changes := []engine.Change{
		{Kind: "C", Path: "/app"}, {Kind: "C", Path: "/app/logs"}, {Kind: "A", Path: "/app/logs/app.log"},
		{Kind: "C", Path: "/tmp"}, {Kind: "A", Path: "/tmp/cache"},
		{Kind: "C", Path: "/data"}, {Kind: "A", Path: "/data/db"},
		{Kind: "C", Path: "/root"}, {Kind: "A", Path: "/root/.npm"}, {Kind: "A", Path: "/root/.npm/_logs"}, {Kind: "A", Path: "/root/.npm/_logs/debug.log"},
		{Kind: "D", Path: "/etc/motd"}, {Kind: "C", Path: "/etc"},
	}
	var got []string
	for _, c := range filterWrites(changes, []string{"/data"}) {
		got = append(got, c.Kind+" "+c.Path)
	}
	want := []string{"A /app/logs/app.log", "D /etc/motd", "A /root/.npm/_logs/debug.log"}
	if !slices.Equal(got, want) {
		t.Errorf("filterWrites = %v, want %v", got, want)
	}
}

func TestLeftover(t *testing.T) {
	now := time.Now()
	future := "9999999999"
	for _, c := range []struct {
		labels map[string]string
		want   bool
	}{
		{map[string]string{LabelOwner: "here/1", LabelExpires: future}, false}, // pid 1 is alive
		{map[string]string{LabelOwner: "here/999999999", LabelExpires: future}, true},
		{map[string]string{LabelOwner: "elsewhere/999999999", LabelExpires: future}, false},
		{map[string]string{LabelOwner: "elsewhere/1", LabelExpires: "1"}, true},
		{map[string]string{}, true},
	} {
		if got := leftover(c.labels, "here", now); got != c.want {
			t.Errorf("leftover(%v) = %v, want %v", c.labels, got, c.want)
		}
	}
}

func TestTimeline(t *testing.T) {
	tl := newTimeline()
	base := tl.start
	tl.waitSpan(waitApp, base.Add(10*time.Millisecond), base.Add(50*time.Millisecond))
	tl.waitSpan(waitApp, base.Add(30*time.Millisecond), base.Add(70*time.Millisecond))
	tl.waitSpan(waitStart, base.Add(60*time.Millisecond), base.Add(100*time.Millisecond))
	time.Sleep(120 * time.Millisecond)
	tm := tl.finish()
	if tm.Waiting != 60*time.Millisecond || tm.EngineStart != 30*time.Millisecond {
		t.Errorf("waiting %s, engine start %s; want 60ms and 30ms", tm.Waiting, tm.EngineStart)
	}
	if tm.Overhead != tm.Wall-90*time.Millisecond {
		t.Errorf("overhead %s of wall %s", tm.Overhead, tm.Wall)
	}
}
