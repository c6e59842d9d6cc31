//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package nodeproject

import "syscall"

// readSource reads a source file into buf (reused between files) with as
// few system calls as possible — open, read, close — since projects have
// thousands of small files: a read that returns less than asked for is
// taken as the end of the (regular) file. Files over MaxSourceSize fail.
func readSource(name string, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		// O_NONBLOCK: a named pipe swapped in after discovery must not
		// block the open; it reads as empty.
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	for {
		if cap(buf)-len(buf) < 4096 {
			grown := make([]byte, len(buf), 2*cap(buf)+4096)
			copy(grown, buf)
			buf = grown
		}
		want := cap(buf) - len(buf)
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		buf = buf[:len(buf)+n]
		if len(buf) > MaxSourceSize {
			return nil, ErrTooLarge
		}
		if n == 0 || n < want {
			return buf, nil
		}
	}
}
