package imagefs

import "io"

// readAhead runs a decompressor in a goroutine of its own, up to a few
// blocks ahead of the walk, so that decompressing a layer overlaps with
// hashing and parsing what it yields. Without it the largest gzip'd layer
// keeps the audit on one core however many the machine has (in the
// benchmark image one layer holds two thirds of the bytes).
type readAhead struct {
	full   chan aheadBlock
	free   chan []byte
	done   chan struct{} // closed by Close: the goroutine stops
	exited chan struct{} // closed by the goroutine when it returns
	cur    []byte        // the unread part of the current block
	buf    []byte        // the current block's buffer, returned to free once read
	err    error
}

type aheadBlock struct {
	data []byte
	err  error // after data: io.EOF or why the decompressor failed
}

// newReadAhead reads r in a goroutine into blocks buffers of size bytes.
func newReadAhead(r io.Reader, size, blocks int) *readAhead {
	ra := &readAhead{full: make(chan aheadBlock, blocks), free: make(chan []byte, blocks),
		done: make(chan struct{}), exited: make(chan struct{})}
	for range blocks {
		ra.free <- make([]byte, size)
	}
	go ra.fill(r)
	return ra
}

func (ra *readAhead) fill(r io.Reader) {
	defer close(ra.exited)
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.done:
			return
		}
		n := 0
		var err error
		for n < len(buf) && err == nil {
			var m int
			m, err = r.Read(buf[n:])
			n += m
		}
		select {
		case ra.full <- aheadBlock{buf[:n], err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)] // never blocks: free holds every buffer
			ra.buf = nil
		}
		if ra.err != nil {
			return 0, ra.err
		}
		b := <-ra.full
		ra.cur, ra.buf, ra.err = b.data, b.data, b.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it, so that the decompressor
// and the layer's reader can be closed after it.
func (ra *readAhead) Close() {
	close(ra.done)
	<-ra.exited
}
