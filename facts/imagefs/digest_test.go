package imagefs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/seaworthy-dev/seaworthy/source/image"
	"github.com/seaworthy-dev/seaworthy/source/image/imagetest"
)

// serverJS is the file whose content the corrupted layers have a byte
// flipped in: data the walk seeks past in an uncompressed layer.
const serverJS = "console.log('hello, world')\n"

// oneLayerImage is an image of one layer holding app/server.js, stored
// gzip'd (as a registry or an OCI layout stores it) or uncompressed (as
// `docker save` does).
func oneLayerImage(t testing.TB, gzipped bool) v1.Image {
	t.Helper()
	if gzipped {
		return compressedImage(t, compression.GZip)
	}
	return imageOfLayer(t, static.NewLayer(layerTar(t, entry{name: "app/server.js", data: serverJS}), types.DockerUncompressedLayer))
}

// compressedImage is oneLayerImage with its layer stored compressed.
func compressedImage(t testing.TB, c compression.Compression) v1.Image {
	t.Helper()
	raw := layerTar(t, entry{name: "app/server.js", data: serverJS})
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }, tarball.WithCompression(c))
	if err != nil {
		t.Fatal(err)
	}
	return imageOfLayer(t, l)
}

func imageOfLayer(t testing.TB, l v1.Layer) v1.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// flipIn flips a byte of server.js's content wherever it occurs in data.
func flipIn(data []byte) []byte {
	if i := bytes.Index(data, []byte(serverJS)); i >= 0 {
		data = bytes.Clone(data)
		data[i+3] ^= 0x20
	}
	return data
}

// zeros is a sha256 digest nothing hashes to.
var zeros = v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("0", 64)}

// wrongDiffID sets the diff ID of the first layer of a config to zeros.
func wrongDiffID(data []byte) []byte {
	var cfg map[string]any
	if json.Unmarshal(data, &cfg) != nil || cfg["rootfs"] == nil {
		return data
	}
	ids := cfg["rootfs"].(map[string]any)["diff_ids"].([]any)
	ids[0] = zeros.String()
	out, _ := json.Marshal(cfg)
	return out
}

// writeLayoutDir writes img as an OCI layout directory.
func writeLayoutDir(t *testing.T, dir string, img v1.Image) layout.Path {
	t.Helper()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return p
}

