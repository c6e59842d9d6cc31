package imagefs

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadAhead: the bytes come through whole and in order, whatever the
// block size; an error comes after the bytes read before it; closing
// half-way stops the goroutine.
func TestReadAhead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 10_000)
	for _, size := range []int{1, 7, 4096, 1 << 20} {
		ra := newReadAhead(iotest.HalfReader(bytes.NewReader(data)), size, 3)
		got, err := io.ReadAll(iotest.OneByteReader(io.LimitReader(ra, 1000)))
		if err != nil || !bytes.Equal(got, data[:1000]) {
			t.Fatalf("block size %d: first 1000 bytes wrong (%v)", size, err)
		}
		rest, err := io.ReadAll(ra)
		if err != nil || !bytes.Equal(rest, data[1000:]) {
			t.Fatalf("block size %d: %d bytes after the first 1000, want %d (%v)", size, len(rest), len(data)-1000, err)
		}
		ra.Close()
	}

	broken := errors.New("flate: corrupt input")
	ra := newReadAhead(io.MultiReader(bytes.NewReader(data[:5000]), iotest.ErrReader(broken)), 4096, 2)
	got, err := io.ReadAll(ra)
	if !errors.Is(err, broken) || len(got) != 5000 {
		t.Errorf("read %d bytes and %v, want 5000 and the decompressor's error", len(got), err)
	}
	ra.Close()

	// An endless stream, closed after one read: Close returns.
	ra = newReadAhead(iotest.HalfReader(zeroReader{}), 4096, 2)
	ra.Read(make([]byte, 10))
	ra.Close()
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }
