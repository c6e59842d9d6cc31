package verify

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/seaworthy-dev/seaworthy/engine"
)

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

// TestTimeline: overlapping waits count once, and the engine's start-up
// only where the app was not running. The bubble's clock makes the wall
// time exact.
func TestTimeline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tl := newTimeline()
		base := tl.start
		tl.waitSpan(waitApp, base.Add(10*time.Millisecond), base.Add(50*time.Millisecond))
		tl.waitSpan(waitApp, base.Add(30*time.Millisecond), base.Add(70*time.Millisecond))
		tl.waitSpan(waitStart, base.Add(60*time.Millisecond), base.Add(100*time.Millisecond))
		tl.phase("setup")
		time.Sleep(120 * time.Millisecond)
		tm := tl.finish()
		want := Timing{Wall: 120 * time.Millisecond, Waiting: 60 * time.Millisecond, EngineStart: 30 * time.Millisecond, Overhead: 30 * time.Millisecond,
			Phases: []Phase{{Name: "setup", Overhead: 30 * time.Millisecond}}}
		if diff := cmp.Diff(want, tm); diff != "" {
			t.Errorf("timing (-want +got):\n%s", diff)
		}
	})
}
