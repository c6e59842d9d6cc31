// Package lsp is seaworthy's language server: it speaks the Language Server
// Protocol (JSON-RPC with Content-Length framing, go.lsp.dev/jsonrpc2, and
// the types of go.lsp.dev/protocol) to an editor over one stream, and
// publishes the checker's findings as diagnostics for Dockerfiles,
// .dockerignore files, compose files and package.json.
//
// The findings are the project's: each workspace folder that is a
// repository, and the project of each open file (the innermost of the
// workspace folder and the repository holding it), is checked with
// checker.Check as `seaworthy check` checks it, with the unsaved text of
// the open files read instead of the files on disk (checker.Overlay), so a
// finding that relates two files (a COPY that the .dockerignore excludes, a
// compose service that builds a missing stage) follows edits to either.
// The whole workspace is checked again when a file is opened, saved,
// closed or changed on disk (workspace/didChangeWatchedFiles), and when a
// file other than a Dockerfile is edited; an edit to a Dockerfile re-checks
// only that Dockerfile with the build the last workspace check settled
// (checker.Result.Recheck), and the workspace follows once the edits
// pause. Which files exist, and the .seaworthy.yaml config, are read from
// disk.
//
// An ignore comment that names no rule is a warning diagnostic on its
// line; an error that stops a check (a config file that does not load) is
// shown with window/showMessage.
//
// Code actions offer each finding's fix and the comment that ignores it,
// and, asked for source.fixAll, every safe fix of the document
// (checker.Fix); hover on a finding shows its rule's documentation.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// Options configure a Server.
type Options struct {
	// Rules are the rules to run.
	Rules *analysis.Registry
	// Version is the server's version, told to the client.
	Version string
	// Settle is how long a Dockerfile's edits must pause before the
	// workspace is checked again; zero means 300ms.
	Settle time.Duration
}

// Server is one language server session.
type Server struct {
	opts Options
	conn jsonrpc2.Conn
	// done is closed when the client sends exit.
	done chan struct{}
	exit sync.Once

	// mu guards ws and the shutdown state; handlers run one at a time
	// (jsonrpc2 reads the next message when a handler returns), the
	// workspace check after a pause runs on a timer.
	mu       sync.Mutex
	ws       *workspace
	shutdown bool
	// ended is set when Serve returns: no request to the client starts
	// after it.
	ended bool
	// calls are the requests to the client in flight (register); Serve
	// cancels and waits for them, so none outlives the session waiting
	// for an answer that will not come.
	calls sync.WaitGroup
}

// New returns a server; Serve runs it.
func New(opts Options) *Server {
	if opts.Settle == 0 {
		opts.Settle = 300 * time.Millisecond
	}
	return &Server{opts: opts, done: make(chan struct{})}
}

// Serve speaks LSP over rwc until the client sends exit, the stream ends
// or ctx is done. An error is about the stream, not the client's requests.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) error {
	ctx, cancel := context.WithCancel(ctx)
	defer s.calls.Wait()
	defer cancel()
	s.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(rwc))
	s.ws = newWorkspace(s.opts.Rules, s)
	s.conn.Go(ctx, s.handle)
	select {
	case <-s.done:
		s.end()
		return s.conn.Close()
	case <-s.conn.Done():
		s.end()
		if err := s.conn.Err(); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrClosedPipe) {
			return err
		}
		return nil
	case <-ctx.Done():
		s.end()
		_ = s.conn.Close()
		return ctx.Err()
	}
}

// end ends the session's work: the pending workspace check, and
// requests to the client from now on.
func (s *Server) end() {
	s.mu.Lock()
	s.ws.stop()
	s.ended = true
	s.mu.Unlock()
}

