package image

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// member is a file of an image tar, read in place.
type member struct {
	offset, size int64
	link         string // a symlink or hard link's target (docker save links shared layers)
}

// maxMetaFile bounds the JSON files of an image tar (manifest, index,
// config) that are read into memory.
const maxMetaFile = 16 << 20

// FromTar reads an image tar of size bytes named ref: a `docker save`
// tar (manifest.json, in the legacy layout or with the OCI layout beside
// it) or an oci-archive tar (index.json only). It indexes the tar's
// members in one pass over their headers; layers are then read in place.
func FromTar(ref string, r io.ReaderAt, size int64) (*Image, error) {
	members, err := indexTar(r, size)
	if err != nil {
		if errors.Is(err, tar.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: not an image tar: not a tar archive, or cut short (`docker save -o image.tar NAME` writes one)", ref)
		}
		return nil, fmt.Errorf("%s: not an image tar: %w", ref, err)
	}
	t := &tarImage{ref: ref, r: r, members: members}
	switch {
	case members["manifest.json"] != nil:
		return t.dockerArchive()
	case members["index.json"] != nil:
		return t.ociArchive()
	}
	return nil, fmt.Errorf("%s: not an image tar: it has neither manifest.json (docker save) nor index.json (OCI)", ref)
}

// positionReader reads a ReaderAt sequentially and knows where it is.
type positionReader struct {
	r   io.ReaderAt
	pos int64
}

func (p *positionReader) Read(b []byte) (int, error) {
	n, err := p.r.ReadAt(b, p.pos)
	p.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// indexTar lists the members of a tar with their offsets. Contents are
// skipped, not read (tar.Reader discards through Read, so the members'
// data is read once here; it is page cache the walk reuses).
func indexTar(r io.ReaderAt, size int64) (map[string]*member, error) {
	pr := &positionReader{r: io.NewSectionReader(r, 0, size)}
	tr := tar.NewReader(pr)
	out := map[string]*member{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		name := cleanMember(h.Name)
		switch h.Typeflag {
		case tar.TypeReg:
			out[name] = &member{offset: pr.pos, size: h.Size}
			// Skip the data by moving the position: nothing is read.
			pad := (h.Size + 511) &^ 511
			pr.pos += pad
			tr = tar.NewReader(pr)
		case tar.TypeSymlink:
			out[name] = &member{link: path.Join(path.Dir(name), h.Linkname)}
		case tar.TypeLink:
			out[name] = &member{link: cleanMember(h.Linkname)}
		}
	}
	return out, nil
}

func cleanMember(n string) string {
	return strings.TrimPrefix(path.Clean("/"+n), "/")
}

// tarImage is an image tar being read.
type tarImage struct {
	ref     string
	r       io.ReaderAt
	members map[string]*member
}

// find resolves a member, following links (a bounded number of times).
func (t *tarImage) find(name string) (*member, error) {
	name = cleanMember(name)
	for range 16 {
		m := t.members[name]
		if m == nil {
			return nil, fmt.Errorf("%s: no %s in the tar", t.ref, name)
		}
		if m.link == "" {
			return m, nil
		}
		name = cleanMember(m.link)
	}
	return nil, fmt.Errorf("%s: %s: too many links", t.ref, name)
}

func (t *tarImage) section(name string) (*io.SectionReader, *member, error) {
	m, err := t.find(name)
	if err != nil {
		return nil, nil, err
	}
	return io.NewSectionReader(t.r, m.offset, m.size), m, nil
}

// readSmall reads a metadata member whole.
func (t *tarImage) readSmall(name string) ([]byte, error) {
	s, m, err := t.section(name)
	if err != nil {
		return nil, err
	}
	if m.size > maxMetaFile {
		return nil, fmt.Errorf("%s: %s is %d bytes, too large for image metadata", t.ref, name, m.size)
	}
	b := make([]byte, m.size)
	if _, err := io.ReadFull(s, b); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", t.ref, name, err)
	}
	return b, nil
}

func (t *tarImage) opener(name string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		s, _, err := t.section(name)
		if err != nil {
			return nil, err
		}
		return sectionCloser{s}, nil
	}
}

