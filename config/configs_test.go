package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Each file gets the nearest config above it, with its overrides relative
// to that config's directory, wherever the run starts; --config applies
// to everything.
func TestConfigsNearest(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		".seaworthy.yaml":                    "ignore: [DF003]\nfail-on: error\noverrides:\n  - files: [\"legacy/**\"]\n    ignore: [DF013]\n",
		"legacy/Dockerfile":                  "FROM scratch\n",
		"packages/api/.seaworthy.yaml":       "ignore: [DF001]\noverrides:\n  - files: [\"old/**\"]\n    ignore: [DF013]\n",
		"packages/api/old/Dockerfile":        "FROM scratch\n",
		"packages/api/Dockerfile":            "FROM scratch\n",
		"packages/web/Dockerfile":            "FROM scratch\n",
		"packages/bad/.seaworthy.yaml":       "ignore: [DF0133]\n",
		"packages/bad/Dockerfile":            "FROM scratch\n",
		"elsewhere/.gitkeep":                 "",
		"packages/api/old/src/deep/index.js": "",
	})
	reg := testRegistry()
	for _, start := range []string{dir, filepath.Join(dir, "elsewhere"), filepath.Join(dir, "packages", "api")} {
		t.Chdir(start)
		r, err := Settings{}.Resolve(reg, dir)
		if err != nil {
			t.Fatal(err)
		}
		rel := func(p string) string {
			r, err := filepath.Rel(start, filepath.Join(dir, p))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for _, tc := range []struct {
			file, ignored, kept string
			failOn              analysis.Severity
		}{
			{"legacy/Dockerfile", "DF003 DF013", "DF001", analysis.Error},
			{"packages/web/Dockerfile", "DF003", "DF001 DF013", analysis.Error},
			{"packages/api/Dockerfile", "DF001", "DF003 DF013", analysis.Warning},
			{"packages/api/old/Dockerfile", "DF001 DF013", "DF003", analysis.Warning},
			{"packages/api/old/src/deep/index.js", "DF001 DF013", "DF003", analysis.Warning},
		} {
			p := r.PolicyFor(reg, rel(tc.file))
			for _, id := range strings.Fields(tc.ignored) {
				if !p.Ignore[id] {
					t.Errorf("from %s: %s: %s not ignored (%v)", start, tc.file, id, p.Ignore)
				}
			}
			for _, id := range strings.Fields(tc.kept) {
				if p.Ignore[id] {
					t.Errorf("from %s: %s: %s ignored", start, tc.file, id)
				}
			}
			if got := r.FailOnFor(rel(tc.file)); got != tc.failOn {
				t.Errorf("from %s: %s: fail-on %v, want %v", start, tc.file, got, tc.failOn)
			}
		}
		if err := r.Configs.Err(); err != nil {
			t.Errorf("from %s: error before reading the bad config: %v", start, err)
		}
		r.PolicyFor(reg, rel("packages/bad/Dockerfile"))
		if err := r.Configs.Err(); err == nil || !strings.Contains(err.Error(), `unknown rule "DF0133" (did you mean DF013?)`) {
			t.Errorf("from %s: the bad nested config: error %v", start, err)
		}
	}

	// --config: one config for every file, the command line over it.
	t.Chdir(dir)
	writeTree(t, dir, map[string]string{"ci.yaml": "ignore: [DF013]\n"})
	r, err := Settings{Config: "ci.yaml", FailOn: "info"}.Resolve(reg, "packages/api")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"legacy/Dockerfile", "packages/api/Dockerfile", "<stdin>"} {
		p := r.PolicyFor(reg, file)
		if !p.Ignore["DF013"] || p.Ignore["DF003"] || p.Ignore["DF001"] {
			t.Errorf("--config: %s: policy %v", file, p.Ignore)
		}
		if r.FailOnFor(file) != analysis.Info {
			t.Errorf("--fail-on info: %s: %v", file, r.FailOnFor(file))
		}
	}
}
