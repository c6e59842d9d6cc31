package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/ruledoc"
)

// TestDocsUpToDate fails when docs/rules/ differs from what the registry
// generates. Regenerate with: go test ./rules -run TestDocsUpToDate -update
func TestDocsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "docs", "rules")
	want := map[string]string{"README.md": ruledoc.Index(Registry())}
	for _, r := range Registry().Rules() {
		want[r.ID+".md"] = ruledoc.Page(r)
	}
	if analysistest.Update() {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, p := range old {
			os.Remove(p)
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/rules/%s missing; run: go test ./rules -run TestDocsUpToDate -update", name)
			continue
		}
		if string(got) != text {
			t.Errorf("docs/rules/%s is stale; run: go test ./rules -run TestDocsUpToDate -update", name)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, p := range files {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule; run with -update", filepath.Base(p))
		}
	}
}

func TestRegistryValid(t *testing.T) {
	if err := Registry().Validate(); err != nil {
		t.Fatal(err)
	}
}
