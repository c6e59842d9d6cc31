package project

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadShell: any shell text, any start, never a panic.
func FuzzReadShell(f *testing.F) {
	for _, s := range []string{
		"docker build -f docker/Dockerfile .",
		"cd \"$(dirname \"$0\")/..\" && docker buildx build --file=x -t y ctx",
		"for a in x y; do docker compose -f $a -f b up; done",
		"docker build -f",
		"docker --context",
		"docker-compose -f",
		"X=${Y:-$(pwd)}; docker build $X",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, known bool) {
		readShell(text, "/r/s.sh", "/r", workdir{dir: "/r", known: known}, map[string]string{"A": "b"}, nil)
	})
}

// FuzzEvidence: any workflow, Makefile or package.json text, never a
// panic.
func FuzzEvidence(f *testing.F) {
	f.Add("jobs:\n  a:\n    strategy:\n      matrix:\n        include: [{f: x}]\n    steps:\n      - uses: docker/build-push-action@v6\n        with: {file: '${{ matrix.f }}'}\n      - run: docker build .\n", "all:\n\tdocker build -f $(F) .\n", `{"scripts":{"a":"docker build ."}}`)
	f.Add("jobs: [1]", "\t", "[]")
	f.Fuzz(func(t *testing.T, workflow, makefile, pkg string) {
		root := t.TempDir()
		for name, text := range map[string]string{".github/workflows/w.yml": workflow, "Makefile": makefile, "package.json": pkg, "Dockerfile": "FROM scratch\n"} {
			p := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text+" docker"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Discover(root); err != nil && !os.IsNotExist(err) {
			t.Logf("Discover: %v", err)
		}
	})
}
