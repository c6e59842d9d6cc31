package lsp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/uri"
)

// The project the tests open: a Dockerfile whose base stage runs its CMD
// in shell form (DF013), which the compose file builds. The config
// ignores the rules that are not under test.
const (
	badDockerfile = `FROM node:22-alpine AS base
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY server.js ./
USER node
CMD npm start

FROM base AS release
CMD ["node", "server.js"]
`
	composeBase    = "services:\n  api:\n    build:\n      context: .\n      target: base\n"
	composeRelease = "services:\n  api:\n    build:\n      context: .\n      target: release\n"
	config         = "ignore: [DF003, DF010, DF014, DF015, DF017, DF037, AP003, CO009]\n"
)

// writeProject writes the project into a new directory.
func writeProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"Dockerfile":        badDockerfile,
		"compose.yaml":      composeBase,
		".dockerignore":     "node_modules\n",
		".seaworthy.yaml":   config,
		"package.json":      `{"name": "api", "version": "1.0.0", "scripts": {"start": "node server.js"}}` + "\n",
		"package-lock.json": "{}\n",
		"server.js":         "require('http').createServer().listen(3000)\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fileURI(path string) string { return string(uri.File(path)) }

func TestServer(t *testing.T) {
	dir := writeProject(t)
	c := startServer(t)
	var init struct {
		Capabilities struct {
			TextDocumentSync struct {
				OpenClose bool `json:"openClose"`
				Change    int  `json:"change"`
			} `json:"textDocumentSync"`
			HoverProvider      bool `json:"hoverProvider"`
			CodeActionProvider any  `json:"codeActionProvider"`
		} `json:"capabilities"`
		ServerInfo struct{ Name string } `json:"serverInfo"`
	}
	c.call("initialize", map[string]any{
		"processId": nil, "rootUri": fileURI(dir),
		"capabilities": map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}},
	}, &init)
	if init.ServerInfo.Name != "seaworthy" || !init.Capabilities.TextDocumentSync.OpenClose || init.Capabilities.TextDocumentSync.Change != 1 ||
		!init.Capabilities.HoverProvider || init.Capabilities.CodeActionProvider == nil {
		t.Fatalf("initialize result: %+v", init)
	}
	c.notify("initialized", map[string]any{})
	// The client can watch files: the server asks for the files that
	// change findings.
	var reg struct {
		Registrations []struct {
			Method          string
			RegisterOptions struct {
				Watchers []struct{ GlobPattern string }
			}
		}
	}
	if err := json.Unmarshal(c.waitNote("client/registerCapability"), &reg); err != nil {
		t.Fatal(err)
	}
	var globs []string
	for _, r := range reg.Registrations {
		for _, w := range r.RegisterOptions.Watchers {
			globs = append(globs, r.Method+" "+w.GlobPattern)
		}
	}
	for _, want := range []string{"**/Dockerfile", "**/.dockerignore", "**/compose.yaml", "**/package.json", "**/.seaworthy.yaml"} {
		if !slices.Contains(globs, "workspace/didChangeWatchedFiles "+want) {
			t.Errorf("file watchers %q: no %s", globs, want)
		}
	}

	df := fileURI(filepath.Join(dir, "Dockerfile"))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": df, "languageId": "dockerfile", "version": 1, "text": badDockerfile,
	}})
	diags := c.waitDiagnostics(df, has("DF013"))
	if got := codes(diags); len(got) != 1 {
		t.Fatalf("diagnostics of the Dockerfile: %v, want only DF013", got)
	}
	d := diags[0]
	if d.Range.Start.Line != 6 || d.Range.Start.Character != 0 || d.Range.End.Line != 6 || d.Range.End.Character != len("CMD npm start") ||
		d.Severity != 1 || d.Source != "seaworthy" || !strings.Contains(d.Message, "shell form") {
		t.Errorf("DF013 diagnostic: %+v", d)
	}

	t.Run("code actions", func(t *testing.T) {
		actions := c.codeActions(df, d.Range, d)
		var fix, ignore, global bool
		for _, a := range actions {
			edits := a.Edit.Changes[df]
			if a.Kind != "quickfix" || len(edits) == 0 {
				t.Errorf("action %q: kind %q, edits %+v", a.Title, a.Kind, a.Edit.Changes)
				continue
			}
			switch {
			case strings.HasPrefix(a.Title, "Use the exec form"):
				fix = edits[0].NewText == `["npm", "start"]` && edits[0].Range.Start.Line == 6 && edits[0].Range.Start.Character == len("CMD ")
			case strings.HasPrefix(a.Title, "Ignore DF013 here"):
				ignore = edits[0].NewText == "# seaworthy ignore=DF013\n" && edits[0].Range.Start.Line == 6 && edits[0].Range.Start.Character == 0
			case strings.HasPrefix(a.Title, "Ignore DF013 in this file"):
				global = edits[0].NewText == "# seaworthy global ignore=DF013\n" && edits[0].Range.Start.Line == 0
			}
		}
		if !fix || !ignore || !global {
			t.Errorf("code actions %+v: fix %v, ignore comment %v, global ignore %v", actions, fix, ignore, global)
		}
	})

	t.Run("fix all", func(t *testing.T) {
		var actions []codeAction
		c.call("textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": df}, "range": d.Range,
			"context": map[string]any{"diagnostics": []any{}, "only": []string{"source.fixAll"}},
		}, &actions)
		want := strings.Replace(badDockerfile, "CMD npm start", `CMD ["npm", "start"]`, 1)
		if len(actions) != 1 || actions[0].Kind != "source.fixAll.seaworthy" || len(actions[0].Edit.Changes[df]) != 1 {
			t.Fatalf("source.fixAll actions: %+v", actions)
		}
		e := actions[0].Edit.Changes[df][0]
		if e.NewText != want || e.Range.Start.Line != 0 || e.Range.End.Line != 10 || e.Range.End.Character != 0 {
			t.Errorf("fix all: %+v, want the whole text replaced with\n%s", e, want)
		}
	})

	t.Run("hover", func(t *testing.T) {
		var h struct {
			Contents struct{ Kind, Value string }
		}
		c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": df}, "position": map[string]any{"line": 6, "character": 5}}, &h)
		if h.Contents.Kind != "markdown" || !strings.Contains(h.Contents.Value, "# DF013 shell-form-command") || !strings.Contains(h.Contents.Value, "## How to ignore") {
			t.Errorf("hover: %+v", h)
		}
		var empty any
		c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": df}, "position": map[string]any{"line": 1, "character": 0}}, &empty)
		if empty != nil {
			t.Errorf("hover on a line without findings: %v", empty)
		}
	})

	// The quick fix applied: the diagnostics clear.
	fixed := strings.Replace(badDockerfile, "CMD npm start", `CMD ["npm", "start"]`, 1)
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": df, "version": 2},
		"contentChanges": []any{map[string]any{"text": fixed}},
	})
	c.waitDiagnostics(df, none)

	// And back: the unsaved text is what is checked.
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": df, "version": 3},
		"contentChanges": []any{map[string]any{"text": badDockerfile}},
	})
	c.waitDiagnostics(df, has("DF013"))

	// The compose file, open with unsaved text, builds the release stage:
	// the base stage's CMD is no longer the container's.
	compose := fileURI(filepath.Join(dir, "compose.yaml"))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": compose, "languageId": "yaml", "version": 1, "text": composeRelease,
	}})
	c.waitDiagnostics(df, none)

	// Closed unsaved: the file on disk builds the base stage again.
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": compose}})
	c.waitDiagnostics(df, has("DF013"))

	// Changed on disk, told by the client's file watcher.
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(composeRelease), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": compose, "type": 2}}})
	c.waitDiagnostics(df, none)

	// A .dockerignore that excludes what the Dockerfile copies.
	ignore := fileURI(filepath.Join(dir, ".dockerignore"))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": ignore, "languageId": "ignore", "version": 1, "text": "node_modules\nserver.js\n",
	}})
	diags = c.waitDiagnostics(ignore, has("DI006"))
	if diags[0].Range.Start.Line != 1 {
		t.Errorf("DI006 diagnostic: %+v, want it on line 2", diags[0])
	}
	actions := c.codeActions(ignore, diags[0].Range, diags...)
	found := false
	for _, a := range actions {
		if e := a.Edit.Changes[ignore]; strings.HasPrefix(a.Title, "Ignore DI006 here") && len(e) == 1 {
			found = e[0].NewText == "# seaworthy ignore=DI006\n" && e[0].Range.Start.Line == 1
		}
	}
	if !found {
		t.Errorf(".dockerignore code actions: %+v, want the ignore comment on line 2", actions)
	}
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": ignore, "version": 2},
		"contentChanges": []any{map[string]any{"text": "node_modules\n"}},
	})
	c.waitDiagnostics(ignore, none)

	c.shutdown()
}

