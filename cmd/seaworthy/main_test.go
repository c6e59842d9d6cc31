package main

import (
	"os"
	"testing"

	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
)

// The tests of this package run the built binary through the tools that
// deliver it: the docker CLI (as a plugin), the Docker engine (as an
// image), pre-commit and a GitHub Actions runner's environment.
func TestMain(m *testing.M) {
	code := m.Run()
	enginetest.Stop()
	os.Exit(code)
}
