package cli

import (
	"io"
	"strings"
	"testing"
)

// BenchmarkCheckExample runs `seaworthy check` in-process on the sample
// projects: the whole job (discovery, parsing, every rule family,
// rendering) without process start-up and package initialisation.
func BenchmarkCheckExample(b *testing.B) {
	for _, dir := range []string{"good-api", "node-api"} {
		b.Run(dir, func(b *testing.B) {
			args := []string{"check", "--fail-on", "none", "--today", "2026-11-23", "../../examples/" + dir}
			for i := 0; i < b.N; i++ {
				if code := Main(args, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
