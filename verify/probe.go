package verify

import (
	"bufio"
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
	"sync"
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
// of seaworthy's own static binary. One long-lived `seaworthy __probe
// serve` exec takes requests on stdin ("ID get URL MS", "ID dial ADDR MS")
// and answers on stdout ("ID sent" when a request is written, then "ID
// {json}"), so a probe costs a line each way, not an exec.
type containerProber struct {
	sess *engine.Session

	mu      sync.Mutex
	next    int
	waiting map[int]chan string
	err     error // the session ended
}

func newContainerProber(ctx context.Context, eng engine.Engine, id string) (*containerProber, error) {
	sess, err := eng.Session(ctx, id, []string{"/seaworthy", "__probe", "serve"})
	if err != nil {
		return nil, err
	}
	p := &containerProber{sess: sess, waiting: map[int]chan string{}}
	go p.read()
	return p, nil
}

func (*containerProber) from() string { return "prober container" }

// read dispatches the prober's answers to the waiting requests.
func (p *containerProber) read() {
	sc := bufio.NewScanner(p.sess.Stdout)
	for sc.Scan() {
		idText, rest, ok := strings.Cut(sc.Text(), " ")
		id, err := strconv.Atoi(idText)
		if !ok || err != nil {
			continue
		}
		p.mu.Lock()
		ch := p.waiting[id]
		p.mu.Unlock()
		if ch != nil {
			ch <- rest
		}
	}
	p.mu.Lock()
	p.err = errors.New("the prober stopped answering")
	if sc.Err() != nil {
		p.err = fmt.Errorf("the prober stopped answering: %w", sc.Err())
	}
	for id, ch := range p.waiting {
		close(ch)
		delete(p.waiting, id)
	}
	p.mu.Unlock()
}

func (p *containerProber) request(ctx context.Context, verb, arg string, timeout time.Duration, sent func()) (probeResult, error) {
	p.mu.Lock()
	if p.err != nil {
		p.mu.Unlock()
		return probeResult{}, p.err
	}
	p.next++
	id := p.next
	ch := make(chan string, 2)
	p.waiting[id] = ch
	_, werr := fmt.Fprintf(p.sess.Stdin, "%d %s %s %d\n", id, verb, arg, timeout.Milliseconds())
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.waiting, id)
		p.mu.Unlock()
	}()
	if werr != nil {
		return probeResult{}, fmt.Errorf("writing to the prober: %w", werr)
	}
	deadline := time.After(timeout + 5*time.Second)
	for {
		select {
		case line, ok := <-ch:
			if !ok {
				return probeResult{}, errors.New("the prober stopped answering")
			}
			if line == "sent" {
				if sent != nil {
					sent()
				}
				continue
			}
			var res probeResult
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				return probeResult{}, fmt.Errorf("prober said %q", line)
			}
			res.Done = time.Now()
			return res, nil
		case <-deadline:
			return probeResult{}, errors.New("the prober did not answer in time")
		case <-ctx.Done():
			return probeResult{}, ctx.Err()
		}
	}
}

func (p *containerProber) get(ctx context.Context, url string, timeout time.Duration, sent func()) probeResult {
	t0 := time.Now()
	res, err := p.request(ctx, "get", url, timeout, sent)
	if err != nil {
		return probeResult{Err: "prober: " + err.Error(), Took: time.Since(t0), Done: time.Now()}
	}
	return res
}

func (p *containerProber) dial(ctx context.Context, addr string, timeout time.Duration) error {
	res, err := p.request(ctx, "dial", addr, timeout, nil)
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

// ProbeMain is `seaworthy __probe`, what the prober container runs:
// "idle" (its main process) waits for a signal; "serve" answers probe
// requests read from stdin until stdin closes. It returns the exit code.
func ProbeMain(args []string, stdin io.Reader, stdout io.Writer) int {
	if len(args) == 0 || args[0] == "idle" {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
		<-ch
		return 0
	}
	if args[0] != "serve" {
		fmt.Fprintln(stdout, "usage: seaworthy __probe idle|serve")
		return 2
	}
	var mu sync.Mutex
	say := func(id, msg string) {
		mu.Lock()
		fmt.Fprintf(stdout, "%s %s\n", id, msg)
		mu.Unlock()
	}
	sc := bufio.NewScanner(stdin)
	var wg sync.WaitGroup
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 4 {
			continue
		}
		wg.Add(1)
		go func(id, verb, arg, msText string) {
			defer wg.Done()
			ms, _ := strconv.Atoi(msText)
			timeout := time.Duration(max(ms, 100)) * time.Millisecond
			var res probeResult
			switch verb {
			case "get":
				var once sync.Once
				res = httpGet(context.Background(), arg, timeout, func() { once.Do(func() { say(id, "sent") }) })
			case "dial":
				t0 := time.Now()
				if err := (hostProber{}).dial(context.Background(), arg, timeout); err != nil {
					res.Err = describeNetError(err, timeout)
				}
				res.Took = time.Since(t0)
			default:
				res.Err = "unknown probe " + verb
			}
			b, _ := json.Marshal(res)
			say(id, string(b))
		}(f[0], f[1], f[2], f[3])
	}
	wg.Wait()
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
