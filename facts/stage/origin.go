package stage

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Context answers what ContextFileOf needs to know about the build
// context: whether a context-relative path is a directory, and whether a
// file is sent to the builder (it exists and the .dockerignore does not
// exclude it).
type Context interface {
	IsDir(rel string) bool
	Sent(rel string) bool
}

// ContextFileOf returns the build-context file that a COPY of chain (the
// instructions of a stage chain, up to the point of interest) put at the
// absolute path p, following COPY --from between the Dockerfile's own
// stages. ok is false when the file cannot be traced to one context file
// that is sent: no COPY puts it there, a variable, another image, a glob
// that may match several files, or a RUN of the chain after the COPY that
// changes writes (changes reports whether a RUN may change the file; nil:
// none does).
func ContextFileOf(f *dockerfile.File, chain []*dockerfile.Instruction, p string, ctx Context, changes func(*dockerfile.Instruction) bool) (rel string, ok bool) {
	named, rel, found := contextFileOf(f, chain, p, ctx, changes, 0)
	return rel, found == originFound && named == ""
}

// NamedContexts is a Context that knows the build's named contexts
// (`--build-context api=./packages/api`): `COPY --from=api` and `FROM
// api` read the directory, and a name given an image is no missing stage.
type NamedContexts interface {
	Context
	Named(name string) *buildcontext.Dir
	NamedImage(name string) bool
}

// ContextFileIn is ContextFileOf that also follows `COPY --from=<name>`
// and `FROM <name>` into the build's named contexts (when ctx is a
// NamedContexts): named is the named context the file is in ("" for the
// build context), rel its path there.
func ContextFileIn(f *dockerfile.File, chain []*dockerfile.Instruction, p string, ctx Context, changes func(*dockerfile.Instruction) bool) (named, rel string, ok bool) {
	named, rel, found := contextFileOf(f, chain, p, ctx, changes, 0)
	return named, rel, found == originFound
}

// namedDir returns the named context a name that is no stage of f gives
// a directory (nil when none).
func namedDir(ctx Context, name string) *buildcontext.Dir {
	if nc, ok := ctx.(NamedContexts); ok {
		return nc.Named(name)
	}
	return nil
}

// fromNamed returns the named context the chain's first stage is built
// on (`FROM api`, with api a named context that is a directory), "" when
// none.
func fromNamed(chain []*dockerfile.Instruction, ctx Context) string {
	if len(chain) == 0 {
		return ""
	}
	return stageNamed(chain[0].Stage, ctx)
}

// stageNamed returns the named context (a directory) st is built on,
// through the stages it builds on; "" when none.
func stageNamed(st *dockerfile.Stage, ctx Context) string {
	if st == nil {
		return ""
	}
	anc := st.Ancestors()
	base := anc[len(anc)-1].Base
	if base.Stage != nil || base.Scratch || base.Unresolved || base.Tag != "" || base.Digest != "" || base.Registry != "" {
		return ""
	}
	if namedDir(ctx, base.Expanded) != nil {
		return base.Expanded
	}
	return ""
}

type origin int

const (
	originNone    origin = iota // no COPY of the chain puts a file at the path
	originFound                 // one context file does
	originUnknown               // something might, that cannot be told
)

