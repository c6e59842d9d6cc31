package audit

import (
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// Sizes is where an image's bytes are.
type Sizes struct {
	Layers []LayerSize
	// Total is the bytes of every layer's files; Final those of the final
	// filesystem; Wasted those of lower copies later deleted or rewritten
	// (each counted once).
	Total, Final, Wasted int64
	Files                int
	// Dirs are the largest directories of the final filesystem, two and
	// three levels deep.
	Dirs []Usage
	// Packages are the largest top-level packages of node_modules folders.
	Packages []Usage
}

// LayerSize is one layer's row of the size table.
type LayerSize struct {
	Index       int
	Digest      string
	Size        int64 // bytes of its files
	Stored      int64 // stored (compressed) size, -1 unknown
	Entries     int
	Instruction string // masked
	Source      string // Dockerfile line, when traced
	// Wasted: this layer's bytes that later layers deleted or rewrote;
	// Hides: lower bytes this layer deleted or rewrote.
	Wasted, Hides int64
}

// Usage is the size of a directory or package.
type Usage struct {
	Path  string
	Bytes int64
	Files int
}

// BaseLayers is the number of layers below those traced to the
// Dockerfile: the base image's (0 when no layer was traced).
func (s *Sizes) BaseLayers() int {
	for _, l := range s.Layers {
		if l.Source != "" {
			return l.Index
		}
	}
	return 0
}

// How many directories and packages the report lists.
const (
	topDirs     = 10
	topPackages = 15
)

// Measure computes the size report of an audited image.
func Measure(img *imagefs.Image) *Sizes {
	s := &Sizes{Total: img.Size(), Final: img.Bytes, Wasted: img.Wasted(), Files: img.Files}
	for _, l := range img.Layers {
		s.Layers = append(s.Layers, LayerSize{
			Index: l.Index, Digest: l.Digest, Size: l.Size, Stored: l.Stored, Entries: l.Entries,
			Instruction: imagefs.ShownInstruction(l.CreatedBy), Source: l.Source, Wasted: l.Wasted, Hides: l.Hides,
		})
	}
	dirs := map[string]*Usage{}
	pkgs := map[string]*Usage{}
	add := func(m map[string]*Usage, key string, size int64) {
		u := m[key]
		if u == nil {
			u = &Usage{Path: "/" + key}
			m[key] = u
		}
		u.Bytes += size
		u.Files++
	}
	img.Walk(func(f *imagefs.File) {
		if !f.IsRegular() {
			return
		}
		p := f.Path
		for depth, i := 0, 0; depth < 3; depth++ {
			j := strings.IndexByte(p[i:], '/')
			if j < 0 {
				break
			}
			i += j
			if depth >= 1 {
				add(dirs, p[:i], f.Size)
			}
			i++
		}
		if k := strings.Index(p, "node_modules/"); k >= 0 && (k == 0 || p[k-1] == '/') {
			rest := p[k+len("node_modules/"):]
			name, tail, ok := strings.Cut(rest, "/")
			if !ok {
				return
			}
			if strings.HasPrefix(name, "@") {
				scoped, _, ok := strings.Cut(tail, "/")
				if !ok {
					return
				}
				name += "/" + scoped
			}
			add(pkgs, p[:k+len("node_modules/")+len(name)], f.Size)
		}
	})
	s.Dirs = largest(dirs, topDirs)
	s.Packages = largest(pkgs, topPackages)
	return s
}

func largest(m map[string]*Usage, n int) []Usage {
	out := make([]Usage, 0, len(m))
	for _, u := range m {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Path < out[j].Path
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
