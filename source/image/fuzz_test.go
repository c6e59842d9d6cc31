package image_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/seaworthy-dev/seaworthy/source/image"
)

// FuzzFromTar reads arbitrary bytes as an image tar (manifest, index,
// config and links included): an image or an error, never a panic, and
// every layer it returns opens.
func FuzzFromTar(f *testing.F) {
	path := filepath.Join(f.TempDir(), "img.tar")
	tag, _ := name.NewTag("app:1")
	if err := tarball.WriteToFile(path, tag, sample(&testing.T{})); err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := image.FromTar("fuzz.tar", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, l := range img.Layers {
			if rc, err := l.Open(); err == nil {
				rc.Close()
			}
		}
	})
}
