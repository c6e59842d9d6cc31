package engine

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/seaworthy-dev/seaworthy/source/image"
)

// SaveImage streams `docker save REF` into a temporary tar (the Engine API
// gives no random access to an image's layers, and the audit reads layers
// in parallel) and opens it as image.Open opens a tar. Closing the image
// removes the temporary file. name is what findings call the image.
func (d *Docker) SaveImage(ctx context.Context, ref, name string) (*image.Image, error) {
	if _, err := d.cli.ImageInspect(ctx, ref); err != nil {
		return nil, d.wrap(err, "image %q", ref)
	}
	rc, err := d.cli.ImageSave(ctx, []string{ref})
	if err != nil {
		return nil, d.wrap(err, "saving image %q", ref)
	}
	defer rc.Close()
	f, err := os.CreateTemp("", "seaworthy-audit-*.tar")
	if err != nil {
		return nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	n, err := io.Copy(f, rc)
	if err != nil {
		cleanup()
		return nil, d.wrap(err, "saving image %q", ref)
	}
	img, err := image.FromTar(name, f, n)
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("image %q as the engine saved it: %w", ref, err)
	}
	img.OnClose(cleanup)
	return img, nil
}
