package engine_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyDirection: the static checks never link the engine client.
// Only verify (and the CLI command that runs it) may import this package
// and github.com/moby/moby/client.
func TestDependencyDirection(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	static := []string{"../rules/...", "../facts/...", "../checker", "../source/...", "../analysis/...", "../knowledge", "../config", "../report", "../ruledoc", "../lsp", "../audit"}
	out, err := exec.Command("go", append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, static...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/seaworthy-dev/seaworthy/engine",
		"github.com/seaworthy-dev/seaworthy/verify",
		"github.com/moby/moby/client",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if pkg == f || strings.HasPrefix(pkg, f+"/") {
				t.Errorf("a static-check package depends on %s", pkg)
			}
		}
	}
	// The prober's protocol also runs in the prober container: it talks
	// over two streams and needs nothing of the engine or the rest of
	// verify.
	out, err = exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../verify/probe").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if (pkg == f || strings.HasPrefix(pkg, f+"/")) && !strings.HasPrefix(pkg, "github.com/seaworthy-dev/seaworthy/verify/probe") {
				t.Errorf("verify/probe depends on %s", pkg)
			}
		}
	}
	// And the check is not vacuous: verify does depend on the client.
	out, err = exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../verify").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "github.com/moby/moby/client\n") {
		t.Error("verify does not depend on github.com/moby/moby/client: the forbidden list is stale")
	}
}

// TestLayers keeps the arrows the README's design section draws. Each
// package may import only the project packages of the layers below it:
// the memo and knowledge; the parsers (source/…); the rule framework
// (analysis); the facts layer (facts/…); the rule families (rules/<family>),
// which are leaves: none imports another family or the registry. Test
// files are not checked.
func TestLayers(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	const mod = "github.com/seaworthy-dev/seaworthy/"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "../...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	base := []string{"internal/memo", "knowledge"}
	allowed := []struct {
		pkg string // a package, or a folder of packages when it ends in "/"
		may []string
	}{
		{"internal/memo", nil},
		{"knowledge", nil},
		{"source/", append([]string{"source/"}, base...)},
		{"analysis", nil},
		{"facts/", append([]string{"facts/", "analysis", "source/"}, base...)},
		{"rules/df", append([]string{"facts/", "analysis", "source/"}, base...)},
		{"rules/di", append([]string{"facts/", "analysis", "source/"}, base...)},
		{"rules/co", append([]string{"facts/", "analysis", "source/"}, base...)},
		{"rules/ap", append([]string{"facts/", "analysis", "source/"}, base...)},
		{"rules/rt", append([]string{"facts/", "analysis", "source/"}, base...)},
		{"rules/im", append([]string{"facts/", "analysis", "source/"}, base...)},
		// init's generator renders facts; it never runs rules.
		{"scaffold", append([]string{"facts/", "source/"}, base...)},
		// Digest pinning talks to registries only.
		{"pin", []string{"source/dockerfile", "internal/memo", "knowledge"}},
		// The language server renders the checker's findings: it runs no
		// rule and reads no fact itself.
		{"lsp", []string{"checker", "config", "analysis", "ruledoc", "source/"}},
		// audit runs the IM rules through the checker over an image it
		// reads from package image; the engine is the CLI's to use.
		{"audit", []string{"checker", "analysis", "facts/", "source/"}},
	}
	matches := func(pattern, pkg string) bool {
		if strings.HasSuffix(pattern, "/") {
			return strings.HasPrefix(pkg, pattern)
		}
		return pkg == pattern
	}
	checked := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		for _, a := range allowed {
			if !matches(a.pkg, pkg) {
				continue
			}
			checked[a.pkg] = true
			for _, imp := range fields[1:] {
				if !strings.HasPrefix(imp, mod) {
					continue // standard library and third-party modules
				}
				imp = strings.TrimPrefix(imp, mod)
				ok := false
				for _, m := range a.may {
					ok = ok || matches(m, imp)
				}
				if !ok {
					t.Errorf("%s imports %s: the layer %q may import only %v", pkg, imp, a.pkg, a.may)
				}
			}
		}
	}
	for _, a := range allowed {
		if !checked[a.pkg] {
			t.Errorf("no package matches %q: the layer table is stale", a.pkg)
		}
	}
}
