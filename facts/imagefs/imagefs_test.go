package imagefs

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/klauspost/compress/gzip"

	"github.com/seaworthy-dev/seaworthy/source/image"
)

// entry is a tar entry of a test layer.
type entry struct {
	name, link string
	typ        byte
	data       string
	size       int64 // data is padded with zeros to size
	mode       int64
}

func layerTar(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		size := int64(len(e.data))
		if e.size > size {
			size = e.size
		}
		if typ != tar.TypeReg {
			size = 0
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Linkname: e.link, Typeflag: typ, Size: size, Mode: mode}); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			tw.Write([]byte(e.data))
			tw.Write(make([]byte, size-int64(len(e.data))))
		}
	}
	tw.Close()
	return buf.Bytes()
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// imageOf makes an image of raw layers, each with a history entry.
func imageOf(history []string, layers ...[]byte) *image.Image {
	cfg := &v1.ConfigFile{}
	img := &image.Image{Ref: "test.tar", Config: cfg}
	for i, l := range layers {
		b := l
		img.Layers = append(img.Layers, image.Layer{
			Digest: "sha256:" + strings.Repeat(string(rune('a'+i)), 64), Stored: int64(len(b)),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil },
		})
		if i < len(history) {
			cfg.History = append(cfg.History, v1.History{CreatedBy: history[i]})
		}
	}
	return img
}

