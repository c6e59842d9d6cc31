package nodeapp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// TestUnreadSourceIsAProblem: a source file that cannot be read is not
// silently dropped: it is named in Problems (and SourceProblems, once the
// sources were scanned), while the other files are scanned.
func TestUnreadSourceIsAProblem(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("package.json", `{"name": "x", "dependencies": {"express": "4"}}`)
	write("server.js", "require('express')().listen(3000)\n")
	write("src/gone.js", "process.on('SIGTERM', () => {})\n")
	pkg, err := nodeproject.Load(dir)
	if err != nil || pkg == nil {
		t.Fatalf("Load: %v", err)
	}
	if _, err := pkg.Sources(); err != nil { // discovery sees src/gone.js
		t.Fatal(err)
	}
	if got := SourceProblems(pkg); got != nil {
		t.Fatalf("problems before any scan: %v", got)
	}
	if err := os.Remove(filepath.Join(dir, "src/gone.js")); err != nil {
		t.Fatal(err)
	}
	s := SourcesOf(pkg)
	if len(s.Files) != 1 || s.Files[0].Rel != "server.js" {
		t.Errorf("scanned %d files, want server.js only", len(s.Files))
	}
	problems := SourceProblems(pkg)
	if len(problems) != 1 || !strings.Contains(problems[0], filepath.Join("src", "gone.js")) {
		t.Errorf("problems = %q, want one naming src/gone.js", problems)
	}
}
