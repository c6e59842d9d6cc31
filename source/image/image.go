// Package image opens a container image for the audit wherever it is kept:
// a `docker save` tar (the legacy layout or the OCI layout Docker 25+
// writes inside it), an oci-archive tar, an OCI layout directory, or a
// registry (`registry:REF`). What it returns is the same for every source:
// the image config and, per layer, a way to read the layer's stored bytes
// (a tar, gzip'd or zstd'd). Nothing is extracted: a tar's members are
// read in place.
//
// The Docker engine (`docker-daemon:NAME`) is opened by package engine,
// which hands the saved image to FromSaved, so that the static checks
// never link the engine client.
package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Image is an image as the audit reads it.
type Image struct {
	// Ref is the image as the user named it.
	Ref string
	// Config is the image's config: user, command, env, labels, history.
	Config *v1.ConfigFile
	// Layers are the filesystem layers, lowest first.
	Layers []Layer

	closer  io.Closer
	onClose []func()
}

// Layer is one filesystem layer.
type Layer struct {
	// Digest identifies the layer in messages: its diff ID (the digest of
	// the uncompressed tar) when the config lists one, else the digest of
	// what is stored.
	Digest string
	// Stored is the number of bytes stored (compressed or not), -1 when
	// unknown.
	Stored int64
	// StoredDigest is the digest the manifest gives the stored bytes (zero
	// when it names none: a legacy `docker save` layer.tar).
	StoredDigest v1.Hash
	// DiffID is the digest the config's rootfs gives the uncompressed tar.
	DiffID v1.Hash
	// Open returns the stored bytes: a tar, possibly gzip'd or zstd'd.
	Open func() (io.ReadCloser, error)
}

// Close releases what the image holds open (the tar file it is read from).
func (img *Image) Close() error {
	var err error
	if img.closer != nil {
		err = img.closer.Close()
	}
	for _, f := range img.onClose {
		f()
	}
	img.onClose = nil
	return err
}

// OnClose adds a function Close calls (to remove a temporary file the
// image is read from).
func (img *Image) OnClose(f func()) { img.onClose = append(img.onClose, f) }

// Prefixes of IMAGE arguments that name where the image is.
const (
	RegistryPrefix = "registry:"
	DaemonPrefix   = "docker-daemon:"
)

// Open opens the image ref names: a path to a tar or an OCI layout
// directory, or `registry:REF`. `docker-daemon:NAME` is the engine's (see
// the package doc) and is refused here.
func Open(ctx context.Context, ref string) (*Image, error) {
	switch {
	case strings.HasPrefix(ref, RegistryPrefix):
		return openRegistry(ctx, ref)
	case strings.HasPrefix(ref, DaemonPrefix):
		return nil, fmt.Errorf("%s: images in the Docker engine are read through the engine", ref)
	}
	st, err := os.Stat(ref)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, notFound(err))
	}
	if st.IsDir() {
		return openLayoutDir(ref)
	}
	f, err := regular.Open(ref) // a named pipe would block the read
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	img, err := FromTar(ref, f, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	img.closer = f
	return img, nil
}

func notFound(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("no such file or directory (an image is a `docker save` tar, an OCI layout directory, an oci-archive tar, docker-daemon:NAME or registry:REF)")
	}
	return err
}

// openRegistry pulls the manifest and config of a remote image with the
// credentials of the Docker config (authn.DefaultKeychain); layers are
// streamed when the walk reads them.
func openRegistry(ctx context.Context, ref string) (*Image, error) {
	name0 := strings.TrimPrefix(ref, RegistryPrefix)
	if strings.TrimSpace(name0) == "" {
		return nil, fmt.Errorf("%s: names no image (registry:REF, e.g. registry:ghcr.io/acme/api:1.4.2)", ref)
	}
	r, err := name.ParseReference(name0)
	if err != nil {
		return nil, fmt.Errorf("%s: not an image reference: %w", ref, err)
	}
	img, err := remote.Image(r, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return FromV1(ref, img)
}

// openLayoutDir opens an OCI layout directory: the first image of its
// index (the linux/amd64 one of a multi-platform index).
func openLayoutDir(dir string) (*Image, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: not an OCI layout directory: it has no index.json (a directory must be an OCI image layout; a `docker save` tar is given as the file)", dir)
		}
		return nil, fmt.Errorf("%s: not an OCI layout directory: %w", dir, err)
	}
	img, err := firstImage(idx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return FromV1(dir, img)
}

// firstImage picks the image of an index: the first manifest, or in a
// multi-platform index the linux/amd64 one (else its first).
func firstImage(idx v1.ImageIndex) (v1.Image, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	if len(m.Manifests) == 0 {
		return nil, errors.New("index.json lists no image")
	}
	d := pickManifest(m.Manifests)
	if d.MediaType.IsIndex() {
		child, err := idx.ImageIndex(d.Digest)
		if err != nil {
			return nil, err
		}
		return firstImage(child)
	}
	return idx.Image(d.Digest)
}

// pickManifest chooses among an index's manifests: linux/amd64 when
// platforms are given, else the first.
func pickManifest(ds []v1.Descriptor) v1.Descriptor {
	for _, d := range ds {
		if d.Platform != nil && d.Platform.OS == "linux" && d.Platform.Architecture == "amd64" {
			return d
		}
	}
	for _, d := range ds {
		if d.MediaType.IsImage() || d.MediaType.IsIndex() || d.MediaType == "" {
			return d
		}
	}
	return ds[0]
}

// FromV1 reads a go-containerregistry image: its config, and its layers'
// stored bytes (Compressed, which is what a layout or a registry stores).
func FromV1(ref string, img v1.Image) (*Image, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%s: image config: %w", ref, err)
	}
	if cfg == nil {
		return nil, fmt.Errorf("%s: the image has no config", ref)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("%s: layers: %w", ref, err)
	}
	if err := checkLayerCount(len(layers), cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	out := &Image{Ref: ref, Config: cfg}
	for i, l := range layers {
		d := ""
		if i < len(cfg.RootFS.DiffIDs) {
			d = cfg.RootFS.DiffIDs[i].String()
		} else if h, err := l.Digest(); err == nil {
			d = h.String()
		}
		size, err := l.Size()
		if err != nil {
			size = -1
		}
		stored, err := l.Digest()
		if err != nil {
			return nil, fmt.Errorf("%s: layer %d: %w", ref, i+1, err)
		}
		out.Layers = append(out.Layers, Layer{Digest: d, Stored: size, StoredDigest: stored,
			DiffID: cfg.RootFS.DiffIDs[i], Open: l.Compressed})
	}
	return out, nil
}

// checkLayerCount: the manifest and the config's rootfs must agree on the
// number of layers, or one of them lies.
func checkLayerCount(n int, cfg *v1.ConfigFile) error {
	if len(cfg.RootFS.DiffIDs) != n {
		return fmt.Errorf("the manifest lists %d layers but the config's rootfs has %d", n, len(cfg.RootFS.DiffIDs))
	}
	return nil
}

// isForeign reports a layer that is not stored in the image (Windows base
// layers): it cannot be read.
func isForeign(mt types.MediaType) bool {
	return mt == types.DockerForeignLayer
}
