//go:build unix

package audit_test

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/seaworthy-dev/seaworthy/audit"
)

// A Dockerfile that is a named pipe is an error naming it, not an audit
// that blocks on reading it.
func TestDockerfileNamedPipe(t *testing.T) {
	img := oneFileImage(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "Dockerfile")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, opts := range []audit.Options{{Project: dir}, {Project: dir, Dockerfile: fifo}} {
		_, err := audit.Run(context.Background(), img, imageRules(), opts)
		if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("%+v: %v, want an error naming %s, a named pipe", opts, err, fifo)
		}
	}
}
