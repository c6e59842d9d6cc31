package rules

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
)

// TestEveryRuleHasCases: every rule of the registry has, in its family's
// testdata/<ID>/, a case where it fires and a near miss where it must stay
// silent, and golden fixes exactly when it is Fixable.
func TestEveryRuleHasCases(t *testing.T) {
	for _, r := range Registry().Rules() {
		dir := filepath.Join(strings.ToLower(r.Family()), "testdata")
		fires, silent, golden, err := analysistest.Coverage(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		if !fires {
			t.Errorf("%s: no case in %s where it fires", r.ID, filepath.Join(dir, r.ID))
		}
		if !silent {
			t.Errorf("%s: no near miss in %s where it must stay silent", r.ID, filepath.Join(dir, r.ID))
		}
		if golden != r.Fixable {
			t.Errorf("%s: Fixable is %v, but golden fix sections present: %v", r.ID, r.Fixable, golden)
		}
	}
}
