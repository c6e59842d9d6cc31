//go:build unix

package config

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A nested .seaworthy.yaml that is a named pipe is passed over (reading
// it would block): the file gets the config above it, and Skipped says so.
func TestConfigsSkipsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		".seaworthy.yaml":    "ignore: [DF003]\n",
		"pkg/Dockerfile":     "FROM scratch\n",
		"other/Dockerfile":   "FROM scratch\n",
		"other/.keep":        "",
		"pkg/sub/.gitkeep":   "",
		"pkg/sub/Dockerfile": "FROM scratch\n",
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pkg", FileName), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	t.Chdir(dir)
	reg := testRegistry()
	r, err := Settings{}.Resolve(reg, "other")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"pkg/Dockerfile", "pkg/sub/Dockerfile", "other/Dockerfile"} {
		if p := r.PolicyFor(reg, file); !p.Ignore["DF003"] {
			t.Errorf("%s: the root config does not apply: %v", file, p.Ignore)
		}
	}
	skipped := r.Skipped()
	if len(skipped) != 1 || skipped[0].Path != filepath.Join("pkg", FileName) {
		t.Errorf("Skipped = %v, want pkg/.seaworthy.yaml once", skipped)
	}
	if err := r.Configs.Err(); err != nil {
		t.Error(err)
	}
}
