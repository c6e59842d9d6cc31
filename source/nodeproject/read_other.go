//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package nodeproject

// readSource reads a source file into buf (reused between files).
func readSource(name string, buf []byte) ([]byte, error) {
	return readFallback(name, buf)
}
