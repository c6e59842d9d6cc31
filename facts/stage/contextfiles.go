package stage

import (
	"path"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads, from the build context, files that a stage's image
// holds because a COPY put them there: the scripts it runs, the
// package.json of its app.

// File is a file of a stage's image as the build context holds it.
type File struct {
	// ImagePath is the absolute path in the image.
	ImagePath string
	// Rel is the context-relative path the file comes from; Data its
	// content. Read is false when no COPY is known to put a file of the
	// context there (it comes from the base image, a RUN, an ADD of a
	// URL), the file cannot be read, or the Dockerfile is checked without
	// its context.
	Rel  string
	Data []byte
	Read bool
}

// ImageFile reads the file at an absolute path of the stage's image from
// the build context: the file a COPY of the stage's chain put there,
// followed through COPY --from of the Dockerfile's own stages (see
// ContextFileOf).
func ImageFile(f *dockerfile.File, st *dockerfile.Stage, imagePath string) File {
	return fileAt(f, st.ChainInstructions(), imagePath)
}

// fileAt reads the context file that the instructions of chain put at p.
func fileAt(f *dockerfile.File, chain []*dockerfile.Instruction, p string) File {
	out := File{ImagePath: path.Clean(p)}
	if f.Context == nil {
		return out
	}
	rel, ok := ContextFileOf(f, chain, out.ImagePath, f.Context, nil)
	if !ok {
		return out
	}
	out.Rel = rel
	if data, err := f.Context.ReadFile(rel); err == nil {
		out.Data, out.Read = data, true
	}
	return out
}

// pathDirs are where a command named without a directory is found: the
// PATH of Debian, Alpine and the official node images.
var pathDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// Script reads a script the stage runs by name from the build context:
// an absolute path, a path with a directory (against workdir), a file a
// shell is given (`sh start.sh`, against workdir when viaShell), or a
// bare name found in PATH (the first directory a COPY puts it in).
func Script(f *dockerfile.File, st *dockerfile.Stage, name, workdir string, viaShell bool) File {
	return script(f, st.ChainInstructions(), name, workdir, viaShell)
}

// RunScript reads the shell script file that c, a command of the RUN in,
// runs (`./scripts/build.sh`, `sh scripts/build.sh`, `bash -e
// /app/ci/build.sh`) from the build context, as the RUN finds it. Read is
// false when c runs no script file or it cannot be read.
func RunScript(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) File {
	if in.Stage == nil {
		return File{}
	}
	words := command.Words(c)
	name, viaShell := "", false
	if command.LooksLikeScript(words[0]) && strings.Contains(words[0], "/") {
		name = words[0]
	} else {
		launch := make([]command.LaunchWord, len(words))
		for i, w := range words {
			launch[i] = command.LaunchWord{Text: w}
		}
		if k := command.ShellFileArg(launch); k >= 0 {
			name, viaShell = words[k], true
		}
	}
	if name == "" {
		return File{}
	}
	chain := in.Stage.ChainInstructions()
	for i, x := range chain {
		if x == in {
			return script(f, chain[:i], name, WorkdirAt(chain, i), viaShell)
		}
	}
	return File{}
}

func script(f *dockerfile.File, chain []*dockerfile.Instruction, name, workdir string, viaShell bool) File {
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
	for _, c := range cands {
		if file := fileAt(f, chain, c); file.Rel != "" {
			return file
		}
	}
	return File{}
}
