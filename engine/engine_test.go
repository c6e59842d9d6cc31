package engine

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadJSONMessages(t *testing.T) {
	msgs, err := readJSONMessages(strings.NewReader(`{"stream":"Step 1/2 : FROM x\n"}{"aux":{"ID":"sha256:abc"}}`))
	if err != nil || len(msgs) != 2 || msgs[0].Stream != "Step 1/2 : FROM x\n" {
		t.Fatalf("msgs %+v err %v", msgs, err)
	}
	_, err = readJSONMessages(strings.NewReader(`{"stream":"Step 1/2"}{"errorDetail":{"message":"COPY failed: no such file"},"error":"COPY failed: no such file"}`))
	if err == nil || err.Error() != "COPY failed: no such file" {
		t.Fatalf("err %v, want the stream's error", err)
	}
}

func TestTarDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "a.js"), []byte("x"), 0o644)
	b, err := TarDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(bytes.NewReader(b))
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	if strings.Join(names, ",") != "Dockerfile,src,src/a.js" {
		t.Errorf("entries %v", names)
	}
}

func TestWrap(t *testing.T) {
	d := &Docker{host: "unix:///x.sock"}
	err := d.wrap(fmt.Errorf("dial: %w", syscall.ECONNREFUSED), "pinging")
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "unix:///x.sock") {
		t.Errorf("wrap(ECONNREFUSED) = %v", err)
	}
	if d.wrap(nil, "x") != nil {
		t.Error("wrap(nil) != nil")
	}
	if err := d.wrap(errors.New("conflict"), "creating"); errors.Is(err, ErrUnreachable) || errors.Is(err, ErrNotFound) {
		t.Errorf("wrap(plain) = %v classified", err)
	}
}
