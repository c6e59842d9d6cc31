package imagefs

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/image"
	"github.com/seaworthy-dev/seaworthy/source/image/imagetest"
)

// FuzzRead walks arbitrary bytes as a two-layer image, once raw and once
// gzip'd: an error or an image, never a panic, and the merged table keeps
// its invariants (no entry escapes the root, waste is never negative).
func FuzzRead(f *testing.F) {
	f.Add(layerTar(f, entry{name: "app/.npmrc", data: "//r/:_authToken=npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6"}),
		layerTar(f, entry{name: "app/.wh..npmrc"}, entry{name: "app/.wh..wh..opq"}))
	f.Add(layerTar(f, entry{name: "d/", typ: tar.TypeDir}, entry{name: "d/x", size: 10}), layerTar(f, entry{name: "d", data: "f"}))
	f.Add(layerTar(f, entry{name: "../x", data: "y"}), []byte{0x1f, 0x8b, 0, 0})
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0}, []byte("not a tar"))
	f.Fuzz(func(t *testing.T, l1, l2 []byte) {
		for _, img := range []*Image{readOrNil(imageOf(nil, l1, l2)), readOrNil(imageOf(nil, gz(l1), l2))} {
			if img == nil {
				continue
			}
			img.Walk(func(f *File) {
				if len(f.Path) > 0 && (f.Path[0] == '/' || f.Path == ".." || len(f.Path) > 2 && f.Path[:3] == "../") {
					t.Fatalf("entry %q escapes the root", f.Path)
				}
			})
			if img.Wasted() < 0 || img.Wasted() > img.Size() {
				t.Fatalf("wasted %d of %d", img.Wasted(), img.Size())
			}
		}
	})
}

// FuzzImageTar reads arbitrary bytes as an image tar and audits its
// layers, digests checked and not: an error or an image, never a panic.
// The corpus (testdata/fuzz/FuzzImageTar) holds docker save tars with a
// corrupted layer byte, a wrong diff ID in the config and a manifest that
// lies about the layer count.
func FuzzImageTar(f *testing.F) {
	path := filepath.Join(f.TempDir(), "save.tar")
	if err := imagetest.WriteDockerSave(path, oneLayerImage(f, false)); err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := image.FromTar("fuzz.tar", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, verify := range []bool{false, true} {
			Read(context.Background(), src, Options{VerifyInPlace: verify})
		}
	})
}

// readOrNil reads src, nil when it is refused.
func readOrNil(src *image.Image) *Image {
	img, err := Read(context.Background(), src, Options{})
	if err != nil {
		return nil
	}
	return img
}
