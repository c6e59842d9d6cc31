// Package compose holds the CO rules, which check compose files: one file
// per rule with its metadata, message and check, and testdata/<ID>/<case>/
// projects beside them.
package co

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
)

var all []*analysis.Rule

// register adds a rule to the family; each rule file calls it from init.
func register(r *analysis.Rule) *analysis.Rule {
	all = append(all, r)
	return r
}

// Rules returns every CO rule.
func Rules() []*analysis.Rule {
	return append([]*analysis.Rule(nil), all...)
}
