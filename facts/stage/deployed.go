package stage

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file tells which final stages run Node, what they stop with, and
// which build-context paths they copy. Which final stages are deployed
// (not named for development) is facts/purpose's business.

// FinalNode are the final stages that run Node (the app's image).
func FinalNode(f *dockerfile.File) []*dockerfile.Stage {
	if f == nil {
		return nil
	}
	var out []*dockerfile.Stage
	for _, st := range f.FinalStages() {
		if IsNode(st) {
			out = append(out, st)
		}
	}
	return out
}

// StopSignal is the signal `docker stop` sends to the stage's
// containers: STOPSIGNAL, SIGTERM by default.
func StopSignal(st *dockerfile.Stage) string {
	in := LastInChain(st, "STOPSIGNAL")
	if in == nil {
		return "SIGTERM"
	}
	args := in.Args()
	if len(args) == 0 || strings.Contains(args[0], "$") {
		return "SIGTERM"
	}
	s := strings.ToUpper(strings.TrimSpace(args[0]))
	if n, ok := signalNumbers[s]; ok {
		return n
	}
	if !strings.HasPrefix(s, "SIG") {
		s = "SIG" + s
	}
	return s
}

var signalNumbers = map[string]string{"1": "SIGHUP", "2": "SIGINT", "3": "SIGQUIT", "9": "SIGKILL", "10": "SIGUSR1", "12": "SIGUSR2", "15": "SIGTERM"}

// ContextPathCopied reports whether a file (slash path relative to the
// context) is under one of the copied paths.
func ContextPathCopied(rel string, paths []string) bool {
	for _, p := range paths {
		if rel == p || strings.HasPrefix(rel, p+"/") {
			return true
		}
		// Globs: match the pattern against the file and its parents.
		if strings.ContainsAny(p, "*?[") {
			for cand := rel; cand != "." && cand != "/" && cand != ""; cand = path.Dir(cand) {
				if ok, _ := path.Match(p, cand); ok {
					return true
				}
			}
		}
	}
	return false
}

// ShippedContextPaths returns the build-context paths the stage's chain
// COPYs or ADDs, following COPY --from of the Dockerfile's own stages
// back to the build context: when
// the builder copies the context to /app, `COPY --from=builder /app/dist
// ./dist` ships the context path `dist` (built there). all is true when
// what ships cannot be told (a whole-context copy, another image, a path
// that does not map back to the context).
func ShippedContextPaths(f *dockerfile.File, st *dockerfile.Stage) (paths []string, all bool) {
	for _, in := range st.ChainInstructions() {
		c, ok := CopyOf(in)
		if !ok {
			continue
		}
		for _, s := range c.Sources {
			if c.From == "" {
				p := path.Clean(strings.TrimPrefix(filepath.ToSlash(s), "/"))
				if p == "." || p == "*" || p == "" || strings.Contains(p, "$") {
					return nil, true
				}
				paths = append(paths, p)
				continue
			}
			src := f.StageByName(c.From)
			if src == nil || strings.Contains(s, "$") {
				return nil, true
			}
			rel, ok := contextPathIn(f, src, Resolve(s, "/"), 0)
			if !ok || rel == "." {
				return nil, true
			}
			paths = append(paths, rel)
		}
	}
	return paths, false
}

// contextPathIn maps an absolute path of a stage back to the build
// context path copied there, following COPY --from between stages.
func contextPathIn(f *dockerfile.File, st *dockerfile.Stage, p string, depth int) (string, bool) {
	if depth > 4 {
		return "", false
	}
	chain := st.ChainInstructions()
	for i := len(chain) - 1; i >= 0; i-- {
		c, ok := CopyOf(chain[i])
		if !ok || len(c.Sources) != 1 {
			continue
		}
		wd := WorkdirAt(chain, i)
		if wd == "" || strings.Contains(c.Dest, "$") {
			continue
		}
		dest := Resolve(c.Dest, wd)
		if !Under(p, dest) {
			continue
		}
		rest := strings.TrimPrefix(strings.TrimPrefix(p, dest), "/")
		src := c.Sources[0]
		if c.From == "" {
			if !WholeContext(src) {
				if rest == "" {
					return path.Clean(strings.TrimPrefix(filepath.ToSlash(src), "/")), true
				}
				continue // a single named source: no nested path maps back
			}
			if rest == "" {
				return ".", true
			}
			return rest, true
		}
		from := f.StageByName(c.From)
		if from == nil || strings.Contains(src, "$") {
			return "", false
		}
		return contextPathIn(f, from, path.Join(Resolve(src, "/"), rest), depth+1)
	}
	return "", false
}
