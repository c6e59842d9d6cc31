// Package dockerfiletest parses Dockerfiles written inline in tests.
package dockerfiletest

import (
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Parse parses src as a file named Dockerfile with default options and
// fails tb if the parser returns an error.
func Parse(tb testing.TB, src string) *dockerfile.File {
	tb.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}
