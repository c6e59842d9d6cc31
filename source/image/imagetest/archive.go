package imagetest

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// WriteDockerSave writes img as Docker 25+ `docker save` writes it: an
// OCI layout (oci-layout, index.json, blobs/sha256/...) with a
// manifest.json that names the config and layer blobs. The layers are
// stored as img stores them (uncompressed for a Description's image, as
// `docker save` does).
func WriteDockerSave(path string, img v1.Image) error {
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	rawManifest, err := img.RawManifest()
	if err != nil {
		return err
	}
	rawConfig, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	blob := func(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }
	var layerNames []string
	for _, l := range m.Layers {
		layerNames = append(layerNames, blob(l.Digest))
	}
	manifestJSON, err := json.Marshal([]map[string]any{{"Config": blob(m.Config.Digest), "RepoTags": []string{"app:1"}, "Layers": layerNames}})
	if err != nil {
		return err
	}
	index, err := json.Marshal(v1.IndexManifest{SchemaVersion: 2, MediaType: "application/vnd.oci.image.index.v1+json",
		Manifests: []v1.Descriptor{{MediaType: m.MediaType, Digest: digest, Size: int64(len(rawManifest))}}})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name string, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	err = errors.Join(add("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)), add("index.json", index),
		add("manifest.json", manifestJSON), add(blob(digest), rawManifest), add(blob(m.Config.Digest), rawConfig))
	if err != nil {
		return err
	}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	for i, l := range layers {
		rc, err := l.Compressed()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if err := add(layerNames[i], data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// RewriteTar copies the tar in to out with each regular member's content
// passed through edit (which gets the member's name and returns the new
// content): to make an image tar with a corrupt layer or a lying
// manifest.
func RewriteTar(in, out string, edit func(name string, data []byte) []byte) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg {
			data = edit(h.Name, data)
			h.Size = int64(len(data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
