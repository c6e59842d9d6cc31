// Package dockerignore holds the DI rules, which check a build's
// .dockerignore against the Dockerfile that uses the context: one file per
// rule with its metadata, message and check, and testdata/<ID>/*.txtar
// cases (small projects) beside them.
package di

import "github.com/seaworthy-dev/seaworthy/analysis"

var all []*analysis.Rule

// register adds a rule to the family; each rule file calls it.
func register(r *analysis.Rule) *analysis.Rule {
	all = append(all, r)
	return r
}

// Rules returns every DI rule.
func Rules() []*analysis.Rule {
	return append([]*analysis.Rule(nil), all...)
}
