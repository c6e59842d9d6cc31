// Package dockerignore reads .dockerignore files with Docker's own pattern
// semantics (github.com/moby/patternmatcher and its ignorefile reader) and
// keeps each pattern's line so findings can point at it.
package dockerignore

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Pattern is one non-comment line of the file.
type Pattern struct {
	Line int
	// Text is the cleaned pattern as Docker uses it (leading `/` and `!`
	// removed, path cleaned).
	Text string
	// Exclusion is set for `!pattern` lines, which re-include.
	Exclusion bool
}

// File is a parsed .dockerignore.
type File struct {
	Path string
	// Source is the file as read; Lines its lines without the final "\n".
	Source   []byte
	Lines    []string
	Patterns []Pattern
	matchers []*patternmatcher.PatternMatcher // one per pattern, same order

	derived memo.Table // see Memo
}

// Memo returns the table of values derived from the file (such as the
// walk of a context it filters), shared by every build that uses it.
func (f *File) Memo() *memo.Table { return &f.derived }

// Error is an ignore file that cannot be used: it cannot be read (Line 0)
// or Docker rejects a pattern on Line.
type Error = regular.FileError

// maxFileSize bounds what is read as an ignore file.
const maxFileSize = 8 << 20

// Read reads and parses the ignore file at path: nil, nil when there is
// none; an *Error when it cannot be read (it is not a regular file, it is
// unreadable or too large) or a pattern is invalid.
func Read(path string) (*File, error) {
	src, err := regular.ReadOptional(path, maxFileSize)
	if err != nil || src == nil {
		return nil, err
	}
	return Parse(path, src)
}

// Parse reads a .dockerignore. Invalid patterns are *Errors naming the
// line. The parsed file is safe for concurrent use.
func Parse(filePath string, src []byte) (*File, error) {
	f := &File{Path: filePath, Source: src, Lines: strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")}
	for i, raw := range f.Lines {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// Let Docker's reader clean the line exactly as the build does.
		cleaned, err := ignorefile.ReadAll(bytes.NewReader([]byte(line + "\n")))
		if err != nil {
			return nil, &Error{Path: filePath, Line: i + 1, Msg: err.Error()}
		}
		if len(cleaned) == 0 {
			continue
		}
		text := cleaned[0]
		p := Pattern{Line: i + 1, Text: strings.TrimPrefix(text, "!"), Exclusion: strings.HasPrefix(text, "!")}
		pm, err := patternmatcher.New([]string{p.Text})
		if err != nil {
			return nil, &Error{Path: filePath, Line: i + 1, Msg: fmt.Sprintf("invalid pattern %q: %v", line, err)}
		}
		// patternmatcher compiles a pattern on its first match, which is
		// not safe for concurrent use: compile it now, so that builds
		// checked in parallel can share the parsed file.
		_, _ = pm.MatchesOrParentMatches("x")
		f.Patterns = append(f.Patterns, p)
		f.matchers = append(f.matchers, pm)
	}
	return f, nil
}

// Match says whether a context-relative path is excluded from the build
// context, and which pattern decided (nil when none matched). The last
// matching pattern wins, and a pattern matching a parent directory
// matches its children, as in the docker CLI.
func (f *File) Match(rel string) (excluded bool, by *Pattern) {
	rel = path.Clean(filepath.ToSlash(strings.TrimPrefix(rel, "./")))
	for i := range f.Patterns {
		ok, err := f.matchers[i].MatchesOrParentMatches(rel)
		if err != nil || !ok {
			continue
		}
		excluded = !f.Patterns[i].Exclusion
		by = &f.Patterns[i]
	}
	return excluded, by
}

// MayReinclude reports whether some `!` pattern could re-include a path
// below the context-relative directory dir, so that excluding dir does not
// exclude everything in it (Docker descends into excluded directories when
// an exception may match inside). It errs on the side of true.
func (f *File) MayReinclude(dir string) bool {
	dir = path.Clean(filepath.ToSlash(strings.TrimPrefix(dir, "./")))
	ds := strings.Split(dir, "/")
	for _, p := range f.Patterns {
		if p.Exclusion && prefixMayMatch(strings.Split(p.Text, "/"), ds) {
			return true
		}
	}
	return false
}

// prefixMayMatch: the pattern's segments could match dir or a path below
// it (or a parent of dir, which re-includes dir's children too).
func prefixMayMatch(ps, ds []string) bool {
	for i, d := range ds {
		if i >= len(ps) {
			return true // the pattern matches a parent of dir
		}
		if strings.Contains(ps[i], "**") {
			return true
		}
		if ok, err := path.Match(ps[i], d); err != nil || !ok {
			return false
		}
	}
	return true
}

// FinalNewline reports whether the file is empty or ends with a newline.
func (f *File) FinalNewline() bool {
	return len(f.Source) == 0 || f.Source[len(f.Source)-1] == '\n'
}
