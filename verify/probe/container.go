package probe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
	"time"
)

// Container probes from a prober container on the same network as the
// container under test: it talks to the container's one long-lived
// `seaworthy __probe serve` (ServeCommand) over that process's stdin and
// stdout, so a probe costs a line each way, not an exec.
type Container struct {
	stdin io.Writer

	mu      sync.Mutex
	next    int
	waiting map[int]chan string
	err     error // the server stopped answering
}

// NewContainer is the client of a Serve reading stdin and writing stdout.
func NewContainer(stdin io.Writer, stdout io.Reader) *Container {
	c := &Container{stdin: stdin, waiting: map[int]chan string{}}
	go c.read(stdout)
	return c
}

// From implements Prober.
func (*Container) From() string { return "prober container" }

// read dispatches the server's replies to the waiting requests.
func (c *Container) read(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		id, body, ok := splitReply(sc.Text())
		if !ok {
			continue
		}
		c.mu.Lock()
		ch := c.waiting[id]
		c.mu.Unlock()
		if ch != nil {
			ch <- body
		}
	}
	c.mu.Lock()
	c.err = errors.New("the prober stopped answering")
	if sc.Err() != nil {
		c.err = fmt.Errorf("the prober stopped answering: %w", sc.Err())
	}
	for id, ch := range c.waiting {
		close(ch)
		delete(c.waiting, id)
	}
	c.mu.Unlock()
}

func (c *Container) request(ctx context.Context, verb, arg string, timeout time.Duration, sent func()) (Result, error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return Result{}, c.err
	}
	c.next++
	id := c.next
	ch := make(chan string, 2)
	c.waiting[id] = ch
	_, werr := io.WriteString(c.stdin, request{ID: id, Verb: verb, Arg: arg, Timeout: timeout}.line())
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.waiting, id)
		c.mu.Unlock()
	}()
	if werr != nil {
		return Result{}, fmt.Errorf("writing to the prober: %w", werr)
	}
	deadline := time.After(timeout + 5*time.Second)
	for {
		select {
		case body, ok := <-ch:
			if !ok {
				return Result{}, errors.New("the prober stopped answering")
			}
			isSent, res, err := parseBody(body)
			if err != nil {
				return Result{}, err
			}
			if isSent {
				if sent != nil {
					sent()
				}
				continue
			}
			res.Done = time.Now()
			return res, nil
		case <-deadline:
			return Result{}, errors.New("the prober did not answer in time")
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}
}

// Get implements Prober.
func (c *Container) Get(ctx context.Context, url string, timeout time.Duration, sent func()) Result {
	t0 := time.Now()
	res, err := c.request(ctx, verbGet, url, timeout, sent)
	if err != nil {
		return Result{Err: "prober: " + err.Error(), Took: time.Since(t0), Done: time.Now()}
	}
	return res
}

// Dial implements Prober.
func (c *Container) Dial(ctx context.Context, addr string, timeout time.Duration) error {
	res, err := c.request(ctx, verbDial, addr, timeout, nil)
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
