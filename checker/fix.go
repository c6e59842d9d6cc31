package checker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
)

// FixResult is the outcome of Fix: what the fixes would change. Nothing
// is written.
type FixResult struct {
	// Changes are the files whose text the fixes change, sorted by path.
	Changes []Change
	// Fixed is the number of findings fixed.
	Fixed int
}

// Change is one file's text before and after fixing. A Dockerfile read
// from stdin has the path "<stdin>" (see Change.Stdin).
type Change struct {
	Path     string
	Old, New []byte
	// Created is set when the file does not exist yet (Old is empty).
	Created bool
}

// Stdin reports whether the change is to the Dockerfile read from stdin,
// which has no file to write back to.
func (c Change) Stdin() bool { return c.Path == stdinPath }

// Diff is the change as a unified diff from a/Path (/dev/null for a
// created file) to b/Path.
func (c Change) Diff() []byte {
	from := "a/" + c.Path
	if c.Created {
		from = "/dev/null"
	}
	return diff.Diff(from, c.Old, "b/"+c.Path, c.New)
}

// isBinaryDockerfile reports whether in is no text at all.
func isBinaryDockerfile(in input) bool {
	f, err := dockerfile.Parse(in.path, in.src, dockerfile.Options{})
	return err == nil && errors.Is(f.Unusable(), dockerfile.ErrBinary)
}

// maxFixRounds bounds re-checking after fixes (a fix may enable another).
const maxFixRounds = 5

// Fix loads the request's paths as Check does and applies the safe fixes
// of the findings that survive the policy: for each Dockerfile with its
// build it applies the non-overlapping fixes to the files the findings
// are in (the Dockerfile, its .dockerignore, …) and checks again, until
// no fix is left; then the fixes of the compose files' findings. Fixes
// accumulate in memory, so that a re-check and a later Dockerfile sharing
// a .dockerignore see the earlier ones. Unlike Check, Fix does not refuse
// an empty Dockerfile.
func Fix(ctx context.Context, req Request) (*FixResult, error) {
	r, err := newRun(&req)
	if err != nil {
		return nil, err
	}
	changed := map[string]*change{}
	total := 0
	for _, in := range r.inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if in.named && isBinaryDockerfile(in) {
			// Named on the command line, as Check refuses it; an empty
			// one is left to the fixes.
			return nil, fmt.Errorf("%s: %w", in.path, dockerfile.ErrBinary)
		}
		n, err := fixInput(in, r.opts, changed, r.readFile)
		if err != nil {
			return nil, err
		}
		total += n
	}
	undone, err := undoBreakingIgnoreFixes(r.inputs, r.opts, changed, r.readFile)
	if err != nil {
		return nil, err
	}
	total -= undone
	projects := r.compose
	for round := 0; round < maxFixRounds && len(projects) > 0; round++ {
		findings, _ := CheckComposeProjects(projects, r.opts, Sources{})
		n, err := applyFixes(findings, changed, r.readFile)
		if err != nil {
			return nil, err
		}
		total += n
		if n == 0 {
			break
		}
		projects = reloadCompose(projects, changed, r.readFile)
	}
	if err := r.settings.Configs.Err(); err != nil {
		return nil, err
	}
	out := &FixResult{Fixed: total}
	paths := make([]string, 0, len(changed))
	for p := range changed {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		c := changed[p]
		if bytes.Equal(c.old, c.new) {
			continue
		}
		out.Changes = append(out.Changes, Change{Path: p, Old: c.old, New: c.new, Created: c.created})
	}
	return out, nil
}

// reloadCompose loads the compose projects again with the fixed text of
// their files (read reads the others), so that a re-check sees the fixes
// (a project that could not be loaded stays as it was: its files get no
// fixes).
func reloadCompose(projects []*compose.Project, changed map[string]*change, read func(string) ([]byte, error)) []*compose.Project {
	out := make([]*compose.Project, len(projects))
	for i, p := range projects {
		out[i] = p
		if p.Err != nil {
			continue
		}
		srcs := make([]compose.Source, 0, len(p.Files))
		paths := make([]string, 0, len(p.Files))
		for _, f := range p.Files {
			data, err := read(f.Path)
			if c, ok := changed[f.Path]; ok {
				data, err = c.new, nil
			}
			if err != nil {
				break
			}
			srcs = append(srcs, compose.Source{Path: f.Path, Data: data})
			paths = append(paths, f.Path)
		}
		if len(srcs) != len(p.Files) {
			continue
		}
		q, err := compose.LoadSources(srcs...)
		if err != nil {
			q = compose.Failed(paths, err)
		}
		out[i] = q
	}
	return out
}

// change is one file's text before and after fixing; created is set for a
// file a fix creates.
type change struct {
	old, new []byte
	created  bool
	// fixed counts the findings whose fixes edited the file.
	fixed int
}

