package imagefs

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/seaworthy-dev/seaworthy/source/image"
)

// Limits that keep a hostile layer from taking unbounded time or memory.
const (
	// maxContent bounds the bytes kept of a file rules read.
	maxContent = 64 << 10
	// bombRatio and bombFloor: a compressed layer may not expand to more
	// than bombRatio times its stored size once past bombFloor bytes.
	bombRatio = 200
	bombFloor = 512 << 20
)

// maxEntries bounds the entries of one layer: the audit keeps a record
// of every entry (~300 B), so the cap bounds its memory (a variable so
// that a test can lower it).
var maxEntries = 4 << 20

// LayerError is a layer that cannot be read: its position, digest and why.
type LayerError struct {
	Layer  int // 1-based
	Digest string
	Err    error
}

func (e *LayerError) Error() string {
	return fmt.Sprintf("layer %d (%s): %v", e.Layer, e.Digest, e.Err)
}

func (e *LayerError) Unwrap() error { return e.Err }

// layerFiles is what one layer's walk found, in tar order.
type layerFiles struct {
	files []File
	bytes int64 // the sum of regular file sizes
}

// walkLayer reads one layer's tar from its stored bytes: every header, and
// the content of the small files rules read (see wanted). Regular files
// are otherwise skipped (by seeking when the layer is an uncompressed tar
// read in place). The bytes read are hashed and checked against the
// layer's digests: the stored bytes against the manifest's digest, the
// uncompressed tar against the config's diff ID. An uncompressed layer
// read in place is checked only when verifyInPlace is set, since that
// means reading the file data the walk otherwise seeks past.
func walkLayer(idx int, l image.Layer, verifyInPlace bool) (*layerFiles, error) {
	fail := func(err error) (*layerFiles, error) {
		return nil, &LayerError{Layer: idx + 1, Digest: l.Digest, Err: err}
	}
	rc, err := l.Open()
	if err != nil {
		return fail(err)
	}
	defer rc.Close()
	var magic [4]byte
	n, err := io.ReadFull(rc, magic[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fail(err)
	}
	raw := io.MultiReader(bytes.NewReader(magic[:n]), rc)
	// stored hashes the stored bytes and tarBytes the uncompressed tar;
	// nil when there is nothing to check them against.
	var stored, tarBytes *digestReader
	if l.StoredDigest.Algorithm != "" {
		stored = newDigestReader(raw)
		raw = stored
	}
	var src io.Reader
	compressed := true
	switch {
	case n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(bufio.NewReaderSize(raw, 1<<16))
		if err != nil {
			return fail(fmt.Errorf("gzip: %w", err))
		}
		defer zr.Close()
		src = zr
	case n == 4 && bytes.Equal(magic[:], []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return fail(fmt.Errorf("zstd: %w", err))
		}
		defer zr.Close()
		src = zr
	default:
		compressed = false
		if s, ok := rc.(io.ReadSeeker); ok && !verifyInPlace {
			stored = nil
			if _, err := s.Seek(0, io.SeekStart); err != nil {
				return fail(err)
			}
			src = &bufferedSeeker{r: s, buf: make([]byte, 0, 64<<10)}
			break
		}
		// The stored bytes are the tar itself: one hash checks both digests.
		if stored == nil && l.DiffID.Algorithm != "" {
			stored = newDigestReader(raw)
			raw = stored
		}
		tarBytes = stored
		src = bufio.NewReaderSize(raw, 1<<18)
	}
	if compressed {
		ra := newReadAhead(src, 512<<10, 4)
		defer ra.Close() // before the decompressor's Close: defers run last first
		src = ra
		limit := int64(bombFloor)
		if l.Stored > 0 && l.Stored*bombRatio > limit {
			limit = l.Stored * bombRatio
		}
		src = &boundedReader{r: src, left: limit}
		if l.DiffID.Algorithm != "" {
			tarBytes = newDigestReader(src)
			src = tarBytes
		}
	}
	out := &layerFiles{}
	tr := tar.NewReader(src)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = errors.New("truncated: the layer's tar ends in the middle of an entry")
			}
			return fail(err)
		}
		if len(out.files) >= maxEntries {
			return fail(fmt.Errorf("more than %d entries", maxEntries))
		}
		p, ok := entryPath(h.Name)
		if !ok {
			return fail(fmt.Errorf("entry %q escapes the image root", h.Name))
		}
		f := File{Path: p, Size: h.Size, Mode: h.Mode, UID: h.Uid, GID: h.Gid, Type: h.Typeflag, Layer: idx}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeRegA:
			f.Type = tar.TypeReg
			out.bytes += h.Size
			if wanted(p, h.Size) {
				buf := make([]byte, min(h.Size, maxContent))
				if _, err := io.ReadFull(tr, buf); err != nil {
					return fail(fmt.Errorf("%s: %w", p, err))
				}
				f.Content = buf
			}
		case tar.TypeLink:
			t, ok := entryPath(h.Linkname)
			if !ok {
				return fail(fmt.Errorf("hard link %q points outside the image root (%q)", h.Name, h.Linkname))
			}
			f.Link = t
			f.Size = 0
		case tar.TypeSymlink:
			f.Link = h.Linkname
			f.Size = 0
		default:
			f.Size = 0
		}
		out.files = append(out.files, f)
	}
	// The uncompressed tar first: reading it to its end also reads the
	// stored bytes through the decompressor.
	if tarBytes != nil {
		if err := tarBytes.check(l.DiffID, "its uncompressed bytes", "the config's diff ID"); err != nil {
			return fail(err)
		}
	}
	if stored != nil {
		if err := stored.check(l.StoredDigest, "its stored bytes", "the manifest's digest"); err != nil {
			return fail(err)
		}
	}
	return out, nil
}

