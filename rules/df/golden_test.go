package df

import (
	"path/filepath"
	"testing"
)

func hasGolden(t *testing.T, id string) bool {
	t.Helper()
	m, err := filepath.Glob(filepath.Join("testdata", id, "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m) > 0
}
