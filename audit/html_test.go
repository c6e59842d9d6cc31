package audit_test

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/seaworthy-dev/seaworthy/audit"
	"github.com/seaworthy-dev/seaworthy/source/image/imagetest"
)

// TestHTMLInChromium renders the HTML size report in headless Chromium
// (scripts/integrations-setup.sh installs Debian's chromium; skipped only
// with SEAWORTHY_SKIP_BROWSER_TESTS=1) and checks the screenshot shows
// the chart: bars in the colour of what stays in the filesystem and in
// the colour of what a later layer rewrote. SEAWORTHY_SCREENSHOT=FILE
// keeps the screenshot.
func TestHTMLInChromium(t *testing.T) {
	if os.Getenv("SEAWORTHY_SKIP_BROWSER_TESTS") == "1" {
		t.Skip("SEAWORTHY_SKIP_BROWSER_TESTS=1")
	}
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Fatal("no headless Chromium (scripts/integrations-setup.sh installs Debian's chromium; SEAWORTHY_SKIP_BROWSER_TESTS=1 skips this test)")
	}
	d := &imagetest.Description{}
	d.Add("image/config.json", []byte(`{"config": {"User": "node", "Cmd": ["node", "server.js"]},
 "history": [{"created_by": "ADD rootfs.tar /"}, {"created_by": "COPY . /app # buildkit"}, {"created_by": "RUN /bin/sh -c chmod -R g+w /app # buildkit"}]}`))
	for _, f := range []string{"layer1/usr/lib/libbig.so", "layer2/app/node_modules/big/index.js", "layer3/app/node_modules/big/index.js"} {
		d.Add("image/"+f, nil)
	}
	for line, size := range map[string]string{"layer1/usr/lib/libbig.so": "30000000", "layer2/app/node_modules/big/index.js": "20000000", "layer3/app/node_modules/big/index.js": "20000000"} {
		if _, err := d.ParseSetting("size: image/" + line + " " + size); err != nil {
			t.Fatal(err)
		}
	}
	img, err := d.Image("app:1")
	if err != nil {
		t.Fatal(err)
	}
	res, err := audit.Run(context.Background(), img, imageRules(), audit.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "size.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.WriteHTML(f, "app:1", res.Sizes); err != nil {
		t.Fatal(err)
	}
	f.Close()
	shot := os.Getenv("SEAWORTHY_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "size.png")
	}
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1100,800", "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, out)
	}
	r, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pic, err := png.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	// #3b7dd8 (kept) and #d9453b (deleted or rewritten later).
	var kept, lost int
	b := pic.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := pic.At(x, y).RGBA()
			switch [3]uint32{r >> 8, g >> 8, bl >> 8} {
			case [3]uint32{0x3b, 0x7d, 0xd8}:
				kept++
			case [3]uint32{0xd9, 0x45, 0x3b}:
				lost++
			}
		}
	}
	if kept < 2000 || lost < 2000 {
		t.Errorf("the screenshot shows %d pixels of kept bars and %d of rewritten ones; want a chart of both", kept, lost)
	}
}
