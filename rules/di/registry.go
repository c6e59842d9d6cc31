// Package di holds the DI rules, which check a build's .dockerignore
// against the Dockerfile that uses the context: one file per rule with its
// metadata, message and check, and testdata/<ID>/<case>.txtar cases (small
// projects) beside them.
package di

import "github.com/seaworthy-dev/seaworthy/analysis"

var family analysis.RuleList

// register adds a rule to the family; each rule file calls it from a
// package-level variable initializer.
func register(r *analysis.Rule) *analysis.Rule { return family.Add(r) }

// Rules returns every DI rule.
func Rules() []*analysis.Rule { return family.Rules() }
