// Package df holds the DF rules, which check a Dockerfile on its own: one
// file per rule with its metadata, message and check, and
// testdata/<ID>/<case>.txtar cases beside them.
package df

import "github.com/seaworthy-dev/seaworthy/analysis"

var family analysis.RuleList

// register adds a rule to the family; each rule file calls it from a
// package-level variable initializer.
func register(r *analysis.Rule) *analysis.Rule { return family.Add(r) }

// Rules returns every DF rule.
func Rules() []*analysis.Rule { return family.Rules() }
