// Package regular opens the files seaworthy reads only when they are
// regular files. A named pipe met where a Dockerfile, a package.json or a
// .dockerignore is expected would block a read forever, a device would
// never end and a directory cannot be read: each is an error instead,
// found without blocking (on Unix the file is opened non-blocking and
// its type checked on the open file, so a file swapped after a check is
// caught too).
package regular

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// FileError is an input file that cannot be used, with the line at fault
// (0 when it is the whole file): its message reads `path:line: msg`. The
// ignore file, package.json and config readers return it.
type FileError struct {
	Path string
	Line int
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// ReadOptional reads a regular file of at most max bytes that may be
// absent: nil, nil when it does not exist, a *FileError saying why when it
// cannot be read.
func ReadOptional(path string, max int64) ([]byte, error) {
	src, err := ReadFile(path, max)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, ReadError(path, err)
	}
	if src == nil {
		src = []byte{} // an empty file exists
	}
	return src, nil
}

// ReadError is the *FileError for a file at path that Open or ReadFile
// failed on with err: "path: cannot be read: why", without the Go
// operation ("open", "read") an *fs.PathError would repeat.
func ReadError(path string, err error) *FileError {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &FileError{Path: path, Msg: "cannot be read: " + err.Error()}
}

// NotRegularError says that a path is not a regular file. The functions of
// this package return it inside an *fs.PathError naming the path.
type NotRegularError struct {
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return "not a regular file (" + Describe(e.Mode) + ")"
}

// IsNotRegular reports whether err says that a path is not a regular file.
func IsNotRegular(err error) bool {
	var nr *NotRegularError
	return errors.As(err, &nr)
}

// Describe names the type of file a mode is: "a directory", "a named pipe",
// "a socket", "a device", "a regular file".
func Describe(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	default:
		return "a special file"
	}
}

// Special reports whether a mode is a named pipe, a socket or a device:
// a file that discovery skips (with a warning) rather than reads.
func Special(m fs.FileMode) bool {
	return m&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0
}

// Open opens path for reading if it is a regular file (symbolic links are
// followed). Otherwise the error is an *fs.PathError holding a
// *NotRegularError.
func Open(path string) (*os.File, error) {
	fh, err := open(path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		fh.Close()
		return nil, &fs.PathError{Op: "open", Path: path, Err: &NotRegularError{Mode: st.Mode()}}
	}
	return fh, nil
}

// ReadFile reads a regular file (see Open) of at most max bytes.
func ReadFile(path string, max int64) ([]byte, error) {
	fh, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, max+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: unwrap(err)}
	}
	if int64(len(data)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("larger than %d bytes", max)}
	}
	return data, nil
}

// Stat is os.Stat, and an error holding a *NotRegularError when path is
// not a regular file.
func Stat(path string) (fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return st, &fs.PathError{Op: "stat", Path: path, Err: &NotRegularError{Mode: st.Mode()}}
	}
	return st, nil
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Skipped is a file that discovery met under a name it looks for (a
// Dockerfile, a compose file, a source file) but did not read, because it
// is a named pipe, a socket or a device (see Special).
type Skipped struct {
	Path string
	Mode fs.FileMode
}

func (s Skipped) String() string {
	return fmt.Sprintf("%s: skipped: not a regular file (%s)", s.Path, Describe(s.Mode))
}
