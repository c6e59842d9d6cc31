// Package rules assembles every rule family into the one registry that the
// CLI, `seaworthy rules`, `seaworthy explain`, SARIF output and the
// generated docs read.
package rules

import (
	"sync"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/rules/ap"
	"github.com/seaworthy-dev/seaworthy/rules/co"
	"github.com/seaworthy-dev/seaworthy/rules/df"
	"github.com/seaworthy-dev/seaworthy/rules/di"
	"github.com/seaworthy-dev/seaworthy/rules/im"
	"github.com/seaworthy-dev/seaworthy/rules/rt"
)

var (
	once sync.Once
	reg  *analysis.Registry
)

// Registry returns the registry of all rules.
func Registry() *analysis.Registry {
	once.Do(func() {
		all := append(df.Rules(), co.Rules()...)
		all = append(all, di.Rules()...)
		all = append(all, rt.Rules()...)
		all = append(all, ap.Rules()...)
		all = append(all, im.Rules()...)
		reg = analysis.NewRegistry(all...)
	})
	return reg
}
