// Package rules assembles every rule family into the one registry that the
// CLI, `seaworthy rules`, `seaworthy explain`, SARIF output and the
// generated docs read.
package rules

import (
	"sync"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/rules/app"
	"github.com/seaworthy-dev/seaworthy/rules/compose"
	"github.com/seaworthy-dev/seaworthy/rules/dockerfile"
	"github.com/seaworthy-dev/seaworthy/rules/dockerignore"
	"github.com/seaworthy-dev/seaworthy/rules/runtime"
)

var (
	once sync.Once
	reg  *analysis.Registry
)

// Registry returns the registry of all rules.
func Registry() *analysis.Registry {
	once.Do(func() {
		all := append(dockerfile.Rules(), compose.Rules()...)
		all = append(all, dockerignore.Rules()...)
		all = append(all, runtime.Rules()...)
		all = append(all, app.Rules()...)
		reg = analysis.NewRegistry(all...)
	})
	return reg
}