func contextFileOf(f *dockerfile.File, chain []*dockerfile.Instruction, p string, ctx Context, changes func(*dockerfile.Instruction) bool, depth int) (string, string, origin) {
	if depth > 4 {
		return "", "", originUnknown
	}
	for i := len(chain) - 1; i >= 0; i-- {
		in := chain[i]
		if in.Keyword == "RUN" {
			if changes != nil && changes(in) {
				return "", "", originUnknown
			}
			continue
		}
		c, ok := CopyOf(in)
		if !ok {
			continue
		}
		wd := WorkdirAt(chain, i)
		if wd == "" && strings.HasPrefix(c.Dest, "/") && !strings.HasSuffix(path.Clean(c.Dest), "/.") {
			wd = "/" // an absolute destination does not need it (but "dest is the WORKDIR" is then unknown)
		}
		if wd == "" || strings.Contains(c.Dest, "$") {
			if len(c.Sources) > 0 {
				return "", "", originUnknown // the destination cannot be told
			}
			continue
		}
		dest := Resolve(c.Dest, wd)
		if !Under(p, dest) {
			continue
		}
		rest := strings.TrimPrefix(strings.TrimPrefix(p, dest), "/")
		if len(c.Excludes) > 0 || len(c.Heredocs) > 0 {
			return "", "", originUnknown
		}
		// A destination ending in / or naming the working directory, or
		// several sources, is a directory the sources go into.
		destDir := strings.HasSuffix(c.Dest, "/") || dest == wd || len(c.Sources) > 1
		for j := len(c.Sources) - 1; j >= 0; j-- {
			s := strings.Trim(c.Sources[j], `"'`)
			if strings.Contains(s, "$") {
				return "", "", originUnknown
			}
			cctx, named := ctx, ""
			if c.From != "" && f.StageByName(c.From) == nil {
				if d := namedDir(ctx, c.From); d != nil {
					cctx, named = d, strings.ToLower(c.From) // a named context: read as the build context is
				}
			}
			if c.From != "" && named == "" {
				from := f.StageByName(c.From)
				if from == nil || strings.ContainsAny(s, "*?[") {
					return "", "", originUnknown // another image, or a glob in a stage
				}
				sp := Resolve(s, "/")
				var cands []string
				if rest != "" {
					cands = append(cands, path.Join(sp, rest)) // a directory's content
				}
				if destDir && path.Dir(p) == dest && path.Base(p) == path.Base(sp) {
					cands = append(cands, sp) // the file itself
				}
				if rest == "" && !destDir {
					cands = append(cands, sp)
				}
				for _, cand := range cands {
					n, r, o := contextFileOf(f, from.ChainInstructions(), cand, ctx, changes, depth+1)
					if o != originNone {
						return n, r, o
					}
				}
				if name := stageNamed(from, ctx); name != "" && len(from.ChainInstructions()) == 0 {
					// `FROM api AS src` alone: the stage is the named
					// context's directory.
					for _, cand := range cands {
						if c := strings.TrimPrefix(cand, "/"); c != "" && namedDir(ctx, name).Sent(c) {
							return strings.ToLower(name), c, originFound
						}
					}
				}
				if len(cands) > 0 {
					// The stage's directory may hold a file no COPY put
					// there (a RUN wrote it).
					return "", "", originUnknown
				}
				continue
			}
			if c.Add && IsArchiveOrRemote(s) {
				return "", "", originUnknown
			}
			src := path.Clean(strings.TrimPrefix(filepath.ToSlash(s), "/"))
			if strings.HasPrefix(src, "../") || src == ".." {
				continue
			}
			var cand string
			switch {
			case WholeContext(s) || src == ".":
				cand = rest
			case strings.ContainsAny(src, "*?["):
				if strings.ContainsAny(path.Dir(src), "*?[") {
					return "", "", originUnknown
				}
				if m, _ := path.Match(path.Base(src), path.Base(p)); m && path.Dir(p) == dest && destDir {
					cand = path.Join(path.Dir(src), path.Base(p))
				}
			case cctx.IsDir(src):
				if rest != "" {
					cand = path.Join(src, rest)
				}
			case destDir:
				if path.Dir(p) == dest && path.Base(p) == path.Base(src) {
					cand = src
				}
			case rest == "":
				cand = src
			}
			if cand == "" || cand == "." {
				continue
			}
			if cctx.Sent(cand) {
				return named, cand, originFound
			}
		}
	}
	if name := fromNamed(chain, ctx); name != "" {
		// `FROM api`: the image is the named context's directory.
		if cand := strings.TrimPrefix(path.Clean(p), "/"); cand != "" && namedDir(ctx, name).Sent(cand) {
			return strings.ToLower(name), cand, originFound
		}
	}
	return "", "", originNone
}

// NamedContextBase reports whether the stage's FROM names one of the
// build's named contexts (`FROM api` with `--build-context
// api=./packages/api`, or `base=docker-image://node:22`): a directory or
// an image the build command gives, not an image the Dockerfile pulls.
func NamedContextBase(f *dockerfile.File, st *dockerfile.Stage) bool {
	b := st.Base
	if f.Context == nil || b.Stage != nil || b.Tag != "" || b.Digest != "" || b.Registry != "" {
		return false
	}
	return f.Context.Named(b.Expanded) != nil || f.Context.NamedImage(b.Expanded)
}
