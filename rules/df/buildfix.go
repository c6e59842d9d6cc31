package df

import (
	"os"
	"path/filepath"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// This file holds what the fixes that read the build context share: a
// Dockerfile checked with its build (analysis.Pass.Build) can tell which
// context file a COPY puts where, and read it.

// buildOf returns the build the Dockerfile is checked as part of, nil when
// it is checked alone.
func buildOf(pass *analysis.Pass) *project.Build {
	b, _ := pass.Build.(*project.Build)
	return b
}

// buildContext is a build's context as stage.ContextFileOf asks about it.
type buildContext struct{ b *project.Build }

func (c buildContext) path(rel string) string {
	return filepath.Join(c.b.ContextDir, filepath.FromSlash(rel))
}

func (c buildContext) IsDir(rel string) bool {
	st, err := os.Stat(c.path(rel))
	return err == nil && st.IsDir()
}

// Sent: a regular file of the context that the .dockerignore does not
// exclude (an ignore file Docker rejects sends nothing).
func (c buildContext) Sent(rel string) bool {
	if c.b.IgnoreError != nil {
		return false
	}
	if c.b.Ignore != nil {
		if ex, _ := c.b.Ignore.Match(rel); ex {
			return false
		}
	}
	st, err := os.Stat(c.path(rel))
	return err == nil && st.Mode().IsRegular()
}

// maxContextFile bounds what a fix reads of a context file.
const maxContextFile = 8 << 20

// imageFile returns the content of the context file that the instructions
// of chain put at the absolute path p of the image (see
// stage.ContextFileOf); ok is false when it cannot be traced or read.
func imageFile(b *project.Build, f *dockerfile.File, chain []*dockerfile.Instruction, p string, changes func(*dockerfile.Instruction) bool) (rel string, data []byte, ok bool) {
	if b == nil {
		return "", nil, false
	}
	ctx := buildContext{b}
	rel, ok = stage.ContextFileOf(f, chain, p, ctx, changes)
	if !ok {
		return "", nil, false
	}
	data, err := regular.ReadFile(ctx.path(rel), maxContextFile)
	if err != nil {
		return "", nil, false
	}
	return rel, data, true
}

// chainBefore returns the instructions of the stage chain of st that run
// before in.
func chainBefore(st *dockerfile.Stage, in *dockerfile.Instruction) []*dockerfile.Instruction {
	chain := st.ChainInstructions()
	for i, x := range chain {
		if x == in {
			return chain[:i]
		}
	}
	return nil
}
