package stage

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file tells which files a stage copies, adds or writes: COPY and
// ADD sources, heredoc files, and what a source path can name.

// HeredocFile is a file the Dockerfile writes from a heredoc.
type HeredocFile struct {
	Path string
	Body string
	In   *dockerfile.Instruction
	// Line is the Dockerfile line of the body's first line, 0 if unknown.
	Line int
}

// HeredocFiles returns the files the Dockerfile writes from heredocs:
// `COPY <<EOF /path` and `RUN cat <<EOF > /path` (also `tee`).
func HeredocFiles(f *dockerfile.File) []HeredocFile {
	return heredocFilesKey.Get(f.Memo(), func() []HeredocFile { return computeHeredocFiles(f) })
}

func computeHeredocFiles(f *dockerfile.File) []HeredocFile {
	var out []HeredocFile
	for _, in := range f.Instructions {
		switch c := in.Command.(type) {
		case *instructions.CopyCommand:
			out = append(out, sourceContents(f, in, c.SourcesAndDest)...)
		case *instructions.AddCommand:
			out = append(out, sourceContents(f, in, c.SourcesAndDest)...)
		case *instructions.RunCommand:
			if in.Script == nil {
				continue
			}
			for _, cmd := range in.Script.Commands {
				body, found := "", false
				for _, r := range cmd.Redirects {
					if strings.HasPrefix(r.Op, "<<") && r.Op != "<<<" {
						body, found = r.Heredoc, true
					}
				}
				if !found {
					continue
				}
				var targets []string
				for _, r := range cmd.Redirects {
					if r.Op == ">" || r.Op == ">>" || r.Op == ">|" {
						targets = append(targets, r.Target)
					}
				}
				if cmd.Base() == "tee" {
					targets = append(targets, cmd.Positional()...)
				}
				for _, t := range targets {
					out = append(out, HeredocFile{Path: t, Body: body, In: in, Line: bodyLine(f, in, body)})
				}
			}
		}
	}
	return out
}

func sourceContents(f *dockerfile.File, in *dockerfile.Instruction, sd instructions.SourcesAndDest) []HeredocFile {
	var out []HeredocFile
	for _, sc := range sd.SourceContents {
		p := sd.DestPath
		if strings.HasSuffix(p, "/") || len(sd.SourceContents)+len(sd.SourcePaths) > 1 {
			p = path.Join(p, sc.Path)
		}
		out = append(out, HeredocFile{Path: p, Body: sc.Data, In: in, Line: bodyLine(f, in, sc.Data)})
	}
	return out
}

// bodyLine finds the Dockerfile line where a heredoc body starts inside
// the instruction, 0 if it cannot be found.
func bodyLine(f *dockerfile.File, in *dockerfile.Instruction, body string) int {
	first, _, _ := strings.Cut(body, "\n")
	first = strings.TrimSpace(first)
	if first == "" {
		return 0
	}
	for n := in.StartLine + 1; n <= in.EndLine; n++ {
		if strings.TrimSpace(f.Line(n)) == first {
			return n
		}
	}
	return 0
}

// Copy is a COPY or ADD instruction's sources and destination.
type Copy struct {
	In      *dockerfile.Instruction
	Add     bool
	From    string // --from of COPY
	Sources []string
	// Heredocs are the names of inline (heredoc) sources.
	Heredocs []string
	Dest     string
	// Excludes are the --exclude patterns.
	Excludes []string
}

// CopyOf returns the sources of a COPY/ADD that parsed.
func CopyOf(in *dockerfile.Instruction) (Copy, bool) {
	switch c := in.Command.(type) {
	case *instructions.CopyCommand:
		out := Copy{In: in, From: c.From, Sources: c.SourcePaths, Dest: c.DestPath, Excludes: c.ExcludePatterns}
		for _, h := range c.SourceContents {
			out.Heredocs = append(out.Heredocs, h.Path)
		}
		return out, true
	case *instructions.AddCommand:
		out := Copy{In: in, Add: true, Sources: c.SourcePaths, Dest: c.DestPath, Excludes: c.ExcludePatterns}
		for _, h := range c.SourceContents {
			out.Heredocs = append(out.Heredocs, h.Path)
		}
		return out, true
	}
	return Copy{}, false
}

// WholeContext reports whether a COPY/ADD source is the whole build
// context (or, with --from, a whole stage's root).
func WholeContext(src string) bool {
	switch strings.TrimSpace(src) {
	case ".", "./", "./.", "/", "*", "./*", "/*", ".*":
		return true
	}
	return false
}

// BroadCopy reports whether the instruction is a COPY/ADD of the whole
// build context (not --from another stage). It returns the source.
func BroadCopy(in *dockerfile.Instruction) (string, bool) {
	if in.Keyword != "COPY" && in.Keyword != "ADD" {
		return "", false
	}
	cp, ok := CopyOf(in)
	if !ok || cp.From != "" {
		return "", false
	}
	for _, s := range cp.Sources {
		if WholeContext(s) {
			return s, true
		}
	}
	return "", false
}

// NamesFile reports whether a COPY source (a path or a glob) can name
// one of the files.
func NamesFile(src string, names []string) bool {
	base := path.Base(strings.TrimSuffix(src, "/"))
	for _, n := range names {
		if base == n {
			return true
		}
		if ok, err := path.Match(base, n); err == nil && ok {
			return true
		}
	}
	return false
}

// LooksLikeDir reports whether a COPY source may be a directory: it
// ends in `/`, has no extension, or uses a variable.
func LooksLikeDir(src string) bool {
	if strings.Contains(src, "$") || strings.HasSuffix(src, "/") {
		return true
	}
	base := path.Base(src)
	if strings.ContainsAny(base, "*?[") {
		return base == "*"
	}
	return !strings.Contains(strings.TrimPrefix(base, "."), ".")
}

// IsArchiveOrRemote: ADD sources Docker fetches or unpacks.
func IsArchiveOrRemote(src string) bool {
	l := strings.ToLower(src)
	if strings.Contains(l, "://") || strings.HasPrefix(l, "git@") {
		return true
	}
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// FindHeredocScript finds, among files (HeredocFiles), the script a
// command runs by name: by full path when the command names one
// (relative paths against the WORKDIR), else by base name. The last file
// written wins.
func FindHeredocScript(files []HeredocFile, name, workdir string) (HeredocFile, bool) {
	want := ""
	if strings.HasPrefix(name, "/") {
		want = path.Clean(name)
	} else if strings.Contains(name, "/") && workdir != "" {
		want = path.Join(workdir, name)
	}
	var found HeredocFile
	ok := false
	for _, h := range files {
		p := h.Path
		if !strings.HasPrefix(p, "/") && workdir != "" {
			p = path.Join(workdir, p)
		}
		if want != "" && strings.HasPrefix(p, "/") {
			if path.Clean(p) == want {
				found, ok = h, true
			}
			continue
		}
		if dockerfile.CommandName(p) == dockerfile.CommandName(name) {
			found, ok = h, true
		}
	}
	return found, ok
}