func read(t *testing.T, img *image.Image) *Image {
	t.Helper()
	out, err := Read(context.Background(), img, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func paths(img *Image) []string {
	var out []string
	img.Walk(func(f *File) { out = append(out, f.Path) })
	return out
}

func TestWhiteoutsAndWaste(t *testing.T) {
	l1 := layerTar(t,
		entry{name: "app/", typ: tar.TypeDir},
		entry{name: "app/a.js", size: 1000},
		entry{name: "app/b.js", size: 2000},
		entry{name: "app/lib/", typ: tar.TypeDir},
		entry{name: "app/lib/c.js", size: 4000},
		entry{name: "etc/.npmrc", data: "//r/:_authToken=npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6\n"},
	)
	l2 := layerTar(t,
		entry{name: "app/a.js", size: 1000},   // rewritten: its lower copy is waste, once
		entry{name: "app/.wh.b.js"},           // deleted
		entry{name: "app/lib/.wh..wh..opq"},   // emptied
		entry{name: "app/lib/d.js", size: 10}, // then refilled in the same layer
		entry{name: "etc/.wh..npmrc"},
	)
	// gzip'd, as registries and OCI layouts store layers.
	img := read(t, imageOf([]string{"COPY . /app", "RUN chmod -R g+w /app"}, l1, gz(l2)))
	got := strings.Join(paths(img), " ")
	want := "app app/a.js app/lib app/lib/d.js"
	if got != want {
		t.Errorf("final files %q, want %q", got, want)
	}
	if w := img.Wasted(); w != 7000+int64(len("//r/:_authToken=npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6\n")) {
		t.Errorf("wasted %d", w)
	}
	if img.Layers[1].Hides != img.Wasted() || img.Layers[0].Wasted != img.Wasted() || img.Layers[1].Wasted != 0 {
		t.Errorf("layers %+v", img.Layers)
	}
	if f, ok := img.Lookup("/app/a.js"); !ok || f.Layer != 1 {
		t.Errorf("a.js: %+v", f)
	}
	if len(img.Secrets) != 1 || img.Secrets[0].Hidden == nil || !img.Secrets[0].Hidden.Deleted {
		t.Errorf("secrets %+v", img.Secrets)
	}
	if img.Layers[1].CreatedBy != "RUN chmod -R g+w /app" {
		t.Errorf("history %q", img.Layers[1].CreatedBy)
	}
}

// TestDirectoryReplacedByFile: a file where a lower layer had a directory
// hides the directory's whole tree.
func TestDirectoryReplacedByFile(t *testing.T) {
	l1 := layerTar(t, entry{name: "data/", typ: tar.TypeDir}, entry{name: "data/x", size: 500})
	l2 := layerTar(t, entry{name: "data", data: "now a file"})
	img := read(t, imageOf(nil, l1, l2))
	if got := strings.Join(paths(img), " "); got != "data" {
		t.Errorf("final %q", got)
	}
	if img.Wasted() != 500 {
		t.Errorf("wasted %d", img.Wasted())
	}
}

func TestSetuidAndLinks(t *testing.T) {
	l := layerTar(t,
		entry{name: "usr/bin/su", size: 10, mode: 0o4755},
		entry{name: "usr/bin/loop", typ: tar.TypeSymlink, link: "loop"},
		entry{name: "usr/bin/abs", typ: tar.TypeSymlink, link: "/etc/passwd"},
		entry{name: "usr/bin/su2", typ: tar.TypeLink, link: "usr/bin/su"},
	)
	img := read(t, imageOf(nil, l))
	f, ok := img.Lookup("usr/bin/su")
	if !ok || !f.Setuid() {
		t.Errorf("su: %+v", f)
	}
	if f, _ := img.Lookup("usr/bin/loop"); f == nil || f.Link != "loop" {
		t.Errorf("symlink loop: %+v", f)
	}
}

func TestHostileLayers(t *testing.T) {
	full := layerTar(t, entry{name: "a", size: 4096}, entry{name: "b", size: 4096})
	bomb := gz(layerTar(t, entry{name: "zeros", size: 600 << 20}))
	for _, c := range []struct {
		name  string
		layer []byte
		want  string
	}{
		{"traversal", layerTar(t, entry{name: "../../etc/passwd", data: "x"}), `entry "../../etc/passwd" escapes the image root`},
		{"hardlink out", layerTar(t, entry{name: "x", typ: tar.TypeLink, link: "../../../etc/shadow"}), `hard link "x" points outside the image root`},
		{"truncated", full[:len(full)-3000], "truncated"},
		{"gzip truncated", gz(full)[:len(gz(full))/2], "layer 1"},
		{"not a tar", []byte("hello, I am not a tar archive, I am just some text that goes on for a while......" + strings.Repeat(".", 600)), "layer 1"},
		{"bomb", bomb, "compression bomb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(context.Background(), imageOf(nil, c.layer), Options{})
			var le *LayerError
			if err == nil || !errors.As(err, &le) || !strings.Contains(err.Error(), c.want) || le.Layer != 1 {
				t.Fatalf("error %v, want a layer 1 error saying %q", err, c.want)
			}
		})
	}
}

func TestInstruction(t *testing.T) {
	for in, want := range map[string]string{
		"/bin/sh -c #(nop)  CMD [\"node\"]":               `CMD ["node"]`,
		"/bin/sh -c #(nop) COPY dir:abc in /app ":         "COPY dir:abc in /app",
		"|2 A=1 B=2 /bin/sh -c npm ci":                    "RUN npm ci",
		"/bin/sh -c apt-get update":                       "RUN apt-get update",
		"RUN /bin/sh -c npm ci # buildkit":                "RUN npm ci",
		"RUN |1 NPM_TOKEN=x /bin/sh -c npm ci # buildkit": "RUN npm ci",
		"COPY . . # buildkit":                             "COPY . .",
		"WORKDIR /app":                                    "WORKDIR /app",
		"HEALTHCHECK &{[\"CMD\" \"node\" \"h.js\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x00'}": `HEALTHCHECK &{["CMD" "node" "h.js"] "30s" "0s" "0s" "0s" '\x00'}`,
	} {
		if got := Instruction(in); got != want {
			t.Errorf("Instruction(%q) = %q, want %q", in, got, want)
		}
	}
	args := BuildArgs("|2 NPM_TOKEN=abc GITHUB_PAT=ghp_x /bin/sh -c npm ci")
	if len(args) != 2 || args[0] != (KV{"NPM_TOKEN", "abc"}) || args[1].Key != "GITHUB_PAT" {
		t.Errorf("BuildArgs: %v", args)
	}
	if got := ShownInstruction("/bin/sh -c #(nop)  ARG NPM_TOKEN=secret123"); got != "ARG NPM_TOKEN=****" {
		t.Errorf("ShownInstruction: %q", got)
	}
}

func TestEntryPath(t *testing.T) {
	for in, want := range map[string]string{
		"app/x": "app/x", "./app/x": "app/x", "/app/x": "app/x", "app/dir/": "app/dir", "./": "", ".": "",
		"a//b": "a/b", "a/./b": "a/b", "a/.": "a", "a..b/c": "a..b/c", "//a": "a",
	} {
		if got, ok := entryPath(in); !ok || got != want {
			t.Errorf("entryPath(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"..", "../a", "a/../../b", "a/.."} {
		if _, ok := entryPath(in); ok {
			t.Errorf("entryPath(%q) accepted", in)
		}
	}
}
