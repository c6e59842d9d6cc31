// Package app holds the AP rules: what a Node.js project's package.json,
// lockfiles, version files and application sources say about how it will
// behave in its container. One file per rule with its metadata, message
// and check; testdata/<ID>/<case>/ holds a small project per test case.
package ap

import (
	"github.com/seaworthy-dev/seaworthy/analysis"
)

var all []*analysis.Rule

// register adds a rule to the family; each rule file calls it from a
// package-level variable initializer.
func register(r *analysis.Rule) *analysis.Rule {
	all = append(all, r)
	return r
}

// Rules returns every AP rule.
func Rules() []*analysis.Rule {
	return append([]*analysis.Rule(nil), all...)
}
