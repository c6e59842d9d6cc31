// Package rt holds the RT rules, which judge what `seaworthy verify`
// observed running an image in a Docker engine (an *observation.Result):
// one file per rule with its metadata, message and check, and
// testdata/<ID>/<case>.txtar cases beside them. Findings name the image as
// their file and have no line. Each rule also names the step of the run it
// judges (Step): the row of verify's measurement table its findings mark.
package rt

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

var (
	family analysis.RuleList
	steps  = map[string]observation.Step{} // by rule ID
)

// register adds a rule that judges step to the family; each rule file
// calls it from a package-level variable initializer.
func register(step observation.Step, r *analysis.Rule) *analysis.Rule {
	steps[r.ID] = step
	return family.Add(r)
}

// Rules returns every RT rule.
func Rules() []*analysis.Rule { return family.Rules() }

// Step returns the step of a verify run the rule with this ID judges; ok
// is false when it is not an RT rule.
func Step(id string) (step observation.Step, ok bool) {
	step, ok = steps[id]
	return step, ok
}
