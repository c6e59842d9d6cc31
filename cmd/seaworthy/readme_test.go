package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
)

// repoRoot is the repository root, where action.yml, .pre-commit-hooks.yaml,
// build/ and README.md are.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := enginetest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// readmeBlock returns the README's fenced code block whose first line is
// first (a file name comment such as "# .pre-commit-config.yaml"), so the
// tests run the snippets people copy.
func readmeBlock(t *testing.T, first string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rest := string(data)
	for {
		_, after, ok := strings.Cut(rest, "```")
		if !ok {
			t.Fatalf("README.md has no code block that starts with %q", first)
		}
		_, body, _ := strings.Cut(after, "\n") // the info string
		block, next, ok := strings.Cut(body, "```")
		if !ok {
			t.Fatal("README.md: a code block is not closed")
		}
		rest = next
		if strings.HasPrefix(block, first+"\n") {
			return block
		}
	}
}

// readmeLine returns the one line of the README's block (see readmeBlock)
// that starts with prefix.
func readmeLine(t *testing.T, first, prefix string) string {
	t.Helper()
	var found []string
	for _, line := range strings.Split(readmeBlock(t, first), "\n") {
		if strings.HasPrefix(line, prefix) {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf("README.md: the block %q has %d lines starting with %q, want 1", first, len(found), prefix)
	}
	return found[0]
}
