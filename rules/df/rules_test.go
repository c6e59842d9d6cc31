package df

import (
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
)

// TestRules runs each rule over its testdata directory.
func TestRules(t *testing.T) {
	for _, r := range Rules() {
		t.Run(r.ID, func(t *testing.T) {
			analysistest.Run(t, "testdata/"+r.ID, r)
		})
	}
}

// TestEveryRuleHasCases: each rule needs a case that fires and a near miss.
func TestEveryRuleHasCases(t *testing.T) {
	if err := analysis.NewRegistry(Rules()...).Validate(); err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules() {
		fires, silent := analysistest.Coverage(t, "testdata", r)
		if !fires {
			t.Errorf("%s: no testdata case where it fires", r.ID)
		}
		if !silent && r.ID != "DF000" {
			t.Errorf("%s: no testdata near miss where it must stay silent", r.ID)
		}
		if r.Fixable != hasGolden(t, r.ID) {
			t.Errorf("%s: Fixable=%v but golden fix files present=%v", r.ID, r.Fixable, !r.Fixable)
		}
	}
}
