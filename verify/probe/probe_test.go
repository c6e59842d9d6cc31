package probe

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// generous bounds every request of these tests; none is expected to take
// long, and no result depends on it.
const generous = 30 * time.Second

// TestContainer runs Serve in-process behind a Container client, as the
// prober container does behind an exec session.
func TestContainer(t *testing.T) {
	// /slow answers only once the client has been told the request is
	// under way, which is what verify waits for before it sends SIGTERM.
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	served := make(chan struct{})
	go func() { Serve(inR, outW); outW.Close(); close(served) }()
	p := NewContainer(inW, outR)

	ctx := context.Background()
	var once sync.Once
	slow := make(chan Result, 1)
	go func() { slow <- p.Get(ctx, srv.URL+"/slow", generous, func() { once.Do(func() { close(release) }) }) }()
	if res := p.Get(ctx, srv.URL+"/health", generous, nil); res.Status != 200 {
		t.Errorf("/health: %+v", res)
	}
	if res := <-slow; res.Status != 200 {
		t.Errorf("/slow: %+v", res)
	}
	addr := strings.TrimPrefix(srv.URL, "http://")
	if err := p.Dial(ctx, addr, generous); err != nil {
		t.Errorf("dial %s: %v", addr, err)
	}
	srv.Close()
	if res := p.Get(ctx, srv.URL+"/health", generous, nil); res.Err != "connection refused" {
		t.Errorf("closed server: %+v", res)
	}
	if err := p.Dial(ctx, addr, generous); !Reachable(err) {
		t.Errorf("dial a closed port: %v, want a refused connection", err)
	}
	inW.Close()
	<-served
	if res := p.Get(ctx, srv.URL+"/health", generous, nil); res.Status != 0 || !strings.HasPrefix(res.Err, "prober: ") {
		t.Errorf("after the server ended: %+v", res)
	}
}

// TestWireFormat pins the lines both ends exchange: a prober container may
// run a seaworthy binary of another version.
func TestWireFormat(t *testing.T) {
	q := request{ID: 7, Verb: verbGet, Arg: "http://172.18.0.2:3000/health", Timeout: 1500 * time.Millisecond}
	if got, want := q.line(), "7 get http://172.18.0.2:3000/health 1500\n"; got != want {
		t.Errorf("request line %q, want %q", got, want)
	}
	if got, ok := parseRequest(strings.TrimSpace(q.line())); !ok || got != q {
		t.Errorf("parseRequest(%q) = %+v, %v", q.line(), got, ok)
	}
	if got, ok := parseRequest("8 dial 172.18.0.2:3000 20"); !ok || got.Timeout != 100*time.Millisecond {
		t.Errorf("a 20 ms timeout: %+v, %v; want it raised to 100 ms", got, ok)
	}
	for _, bad := range []string{"", "7 get", "x get http://a/ 100", "7 get http://a/ b c"} {
		if _, ok := parseRequest(bad); ok {
			t.Errorf("parseRequest(%q) accepted a malformed line", bad)
		}
	}
	if got, want := replyLine(7, sentBody), "7 sent\n"; got != want {
		t.Errorf("sent reply %q, want %q", got, want)
	}
	res := Result{Status: 503, Took: 2 * time.Millisecond}
	if got, want := replyLine(7, resultBody(res)), `7 {"status":503,"took_ns":2000000}`+"\n"; got != want {
		t.Errorf("result reply %q, want %q", got, want)
	}
	id, body, ok := splitReply(strings.TrimSpace(replyLine(7, resultBody(res))))
	if sent, back, err := parseBody(body); !ok || id != 7 || sent || err != nil || back != res {
		t.Errorf("reply read back as %d %v %+v %v", id, sent, back, err)
	}
	if _, _, err := parseBody("garbage"); err == nil || !strings.Contains(err.Error(), `prober said "garbage"`) {
		t.Errorf("parseBody(garbage) = %v", err)
	}
}

func TestRootfs(t *testing.T) {
	if _, err := Rootfs("/bin/sh", "x86_64"); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
		t.Errorf("Rootfs(/bin/sh) = %v", err)
	}
	if _, err := Rootfs("probe_test.go", "x86_64"); err == nil || !strings.Contains(err.Error(), "not one") {
		t.Errorf("Rootfs(a text file) = %v", err)
	}
}

func TestMainUsage(t *testing.T) {
	var out strings.Builder
	if code := Main([]string{"pigeon"}, strings.NewReader(""), &out); code != 2 || !strings.Contains(out.String(), "usage: seaworthy __probe idle|serve") {
		t.Errorf("Main(pigeon) = %d, %q", code, out.String())
	}
}
