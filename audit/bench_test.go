package audit_test

import (
	"context"
	"os"
	"testing"

	"github.com/seaworthy-dev/seaworthy/audit"
	"github.com/seaworthy-dev/seaworthy/source/image"
)

// BenchmarkAudit audits the image SEAWORTHY_BENCH_IMAGE names (see
// scripts/bench-audit.sh, which generates one): open, walk, rules and
// size report, as `seaworthy audit` does.
func BenchmarkAudit(b *testing.B) {
	path := os.Getenv("SEAWORTHY_BENCH_IMAGE")
	if path == "" {
		b.Skip("SEAWORTHY_BENCH_IMAGE is not set")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	for b.Loop() {
		img, err := image.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := audit.Run(context.Background(), img, imageRules(), audit.Options{Today: today}); err != nil {
			b.Fatal(err)
		}
		img.Close()
	}
}
