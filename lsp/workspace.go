package lsp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// document is a file open in the editor.
type document struct {
	uri     protocol.DocumentURI
	version int32
	text    string
}

// workspace is what the server knows: the workspace folders, the open
// documents and the findings of the last checks, by absolute path. Its
// methods are called with the server's lock held.
type workspace struct {
	rules  *analysis.Registry
	server *Server
	// folders are the workspace folders the client names.
	folders []string
	docs    map[string]*document
	// watch says the client can be asked to send file changes;
	// createFiles that its workspace edits can create files.
	watch, createFiles bool
	// results are the last workspace check's, one per checked folder.
	results []*checker.Result
	// findings are the current findings by file, lines the current text
	// of every file they point at (the open documents' unsaved text).
	findings map[string][]analysis.Finding
	lines    map[string][]string
	// dockerfiles are the Dockerfiles the last check checked.
	dockerfiles map[string]bool
	// published are the files whose diagnostics were last published
	// non-empty: they are cleared when their findings go.
	published map[string]bool
	// problem is the last error of a check shown to the user.
	problem string
	// settle runs the workspace check once a Dockerfile's edits pause.
	settle *time.Timer
}

func newWorkspace(rules *analysis.Registry, s *Server) *workspace {
	return &workspace{
		rules: rules, server: s, docs: map[string]*document{}, findings: map[string][]analysis.Finding{},
		lines: map[string][]string{}, dockerfiles: map[string]bool{}, published: map[string]bool{},
	}
}

// initialize records the workspace folders and the client's abilities, and
// says what the server does.
func (w *workspace) initialize(p *protocol.InitializeParams, version string) *protocol.InitializeResult {
	for _, f := range p.WorkspaceFolders {
		w.folders = append(w.folders, absPath(uri.URI(f.URI).Filename()))
	}
	// Clients older than workspace folders name one root, as a URI or a
	// path.
	//lint:ignore SA1019 read only when the client sends no workspace folders
	rootURI, rootPath := p.RootURI, p.RootPath
	if len(w.folders) == 0 && rootURI != "" {
		w.folders = append(w.folders, absPath(uri.URI(rootURI).Filename()))
	}
	if len(w.folders) == 0 && rootPath != "" {
		w.folders = append(w.folders, absPath(rootPath))
	}
	if ws := p.Capabilities.Workspace; ws != nil {
		if ws.DidChangeWatchedFiles != nil {
			w.watch = ws.DidChangeWatchedFiles.DynamicRegistration
		}
		if we := ws.WorkspaceEdit; we != nil && we.DocumentChanges {
			for _, op := range we.ResourceOperations {
				w.createFiles = w.createFiles || op == string(protocol.CreateResourceOperation)
			}
		}
	}
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: true, Change: protocol.TextDocumentSyncKindFull, Save: &protocol.SaveOptions{},
			},
			HoverProvider: true,
			CodeActionProvider: protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, fixAll},
			},
		},
		ServerInfo: &protocol.ServerInfo{Name: "seaworthy", Version: version},
	}
}

// watchedFiles are the files whose changes on disk change findings.
var watchedFiles = []string{
	"**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/Containerfile", "**/Containerfile.*",
	"**/.dockerignore", "**/*.dockerignore",
	"**/compose.yaml", "**/compose.yml", "**/compose.*.yaml", "**/compose.*.yml",
	"**/docker-compose.yaml", "**/docker-compose.yml", "**/docker-compose.*.yaml", "**/docker-compose.*.yml", "**/.env",
	"**/package.json", "**/package-lock.json", "**/npm-shrinkwrap.json", "**/yarn.lock", "**/pnpm-lock.yaml",
	"**/pnpm-workspace.yaml", "**/bun.lock", "**/bun.lockb", "**/.nvmrc", "**/.node-version",
	"**/.seaworthy.yaml", "**/.seaworthy.yml",
}

// initialized checks the workspace and asks the client for file changes.
func (w *workspace) initialized(ctx context.Context) {
	if w.watch {
		watchers := make([]protocol.FileSystemWatcher, len(watchedFiles))
		for i, g := range watchedFiles {
			watchers[i] = protocol.FileSystemWatcher{GlobPattern: g}
		}
		w.server.register(ctx, protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID: "seaworthy-files", Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
		}}})
	}
	if len(w.roots()) > 0 {
		w.checkAll(ctx)
	}
}

