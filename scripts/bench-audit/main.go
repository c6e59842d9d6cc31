// Command bench-audit supports scripts/bench-audit.sh: it generates the
// benchmark image and runs the bare baseline the audit is compared with.
//
//	bench-audit generate [-gzip] [-scale F] OUT.tar
//	    writes a `docker save` tar (legacy layout): a base layer of
//	    binary-like files, a node_modules layer of ~90k JavaScript-like
//	    files, a `chmod -R` layer that rewrites part of it, and a layer that
//	    deletes a package and an .npmrc; -gzip stores the layers gzip'd
//	    (as an OCI layout does). At scale 1: ~1 GB, ~100k files.
//	bench-audit walk OUT.tar
//	    the baseline: a sequential archive/tar walk of every layer that
//	    reads every byte (gunzipping gzip'd layers with klauspost/compress).
package main

import (
	"archive/tar"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: bench-audit generate [-gzip] [-scale F] OUT.tar | walk IMAGE.tar")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "generate":
		fs := flag.NewFlagSet("generate", flag.ExitOnError)
		gz := fs.Bool("gzip", false, "store the layers gzip'd")
		scale := fs.Float64("scale", 1, "size factor")
		fs.Parse(os.Args[2:])
		err = generate(fs.Arg(0), *gz, *scale)
	case "walk":
		var n, bytes int64
		n, bytes, err = walk(os.Args[2])
		fmt.Printf("walked %d entries, %d bytes of files\n", n, bytes)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-audit:", err)
		os.Exit(1)
	}
}

// file is one generated layer entry.
type file struct {
	name string
	size int
	mode int64
	text bool // JavaScript-like (compressible) rather than binary-like
	dir  bool
}

var words = strings.Fields(`const require module exports function return if else for while var let
this that value options callback promise async await new Error throw catch try object array string
number length push map filter reduce keys join split replace indexOf slice default import from`)