// TestServerProblems: what is wrong with the inputs rather than the
// project reaches the user too.
func TestServerProblems(t *testing.T) {
	dir := writeProject(t)
	c := startServer(t)
	c.call("initialize", map[string]any{"processId": nil, "rootUri": fileURI(dir), "capabilities": map[string]any{}}, nil)
	c.notify("initialized", map[string]any{})
	df := fileURI(filepath.Join(dir, "Dockerfile"))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": df, "languageId": "dockerfile", "version": 1, "text": badDockerfile,
	}})
	c.waitDiagnostics(df, has("DF013"))

	// An ignore comment with a typo suppresses nothing, and says so.
	typo := strings.Replace(badDockerfile, "CMD npm start", "# seaworthy ignore=DF0133\nCMD npm start", 1)
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": df, "version": 2},
		"contentChanges": []any{map[string]any{"text": typo}},
	})
	diags := c.waitDiagnostics(df, func(ds []diagnostic) bool { return len(ds) == 2 })
	if d := diags[1]; !has("DF013")(diags) || d.Range.Start.Line != 6 || d.Severity != 2 ||
		d.Message != `ignore comment names no rule: "DF0133" (did you mean DF013?)` {
		t.Errorf("diagnostics with a mistyped ignore comment: %+v", diags)
	}

	// A config file that does not load: the user is told which and why,
	// and the findings it would have filtered are not shown.
	cfg := fileURI(filepath.Join(dir, ".seaworthy.yaml"))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": cfg, "languageId": "yaml", "version": 1, "text": "ignore: [NOPE42]\n",
	}})
	// The config is read from disk: save it and tell the server.
	if err := os.WriteFile(filepath.Join(dir, ".seaworthy.yaml"), []byte("ignore: [NOPE42]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": cfg}})
	if msg := c.waitMessage(); !strings.Contains(msg, ".seaworthy.yaml") || !strings.Contains(msg, "NOPE42") {
		t.Errorf("message about a bad config: %q", msg)
	}
	c.waitDiagnostics(df, func(ds []diagnostic) bool { return !has("DF013")(ds) })
}

