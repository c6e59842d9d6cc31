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
	static := []string{"../rules/df", "../checker", "../source/...", "../analysis", "../rules/rt"}
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
	// And the check is not vacuous: verify does depend on the client.
	out, err = exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../verify").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "github.com/moby/moby/client\n") {
		t.Error("verify does not depend on github.com/moby/moby/client: the forbidden list is stale")
	}
}
