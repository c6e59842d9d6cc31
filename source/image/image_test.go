package image_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/seaworthy-dev/seaworthy/source/image"
	"github.com/seaworthy-dev/seaworthy/source/image/imagetest"
)

// sample is a two-layer image: a file, then its deletion.
func sample(t *testing.T) v1.Image {
	t.Helper()
	d := &imagetest.Description{}
	d.Add("image/config.json", []byte(`{"config": {"User": "node", "Cmd": ["node", "server.js"]},
 "history": [{"created_by": "COPY . /app"}, {"created_by": "RUN rm /app/.env"}]}`))
	d.Add("image/layer1/app/server.js", []byte("console.log(1)\n"))
	d.Add("image/layer1/app/.env", []byte("TOKEN=x\n"))
	d.Add("image/layer2/app/.wh..env", nil)
	img, err := d.V1()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// layerNames reads every layer's entry names as the audit's walk gets
// them (gzip'd layers decompressed).
func layerNames(t *testing.T, img *image.Image) [][]string {
	t.Helper()
	var out [][]string
	for _, l := range img.Layers {
		rc, err := l.Open()
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = rc
		b, _ := io.ReadAll(r)
		rc.Close()
		if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
			t.Logf("layer is gzip'd (%d bytes)", len(b))
			out = append(out, []string{"gzip"})
			continue
		}
		tr := tar.NewReader(bytes.NewReader(b))
		var names []string
		for {
			h, err := tr.Next()
			if err != nil {
				break
			}
			names = append(names, h.Name)
		}
		out = append(out, names)
	}
	return out
}

func check(t *testing.T, img *image.Image, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	if img.Config.Config.User != "node" || len(img.Layers) != 2 {
		t.Fatalf("config user %q, %d layers", img.Config.Config.User, len(img.Layers))
	}
	if img.Layers[0].Digest == "" || !strings.HasPrefix(img.Layers[0].Digest, "sha256:") {
		t.Errorf("layer digest %q", img.Layers[0].Digest)
	}
	names := layerNames(t, img)
	if len(names[1]) == 0 {
		t.Errorf("layer 2 is empty: %v", names)
	}
}

func TestDockerArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "img.tar")
	tag, _ := name.NewTag("app:1")
	if err := tarball.WriteToFile(path, tag, sample(t)); err != nil {
		t.Fatal(err)
	}
	img, err := image.Open(context.Background(), path)
	check(t, img, err)
}

// writeLayout writes the sample as an OCI layout directory.
func writeLayout(t *testing.T, dir string) {
	t.Helper()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(sample(t)); err != nil {
		t.Fatal(err)
	}
}

func TestLayoutDir(t *testing.T) {
	dir := t.TempDir()
	writeLayout(t, dir)
	img, err := image.Open(context.Background(), dir)
	check(t, img, err)
}

// tarDir writes dir as a tar, plus extra members.
func tarDir(t *testing.T, dir, out string, extra map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for n, data := range extra {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.Close()
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOCIArchive(t *testing.T) {
	dir := t.TempDir()
	writeLayout(t, filepath.Join(dir, "layout"))
	out := filepath.Join(dir, "img.tar")
	tarDir(t, filepath.Join(dir, "layout"), out, nil)
	img, err := image.Open(context.Background(), out)
	check(t, img, err)
}

// TestOCIInDockerSave: Docker 25+ writes the OCI layout with a
// manifest.json that names the blobs.
func TestOCIInDockerSave(t *testing.T) {
	dir := t.TempDir()
	writeLayout(t, filepath.Join(dir, "layout"))
	s := sample(t)
	m, _ := s.Manifest()
	var layers []string
	for _, l := range m.Layers {
		layers = append(layers, "blobs/sha256/"+l.Digest.Hex)
	}
	mj, _ := json.Marshal([]map[string]any{{"Config": "blobs/sha256/" + m.Config.Digest.Hex, "RepoTags": []string{"app:1"}, "Layers": layers}})
	out := filepath.Join(dir, "img.tar")
	tarDir(t, filepath.Join(dir, "layout"), out, map[string][]byte{"manifest.json": mj})
	img, err := image.Open(context.Background(), out)
	check(t, img, err)
}

func TestRegistry(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	ref := strings.TrimPrefix(srv.URL, "http://") + "/acme/app:1"
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, sample(t)); err != nil {
		t.Fatal(err)
	}
	img, err := image.Open(context.Background(), "registry:"+ref)
	check(t, img, err)
}

func TestErrorsNameTheInput(t *testing.T) {
	dir := t.TempDir()
	notImage := filepath.Join(dir, "notes.tar")
	tarDir(t, t.TempDir(), notImage, map[string][]byte{"README": []byte("hi")})
	garbage := filepath.Join(dir, "garbage.tar")
	os.WriteFile(garbage, []byte("this is not a tar file at all, not even close......"), 0o644)

	// A manifest that lists one layer more than the config has.
	path := filepath.Join(dir, "lying.tar")
	tag, _ := name.NewTag("app:1")
	if err := tarball.WriteToFile(path, tag, sample(t)); err != nil {
		t.Fatal(err)
	}
	lying := filepath.Join(dir, "lying2.tar")
	rewriteManifest(t, path, lying, func(m []map[string]any) {
		ls := m[0]["Layers"].([]any)
		m[0]["Layers"] = append(ls, ls[0])
	})
	missing := filepath.Join(dir, "missing.tar")
	rewriteManifest(t, path, missing, func(m []map[string]any) {
		ls := m[0]["Layers"].([]any)
		ls[1] = "nowhere/layer.tar"
	})
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "absent.tar"), "absent.tar: no such file"},
		{notImage, "notes.tar: not an image tar: it has neither manifest.json"},
		{garbage, "garbage.tar: not an image tar"},
		{lying, "lying2.tar: the manifest lists 3 layers but the config's rootfs has 2"},
		{missing, "layer 2: " + missing + ": no nowhere/layer.tar in the tar"},
		{"registry:UPPER/Case:x", "registry:UPPER/Case:x"},
		{"docker-daemon:app", "read through the engine"},
	} {
		_, err := image.Open(context.Background(), c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to say %q", c.path, err, c.want)
		}
	}
}

// rewriteManifest copies a docker save tar with its manifest.json edited.
func rewriteManifest(t *testing.T, in, out string, edit func([]map[string]any)) {
	t.Helper()
	err := imagetest.RewriteTar(in, out, func(name string, data []byte) []byte {
		if name != "manifest.json" {
			return data
		}
		var m []map[string]any
		json.Unmarshal(data, &m)
		edit(m)
		data, _ = json.Marshal(m)
		return data
	})
	if err != nil {
		t.Fatal(err)
	}
}
