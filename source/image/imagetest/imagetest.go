// Package imagetest composes small images in memory for tests and doc
// examples, from a description a txtar archive holds: `image/config.json`
// (an image config: its "config" and "history"), and the files of each
// layer under `image/layerN/` (N from 1). A file named `.wh.NAME` deletes
// NAME of the lower layers, `.wh..wh..opq` empties its directory. The
// layers are built with go-containerregistry (empty, mutate, static), so
// the audit reads them exactly as it reads a pulled image.
package imagetest

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/seaworthy-dev/seaworthy/source/image"
)

// Prefix is the folder of an archive that describes the image.
const Prefix = "image/"

// Entry is a layer entry beyond a plain file: its mode, a size the
// content is padded to, or a symlink target.
type Entry struct {
	Mode    int64
	Size    int64
	Symlink string
	UID     int
}

// Description is an image to compose.
type Description struct {
	// Config is image/config.json's content (may be nil).
	Config []byte
	// Files maps "layerN/path" to content.
	Files map[string][]byte
	// Entries maps "layerN/path" to its mode, padded size or link.
	Entries map[string]Entry
}

// ParseSetting reads an archive comment line that tunes an entry:
//
//	mode: image/layer1/usr/bin/su 4755
//	size: image/layer2/app/big.bin 20000000
//	symlink: image/layer1/usr/bin/cc gcc
//	uid: image/layer1/app/server.js 1000
//
// ok is false for other lines.
func (d *Description) ParseSetting(line string) (ok bool, err error) {
	key, val, _ := strings.Cut(line, ":")
	switch key {
	case "mode", "size", "symlink", "uid":
	default:
		return false, nil
	}
	fields := strings.Fields(val)
	if len(fields) != 2 || !strings.HasPrefix(fields[0], Prefix) {
		return true, fmt.Errorf("%s: want `%s: %slayerN/PATH VALUE`", key, key, Prefix)
	}
	name := strings.TrimPrefix(fields[0], Prefix)
	if d.Entries == nil {
		d.Entries = map[string]Entry{}
	}
	e := d.Entries[name]
	switch key {
	case "mode":
		m, err := strconv.ParseInt(fields[1], 8, 64)
		if err != nil {
			return true, fmt.Errorf("mode %q: %v", fields[1], err)
		}
		e.Mode = m
	case "size":
		n, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil || n < 0 || n > 1<<30 {
			return true, fmt.Errorf("size %q: want a number of bytes up to 1 GiB", fields[1])
		}
		e.Size = n
	case "symlink":
		e.Symlink = fields[1]
	case "uid":
		n, err := strconv.Atoi(fields[1])
		if err != nil {
			return true, fmt.Errorf("uid %q: %v", fields[1], err)
		}
		e.UID = n
	}
	d.Entries[name] = e
	return true, nil
}

// Add records an archive file; files outside image/ are not the image's.
func (d *Description) Add(name string, data []byte) {
	rest, ok := strings.CutPrefix(name, Prefix)
	if !ok {
		return
	}
	if rest == "config.json" {
		d.Config = data
		return
	}
	if d.Files == nil {
		d.Files = map[string][]byte{}
	}
	d.Files[rest] = data
}

// Image composes the described image; ref names it in findings.
func (d *Description) Image(ref string) (*image.Image, error) {
	img, err := d.V1()
	if err != nil {
		return nil, err
	}
	return image.FromV1(ref, img)
}

// V1 composes the described image as a go-containerregistry image.
func (d *Description) V1() (v1.Image, error) {
	var cfg v1.ConfigFile
	if len(d.Config) > 0 {
		if err := json.Unmarshal(d.Config, &cfg); err != nil {
			return nil, fmt.Errorf("%sconfig.json: %v", Prefix, err)
		}
	}
	layers := map[int]map[string]bool{}
	add := func(name string) error {
		l, p, ok := strings.Cut(name, "/")
		n, err := strconv.Atoi(strings.TrimPrefix(l, "layer"))
		if !ok || !strings.HasPrefix(l, "layer") || err != nil || n < 1 || p == "" {
			return fmt.Errorf("%s%s: files of the image go under %slayerN/ (N from 1)", Prefix, name, Prefix)
		}
		if layers[n] == nil {
			layers[n] = map[string]bool{}
		}
		layers[n][p] = true
		return nil
	}
	for name := range d.Files {
		if err := add(name); err != nil {
			return nil, err
		}
	}
	for name, e := range d.Entries {
		if _, ok := d.Files[name]; !ok && e.Symlink == "" {
			return nil, fmt.Errorf("%s%s: a setting names a file the archive lacks", Prefix, name)
		}
		if err := add(name); err != nil {
			return nil, err
		}
	}
	n := 0
	for k := range layers {
		n = max(n, k)
	}
	// The history entries of the layers, in order, are those of the
	// config that are not empty layers.
	var hist []v1.History
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			hist = append(hist, h)
		}
	}
	img := mutate.MediaType(empty.Image, types.DockerManifestSchema2)
	for i := 1; i <= n; i++ {
		b, err := d.layerTar(i, layers[i])
		if err != nil {
			return nil, err
		}
		h := v1.History{Created: v1.Time{Time: time.Unix(0, 0).UTC()}}
		if i-1 < len(hist) {
			h = hist[i-1]
		}
		img, err = mutate.Append(img, mutate.Addendum{Layer: static.NewLayer(b, types.DockerUncompressedLayer), History: h})
		if err != nil {
			return nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Config = cfg.Config
	cf.Architecture, cf.OS = "amd64", "linux"
	// Keep the empty-layer entries of the config's history where they
	// were (ENV, CMD, USER lines).
	if len(cfg.History) > 0 {
		cf.History = cfg.History
	}
	return mutate.ConfigFile(img, cf)
}

// layerTar writes layer i's files as an uncompressed tar, parents first.
func (d *Description) layerTar(i int, paths map[string]bool) ([]byte, error) {
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	for _, p := range names {
		parts := strings.Split(p, "/")
		for j := 1; j < len(parts); j++ {
			dir := strings.Join(parts[:j], "/") + "/"
			if dirs[dir] {
				continue
			}
			dirs[dir] = true
			if err := tw.WriteHeader(&tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
				return nil, err
			}
		}
		key := fmt.Sprintf("layer%d/%s", i, p)
		e := d.Entries[key]
		if e.Symlink != "" {
			if err := tw.WriteHeader(&tar.Header{Name: p, Typeflag: tar.TypeSymlink, Linkname: e.Symlink, Mode: 0o777}); err != nil {
				return nil, err
			}
			continue
		}
		data := d.Files[key]
		if e.Size > int64(len(data)) {
			data = append(append([]byte(nil), data...), make([]byte, e.Size-int64(len(data)))...)
		}
		mode := e.Mode
		if mode == 0 {
			mode = 0o644
		}
		h := &tar.Header{Name: p, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(data)), Uid: e.UID}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