// handle answers one message. It returns an error only when the
// connection cannot go on (a reply cannot be written).
func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		// A bug must not take the editor's session down with it.
		if r := recover(); r != nil {
			msg := fmt.Sprintf("seaworthy: internal error in %s: %v (please report this with the file that caused it)", req.Method(), r)
			s.notify(ctx, protocol.MethodWindowLogMessage, &protocol.LogMessageParams{Type: protocol.MessageTypeError, Message: msg})
			err = reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.InternalError, msg))
		}
	}()
	if s.shutdown && req.Method() != protocol.MethodExit {
		return reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shut down"))
	}
	switch req.Method() {
	case protocol.MethodInitialize:
		var p protocol.InitializeParams
		if err := decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		return reply(ctx, s.ws.initialize(&p, s.opts.Version), nil)
	case protocol.MethodInitialized:
		s.ws.initialized(ctx)
		return nil
	case protocol.MethodShutdown:
		s.shutdown = true
		s.ws.stop()
		return reply(ctx, nil, nil)
	case protocol.MethodExit:
		s.exit.Do(func() { close(s.done) })
		return nil
	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if err := decode(req, &p); err == nil {
			s.ws.open(ctx, p.TextDocument.URI, p.TextDocument.Version, p.TextDocument.Text)
		}
		return nil
	case protocol.MethodTextDocumentDidChange:
		var p protocol.DidChangeTextDocumentParams
		if err := decode(req, &p); err == nil && len(p.ContentChanges) > 0 {
			// Full sync: the last change holds the whole text.
			s.ws.change(ctx, p.TextDocument.URI, p.TextDocument.Version, p.ContentChanges[len(p.ContentChanges)-1].Text)
		}
		return nil
	case protocol.MethodTextDocumentDidSave:
		var p protocol.DidSaveTextDocumentParams
		if err := decode(req, &p); err == nil {
			s.ws.checkAll(ctx)
		}
		return nil
	case protocol.MethodTextDocumentDidClose:
		var p protocol.DidCloseTextDocumentParams
		if err := decode(req, &p); err == nil {
			s.ws.close(ctx, p.TextDocument.URI)
		}
		return nil
	case protocol.MethodWorkspaceDidChangeWatchedFiles:
		s.ws.checkAll(ctx)
		return nil
	case protocol.MethodTextDocumentCodeAction:
		var p protocol.CodeActionParams
		if err := decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		return reply(ctx, s.ws.codeActions(ctx, &p), nil)
	case protocol.MethodTextDocumentHover:
		var p protocol.HoverParams
		if err := decode(req, &p); err != nil {
			return reply(ctx, nil, err)
		}
		h := s.ws.hover(&p)
		if h == nil {
			return reply(ctx, nil, nil)
		}
		return reply(ctx, h, nil)
	}
	if _, call := req.(*jsonrpc2.Call); call {
		return reply(ctx, nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not supported: %s", req.Method()))
	}
	return nil // notifications the server does not need ($/cancelRequest, …)
}

// decode reads a request's params; the error is the reply to send.
func decode(req jsonrpc2.Request, v any) error {
	if err := json.Unmarshal(req.Params(), v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: %v", req.Method(), err)
	}
	return nil
}

// notify sends a notification to the client; a failure ends the session
// (the stream is gone), which Serve reports.
func (s *Server) notify(ctx context.Context, method string, params any) {
	_ = s.conn.Notify(ctx, method, params)
}

// register asks the client to send changes of the files the checks read.
// It is a request, so it is sent apart from the handler that decides it:
// the handler must return for the reply to be read. It is called with
// the server's lock held; Serve's end cancels ctx and waits for it.
func (s *Server) register(ctx context.Context, params protocol.RegistrationParams) {
	if s.ended {
		return
	}
	s.calls.Add(1)
	go func() {
		defer s.calls.Done()
		if _, err := s.conn.Call(ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil && ctx.Err() == nil {
			s.notify(ctx, protocol.MethodWindowLogMessage, &protocol.LogMessageParams{
				Type: protocol.MessageTypeWarning, Message: fmt.Sprintf("seaworthy: watching files: %v", err),
			})
		}
	}()
}

// later runs fn after d with the server's lock held, unless the session
// has ended.
func (s *Server) later(d time.Duration, fn func()) *time.Timer {
	return time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.shutdown {
			return
		}
		select {
		case <-s.done:
		case <-s.conn.Done():
		default:
			fn()
		}
	})
}
