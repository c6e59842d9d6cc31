package engine

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"
)

// BuildSpec is an image build with the classic builder (no BuildKit, no
// network): enough for images whose Dockerfile only copies files and runs
// local commands.
type BuildSpec struct {
	// Dir is the build context; its Dockerfile is built.
	Dir    string
	Tag    string
	Labels map[string]string
}

// Build builds an image from a directory and returns its ID. Output goes
// to log when it is not nil.
func (d *Docker) Build(ctx context.Context, spec BuildSpec, log io.Writer) (string, error) {
	ctxTar, err := TarDir(spec.Dir)
	if err != nil {
		return "", err
	}
	res, err := d.cli.ImageBuild(ctx, bytes.NewReader(ctxTar), client.ImageBuildOptions{
		Tags:        []string{spec.Tag},
		Labels:      spec.Labels,
		Remove:      true,
		ForceRemove: true,
		NetworkMode: "none",
		Version:     build.BuilderV1,
	})
	if err != nil {
		return "", d.wrap(err, "building %s", spec.Dir)
	}
	defer res.Body.Close()
	msgs, err := readJSONMessages(res.Body)
	if err != nil {
		return "", d.wrap(err, "building %s", spec.Dir)
	}
	id := ""
	for _, m := range msgs {
		if log != nil && m.Stream != "" {
			io.WriteString(log, m.Stream)
		}
		if m.Aux != nil {
			var aux struct{ ID string }
			if json.Unmarshal(*m.Aux, &aux) == nil && aux.ID != "" {
				id = aux.ID
			}
		}
	}
	if id == "" {
		img, err := d.Image(ctx, spec.Tag)
		if err != nil {
			return "", err
		}
		id = img.ID
	}
	return id, nil
}

// jsonMessage is one line of the engine's build, import and pull
// progress streams.
type jsonMessage struct {
	Stream      string                    `json:"stream,omitempty"`
	Status      string                    `json:"status,omitempty"`
	Error       string                    `json:"error,omitempty"`
	ErrorDetail *struct{ Message string } `json:"errorDetail,omitempty"`
	Aux         *json.RawMessage          `json:"aux,omitempty"`
}

// readJSONMessages reads a progress stream to its end; an error message in
// the stream becomes the error.
func readJSONMessages(r io.Reader) ([]jsonMessage, error) {
	dec := json.NewDecoder(r)
	var out []jsonMessage
	for {
		var m jsonMessage
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, err
		}
		if m.Error != "" {
			return out, errors.New(strings.TrimSpace(m.Error))
		}
		if m.ErrorDetail != nil && m.ErrorDetail.Message != "" {
			return out, errors.New(strings.TrimSpace(m.ErrorDetail.Message))
		}
		out = append(out, m)
	}
}

// TarDir packs a directory into an uncompressed tar (a build context).
func TarDir(dir string) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		info, err := de.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return nil
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("packing build context %s: %w", dir, err)
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
