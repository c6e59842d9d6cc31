package buildctx

import (
	"path"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads, from the build context, files that a stage's image
// holds because a COPY put them there: the scripts it runs, the
// package.json of its app.

// Presence says how much is known of an image file's content.
type Presence int

const (
	// NotCopied: no COPY of the build context is known to put the file
	// there (it comes from the base image, a RUN, an ADD of a URL), or the
	// Dockerfile is checked without its context.
	NotCopied Presence = iota
	// Missing: a COPY puts the file there, but the context does not hold
	// it (or it cannot be read: not a regular file, too large).
	Missing
	// Read: Data holds the file's content.
	Read
)

// File is a file of a stage's image as the build context holds it.
type File struct {
	// ImagePath is the absolute path in the image.
	ImagePath string
	// Rel is the context-relative path the file comes from ("" when
	// NotCopied).
	Rel      string
	Presence Presence
	Data     []byte
}

// ImageFile reads the file at an absolute path of the stage's image from
// the build context, following COPY and COPY --from of the Dockerfile's
// own stages back to the context (see stage.ContextPath).
func ImageFile(f *dockerfile.File, st *dockerfile.Stage, imagePath string) File {
	out := File{ImagePath: path.Clean(imagePath)}
	if f.Context == nil {
		return out
	}
	rel, ok := stage.ContextPath(f, st, out.ImagePath)
	if !ok || rel == "." {
		return out
	}
	out.Rel, out.Presence = rel, Missing
	if data, err := f.Context.ReadFile(rel); err == nil {
		out.Presence, out.Data = Read, data
	}
	return out
}

// pathDirs are where a command named without a directory is found: the
// PATH of Debian, Alpine and the official node images.
var pathDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// Script reads a script the stage runs by name from the build context:
// an absolute path, a path with a directory (against workdir), a file a
// shell is given (`sh start.sh`, against workdir when viaShell), or a
// bare name found in PATH. Of several candidates, the first the Dockerfile
// copies from the context wins.
func Script(f *dockerfile.File, st *dockerfile.Stage, name, workdir string, viaShell bool) File {
	var cands []string
	switch {
	case strings.HasPrefix(name, "/"):
		cands = []string{name}
	case strings.Contains(name, "$"):
		return File{}
	case strings.Contains(name, "/") || viaShell:
		if workdir == "" {
			return File{}
		}
		cands = []string{path.Join(workdir, name)}
	default:
		for _, d := range pathDirs {
			cands = append(cands, path.Join(d, name))
		}
	}
	var first File
	for i, c := range cands {
		file := ImageFile(f, st, c)
		if i == 0 {
			first = file
		}
		if file.Presence != NotCopied {
			return file
		}
	}
	return first
}
