package stage

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads, from the build context, files that a stage's image
// holds because a COPY put them there: the scripts it runs, the
// package.json of its app, the lockfile an install finds. It is how rules
// read the context a Dockerfile is built from: through
// dockerfile.File.Context (bounded, regular files inside the context that
// its .dockerignore lets through), nil when the Dockerfile is checked
// alone, and then nothing is read.

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
	// Context is the named build context the file comes from (`COPY
	// --from=hyperdx ./entry.sh`, with `--build-context
	// hyperdx=./docker/hyperdx`), "" for the build context; ContextDir
	// is that named context's directory.
	Context    string
	ContextDir string
}

// Name is the file's path for messages: Rel, or for a file of a named
// context its path from the project (ContextDir joined with Rel).
func (fl File) Name() string {
	if fl.Context == "" {
		return fl.Rel
	}
	return filepath.ToSlash(filepath.Join(fl.ContextDir, filepath.FromSlash(fl.Rel)))
}

// Where says where the file comes from, for messages: "REL in the build
// context", or "NAME in the build context hyperdx (DIR)" for a named one.
func (fl File) Where() string {
	if fl.Context == "" {
		return fl.Rel + " in the build context"
	}
	return fmt.Sprintf("%s in the named build context %s", fl.Name(), fl.Context)
}

// ImageFile reads the file at an absolute path of the stage's image from
// the build context: the file a COPY of the stage's chain put there,
// followed through COPY --from of the Dockerfile's own stages (see
// ContextFileOf).
func ImageFile(f *dockerfile.File, st *dockerfile.Stage, imagePath string) File {
	return FileAt(f, st.ChainInstructions(), imagePath, nil, buildcontext.MaxFileSize)
}

// FileAt reads the context file that the instructions of chain (a stage
// chain, up to the point of interest) put at the absolute path p of the
// image (see ContextFileOf), reading at most max bytes
// (buildcontext.MaxFileSize for scripts and manifests,
// buildcontext.MaxFixFileSize for the lockfiles fixes read). changes
// reports whether a RUN may rewrite the file after the COPY (the file is
// then not traced); nil: none does.
func FileAt(f *dockerfile.File, chain []*dockerfile.Instruction, p string, changes func(*dockerfile.Instruction) bool, max int64) File {
	out := File{ImagePath: path.Clean(p)}
	if f.Context == nil {
		return out
	}
	named, rel, ok := ContextFileIn(f, chain, out.ImagePath, f.Context, changes)
	if !ok {
		return out
	}
	dir := f.Context
	if named != "" {
		dir = f.Context.Named(named)
		out.Context, out.ContextDir = named, dir.Root()
	}
	out.Rel = rel
	if data, err := dir.ReadFileUpTo(rel, max); err == nil {
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

// StartScript reads the shell script file a final stage's command runs
// (`CMD ["sh", "/app/entrypoint.sh"]`, `ENTRYPOINT ["start.sh"]`, see
// ProcessOf): one the Dockerfile writes (a heredoc, see
// FindHeredocScript) or one a COPY puts there from the build context.
// name is the heredoc's path or the context-relative path; ok is false
// when the command runs no script file or it cannot be read.
func StartScript(f *dockerfile.File, st *dockerfile.Stage) (name, text string, ok bool) {
	p, _ := ProcessOf(f, st)
	if p.Script == nil {
		return "", "", false
	}
	wd := Workdir(st)
	if h, ok := FindHeredocScript(HeredocFiles(f), p.Script.Text, wd); ok {
		return h.Path, h.Body, true
	}
	if file := Script(f, st, p.Script.Text, wd, p.ScriptViaShell); file.Read {
		return file.Rel, string(file.Data), true
	}
	return "", "", false
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
		if file := FileAt(f, chain, c, nil, buildcontext.MaxFileSize); file.Rel != "" {
			return file
		}
	}
	return File{}
}