// lieInLayout makes the manifest of the layout at dir name the first
// layer by a wrong digest (the blob is moved to that name, so that it is
// found and its bytes do not match).
func lieInLayout(t *testing.T, dir string, img v1.Image) {
	t.Helper()
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	m = m.DeepCopy()
	blob := func(h v1.Hash) string { return filepath.Join(dir, "blobs", h.Algorithm, h.Hex) }
	if err := os.Rename(blob(m.Layers[0].Digest), blob(zeros)); err != nil {
		t.Fatal(err)
	}
	m.Layers[0].Digest = zeros
	raw, _ := json.Marshal(m)
	h, _, _ := v1.SHA256(bytes.NewReader(raw))
	os.WriteFile(blob(h), raw, 0o644)
	idx, _ := json.Marshal(v1.IndexManifest{SchemaVersion: 2, Manifests: []v1.Descriptor{{MediaType: m.MediaType, Digest: h, Size: int64(len(raw))}}})
	if err := os.WriteFile(filepath.Join(dir, "index.json"), idx, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWrongDigests: a layer whose bytes do not match the manifest's
// digest or the config's diff ID is an error naming the layer. Layers
// whose bytes the walk reads anyway (compressed, streamed) are always
// checked; an uncompressed layer read in place from a local file only
// with VerifyInPlace (--verify-digests), since checking it means reading
// the file data the walk otherwise seeks past.
func TestWrongDigests(t *testing.T) {
	dir := t.TempDir()
	at := func(n string) string { return filepath.Join(dir, n) }
	tag, _ := name.NewTag("app:1")
	plain, gzipped := oneLayerImage(t, false), oneLayerImage(t, true)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// docker save, Docker 25+ (an OCI layout inside, layers uncompressed).
	must(imagetest.WriteDockerSave(at("save.tar"), plain))
	must(imagetest.RewriteTar(at("save.tar"), at("save-flipped.tar"), func(_ string, d []byte) []byte { return flipIn(d) }))
	must(imagetest.RewriteTar(at("save.tar"), at("save-diffid.tar"), func(_ string, d []byte) []byte { return wrongDiffID(d) }))
	// docker save, legacy layout; go-containerregistry stores layers as given.
	must(tarball.WriteToFile(at("legacy.tar"), tag, plain))
	must(imagetest.RewriteTar(at("legacy.tar"), at("legacy-flipped.tar"), func(_ string, d []byte) []byte { return flipIn(d) }))
	must(tarball.WriteToFile(at("legacy-gz.tar"), tag, gzipped))
	must(imagetest.RewriteTar(at("legacy-gz.tar"), at("legacy-gz-diffid.tar"), func(_ string, d []byte) []byte { return wrongDiffID(d) }))
	must(imagetest.RewriteTar(at("legacy-gz.tar"), at("legacy-gz-flipped.tar"), func(n string, d []byte) []byte {
		if strings.HasSuffix(n, ".tar.gz") {
			d = bytes.Clone(d)
			d[len(d)/2] ^= 0xff // in the deflate stream
		}
		return d
	}))
	// OCI layouts: gzip'd layers with a byte of the gzip header's mtime
	// changed (the tar inside is intact: only the digest tells), with a
	// manifest naming a wrong digest; uncompressed with a flipped byte.
	gzHeader := at("layout-gz-mtime")
	writeLayoutDir(t, gzHeader, gzipped)
	m, _ := gzipped.Manifest()
	blobPath := filepath.Join(gzHeader, "blobs", "sha256", m.Layers[0].Digest.Hex)
	b, err := os.ReadFile(blobPath)
	must(err)
	b[4] ^= 0x01
	must(os.WriteFile(blobPath, b, 0o644))
	lying := at("layout-gz-lying")
	writeLayoutDir(t, lying, gzipped)
	lieInLayout(t, lying, gzipped)
	zstdLayout, zstdLying := at("layout-zstd"), at("layout-zstd-lying")
	zstdImage := compressedImage(t, compression.ZStd)
	writeLayoutDir(t, zstdLayout, zstdImage)
	writeLayoutDir(t, zstdLying, zstdImage)
	lieInLayout(t, zstdLying, zstdImage)
	plainFlipped := at("layout-plain-flipped")
	writeLayoutDir(t, plainFlipped, plain)
	pm, _ := plain.Manifest()
	blobPath = filepath.Join(plainFlipped, "blobs", "sha256", pm.Layers[0].Digest.Hex)
	b, err = os.ReadFile(blobPath)
	must(err)
	must(os.WriteFile(blobPath, flipIn(b), 0o644))

	const diffID, manifest = "(the config's diff ID)", "(the manifest's digest)"
	for _, c := range []struct {
		path string
		// want is the error with VerifyInPlace; wantDefault without it
		// ("" when the image reads without error).
		want, wantDefault string
	}{
		{at("save.tar"), "", ""},
		{at("save-flipped.tar"), diffID, ""},
		{at("save-diffid.tar"), "not " + zeros.String() + " " + diffID, ""},
		{at("legacy.tar"), "", ""},
		{at("legacy-flipped.tar"), diffID, ""},
		{at("legacy-gz.tar"), "", ""},
		{at("legacy-gz-diffid.tar"), "not " + zeros.String() + " " + diffID, "not " + zeros.String() + " " + diffID},
		{at("legacy-gz-flipped.tar"), "corrupt input", "corrupt input"},
		{gzHeader, manifest, manifest},
		{lying, "not " + zeros.String() + " " + manifest, "not " + zeros.String() + " " + manifest},
		{plainFlipped, diffID, ""},
		{zstdLayout, "", ""},
		{zstdLying, "not " + zeros.String() + " " + manifest, "not " + zeros.String() + " " + manifest},
	} {
		for _, verify := range []bool{true, false} {
			want := c.want
			if !verify {
				want = c.wantDefault
			}
			src, err := image.Open(context.Background(), c.path)
			must(err)
			_, err = Read(context.Background(), src, Options{VerifyInPlace: verify})
			src.Close()
			var le *LayerError
			switch {
			case want == "" && err != nil:
				t.Errorf("%s (verify %v): %v", filepath.Base(c.path), verify, err)
			case want != "" && (err == nil || !errors.As(err, &le) || le.Layer != 1 || !strings.Contains(err.Error(), want)):
				t.Errorf("%s (verify %v): error %v, want a layer 1 error saying %q", filepath.Base(c.path), verify, err, want)
			}
		}
	}
}

// TestWrongDigestStreamed: a layer streamed (from a registry, or composed
// in memory) is checked whatever the options, since its bytes are all
// read.
func TestWrongDigestStreamed(t *testing.T) {
	src := imageOf(nil, layerTar(t, entry{name: "app/server.js", data: serverJS}))
	src.Layers[0].DiffID = zeros
	_, err := Read(context.Background(), src, Options{})
	if err == nil || !strings.Contains(err.Error(), "layer 1 (") || !strings.Contains(err.Error(), "its uncompressed bytes hash to sha256:") {
		t.Fatalf("error %v, want layer 1's uncompressed bytes not matching", err)
	}
}

// TestTruncatedImageTar: a `docker save` tar cut off inside its last
// layer is an error naming that layer, or the tar.
func TestTruncatedImageTar(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "save.tar")
	if err := imagetest.WriteDockerSave(full, oneLayerImage(t, false)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	// The layer blob is the last member; cut inside server.js's content.
	cut := bytes.Index(data, []byte(serverJS)) + 5
	for _, verify := range []bool{false, true} {
		src, err := image.FromTar("cut.tar", bytes.NewReader(data[:cut]), int64(cut))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Read(context.Background(), src, Options{VerifyInPlace: verify})
		var le *LayerError
		if err == nil || !errors.As(err, &le) || le.Layer != 1 || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("verify %v: error %v, want layer 1 truncated", verify, err)
		}
	}
}
