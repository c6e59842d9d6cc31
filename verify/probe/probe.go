// Package probe makes the HTTP requests verify sends to the container under
// test, from outside it as a load balancer would: from the machine seaworthy
// runs on (Host), or from a prober container on the container's network
// (Container). The prober container runs seaworthy's own binary as
// `seaworthy __probe` (Main); Container and Serve are the two ends of the
// line protocol between them (protocol.go).
//
// The package knows nothing of the engine: a prober container is reached
// through any pair of streams, an exec session in production.
package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Result is one HTTP request to the container. Its JSON form is also what
// the prober container answers with.
type Result struct {
	Status int    `json:"status,omitempty"`
	Err    string `json:"err,omitempty"`
	// Took is how long the request took; Done when it finished.
	Took time.Duration `json:"took_ns,omitempty"`
	Done time.Time     `json:"-"`
}

// OK reports a 2xx response.
func (r Result) OK() bool { return r.Status >= 200 && r.Status < 300 }

// String is the status ("HTTP 503") or the failure ("connection refused").
func (r Result) String() string {
	if r.Status != 0 {
		return "HTTP " + strconv.Itoa(r.Status)
	}
	return r.Err
}

// Prober makes HTTP requests to the container's own address from outside
// it, as a load balancer would.
type Prober interface {
	// Get requests url; sent, when not nil, is called once the request is
	// written (or when it is known to be under way).
	Get(ctx context.Context, url string, timeout time.Duration, sent func()) Result
	// Dial opens and closes a TCP connection: nil or a refused connection
	// prove the address is reachable (see Reachable).
	Dial(ctx context.Context, addr string, timeout time.Duration) error
	// From says where the probes come from, for the user: "engine host"
	// or "prober container".
	From() string
}

// Host probes from the machine seaworthy runs on.
type Host struct{}

// From implements Prober.
func (Host) From() string { return "engine host" }

// Dial implements Prober.
func (Host) Dial(ctx context.Context, addr string, timeout time.Duration) error {
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

// Get implements Prober.
func (Host) Get(ctx context.Context, url string, timeout time.Duration, sent func()) Result {
	return get(ctx, url, timeout, sent)
}

// Reachable reports whether a Dial error still proves the address is
// routable (the host answered, nothing listened).
func Reachable(err error) bool {
	return err == nil || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// get makes one GET without keep-alive (each probe is a new connection, as
// a load balancer's health check is).
func get(ctx context.Context, url string, timeout time.Duration, sent func()) Result {
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if sent != nil {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { sent() }})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Result{Err: err.Error(), Took: time.Since(t0), Done: time.Now()}
	}
	req.Header.Set("User-Agent", "seaworthy-verify")
	tr := &http.Transport{
		DisableKeepAlives: true,
		Proxy:             nil,
		DialContext:       (&net.Dialer{Timeout: timeout}).DialContext,
	}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		return Result{Err: describe(err, timeout), Took: time.Since(t0), Done: time.Now()}
	}
	_, rerr := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	res := Result{Status: resp.StatusCode, Took: time.Since(t0), Done: time.Now()}
	if rerr != nil {
		// The status line came, the body did not: the response was cut.
		res = Result{Err: "response cut off (" + describe(rerr, timeout) + ") after HTTP " + strconv.Itoa(resp.StatusCode), Took: res.Took, Done: res.Done}
	}
	return res
}

// describe names a failed request the way a person reads it.
func describe(err error, timeout time.Duration) string {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "host unreachable"
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed without a response"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no response within %s", round(timeout))
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// round shortens a duration for a message: whole seconds from 10 s,
// tenths from 1 s, else milliseconds.
func round(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
