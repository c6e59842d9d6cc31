package di

import (
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
)

// TestRules runs each rule over its cases, testdata/<ID>/*.txtar (see
// analysistest for the format).
func TestRules(t *testing.T) {
	analysistest.Run(t, "testdata", Rules()...)
}