// roots are the directories checked: the workspace folders that are
// repository roots (a folder that is not, such as a home directory, is
// only checked where files are open in it), and the project of each open
// file (see projectRoot). A directory inside another is not checked on
// its own.
func (w *workspace) roots() []string {
	var dirs []string
	for _, f := range w.folders {
		if repoRoot(f) == f {
			dirs = append(dirs, f)
		}
	}
	for path := range w.docs {
		dirs = append(dirs, w.projectRoot(path))
	}
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		inside := false
		for _, o := range dirs {
			inside = inside || o != d && project.Within(d, o)
		}
		if !inside && (len(out) == 0 || out[len(out)-1] != d) {
			out = append(out, d)
		}
	}
	return out
}

// projectRoot is the directory checked for an open file: the innermost
// of the workspace folder and the repository that hold it, else the
// file's folder.
func (w *workspace) projectRoot(path string) string {
	root := ""
	for _, f := range w.folders {
		if project.Within(path, f) && len(f) > len(root) {
			root = f
		}
	}
	if repo := repoRoot(filepath.Dir(path)); repo != "" && len(repo) > len(root) {
		root = repo
	}
	if root == "" {
		root = filepath.Dir(path)
	}
	return root
}

// repoRoot is the nearest directory from dir upwards that holds a .git
// (a directory, or a file in worktrees and submodules); "" when none.
func repoRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func (w *workspace) open(ctx context.Context, u protocol.DocumentURI, version int32, text string) {
	path := absPath(uri.URI(u).Filename())
	w.docs[path] = &document{uri: u, version: version, text: text}
	w.checkAll(ctx)
}

func (w *workspace) close(ctx context.Context, u protocol.DocumentURI) {
	delete(w.docs, absPath(uri.URI(u).Filename()))
	w.checkAll(ctx)
}

// change takes a document's new text. A Dockerfile's is checked at once
// with the build the last workspace check settled, and the workspace again
// once the edits pause; any other file's change checks the workspace.
func (w *workspace) change(ctx context.Context, u protocol.DocumentURI, version int32, text string) {
	path := absPath(uri.URI(u).Filename())
	d, ok := w.docs[path]
	if !ok {
		d = &document{uri: u}
		w.docs[path] = d
	}
	d.version, d.text = version, text
	if !w.dockerfiles[path] {
		w.checkAll(ctx)
		return
	}
	if w.recheck(ctx, path, text) {
		w.stop()
		w.settle = w.server.later(w.server.opts.Settle, func() { w.checkAll(ctx) })
		return
	}
	w.checkAll(ctx)
}

// recheck checks one Dockerfile's new text and publishes its diagnostics.
// It is false when the last check did not check the Dockerfile.
func (w *workspace) recheck(ctx context.Context, path, text string) bool {
	for _, res := range w.results {
		dr, ok, err := res.Recheck(path, []byte(text))
		if !ok {
			continue
		}
		if err != nil {
			w.report(ctx, err)
			return true
		}
		var own []analysis.Finding
		for _, f := range dr.Findings {
			if absPath(f.File) == path {
				own = append(own, f)
			}
		}
		w.findings[path] = own
		w.lines[path] = splitLines(text)
		w.publish(ctx, path)
		return true
	}
	return false
}

// stop cancels a pending workspace check.
func (w *workspace) stop() {
	if w.settle != nil {
		w.settle.Stop()
		w.settle = nil
	}
}

// overlay is the open documents' text.
func (w *workspace) overlay() checker.Overlay {
	o := checker.Overlay{}
	for path, d := range w.docs {
		o[path] = []byte(d.text)
	}
	return o
}