// sectionCloser is a member read in place: it can seek, so a walk skips
// file data without reading it.
type sectionCloser struct{ *io.SectionReader }

func (sectionCloser) Close() error { return nil }

// dockerArchive reads a `docker save` tar through its manifest.json:
// the first image it lists.
func (t *tarImage) dockerArchive() (*Image, error) {
	raw, err := t.readSmall("manifest.json")
	if err != nil {
		return nil, err
	}
	var m tarball.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: manifest.json: %w", t.ref, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%s: manifest.json lists no image", t.ref)
	}
	cfg, err := t.config(m[0].Config)
	if err != nil {
		return nil, err
	}
	if err := checkLayerCount(len(m[0].Layers), cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", t.ref, err)
	}
	img := &Image{Ref: t.ref, Config: cfg}
	for i, l := range m[0].Layers {
		mem, err := t.find(l)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i+1, err)
		}
		img.Layers = append(img.Layers, Layer{Digest: cfg.RootFS.DiffIDs[i].String(), Stored: mem.size,
			StoredDigest: blobDigest(l), DiffID: cfg.RootFS.DiffIDs[i], Open: t.opener(l)})
	}
	return img, nil
}

func (t *tarImage) config(name string) (*v1.ConfigFile, error) {
	raw, err := t.readSmall(name)
	if err != nil {
		return nil, err
	}
	cfg, err := v1.ParseConfigFile(strings.NewReader(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("%s: config %s: %w", t.ref, name, err)
	}
	return cfg, nil
}

// blob is the member of an OCI layout that holds a digest's content.
func blob(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

// blobDigest is the digest a `docker save` manifest names a layer by when
// the layer is stored as an OCI blob (Docker 25+: blobs/sha256/HEX); zero
// for a legacy layer.tar, whose name is not a digest.
func blobDigest(member string) v1.Hash {
	rest, ok := strings.CutPrefix(cleanMember(member), "blobs/")
	if !ok {
		return v1.Hash{}
	}
	h, err := v1.NewHash(strings.Replace(rest, "/", ":", 1))
	if err != nil {
		return v1.Hash{}
	}
	return h
}

// ociArchive reads an OCI layout inside a tar through its index.json.
func (t *tarImage) ociArchive() (*Image, error) {
	raw, err := t.readSmall("index.json")
	if err != nil {
		return nil, err
	}
	for depth := 0; ; depth++ {
		idx, err := v1.ParseIndexManifest(strings.NewReader(string(raw)))
		if err != nil {
			return nil, fmt.Errorf("%s: index: %w", t.ref, err)
		}
		if len(idx.Manifests) == 0 {
			return nil, fmt.Errorf("%s: index.json lists no image", t.ref)
		}
		d := pickManifest(idx.Manifests)
		if raw, err = t.readSmall(blob(d.Digest)); err != nil {
			return nil, err
		}
		if !d.MediaType.IsIndex() {
			break
		}
		if depth > 4 {
			return nil, errors.New(t.ref + ": index nesting too deep")
		}
	}
	m, err := v1.ParseManifest(strings.NewReader(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("%s: manifest: %w", t.ref, err)
	}
	cfg, err := t.config(blob(m.Config.Digest))
	if err != nil {
		return nil, err
	}
	if err := checkLayerCount(len(m.Layers), cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", t.ref, err)
	}
	img := &Image{Ref: t.ref, Config: cfg}
	for i, l := range m.Layers {
		if isForeign(l.MediaType) {
			return nil, fmt.Errorf("%s: layer %d (%s) is a foreign layer, not stored in the image", t.ref, i+1, l.Digest)
		}
		mem, err := t.find(blob(l.Digest))
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i+1, err)
		}
		img.Layers = append(img.Layers, Layer{Digest: cfg.RootFS.DiffIDs[i].String(), Stored: mem.size,
			StoredDigest: l.Digest, DiffID: cfg.RootFS.DiffIDs[i], Open: t.opener(blob(l.Digest))})
	}
	return img, nil
}
