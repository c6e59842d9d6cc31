package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/seaworthy-dev/seaworthy/source/image/imagetest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"seaworthy": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("SEAWORTHY_TODAY", "2026-11-23")
			env.Setenv("NO_COLOR", "")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"json": cmdJSON, "imagetar": cmdImageTar},
	})
}

// cmdImageTar composes an image from a directory the script holds and
// saves it as `docker save` does:
//
//	imagetar [-flip TEXT] DIR OUT.tar
//
// DIR holds config.json (the image config with its history) and the files
// of each layer under layerN/ (see package imagetest). -flip changes a
// byte of TEXT wherever it is in the saved tar (a file's content in a
// layer), so that the layer no longer matches its digest.
func cmdImageTar(ts *testscript.TestScript, neg bool, args []string) {
	flip := ""
	if len(args) > 2 && args[0] == "-flip" {
		flip, args = args[1], args[2:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: imagetar [-flip TEXT] DIR OUT.tar")
	}
	dir := ts.MkAbs(args[0])
	d := &imagetest.Description{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		d.Add(imagetest.Prefix+filepath.ToSlash(rel), data)
		return err
	})
	ts.Check(err)
	img, err := d.V1()
	ts.Check(err)
	tag, err := name.NewTag("app:1")
	ts.Check(err)
	out := ts.MkAbs(args[1])
	ts.Check(tarball.WriteToFile(out, tag, img))
	if flip != "" {
		ts.Check(imagetest.RewriteTar(out, out, func(_ string, data []byte) []byte {
			if i := bytes.Index(data, []byte(flip)); i >= 0 {
				data = bytes.Clone(data)
				data[i] ^= 0x20
			}
			return data
		}))
	}
}

// cmdJSON parses a file as JSON and checks values in it:
//
//	json FILE [PATH=VALUE...]
//
// PATH is dot-separated object keys and array indices; `#` is the length
// of the array or object before it (`findings.#=3`, `runs.0.results.#=3`,
// `findings.0.rule=DF000`). VALUE is compared with the value printed as
// fmt.Sprint prints it; `@OTHER:PATH` is the value at PATH in the JSON
// file OTHER (`runs.0.results.#=@out.json:findings.#`).
func cmdJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: json FILE [PATH=VALUE...]")
	}
	var doc any
	err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &doc)
	if neg {
		if err == nil && len(args) == 1 {
			ts.Fatalf("%s is valid JSON", args[0])
		}
		if err != nil {
			return
		}
	} else if err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
	for _, check := range args[1:] {
		path, want, ok := strings.Cut(check, "=")
		if !ok {
			ts.Fatalf("%q: want PATH=VALUE", check)
		}
		if other, otherPath, ok := strings.Cut(strings.TrimPrefix(want, "@"), ":"); ok && strings.HasPrefix(want, "@") {
			var od any
			if err := json.Unmarshal([]byte(ts.ReadFile(other)), &od); err != nil {
				ts.Fatalf("%s: %v", other, err)
			}
			v, err := jsonPath(od, otherPath)
			if err != nil {
				ts.Fatalf("%s: %s: %v", other, otherPath, err)
			}
			want = fmt.Sprint(v)
		}
		got, err := jsonPath(doc, path)
		match := err == nil && fmt.Sprint(got) == want
		switch {
		case neg && match:
			ts.Fatalf("%s: %s is %s", args[0], path, want)
		case !neg && err != nil:
			ts.Fatalf("%s: %s: %v", args[0], path, err)
		case !neg && !match:
			ts.Fatalf("%s: %s is %v, want %s", args[0], path, got, want)
		}
	}
}

func jsonPath(v any, path string) (any, error) {
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case []any:
			if key == "#" {
				v = len(x)
				continue
			}
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no index %q in an array of %d", key, len(x))
			}
			v = x[i]
		case map[string]any:
			if key == "#" {
				v = len(x)
				continue
			}
			val, ok := x[key]
			if !ok {
				return nil, fmt.Errorf("no key %q", key)
			}
			v = val
		default:
			return nil, fmt.Errorf("%q: not an array or object", key)
		}
	}
	return v, nil
}
