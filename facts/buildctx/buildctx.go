// Package buildctx tells what a Dockerfile takes from its build context:
// the context paths its COPY and ADD instructions name, the directory in
// which those paths are found (the context a Dockerfile is most likely
// built from when nothing in the project says), and which package of a
// Node workspace it builds.
package buildctx

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// Source is a build-context path a COPY or ADD names.
type Source struct {
	// Path is slash-separated and relative to the context root, cleaned;
	// it may be a glob (`*.json`).
	Path string
	In   *dockerfile.Instruction
}

// Sources returns the context paths the Dockerfile's COPY and ADD
// instructions name, in order, with ARG defaults and ENV values
// substituted. Left out: `--from` sources (another stage or image),
// heredocs, URLs and archives fetched by ADD, the whole context (`.`,
// `*`), paths that climb out (`..`) and paths that still hold a variable.
func Sources(f *dockerfile.File) []Source {
	return sourcesKey.Get(f.Memo(), func() []Source { return computeSources(f) })
}

var sourcesKey = memo.NewKey[[]Source]("context sources")

func computeSources(f *dockerfile.File) []Source {
	var out []Source
	for _, st := range f.Stages {
		scopes := stage.Scopes(st)
		for _, in := range st.Instructions {
			c, ok := stage.CopyOf(in)
			if !ok || c.From != "" {
				continue
			}
			for _, s := range c.Sources {
				if c.Add && strings.Contains(s, "://") {
					continue
				}
				p := scopes[in].Expand(s)
				if strings.Contains(p, "$") || stage.WholeContext(p) {
					continue
				}
				p = path.Clean(strings.TrimPrefix(filepath.ToSlash(p), "/"))
				if p == "." || p == ".." || strings.HasPrefix(p, "../") {
					continue
				}
				out = append(out, Source{Path: p, In: in})
			}
		}
	}
	return out
}

// Found counts the sources that exist below dir (a glob counts when it
// matches something).
func Found(sources []Source, dir string) int {
	n := 0
	for _, s := range sources {
		p := filepath.Join(dir, filepath.FromSlash(s.Path))
		if strings.ContainsAny(s.Path, "*?[") {
			if m, _ := filepath.Glob(p); len(m) > 0 {
				n++
			}
			continue
		}
		if _, err := os.Lstat(p); err == nil {
			n++
		}
	}
	return n
}

// Resolve looks for the context in which the sources are found: of start
// (the Dockerfile's directory) and its parents up to stop, the directory
// that finds the most sources, the nearest one on ties (so the nearest in
// which every source is found, when there is one). ok is false when no
// parent finds more of them than start does, or there are no sources.
func Resolve(sources []Source, start, stop string) (dir string, found int, ok bool) {
	if len(sources) == 0 {
		return start, 0, false
	}
	startAbs, err1 := filepath.Abs(start)
	stopAbs, err2 := filepath.Abs(stop)
	if err1 != nil || err2 != nil || !project.Within(startAbs, stopAbs) {
		return start, 0, false
	}
	best, bestN := start, Found(sources, start)
	cur := start
	for curAbs := startAbs; curAbs != stopAbs && bestN < len(sources); {
		parentAbs := filepath.Dir(curAbs)
		if parentAbs == curAbs {
			break
		}
		curAbs, cur = parentAbs, filepath.Join(cur, "..")
		if n := Found(sources, cur); n > bestN {
			best, bestN = cur, n
		}
	}
	return best, bestN, best != start
}

// ImagePaths returns the context paths a Dockerfile names by where a
// whole-context COPY put them: after `WORKDIR /app` and `COPY . .`, a
// later `WORKDIR /app/apps/api` or `RUN rm -rf /app/apps/docs` of the
// same stage names apps/api and apps/docs of the context (a Dockerfile
// written for the repository root, whatever folder it sits in). RUN
// names a path only through `rm` and `cd`, which need it to exist; other
// commands may create theirs (`mkdir`, `touch`, `go build -o /app/server`).
// A `pnpm --filter` (RUN, CMD or ENTRYPOINT) run in the folder a
// whole-context COPY filled names the context's pnpm-workspace.yaml:
// without it no package matches the filter. Paths with a variable are
// left out.
func ImagePaths(f *dockerfile.File) []Source {
	return imagePathsKey.Get(f.Memo(), func() []Source { return computeImagePaths(f) })
}

var imagePathsKey = memo.NewKey[[]Source]("context paths in the image")

func computeImagePaths(f *dockerfile.File) []Source {
	var out []Source
	for _, st := range f.Stages {
		scopes := stage.Scopes(st)
		var dests []string // where whole-context COPYs put the context
		under := func(p string, in *dockerfile.Instruction) {
			if strings.Contains(p, "$") || !strings.HasPrefix(p, "/") {
				return
			}
			p = path.Clean(p)
			for _, d := range dests {
				if rel, ok := strings.CutPrefix(p, strings.TrimSuffix(d, "/")+"/"); ok && rel != "" {
					out = append(out, Source{Path: rel, In: in})
					return
				}
			}
		}
		for _, in := range st.Instructions {
			if _, ok := stage.BroadCopy(in); ok {
				c, _ := stage.CopyOf(in)
				if d := scopes[in].Resolve(c.Dest); !strings.Contains(d, "$") && d != "/" {
					dests = append(dests, path.Clean(d))
				}
				continue
			}
			if len(dests) == 0 {
				continue
			}
			switch w := in.Command.(type) {
			case *instructions.WorkdirCommand:
				under(scopes[in].Resolve(w.Path), in)
			}
			if in.Script == nil || in.Keyword != "RUN" && in.Keyword != "CMD" && in.Keyword != "ENTRYPOINT" {
				continue
			}
			cd := false
			for _, c := range in.Script.Commands {
				b := c.Base()
				if b == "pnpm" && !cd && !c.Nested && pnpmFilters(c) && slices.Contains(dests, path.Clean(scopes[in].Workdir)) {
					// `pnpm --filter` selects packages of a workspace: run
					// where the context was copied, it needs the
					// context's pnpm-workspace.yaml (plane's
					// apps/admin/Dockerfile.dev runs `pnpm dev
					// --filter=admin` after `COPY . .`).
					out = append(out, Source{Path: "pnpm-workspace.yaml", In: in})
				}
				if b == "cd" && !c.Nested {
					cd = true
				}
				if in.Keyword != "RUN" || b != "rm" && b != "cd" {
					continue // other commands may create the path (mkdir, touch, go build -o, tsc --outDir)
				}
				for _, a := range c.Args {
					if !strings.HasPrefix(a, "-") {
						under(scopes[in].Expand(a), in)
					}
				}
			}
		}
	}
	return out
}

// pnpmFilters reports whether a pnpm command selects workspace packages
// with --filter (-F).
func pnpmFilters(c *dockerfile.ShellCommand) bool {
	for _, a := range c.Args {
		if a == "--" {
			return false
		}
		if a == "--filter" || a == "-F" || strings.HasPrefix(a, "--filter=") {
			return true
		}
	}
	return false
}
