// Package dockerfile holds the DF rules: one file per rule with its
// metadata, message and check, and testdata/<ID>/ cases beside them.
package df

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
)

var all []*analysis.Rule

// register adds a rule to the family; each rule file calls it from init.
func register(r *analysis.Rule) *analysis.Rule {
	all = append(all, r)
	return r
}

// Rules returns every DF rule.
func Rules() []*analysis.Rule {
	return append([]*analysis.Rule(nil), all...)
}
