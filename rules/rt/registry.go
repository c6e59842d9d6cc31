// Package runtime holds the RT rules: what `seaworthy verify` judges from
// running an image in a Docker engine. The verify run (package verify)
// makes the observations; each rule here reads them from pass.Runtime and
// reports a finding whose File is the image reference, with no line.
package rt

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
)

var all []*analysis.Rule

// register adds a rule to the family; each rule file calls it.
func register(r *analysis.Rule) *analysis.Rule {
	all = append(all, r)
	return r
}

// Rules returns every RT rule.
func Rules() []*analysis.Rule {
	return append([]*analysis.Rule(nil), all...)
}
