// Package buildcontext reads the files of a Docker build context for the
// rules: a file Docker sends with the build (not excluded by the
// .dockerignore in force), read only when it is a regular file inside the
// context directory (symbolic links are followed but may not leave it) and
// small enough to be a script or a manifest.
package buildcontext

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// MaxFileSize bounds one read by ReadFile: entrypoint scripts, build
// scripts and package.json files are far smaller.
const MaxFileSize = 1 << 20

// MaxFixFileSize bounds what a rule reads (ReadFileUpTo) to offer a fix
// or to judge a file by its content rather than its name (a lockfile, the
// package.json whose start script a fix runs, an .npmrc): lockfiles of
// large projects run to megabytes.
const MaxFixFileSize = 8 << 20

// ErrNotInContext is the error for a path the context does not hold: no
// such file, a path that climbs out of the context, a file the
// .dockerignore excludes, or a symbolic link that leads outside.
var ErrNotInContext = errors.New("not in the build context")

// Dir is a build context on disk.
type Dir struct {
	root   string
	ignore *dockerignore.File
	// named are the build's named contexts that are directories
	// (`--build-context api=./packages/api`); images the names given an
	// image (`docker-image://…`), which `COPY --from` reads as an image.
	named  map[string]*Dir
	images map[string]bool
}

// New returns the context rooted at dir, with the ignore file in force
// (nil when there is none or it cannot be used).
func New(dir string, ignore *dockerignore.File) *Dir {
	return &Dir{root: dir, ignore: ignore}
}

// Root is the context directory as given to New.
func (d *Dir) Root() string { return d.root }

// AddNamed makes ctx the named build context name of the build
// (`--build-context name=dir`, build-push-action's `build-contexts:`):
// `COPY --from=name` and `FROM name` read it, with its own .dockerignore.
func (d *Dir) AddNamed(name string, ctx *Dir) {
	if d.named == nil {
		d.named = map[string]*Dir{}
	}
	d.named[strings.ToLower(name)] = ctx
}

// AddNamedImage records a named build context whose value is an image
// (`docker-image://`, `oci-layout://`, a URL): `--from=name` names that
// image, not a missing stage.
func (d *Dir) AddNamedImage(name string) {
	if d.images == nil {
		d.images = map[string]bool{}
	}
	d.images[strings.ToLower(name)] = true
}

// Named returns the named build context that is a directory (nil when
// the build has none of that name).
func (d *Dir) Named(name string) *Dir {
	if d == nil {
		return nil
	}
	return d.named[strings.ToLower(name)]
}

// NamedImage reports whether name is a named build context given an
// image.
func (d *Dir) NamedImage(name string) bool {
	return d != nil && d.images[strings.ToLower(name)]
}

// ReadFile reads the file at rel, a slash path relative to the context
// root (a leading `/` or `./` is dropped, as Docker does for COPY
// sources). The error wraps ErrNotInContext when the context does not hold
// the file, or says why it cannot be read (not a regular file, larger than
// MaxFileSize).
func (d *Dir) ReadFile(rel string) ([]byte, error) {
	return d.ReadFileUpTo(rel, MaxFileSize)
}

// ReadFileUpTo is ReadFile with max bytes as the bound.
func (d *Dir) ReadFileUpTo(rel string, max int64) ([]byte, error) {
	real, err := d.resolve(rel)
	if err != nil {
		return nil, err
	}
	return regular.ReadFile(real, max)
}

// Glob returns the files of the context that match pattern (a slash path
// relative to the root, with path.Match wildcards in its elements, as a
// COPY source has) and are sent to the builder (see Sent), in lexical
// order; none for a malformed pattern.
func (d *Dir) Glob(pattern string) []string {
	if d == nil {
		return nil
	}
	clean := path.Clean("/" + filepath.ToSlash(pattern))[1:]
	matches, err := filepath.Glob(filepath.Join(d.root, filepath.FromSlash(clean)))
	if err != nil {
		return nil
	}
	var sent []string
	for _, m := range matches {
		rel, err := filepath.Rel(d.root, m)
		if err != nil {
			continue
		}
		if rel = filepath.ToSlash(rel); d.Sent(rel) {
			sent = append(sent, rel)
		}
	}
	return sent
}

// Sent reports whether the context holds a regular file at rel that is
// sent to the builder (see ReadFile).
func (d *Dir) Sent(rel string) bool {
	real, err := d.resolve(rel)
	if err != nil {
		return false
	}
	_, err = regular.Stat(real)
	return err == nil
}

// IsDir reports whether rel is a directory of the context.
func (d *Dir) IsDir(rel string) bool {
	real, err := d.resolve(rel)
	if err != nil {
		return false
	}
	st, err := os.Stat(real)
	return err == nil && st.IsDir()
}

// resolve returns the real path of rel: inside the context once links are
// followed, and not excluded by the .dockerignore.
func (d *Dir) resolve(rel string) (string, error) {
	if d == nil {
		return "", fmt.Errorf("%s: %w", rel, ErrNotInContext)
	}
	clean := path.Clean("/" + filepath.ToSlash(rel))[1:]
	if clean == "" || strings.ContainsAny(clean, "*?[") {
		return "", fmt.Errorf("%s: %w", rel, ErrNotInContext)
	}
	if d.ignore != nil {
		if excluded, _ := d.ignore.Match(clean); excluded {
			return "", fmt.Errorf("%s: excluded by %s: %w", rel, d.ignore.Path, ErrNotInContext)
		}
	}
	full := filepath.Join(d.root, filepath.FromSlash(clean))
	real, err := filepath.EvalSymlinks(full)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: %w", rel, ErrNotInContext)
	}
	if err != nil {
		return "", err
	}
	root, err := filepath.EvalSymlinks(d.root)
	if err != nil {
		return "", err
	}
	if inside, err := filepath.Rel(root, real); err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: a link out of the context: %w", rel, ErrNotInContext)
	}
	return real, nil
}
