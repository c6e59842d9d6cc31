package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
)

// probeResult is one HTTP request to the container.
type probeResult struct {
	Status int    `json:"status,omitempty"`
	Err    string `json:"err,omitempty"`
	// Took is how long the request took; Done when it finished.
	Took time.Duration `json:"took_ns,omitempty"`
	Done time.Time     `json:"-"`
}

func (r probeResult) ok() bool { return r.Status >= 200 && r.Status < 300 }

func (r probeResult) String() string {
	if r.Status != 0 {
		return "HTTP " + strconv.Itoa(r.Status)
	}
	return r.Err
}

// prober makes HTTP requests to the container's own address from outside
// it, as a load balancer would.
type prober interface {
	// get requests url; sent, when not nil, is called once the request is
	// written (or when it is known to be under way).
	get(ctx context.Context, url string, timeout time.Duration, sent func()) probeResult
	// dial opens and closes a TCP connection: nil or a refused connection
	// prove the address is reachable.
	dial(ctx context.Context, addr string, timeout time.Duration) error
	from() string
}

// hostProber probes from the machine seaworthy runs on.
type hostProber struct{}

func (hostProber) from() string { return "engine host" }

func (hostProber) dial(ctx context.Context, addr string, timeout time.Duration) error {
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

func (hostProber) get(ctx context.Context, url string, timeout time.Duration, sent func()) probeResult {
	return httpGet(ctx, url, timeout, sent)
}

// httpGet makes one GET without keep-alive (each probe is a new
// connection, as a load balancer's health check is).
func httpGet(ctx context.Context, url string, timeout time.Duration, sent func()) probeResult {
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if sent != nil {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { sent() }})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return probeResult{Err: err.Error(), Took: time.Since(t0), Done: time.Now()}
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
		return probeResult{Err: describeNetError(err, timeout), Took: time.Since(t0), Done: time.Now()}
	}
	_, rerr := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	res := probeResult{Status: resp.StatusCode, Took: time.Since(t0), Done: time.Now()}
	if rerr != nil {
		// The status line came, the body did not: the response was cut.
		res = probeResult{Err: "response cut off (" + describeNetError(rerr, timeout) + ") after HTTP " + strconv.Itoa(resp.StatusCode), Took: res.Took, Done: res.Done}
	}
	return res
}

// describeNetError names a failed request the way a person reads it.
func describeNetError(err error, timeout time.Duration) string {
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
		return fmt.Sprintf("no response within %s", roundDur(timeout))
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// reachable reports whether a dial error still proves the address is
// routable (the host answered, nothing listened).
func reachable(err error) bool {
	return err == nil || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// containerProber probes from a tiny container on the same network, made
// of seaworthy's own static binary (`seaworthy __probe`).
type containerProber struct {
	eng engine.Engine
	id  string
}

func (containerProber) from() string { return "prober container" }

func (p containerProber) run(ctx context.Context, args []string, timeout time.Duration) (probeResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second)
	defer cancel()
	res, err := p.eng.Exec(ctx, p.id, engine.ExecSpec{Cmd: append([]string{"/seaworthy", "__probe"}, args...)})
	if err != nil {
		return probeResult{}, err
	}
	var out probeResult
	if jerr := json.Unmarshal([]byte(strings.TrimSpace(res.Stdout)), &out); jerr != nil {
		return probeResult{}, fmt.Errorf("prober said %q (exit code %d)", strings.TrimSpace(res.Stdout+res.Stderr), res.ExitCode)
	}
	out.Done = time.Now()
	return out, nil
}

func (p containerProber) get(ctx context.Context, url string, timeout time.Duration, sent func()) probeResult {
	t0 := time.Now()
	if sent != nil {
		// The exec cannot say when the request is written; it is under
		// way once the exec has started, which takes a few tens of ms.
		go func() {
			select {
			case <-time.After(150 * time.Millisecond):
				sent()
			case <-ctx.Done():
			}
		}()
	}
	res, err := p.run(ctx, []string{"get", url, strconv.FormatInt(timeout.Milliseconds(), 10)}, timeout)
	if err != nil {
		return probeResult{Err: "prober: " + err.Error(), Took: time.Since(t0), Done: time.Now()}
	}
	return res
}

func (p containerProber) dial(ctx context.Context, addr string, timeout time.Duration) error {
	res, err := p.run(ctx, []string{"dial", addr, strconv.FormatInt(timeout.Milliseconds(), 10)}, timeout)
	if err != nil {
		return err
	}
	if res.Err != "" {
		if res.Err == "connection refused" {
			return syscall.ECONNREFUSED
		}
		return errors.New(res.Err)
	}
	return nil
}

// ProbeMain is `seaworthy __probe`, the command the prober container
// runs: "idle" waits for a signal, "get URL MS" and "dial ADDR MS" print
// one JSON result. It returns the exit code.
func ProbeMain(args []string, stdout io.Writer) int {
	if len(args) == 0 || args[0] == "idle" {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
		<-ch
		return 0
	}
	if len(args) != 3 {
		fmt.Fprintln(stdout, `{"err":"usage: __probe get URL MS | dial ADDR MS | idle"}`)
		return 2
	}
	ms, _ := strconv.Atoi(args[2])
	timeout := time.Duration(max(ms, 100)) * time.Millisecond
	var res probeResult
	switch args[0] {
	case "get":
		res = httpGet(context.Background(), args[1], timeout, nil)
	case "dial":
		t0 := time.Now()
		if err := (hostProber{}).dial(context.Background(), args[1], timeout); err != nil {
			res.Err = describeNetError(err, timeout)
		}
		res.Took = time.Since(t0)
	default:
		fmt.Fprintln(stdout, `{"err":"unknown probe"}`)
		return 2
	}
	b, _ := json.Marshal(res)
	fmt.Fprintln(stdout, string(b))
	return 0
}

func roundDur(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
