package ap

import (
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file holds the facts several AP rules share: the scanned sources
// of the package (computed once per package and kept on it), the server
// start sites found in them, and what the Dockerfile's final stages run.

// --- Dockerfile side -------------------------------------------------

// --- Findings ----------------------------------------------------------

// lineRange is a whole-line range.
func lineRange(line int) analysis.Range {
	if line < 1 {
		line = 1
	}
	return analysis.LineRange(line, line)
}

// manifestLine is the line of a package.json key path, 1 when absent.
func manifestLine(pkg *nodeproject.Package, keys ...string) int {
	if l := pkg.KeyLine(keys...); l > 0 {
		return l
	}
	return 1
}

// relPath shows a path relative to the package for messages.
func relPath(pkg *nodeproject.Package, p string) string {
	if r, err := filepath.Rel(pkg.Dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}

// quote shortens and backquotes user text for messages.
func quote(s string) string {
	return "`" + analysis.Snippet(s, 80) + "`"
}
