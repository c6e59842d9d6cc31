//go:build unix

package regular

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe with no writer is refused at once instead of blocking.
func TestNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "package.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ReadFile(fifo, 100)
		done <- err
	}()
	select {
	case err := <-done:
		if !IsNotRegular(err) || !strings.Contains(err.Error(), "a named pipe") {
			t.Errorf("ReadFile of a named pipe = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a named pipe")
	}
	st, err := os.Stat(fifo)
	if err != nil || !Special(st.Mode()) || Describe(st.Mode()) != "a named pipe" {
		t.Errorf("Special/Describe of a named pipe: %v %v %q", err, Special(st.Mode()), Describe(st.Mode()))
	}
}
