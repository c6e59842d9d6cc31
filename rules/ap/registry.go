// Package ap holds the AP rules: what a Node.js project's package.json,
// lockfiles, version files and application sources say about how it will
// behave in its container. One file per rule with its metadata, message
// and check; testdata/<ID>/<case>.txtar holds a small project per case.
package ap

import "github.com/seaworthy-dev/seaworthy/analysis"

var family analysis.RuleList

// register adds a rule to the family; each rule file calls it from a
// package-level variable initializer.
func register(r *analysis.Rule) *analysis.Rule { return family.Add(r) }

// Rules returns every AP rule.
func Rules() []*analysis.Rule { return family.Rules() }
