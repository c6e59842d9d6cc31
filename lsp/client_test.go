package lsp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/lsp"
	"github.com/seaworthy-dev/seaworthy/rules"
)

// client is an LSP client written against the wire: it frames each
// JSON-RPC message with a Content-Length header itself and parses the
// server's frames, so the test checks the protocol as an editor sees it.
type client struct {
	t     testing.TB
	w     io.Writer
	wmu   sync.Mutex
	next  int
	mu    sync.Mutex
	calls map[int]chan message
	// notes receives the server's notifications in order.
	notes chan message
	done  chan error
	// unanswered leaves the server's requests without an answer, as a
	// client that never replies to client/registerCapability does.
	unanswered bool
}

// message is any JSON-RPC message.
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      *int            `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// pipeConn joins the two ends of the server's stream.
type pipeConn struct {
	io.Reader
	io.Writer
	closers []io.Closer
}

func (p pipeConn) Close() error {
	for _, c := range p.closers {
		c.Close()
	}
	return nil
}

// startServer runs a server on pipes and returns a client talking to it.
func startServer(t *testing.T) *client {
	t.Helper()
	return startServerWith(t, 50*time.Millisecond)
}

// startServerWith is startServer with the pause after which a Dockerfile's
// edits are followed by a workspace check.
func startServerWith(t testing.TB, settle time.Duration) *client {
	t.Helper()
	toServerR, toServerW := io.Pipe()
	toClientR, toClientW := io.Pipe()
	srv := lsp.New(lsp.Options{Rules: rules.Registry(), Version: "test", Settle: settle})
	c := newClient(t, toServerW, toClientR)
	go func() {
		c.done <- srv.Serve(context.Background(), pipeConn{toServerR, toClientW, []io.Closer{toServerR, toClientW}})
	}()
	t.Cleanup(func() {
		toServerW.Close()
		toClientR.Close()
	})
	return c
}

// newClient talks to a server that reads w and writes r.
func newClient(t testing.TB, w io.Writer, r io.Reader) *client {
	c := &client{t: t, w: w, calls: map[int]chan message{}, notes: make(chan message, 1000), done: make(chan error, 1)}
	go c.read(bufio.NewReader(r))
	return c
}

// read parses the server's frames: "Content-Length: N\r\n\r\n" and N
// bytes of JSON.
func (c *client) read(r *bufio.Reader) {
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			close(c.notes)
			return
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			c.t.Errorf("frame without a Content-Length header: %v", h)
			close(c.notes)
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			close(c.notes)
			return
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("frame is not JSON-RPC: %v\n%s", err, body)
			continue
		}
		switch {
		case m.ID != nil && m.Method != "":
			// A request of the server's (client/registerCapability).
			// Answered apart: the server may be writing to us meanwhile.
			if !c.unanswered {
				go c.send(map[string]any{"jsonrpc": "2.0", "id": *m.ID, "result": nil})
			}
			c.notes <- m
		case m.ID != nil:
			c.mu.Lock()
			ch := c.calls[*m.ID]
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		default:
			c.notes <- m
		}
	}
}

// send writes one framed message.
func (c *client) send(v any) {
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Errorf("writing to the server: %v", err)
	}
}

// notify sends a notification.
func (c *client) notify(method string, params any) {
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and decodes its result into result.
func (c *client) call(method string, params, result any) {
	c.t.Helper()
	c.mu.Lock()
	c.next++
	id := c.next
	ch := make(chan message, 1)
	c.calls[id] = ch
	c.mu.Unlock()
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	select {
	case m := <-ch:
		if m.Error != nil {
			c.t.Fatalf("%s: error %d %s", method, m.Error.Code, m.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				c.t.Fatalf("%s: result %s: %v", method, m.Result, err)
			}
		}
	case <-time.After(20 * time.Second):
		c.t.Fatalf("%s: no reply", method)
	}
}

// shutdown ends the session as an editor does (shutdown, then exit) and
// waits for Serve to return.
func (c *client) shutdown() {
	c.t.Helper()
	c.call("shutdown", nil, nil)
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		if err != nil {
			c.t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		c.t.Error("Serve did not return after exit")
	}
}

// diagnostic is the part of a published diagnostic the tests read.
type diagnostic struct {
	Range    lspRange `json:"range"`
	Severity int      `json:"severity"`
	Code     string   `json:"code"`
	Source   string   `json:"source"`
	Message  string   `json:"message"`
}

type lspRange struct {
	Start struct{ Line, Character int } `json:"start"`
	End   struct{ Line, Character int } `json:"end"`
}

// waitDiagnostics reads notifications until diagnostics for uri that
// satisfy ok are published, and returns them.
func (c *client) waitDiagnostics(uri string, ok func([]diagnostic) bool) []diagnostic {
	c.t.Helper()
	timeout := time.After(20 * time.Second)
	var last []diagnostic
	for {
		select {
		case m, open := <-c.notes:
			if !open {
				c.t.Fatalf("the server closed the stream while waiting for diagnostics of %s (last: %+v)", uri, last)
			}
			if m.Method != "textDocument/publishDiagnostics" {
				continue
			}
			var p struct {
				URI         string       `json:"uri"`
				Diagnostics []diagnostic `json:"diagnostics"`
			}
			if err := json.Unmarshal(m.Params, &p); err != nil {
				c.t.Fatalf("publishDiagnostics: %v", err)
			}
			if p.URI != uri {
				continue
			}
			if p.Diagnostics == nil {
				c.t.Fatalf("publishDiagnostics for %s without a diagnostics array", uri)
			}
			last = p.Diagnostics
			if ok(p.Diagnostics) {
				return p.Diagnostics
			}
		case <-timeout:
			c.t.Fatalf("no diagnostics as wanted for %s; last published: %+v", uri, last)
		}
	}
}

// codes lists the diagnostics' codes.
func codes(ds []diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func has(code string) func([]diagnostic) bool {
	return func(ds []diagnostic) bool {
		for _, d := range ds {
			if d.Code == code {
				return true
			}
		}
		return false
	}
}

func none(ds []diagnostic) bool { return len(ds) == 0 }

// codeAction is the part of a code action the tests read.
type codeAction struct {
	Title string
	Kind  string
	Edit  struct {
		Changes map[string][]struct {
			Range   lspRange
			NewText string
		}
	}
}

// codeActions asks for the code actions of a range of a document.
func (c *client) codeActions(uri string, r lspRange, diags ...diagnostic) []codeAction {
	c.t.Helper()
	var actions []codeAction
	c.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri}, "range": r, "context": map[string]any{"diagnostics": diags},
	}, &actions)
	return actions
}

// waitNote reads notifications (and the server's requests) until one of
// method arrives, and returns its params.
func (c *client) waitNote(method string) json.RawMessage {
	c.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case m, open := <-c.notes:
			if !open {
				c.t.Fatalf("the server closed the stream while waiting for %s", method)
			}
			if m.Method == method {
				return m.Params
			}
		case <-timeout:
			c.t.Fatalf("no %s", method)
		}
	}
}

// waitMessage waits for a window/showMessage and returns its text.
func (c *client) waitMessage() string {
	c.t.Helper()
	var p struct{ Message string }
	if err := json.Unmarshal(c.waitNote("window/showMessage"), &p); err != nil {
		c.t.Fatalf("showMessage: %v", err)
	}
	return p.Message
}
