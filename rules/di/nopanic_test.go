package di

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// TestNoPanic runs the DI rules over every Dockerfile of the DF test cases
// (odd syntax included) against a few ignore files, in a context with a
// nested package, secrets and build output, and fails on an internal
// error finding (a recovered panic).
func TestNoPanic(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join("..", "df", "testdata", "*", "*.txtar"))
	if len(cases) == 0 {
		t.Fatal("no DF test cases")
	}
	type dockerfile struct {
		name string
		src  []byte
	}
	var dockerfiles []dockerfile
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name == "Dockerfile" {
				dockerfiles = append(dockerfiles, dockerfile{c, f.Data})
			}
		}
	}
	ignores := []string{"", "*\n!src\n!package*.json\n", "node_modules\n.git\n!.env.example\n**/*.log\n", "[\n"}
	for _, ig := range ignores {
		ctx := t.TempDir()
		for name, data := range map[string]string{
			"package.json": `{"name": "x", "dependencies": {"next": "1"}}`, "src/index.js": "",
			"packages/a/node_modules/x/i.js": "", ".env": "A=1", "certs/k.pem": "PRIVATE KEY", "dist/a.js": "",
		} {
			p := filepath.Join(ctx, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if ig != "" {
			if err := os.WriteFile(filepath.Join(ctx, ".dockerignore"), []byte(ig), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, df := range dockerfiles {
			b, err := project.NewBuild(filepath.Join(ctx, "Dockerfile"), ctx, ctx)
			if err != nil {
				continue // an ignore file Docker rejects too ("[")
			}
			opts := checker.Options{Rules: analysis.NewRegistry(Rules()...), Today: analysistest.Today}
			res, err := checker.CheckBuild(b, df.src, opts, checker.Sources{})
			if err != nil {
				continue
			}
			for _, fd := range res.Findings {
				if strings.HasPrefix(fd.Message, "internal error") {
					t.Errorf("%s with %q: %s", df.name, ig, fd.Message)
				}
			}
		}
	}
}
