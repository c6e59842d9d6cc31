package im

import (
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
)

// TestRules runs each rule over its cases, testdata/<ID>/*.txtar: images
// composed in memory from the archive (see analysistest and imagetest).
func TestRules(t *testing.T) {
	analysistest.Run(t, "testdata", Rules()...)
}
