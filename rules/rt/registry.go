// Package rt holds the RT rules: what `seaworthy verify` judges from
// running an image in a Docker engine. The verify run (package verify)
// makes the observations; each rule here reads them (an
// *observation.Result) and reports a finding whose File is the image
// reference, with no line. Each rule also names the step of the run it
// judges (Step), the row of verify's measurement table its findings mark.
package rt

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

var (
	all   []*analysis.Rule
	steps = map[string]observation.Step{} // by rule ID
)

// register adds a rule to the family, judging step; each rule file calls
// it.
func register(step observation.Step, r *analysis.Rule) *analysis.Rule {
	all = append(all, r)
	steps[r.ID] = step
	return r
}

// Rules returns every RT rule.
func Rules() []*analysis.Rule {
	return append([]*analysis.Rule(nil), all...)
}

// Step returns the step of a verify run the rule with this ID judges; ok
// is false when it is not an RT rule.
func Step(id string) (step observation.Step, ok bool) {
	step, ok = steps[id]
	return step, ok
}
