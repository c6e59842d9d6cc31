package imagefs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// digestReader hashes the bytes read through it, so that a layer's
// digests are checked on the bytes the walk reads anyway.
type digestReader struct {
	r io.Reader
	h hash.Hash
}

func newDigestReader(r io.Reader) *digestReader { return &digestReader{r: r, h: sha256.New()} }

func (d *digestReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.h.Write(p[:n])
	return n, err
}

// check reads what the walk left unread (the tar's end padding, a gzip
// trailer) and compares the digest of all the bytes with want, which
// names what the digest is ("the manifest's digest"): a mismatch means
// the layer is corrupt or was altered. A zero want, or one of an
// algorithm other than sha256, is not checked.
func (d *digestReader) check(want v1.Hash, of, source string) error {
	if want.Algorithm != "sha256" {
		return nil
	}
	if _, err := io.Copy(io.Discard, d); err != nil {
		return err
	}
	got := hex.EncodeToString(d.h.Sum(nil))
	if got != want.Hex {
		return fmt.Errorf("%s hash to sha256:%s, not %s (%s): the layer is corrupt or was altered", of, got, want, source)
	}
	return nil
}
