//go:build unix

package compose

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Named pipes that an include or extends names are skipped as missing
// files are, instead of blocking the loader; a named pipe given as a
// compose file is an error.
func TestLoadNamedPipes(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "compose.yaml")
	src := "include:\n  - other.yaml\nservices:\n  web:\n    image: nginx:1.27\n  api:\n    extends:\n      file: base.yaml\n      service: base\n"
	if err := os.WriteFile(base, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"other.yaml", "base.yaml", "override.yaml"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	type outcome struct {
		p   *Project
		err error
	}
	load := func(paths ...string) outcome {
		done := make(chan outcome, 1)
		go func() {
			p, err := Load(paths...)
			done <- outcome{p, err}
		}()
		select {
		case o := <-done:
			return o
		case <-time.After(30 * time.Second):
			t.Fatal("Load blocked on a named pipe")
			return outcome{}
		}
	}
	if o := load(base); o.err != nil || len(o.p.Services) != 2 {
		t.Errorf("Load = %+v, %v", o.p, o.err)
	}
	o := load(base, filepath.Join(dir, "override.yaml"))
	var e *Error
	if e, _ = o.err.(*Error); e == nil || e.Msg != "cannot be read: not a regular file (a named pipe)" {
		t.Errorf("Load of a named pipe = %v", o.err)
	}
}