// TestServerRepository: a workspace folder that is a repository is
// checked as soon as the client is ready, open files or not.
func TestServerRepository(t *testing.T) {
	dir := writeProject(t)
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := startServer(t)
	c.call("initialize", map[string]any{
		"processId": nil, "capabilities": map[string]any{},
		"workspaceFolders": []any{map[string]any{"uri": fileURI(dir), "name": "api"}},
	}, nil)
	c.notify("initialized", map[string]any{})
	c.waitDiagnostics(fileURI(filepath.Join(dir, "Dockerfile")), has("DF013"))
}

// TestServerCreatingFix: a fix that creates a file (the missing
// .dockerignore) is offered to a client that can create files.
func TestServerCreatingFix(t *testing.T) {
	dir := t.TempDir()
	dockerfile := "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n"
	for name, text := range map[string]string{"Dockerfile": dockerfile, "server.js": "console.log(1)\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, create := range []bool{true, false} {
		c := startServer(t)
		caps := map[string]any{}
		if create {
			caps = map[string]any{"workspace": map[string]any{"workspaceEdit": map[string]any{"documentChanges": true, "resourceOperations": []string{"create"}}}}
		}
		c.call("initialize", map[string]any{"processId": nil, "rootUri": fileURI(dir), "capabilities": caps}, nil)
		c.notify("initialized", map[string]any{})
		df := fileURI(filepath.Join(dir, "Dockerfile"))
		c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": df, "languageId": "dockerfile", "version": 1, "text": dockerfile,
		}})
		diags := c.waitDiagnostics(df, has("DI001"))
		var d diagnostic
		for _, x := range diags {
			if x.Code == "DI001" {
				d = x
			}
		}
		var actions []struct {
			Title string
			Edit  struct {
				DocumentChanges []struct {
					Kind     string
					URI      string
					Edits    []struct{ NewText string }
					Document *struct{ URI string } `json:"textDocument"`
				}
			}
		}
		c.call("textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": df}, "range": d.Range, "context": map[string]any{"diagnostics": []any{d}},
		}, &actions)
		created := false
		for _, a := range actions {
			ch := a.Edit.DocumentChanges
			if len(ch) == 2 && ch[0].Kind == "create" && ch[0].URI == fileURI(filepath.Join(dir, ".dockerignore")) &&
				ch[1].Document != nil && ch[1].Document.URI == ch[0].URI && len(ch[1].Edits) == 1 && strings.Contains(ch[1].Edits[0].NewText, "node_modules") {
				created = true
			}
		}
		if created != create {
			t.Errorf("client creates files %v: an action creating .dockerignore offered %v; actions %+v", create, created, actions)
		}
	}
}

// TestServerUnansweredRegistration: a client that never answers the
// server's client/registerCapability does not keep the request waiting
// after the session: Serve cancels it and returns.
func TestServerUnansweredRegistration(t *testing.T) {
	dir := writeProject(t)
	c := startServer(t)
	c.unanswered = true // set before the first message: the server's request comes after it
	c.call("initialize", map[string]any{
		"processId": nil, "rootUri": fileURI(dir),
		"capabilities": map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}},
	}, nil)
	c.notify("initialized", map[string]any{})
	c.waitNote("client/registerCapability")
	c.shutdown()
}
