package checker

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// NotCheckableError is a file named as a PATH that is neither a Dockerfile
// nor a compose file, by name or content (a package.json, a README).
type NotCheckableError struct {
	Path string
}

func (e *NotCheckableError) Error() string {
	dir := packageDir(filepath.Dir(e.Path))
	return fmt.Sprintf("%s: neither a Dockerfile nor a compose file, by name or content. seaworthy reads package.json, "+
		".dockerignore and sources through the Dockerfile that builds them: check the project directory "+
		"with `seaworthy check %s` (-f FILE checks a Dockerfile of any name)", e.Path, dir)
}

// packageDir is the nearest directory from dir up to the current one that
// holds a package.json (a source file's package), else dir.
func packageDir(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "package.json")); err == nil && !st.IsDir() {
			return d
		}
		if d == "." || d == filepath.Dir(d) {
			return dir
		}
	}
}

// NothingFoundError is a project directory with no Dockerfile and no
// compose file in it.
type NothingFoundError struct {
	Dir string
}

func (e *NothingFoundError) Error() string {
	return fmt.Sprintf("%s: no Dockerfile or compose file found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, compose.yaml, docker-compose.yml)", e.Dir)
}

// checkableFile decides what a file named as a PATH (not with -f) is: a
// compose file by its name (see isComposePath) or by a top-level
// `services:` key; a Dockerfile by its name (project.IsDockerfileName) or
// by its content (dockerfile.LooksLike); otherwise a *NotCheckableError.
func checkableFile(path string, src []byte) (compose bool, err error) {
	if isComposePath(path) {
		return true, nil
	}
	if project.IsDockerfileName(filepath.Base(path)) || dockerfile.LooksLike(src) {
		return false, nil
	}
	if bytes.HasPrefix(src, []byte("services:")) || bytes.Contains(src, []byte("\nservices:")) {
		return true, nil
	}
	return false, &NotCheckableError{Path: path}
}