// entryPath cleans a tar entry name to a slash path without a leading
// slash ("app/server.js", "" for the root); ok is false when the name
// climbs out of the root.
func entryPath(name string) (string, bool) {
	if name == "" {
		return "", false
	}
	if strings.Contains(name, "..") {
		for _, part := range strings.Split(name, "/") {
			if part == ".." {
				return "", false
			}
		}
	}
	// The common forms ("app/x", "./app/x", "app/dir/") need no cleaning.
	p := strings.TrimPrefix(name, "./")
	p = strings.TrimLeft(p, "/")
	p = strings.TrimSuffix(p, "/")
	if !strings.Contains(p, "//") && !strings.Contains(p, "/./") && !strings.HasPrefix(p, "./") &&
		!strings.HasSuffix(p, "/.") && p != "." {
		return p, true
	}
	return strings.TrimPrefix(path.Clean("/"+name), "/"), true
}

// bufferedSeeker reads a seekable layer through a buffer, so that tar
// headers cost no system call each, and seeks past file data it does not
// need (tar.Reader skips by seeking when it can).
type bufferedSeeker struct {
	r   io.ReadSeeker
	buf []byte
	off int // read position in buf
}

func (b *bufferedSeeker) Read(p []byte) (int, error) {
	if b.off == len(b.buf) {
		if len(p) >= cap(b.buf) {
			return b.r.Read(p)
		}
		n, err := b.r.Read(b.buf[:cap(b.buf)])
		b.buf, b.off = b.buf[:n], 0
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, b.buf[b.off:])
	b.off += n
	return n, nil
}

// Seek supports what tar.Reader asks: moves relative to the current
// position.
func (b *bufferedSeeker) Seek(offset int64, whence int) (int64, error) {
	if whence != io.SeekCurrent {
		return 0, errors.New("bufferedSeeker: only relative seeks")
	}
	left := int64(len(b.buf) - b.off)
	if offset >= 0 && offset <= left {
		b.off += int(offset)
		pos, err := b.r.Seek(0, io.SeekCurrent)
		return pos - int64(len(b.buf)-b.off), err
	}
	pos, err := b.r.Seek(offset-left, io.SeekCurrent)
	b.buf, b.off = b.buf[:0], 0
	return pos, err
}

// boundedReader fails once more than left bytes were read: a gzip bomb.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, errors.New("decompresses to far more than its stored size (a compression bomb?)")
	}
	return n, err
}

// wanted reports whether a file's content is kept for the rules: the
// app's package.json, npm/yarn config, .env files, credentials, private
// keys (outside node_modules, where test fixtures ship them), Git config
// and Node's version header. Only the base name and a few suffixes are
// compared, and only for files small enough to hold what is looked for.
func wanted(p string, size int64) bool {
	if size > 4<<20 {
		return false
	}
	base := p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		base = p[i+1:]
	}
	if base == "" {
		return false
	}
	switch base[0] {
	case '.':
		switch {
		case base == ".npmrc", base == ".yarnrc.yml", base == ".yarnrc", base == ".git-credentials",
			base == ".env", strings.HasPrefix(base, ".env."):
			return true
		}
	case 'p':
		if base == "package.json" {
			return !strings.Contains(p, "node_modules/")
		}
	case 'c':
		if base == "credentials" {
			return strings.HasSuffix(p, ".aws/credentials")
		}
		if base == "config" {
			return strings.HasSuffix(p, ".git/config")
		}
		if base == "config.json" {
			return strings.HasSuffix(p, ".docker/config.json")
		}
	case 'n':
		if base == "node_version.h" {
			return strings.HasSuffix(p, "include/node/node_version.h")
		}
	}
	if strings.HasSuffix(base, ".env") {
		return true
	}
	if strings.Contains(p, "node_modules/") {
		return false
	}
	if strings.HasPrefix(base, "id_") && !strings.HasSuffix(base, ".pub") {
		return true
	}
	return strings.HasSuffix(base, ".pem") || strings.HasSuffix(base, ".key") || strings.HasSuffix(base, ".p8")
}
