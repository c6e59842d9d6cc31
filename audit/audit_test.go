package audit_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/audit"
	"github.com/seaworthy-dev/seaworthy/source/image"
	"github.com/seaworthy-dev/seaworthy/source/image/imagetest"
)

// composed is an image like a BuildKit build of project's Dockerfile on
// a one-layer base.
func composed(t *testing.T) *audit.Result {
	t.Helper()
	d := &imagetest.Description{}
	d.Add("image/config.json", []byte(`{"config": {"User": "node", "WorkingDir": "/app", "Cmd": ["node", "server.js"]},
 "history": [
  {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
  {"created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": true},
  {"created_by": "WORKDIR /app"},
  {"created_by": "COPY package.json package-lock.json ./ # buildkit"},
  {"created_by": "RUN /bin/sh -c npm ci # buildkit"},
  {"created_by": "COPY . . # buildkit"},
  {"created_by": "USER node", "empty_layer": true}]}`))
	d.Add("image/layer1/bin/sh", []byte("#!"))
	d.Add("image/layer2/app/.keep", nil)
	d.Add("image/layer3/app/package.json", []byte(`{"devDependencies": {"jest": "1"}}`))
	d.Add("image/layer4/app/node_modules/@scope/pkg/index.js", []byte("module.exports = 1\n"))
	d.Add("image/layer4/app/node_modules/@scope/pkg/node_modules/dep/index.js", []byte("x\n"))
	d.Add("image/layer4/app/node_modules/jest/index.js", []byte("<script>alert(1)</script>\n"))
	d.Add("image/layer5/app/server.js", []byte("require('http')\n"))
	img, err := d.Image("app:1")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "app", "devDependencies": {"jest": "1"}}`), 0o644)
	res, err := audit.Run(context.Background(), img, imageRules(), audit.Options{Project: dir, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestTraceAndSizes(t *testing.T) {
	res := composed(t)
	var sources []string
	for _, l := range res.Sizes.Layers {
		sources = append(sources, strings.TrimPrefix(l.Source, filepath.Dir(res.Dockerfile)+"/"))
	}
	if got := strings.Join(sources, ","); got != ",Dockerfile:2,Dockerfile:3,Dockerfile:4,Dockerfile:5" || res.Traced != 4 {
		t.Errorf("sources %q (%d traced)", got, res.Traced)
	}
	var pkgs []string
	for _, p := range res.Sizes.Packages {
		pkgs = append(pkgs, p.Path)
	}
	if got := strings.Join(pkgs, ","); got != "/app/node_modules/jest,/app/node_modules/@scope/pkg" {
		t.Errorf("packages %q", got)
	}
	var b strings.Builder
	if err := audit.WriteText(&b, "app:1", res.Sizes); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"app:1: 5 layers, ", "RUN npm ci  (", "node_modules by package:", "/app/node_modules/@scope/pkg", "2 files"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := audit.WriteHTML(&b, "app:1", res.Sizes); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{"<svg", `class="kept"`, "RUN npm ci", "/app/node_modules/jest"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "http://") && !strings.Contains(html, "http://www.w3.org/2000/svg") {
		t.Error("the HTML report is not self-contained")
	}
	found := false
	for _, f := range res.Findings {
		found = found || f.Rule.ID == "IM007" && strings.Contains(f.Message, "jest")
	}
	if !found {
		t.Errorf("IM007 does not read --project's package.json: %v", res.Findings)
	}
}

// oneFileImage is an image of one layer holding one file.
func oneFileImage(t *testing.T) *image.Image {
	t.Helper()
	d := &imagetest.Description{}
	d.Add("image/layer1/a", []byte("a"))
	img, err := d.Image("app:1")
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestProjectErrors(t *testing.T) {
	img := oneFileImage(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	for _, c := range []struct{ project, want string }{
		{filepath.Join(dir, "none"), "no such file"},
		{filepath.Join(dir, "file"), "not a directory"},
	} {
		_, err := audit.Run(context.Background(), img, imageRules(), audit.Options{Project: c.project})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "--project") {
			t.Errorf("%s: %v", c.project, err)
		}
	}
}
