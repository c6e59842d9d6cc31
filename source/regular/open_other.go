//go:build !unix

package regular

import (
	"io/fs"
	"os"
)

// open checks the type before opening: without O_NONBLOCK, opening a
// special file could block.
func open(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: &NotRegularError{Mode: st.Mode()}}
	}
	return os.Open(path)
}