// checkAll checks every workspace folder and publishes the diagnostics of
// every file whose findings changed.
func (w *workspace) checkAll(ctx context.Context) {
	w.stop()
	overlay := w.overlay()
	findings := map[string][]analysis.Finding{}
	lines := map[string][]string{}
	dockerfiles := map[string]bool{}
	var results []*checker.Result
	var problems []string
	for _, root := range w.roots() {
		res, err := checker.Check(ctx, checker.Request{Paths: []string{root}, Rules: w.rules, Overlay: overlay})
		var none *checker.NothingFoundError
		if errors.As(err, &none) {
			continue // a folder with no Dockerfile or compose file: nothing to say
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		results = append(results, res)
		for _, f := range res.Findings {
			p := absPath(f.File)
			findings[p] = append(findings[p], f)
		}
		for p, l := range res.Sources {
			lines[absPath(p)] = l
		}
		for _, b := range res.Builds {
			dockerfiles[absPath(b.Dockerfile)] = true
		}
		for _, warn := range res.Warnings {
			if warn.Code != "" {
				continue // an unknown code in an ignore comment: a diagnostic (see publish)
			}
			w.server.notify(ctx, protocol.MethodWindowLogMessage, &protocol.LogMessageParams{
				Type: protocol.MessageTypeWarning, Message: "seaworthy: " + warn.String(),
			})
		}
	}
	for path, d := range w.docs {
		lines[path] = splitLines(d.text)
	}
	w.results, w.findings, w.lines, w.dockerfiles = results, findings, lines, dockerfiles
	w.report(ctx, errorsOf(problems))
	// Every file read may hold an ignore comment that names no rule.
	paths := make([]string, 0, len(lines)+len(findings)+len(w.published))
	for p := range lines {
		paths = append(paths, p)
	}
	for p := range findings {
		if _, ok := lines[p]; !ok {
			paths = append(paths, p)
		}
	}
	for p := range w.published {
		if _, ok := lines[p]; !ok {
			if _, ok := findings[p]; !ok {
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		w.publish(ctx, p)
	}
}

// errorsOf joins the checks' errors (nil for none).
func errorsOf(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(problems, "; "))
}

// report shows a check's error (a bad .seaworthy.yaml, an unknown
// target) once, and logs it every time.
func (w *workspace) report(ctx context.Context, err error) {
	if err == nil {
		w.problem = ""
		return
	}
	msg := "seaworthy: " + err.Error()
	w.server.notify(ctx, protocol.MethodWindowLogMessage, &protocol.LogMessageParams{Type: protocol.MessageTypeError, Message: msg})
	if msg != w.problem {
		w.problem = msg
		w.server.notify(ctx, protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: msg})
	}
}

// publish sends a file's diagnostics: its findings, or none to clear the
// ones published before.
func (w *workspace) publish(ctx context.Context, path string) {
	lines := w.lines[path]
	diags := []protocol.Diagnostic{}
	for _, f := range w.findings[path] {
		diags = append(diags, diagnostic(f, lines))
	}
	for _, u := range config.UnknownCodes(w.rules, lines) {
		diags = append(diags, unknownCodeDiagnostic(u, lines))
	}
	if len(diags) == 0 && !w.published[path] {
		return
	}
	params := &protocol.PublishDiagnosticsParams{URI: protocol.DocumentURI(uri.File(path)), Diagnostics: diags}
	if d, ok := w.docs[path]; ok {
		params.URI = d.uri
		if d.version > 0 {
			params.Version = uint32(d.version)
		}
	}
	w.published[path] = len(diags) > 0
	w.server.notify(ctx, protocol.MethodTextDocumentPublishDiagnostics, params)
}

// findingsAt are a document's findings whose lines meet [from, to]
// (0-based, LSP lines).
func (w *workspace) findingsAt(u protocol.DocumentURI, from, to uint32) (path string, out []analysis.Finding) {
	path = absPath(uri.URI(u).Filename())
	for _, f := range w.findings[path] {
		r := lspRange(f.Range, w.lines[path])
		if r.Start.Line <= to && r.End.Line >= from {
			out = append(out, f)
		}
	}
	return path, out
}

// isDockerfile says whether the last check read the file as a Dockerfile.
func (w *workspace) isDockerfile(path string) bool {
	return w.dockerfiles[path] || project.IsDockerfileName(filepath.Base(path))
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// splitLines splits a document's text as the editor numbers its lines.
func splitLines(text string) []string {
	return strings.Split(text, "\n")
}