// fill writes size bytes of text or binary-like content.
func fill(w io.Writer, r *rand.Rand, size int, text bool) error {
	buf := make([]byte, 0, 32<<10)
	for size > 0 {
		buf = buf[:0]
		for len(buf) < cap(buf)-32 && len(buf) < size {
			if text {
				buf = append(buf, words[r.IntN(len(words))]...)
				if r.IntN(8) == 0 {
					buf = append(buf, ";\n"...)
				} else {
					buf = append(buf, ' ')
				}
			} else {
				v := r.Uint64()
				for i := 0; i < 8; i++ {
					buf = append(buf, byte(v>>(8*i)))
				}
			}
		}
		if len(buf) > size {
			buf = buf[:size]
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		size -= len(buf)
	}
	return nil
}

// layers generates the files of the four layers.
func layers(scale float64) [][]file {
	r := rand.New(rand.NewPCG(1, 2))
	n := func(x int) int { return max(1, int(float64(x)*scale)) }
	var base, mods, chmod, del []file
	for d := 0; d < 40; d++ {
		dir := fmt.Sprintf("usr/lib/pkg%02d", d)
		base = append(base, file{name: dir + "/", dir: true})
		for i := 0; i < n(125); i++ {
			base = append(base, file{name: fmt.Sprintf("%s/lib%03d.so", dir, i), size: 20000 + r.IntN(80000), mode: 0o755})
		}
	}
	base = append(base, file{name: "usr/bin/", dir: true}, file{name: "usr/bin/su", size: 60000, mode: 0o4755})
	mods = append(mods, file{name: "app/", dir: true}, file{name: "app/node_modules/", dir: true},
		file{name: "app/package.json", size: 0, text: true},
		file{name: "app/.npmrc", text: true})
	for p := 0; p < 30; p++ {
		pkg := fmt.Sprintf("app/node_modules/pkg-%02d", p)
		mods = append(mods, file{name: pkg + "/", dir: true})
		for d := 0; d < 30; d++ {
			dir := fmt.Sprintf("%s/lib/d%02d", pkg, d)
			mods = append(mods, file{name: dir + "/", dir: true})
			for i := 0; i < n(100); i++ {
				mods = append(mods, file{name: fmt.Sprintf("%s/f%03d.js", dir, i), size: 500 + r.IntN(12000), mode: 0o644, text: true})
			}
		}
	}
	// chmod -R g+w on two packages: rewritten whole.
	for _, f := range mods {
		if strings.HasPrefix(f.name, "app/node_modules/pkg-00/") || strings.HasPrefix(f.name, "app/node_modules/pkg-01/") {
			f.mode |= 0o020
			chmod = append(chmod, f)
		}
	}
	del = append(del, file{name: "app/.wh..npmrc"}, file{name: "app/node_modules/.wh.pkg-02"})
	return [][]file{base, mods, chmod, del}
}

// writeLayer writes one layer's tar to w.
func writeLayer(w io.Writer, files []file, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 7))
	tw := tar.NewWriter(w)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode, Typeflag: tar.TypeReg, Size: int64(f.size)}
		var content string
		switch {
		case f.dir:
			h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
		case path.Base(f.name) == ".npmrc":
			content = "//registry.npmjs.org/:_authToken=npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6\n"
		case path.Base(f.name) == "package.json":
			content = `{"name": "app", "dependencies": {"pkg-00": "1"}, "devDependencies": {"pkg-03": "1", "pkg-04": "1"}}` + "\n"
		}
		if content != "" {
			h.Size = int64(len(content))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if content != "" {
			io.WriteString(tw, content)
		} else if !f.dir {
			if err := fill(tw, r, f.size, f.text); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// generate writes the benchmark image as a `docker save` tar.
func generate(out string, gz bool, scale float64) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	outer := tar.NewWriter(bw)
	ls := layers(scale)
	var diffIDs, names []string
	for i, files := range ls {
		// Layers are written to a temporary file first: the outer tar
		// needs each member's size up front.
		tmp, err := os.CreateTemp("", "bench-layer-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		h := sha256.New()
		var w io.Writer = io.MultiWriter(tmp, h)
		var zw *gzip.Writer
		if gz {
			zw = gzip.NewWriter(tmp)
			w = io.MultiWriter(zw, h)
		}
		bt := bufio.NewWriterSize(w, 1<<20)
		if err := writeLayer(bt, files, uint64(i)); err != nil {
			return err
		}
		bt.Flush()
		if zw != nil {
			zw.Close()
		}
		diffIDs = append(diffIDs, "sha256:"+hex.EncodeToString(h.Sum(nil)))
		name := fmt.Sprintf("%d/layer.tar", i+1)
		names = append(names, name)
		if err := addFile(outer, name, tmp); err != nil {
			return err
		}
		tmp.Close()
	}
	history := []map[string]any{
		{"created_by": "/bin/sh -c #(nop) ADD file:base in / "},
		{"created_by": "COPY . /app # buildkit"},
		{"created_by": "RUN /bin/sh -c chmod -R g+w node_modules/pkg-00 node_modules/pkg-01 # buildkit"},
		{"created_by": "RUN /bin/sh -c rm -rf .npmrc node_modules/pkg-02 # buildkit"},
	}
	cfg, _ := json.Marshal(map[string]any{
		"architecture": "amd64", "os": "linux",
		"config":  map[string]any{"WorkingDir": "/app", "Cmd": []string{"node", "server.js"}, "Env": []string{"NODE_VERSION=22.12.0"}},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": diffIDs},
		"history": history,
	})
	if err := addBytes(outer, "config.json", cfg); err != nil {
		return err
	}
	manifest, _ := json.Marshal([]map[string]any{{"Config": "config.json", "RepoTags": []string{"bench/large:1"}, "Layers": names}})
	if err := addBytes(outer, "manifest.json", manifest); err != nil {
		return err
	}
	if err := outer.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

func addFile(tw *tar.Writer, name string, f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: st.Size(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

func addBytes(tw *tar.Writer, name string, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

// walk is the baseline: every layer member of the outer tar is walked as
// a tar, every byte of every file read, gzip'd layers gunzipped, one
// layer after the other.
func walk(image string) (entries, bytes int64, err error) {
	f, err := os.Open(image)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	outer := tar.NewReader(bufio.NewReaderSize(f, 1<<20))
	buf := make([]byte, 1<<20)
	for {
		h, err := outer.Next()
		if err == io.EOF {
			return entries, bytes, nil
		}
		if err != nil {
			return 0, 0, err
		}
		if !strings.HasSuffix(h.Name, "layer.tar") {
			continue
		}
		br := bufio.NewReaderSize(outer, 1<<20)
		var src io.Reader = br
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zr, err := gzip.NewReader(br)
			if err != nil {
				return 0, 0, err
			}
			src = zr
		}
		tr := tar.NewReader(src)
		for {
			_, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return 0, 0, err
			}
			entries++
			n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{tr}, buf)
			if err != nil {
				return 0, 0, err
			}
			bytes += n
		}
	}
}
