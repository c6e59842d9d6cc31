// Package imagefs derives, in one streaming pass over an image's layers,
// what the IM rules and the audit's size report read: the final file
// table (whiteouts and opaque directories applied), what every lower layer
// holds that a later layer deleted or rewrote (still in the image, still
// extractable), file modes and owners, and the content of the few small
// files rules look into. Nothing is extracted to disk; layers are
// decompressed in parallel and only their headers and a bounded number of
// small files are kept.
package imagefs

import (
	"archive/tar"
	"context"
	"path"
	"runtime"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/seaworthy-dev/seaworthy/source/image"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// Image is an audited image: the input the IM rules read.
type Image struct {
	// Ref is the image as the user named it.
	Ref string
	// Config is the image's config (user, command, env, labels, history).
	Config *v1.ConfigFile
	// Layers are the filesystem layers, lowest first.
	Layers []Layer
	// Hidden are the copies of files in lower layers that a later layer
	// deleted or rewrote, in layer order.
	Hidden []Hidden
	// Secrets are the secret files found, in the final filesystem and in
	// lower layers.
	Secrets []SecretFile
	// Project is the app's package.json given with --project, if any
	// (IM007 then reads it instead of the image's).
	Project *nodeproject.Package

	root *node
	// Files and Bytes count the final filesystem's entries and regular
	// file bytes.
	Files int
	Bytes int64
}

// InputKind names the input kind of the IM rules.
func (*Image) InputKind() string { return "image" }

// Layer is one layer of an audited image.
type Layer struct {
	Index  int // 0-based
	Digest string
	// CreatedBy is the history entry that made the layer ("" when the
	// history does not say).
	CreatedBy string
	// Source is the Dockerfile instruction that made the layer
	// ("Dockerfile:8"), when the audit was given the project it was built
	// from and could trace the layer to it.
	Source string
	// Stored is the layer's stored (possibly compressed) size, -1 unknown.
	Stored int64
	// Size is the sum of the layer's regular file sizes; Entries counts
	// its tar entries.
	Size    int64
	Entries int
	// Wasted is the bytes of this layer's files that later layers
	// deleted or rewrote: in the image, but not in its filesystem.
	Wasted int64
	// Hides is the bytes of lower layers this layer deleted or rewrote.
	Hides int64
}

// File is one entry of a layer.
type File struct {
	Path     string // slash path without a leading slash: "app/server.js"
	Size     int64  // regular files only
	Mode     int64  // permission and setuid/setgid/sticky bits as in the tar header
	UID, GID int
	Type     byte   // tar type flag
	Link     string // symlink or hard link target
	Layer    int    // 0-based index of the layer holding this copy
	// Content is the start (up to 64 KiB) of the files rules read (see
	// wanted); nil for others.
	Content []byte
}

// IsDir reports a directory entry.
func (f *File) IsDir() bool { return f.Type == tar.TypeDir }

// IsRegular reports a regular file.
func (f *File) IsRegular() bool { return f.Type == tar.TypeReg }

// Setuid reports a setuid or setgid regular file.
func (f *File) Setuid() bool { return f.IsRegular() && f.Mode&(0o4000|0o2000) != 0 }

// Hidden is a lower layer's copy of a file that a later layer deleted or
// rewrote.
type Hidden struct {
	File *File
	// By is the 0-based index of the layer that deleted or rewrote it.
	By int
	// Deleted says it was deleted (a whiteout) rather than rewritten.
	Deleted bool
}

// Options tune Read.
type Options struct {
	// Progress, when set, is called after each layer is walked with the
	// number of layers done so far.
	Progress func(done, total int)
	// VerifyInPlace also checks the digests of uncompressed layers read
	// in place from a local file (a `docker save` tar, an OCI layout):
	// the walk then reads every byte instead of seeking past file data.
	// Compressed and streamed layers are always checked, on the bytes
	// the walk reads anyway.
	VerifyInPlace bool
}

// Read walks the layers of img, in parallel up to the machine's cores,
// and merges them.
func Read(ctx context.Context, img *image.Image, opts Options) (*Image, error) {
	out := &Image{Ref: img.Ref, Config: img.Config}
	lists := make([]*layerFiles, len(img.Layers))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	done := make(chan int, len(img.Layers))
	for i, l := range img.Layers {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			list, err := walkLayer(i, l, opts.VerifyInPlace)
			if err != nil {
				return err
			}
			lists[i] = list
			done <- i
			if opts.Progress != nil {
				opts.Progress(len(done), len(img.Layers))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	history := layerHistory(img.Config, len(img.Layers))
	out.root = &node{}
	for i, list := range lists {
		out.Layers = append(out.Layers, Layer{Index: i, Digest: img.Layers[i].Digest, CreatedBy: history[i],
			Stored: img.Layers[i].Stored, Size: list.bytes, Entries: len(list.files)})
		out.apply(i, list.files)
	}
	out.root.walk(func(f *File) {
		out.Files++
		if f.IsRegular() {
			out.Bytes += f.Size
		}
	})
	out.Secrets = findSecrets(out)
	return out, nil
}

// layerHistory is the created_by of each layer: the history entries that
// are not empty layers, in order.
func layerHistory(cfg *v1.ConfigFile, n int) []string {
	out := make([]string, n)
	if cfg == nil {
		return out
	}
	i := 0
	for _, h := range cfg.History {
		if h.EmptyLayer {
			continue
		}
		if i >= n {
			break
		}
		out[i] = h.CreatedBy
		i++
	}
	return out
}

// node is a directory entry of the merged filesystem.
type node struct {
	file *File // nil for a directory no layer has an entry for
	kids map[string]*node
	// names are the kids' names, sorted; filled in by the first walk,
	// once the layers are merged.
	names []string
}

func (n *node) child(name string, create bool) *node {
	if c := n.kids[name]; c != nil || !create {
		return c
	}
	if n.kids == nil {
		n.kids = map[string]*node{}
	}
	c := &node{}
	n.kids[name] = c
	return c
}

// lookup finds the node of a path ("" is the root).
func (n *node) lookup(p string, create bool) *node {
	cur := n
	for p != "" {
		name := p
		rest := ""
		if i := strings.IndexByte(p, '/'); i >= 0 {
			name, rest = p[:i], p[i+1:]
		}
		cur = cur.child(name, create)
		if cur == nil {
			return nil
		}
		p = rest
	}
	return cur
}

// walk calls fn on every file under n, in path order.
func (n *node) walk(fn func(*File)) {
	if n.file != nil {
		fn(n.file)
	}
	if len(n.names) != len(n.kids) {
		n.names = make([]string, 0, len(n.kids))
		for k := range n.kids {
			n.names = append(n.names, k)
		}
		sort.Strings(n.names)
	}
	for _, k := range n.names {
		n.kids[k].walk(fn)
	}
}

// Whiteout names (OCI image spec, layer changesets).
const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// apply lays one layer's files over the merged filesystem.
func (img *Image) apply(layer int, files []File) {
	for i := range files {
		f := &files[i]
		dir, base := path.Split(f.Path)
		dir = strings.TrimSuffix(dir, "/")
		switch {
		case base == opaqueMarker:
			if d := img.root.lookup(dir, false); d != nil {
				for name, kid := range d.kids {
					if img.hide(kid, layer, true) {
						delete(d.kids, name)
					}
				}
			}
			continue
		case strings.HasPrefix(base, whiteoutPrefix):
			name := base[len(whiteoutPrefix):]
			if d := img.root.lookup(dir, false); d != nil {
				if kid := d.kids[name]; kid != nil && img.hide(kid, layer, true) {
					delete(d.kids, name)
				}
			}
			continue
		}
		n := img.root.lookup(f.Path, true)
		if old := n.file; old != nil {
			switch {
			case old.IsDir() && f.IsDir():
				// A directory's metadata changes; nothing is hidden.
			case old.IsDir():
				// A file replaces a directory: its whole tree is hidden.
				for name, kid := range n.kids {
					img.hide(kid, layer, true)
					delete(n.kids, name)
				}
				img.hideFile(old, layer, false)
			default:
				img.hideFile(old, layer, false)
			}
		}
		n.file = f
	}
}

// hide records the files under n from layers below layer as hidden by it;
// it reports whether the whole subtree is gone (nothing of layer itself
// remains in it).
func (img *Image) hide(n *node, layer int, deleted bool) bool {
	all := true
	for name, kid := range n.kids {
		if img.hide(kid, layer, deleted) {
			delete(n.kids, name)
		} else {
			all = false
		}
	}
	if n.file != nil {
		if n.file.Layer >= layer {
			return false
		}
		img.hideFile(n.file, layer, deleted)
		n.file = nil
	}
	return all
}

func (img *Image) hideFile(f *File, by int, deleted bool) {
	img.Hidden = append(img.Hidden, Hidden{File: f, By: by, Deleted: deleted})
	if f.IsRegular() && f.Size > 0 {
		img.Layers[f.Layer].Wasted += f.Size
		img.Layers[by].Hides += f.Size
	}
}

// Lookup returns the final filesystem's entry at a path (with or without
// a leading slash).
func (img *Image) Lookup(p string) (*File, bool) {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	n := img.root.lookup(p, false)
	if n == nil {
		return nil, false
	}
	if n.file == nil {
		if len(n.kids) == 0 {
			return nil, false
		}
		return &File{Path: p, Type: tar.TypeDir, Layer: -1}, true
	}
	return n.file, true
}

// Children lists the names in a final directory, sorted.
func (img *Image) Children(dir string) []string {
	dir = strings.TrimPrefix(path.Clean("/"+dir), "/")
	n := img.root.lookup(dir, false)
	if n == nil {
		return nil
	}
	out := make([]string, 0, len(n.kids))
	for k := range n.kids {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Walk calls fn on every entry of the final filesystem, in path order.
func (img *Image) Walk(fn func(*File)) { img.root.walk(fn) }

// Wasted is the bytes in lower layers that later layers deleted or
// rewrote, each copy counted once.
func (img *Image) Wasted() int64 {
	var n int64
	for _, l := range img.Layers {
		n += l.Wasted
	}
	return n
}

// Size is the bytes of every layer's files: what the image carries.
func (img *Image) Size() int64 {
	var n int64
	for _, l := range img.Layers {
		n += l.Size
	}
	return n
}

// DirSize is the bytes of the regular files under a final directory.
func (img *Image) DirSize(dir string) int64 {
	dir = strings.TrimPrefix(path.Clean("/"+dir), "/")
	n := img.root.lookup(dir, false)
	if n == nil {
		return 0
	}
	var size int64
	n.walk(func(f *File) {
		if f.IsRegular() {
			size += f.Size
		}
	})
	return size
}