// fixInput checks one Dockerfile with its build, applies the
// non-overlapping fixes of every finding to the file each finding is in
// (the Dockerfile, its .dockerignore, …), and repeats until no fix is left.
// changed receives the files' old and new text (in memory, so re-checks
// see the fixed content); it returns the number of findings fixed. read
// reads the files not changed yet.
func fixInput(in input, opts Options, changed map[string]*change, read func(string) ([]byte, error)) (int, error) {
	content := func(path string) ([]byte, error) {
		if c, ok := changed[path]; ok {
			return c.new, nil
		}
		if path == in.path {
			return in.src, nil
		}
		return read(path)
	}
	if _, ok := changed[in.path]; !ok && in.build == nil {
		// stdin: no file to read the text from again.
		changed[in.path] = &change{old: in.src, new: in.src}
	}
	count := 0
	for round := 0; round < maxFixRounds; round++ {
		findings, err := checkFixed(in, opts, changed, content)
		if err != nil {
			return 0, err
		}
		n, err := applyFixes(findings, changed, read)
		if err != nil {
			return 0, err
		}
		count += n
		if n == 0 {
			break
		}
	}
	return count, nil
}

// checkFixed checks one input with the text content gives for its files
// (the fixed text where changed holds some).
func checkFixed(in input, opts Options, changed map[string]*change, content func(string) ([]byte, error)) ([]analysis.Finding, error) {
	src, _ := content(in.path)
	if in.build == nil {
		res, err := CheckDockerfile(in.path, src, opts)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", in.path, err)
		}
		return res.Findings, nil
	}
	b := *in.build
	if b.Ignore == nil && b.IgnoreError == nil {
		// A fix may have created the context's .dockerignore.
		if p := filepath.Join(b.ContextDir, ".dockerignore"); changed[p] != nil {
			b.IgnorePath, b.Ignore = p, &dockerignore.File{}
		}
	}
	if b.Ignore != nil {
		if data, err := content(b.IgnorePath); err == nil {
			if ig, err := dockerignore.Parse(b.IgnorePath, data); err == nil {
				b.Ignore = ig
			}
		}
	}
	res, err := checkBuildLenient(&b, src, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", in.path, err)
	}
	return res.Findings, nil
}

// ignoreFileOf is the ignore file a build reads, also one a fix created.
func ignoreFileOf(in input, changed map[string]*change) string {
	if in.build == nil {
		return ""
	}
	if in.build.IgnorePath != "" {
		return in.build.IgnorePath
	}
	if p := filepath.Join(in.build.ContextDir, ".dockerignore"); changed[p] != nil {
		return p
	}
	return ""
}

// undoBreakingIgnoreFixes undoes the fixes of a .dockerignore that make
// a build reading it fail: one build's fix appends a pattern (`.env`)
// that excludes a file another build sharing the file copies by name
// (hoppscotch's backend Dockerfile runs `COPY .env .`), which DI006
// reports. It returns how many findings' fixes it undid.
func undoBreakingIgnoreFixes(inputs []input, opts Options, changed map[string]*change, read func(string) ([]byte, error)) (int, error) {
	undone := 0
	for _, in := range inputs {
		path := ignoreFileOf(in, changed)
		c := changed[path]
		if c == nil || bytes.Equal(c.old, c.new) {
			continue
		}
		content := func(p string) ([]byte, error) {
			if x, ok := changed[p]; ok {
				return x.new, nil
			}
			if p == in.path {
				return in.src, nil
			}
			return read(p)
		}
		after, err := checkFixed(in, opts, changed, content)
		if err != nil {
			return 0, err
		}
		saved := c.new
		c.new = c.old
		before, err := checkFixed(in, opts, changed, content)
		c.new = saved
		if err != nil {
			return 0, err
		}
		if countRule(after, "DI006") > countRule(before, "DI006") {
			c.new = c.old
			undone += c.fixed
			c.fixed = 0
		}
	}
	return undone, nil
}

func countRule(findings []analysis.Finding, id string) int {
	n := 0
	for _, f := range findings {
		if f.Rule != nil && f.Rule.ID == id {
			n++
		}
	}
	return n
}

// applyFixes applies the non-overlapping fixes of findings to the files
// they are in, on top of what changed already holds (read reads the files
// not in it), and returns how many findings it fixed.
func applyFixes(findings []analysis.Finding, changed map[string]*change, read func(string) ([]byte, error)) (int, error) {
	byFile := map[string][]analysis.Finding{}
	for _, f := range findings {
		if f.Fix != nil {
			byFile[f.FixFile()] = append(byFile[f.FixFile()], f)
		}
	}
	count := 0
	for path, found := range byFile {
		edits, n := analysis.PickEdits(found)
		if len(edits) == 0 {
			continue
		}
		var old []byte
		created := false
		if c, ok := changed[path]; ok {
			old = c.new
		} else {
			data, err := read(path)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				created = true // the fix creates the file
			case err != nil:
				return 0, fmt.Errorf("%s: %v", path, unwrapPathError(err))
			}
			old = data
		}
		next, err := analysis.ApplyEdits(old, edits)
		if err != nil {
			return 0, fmt.Errorf("%s: applying fixes: %w", path, err)
		}
		if c, ok := changed[path]; ok {
			c.new = next
			c.fixed += n
		} else {
			changed[path] = &change{old: old, new: next, created: created, fixed: n}
		}
		count += n
	}
	return count, nil
}
