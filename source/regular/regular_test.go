package regular

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(file, []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(file, 100); err != nil || string(b) != "FROM scratch\n" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if _, err := ReadFile(file, 5); err == nil || !strings.Contains(err.Error(), "larger than 5 bytes") {
		t.Errorf("ReadFile over the limit = %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 100); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file = %v", err)
	}
	_, err := ReadFile(dir, 100)
	var pe *fs.PathError
	if !IsNotRegular(err) || !errors.As(err, &pe) || pe.Err.Error() != "not a regular file (a directory)" {
		t.Errorf("ReadFile of a directory = %v", err)
	}
	if _, err := Stat(dir); !IsNotRegular(err) {
		t.Errorf("Stat of a directory = %v", err)
	}
	if _, err := Stat(file); err != nil {
		t.Errorf("Stat of a file = %v", err)
	}
}
