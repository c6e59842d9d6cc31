package dockerfile

import (
	"sync"
	"sync/atomic"
)

// memo holds values derived from a File or Stage by the model's users
// (rule facts), so that several rules share one computation. It is safe
// for concurrent use: readers take no lock.
type memo struct {
	mu    sync.Mutex                // serialises writers
	first atomic.Pointer[memoTable] // a handful of entries: a scan beats a map
}

// memoTable holds entries in place, so storing one allocates nothing; a
// full table links to the next.
type memoTable struct {
	// n counts the published entries: entries[:n] are never written again.
	n       atomic.Int32
	entries [8]memoEntry
	next    atomic.Pointer[memoTable]
}

type memoEntry struct{ key, value any }

// lookup returns the value under key.
func (m *memo) lookup(key any) (any, bool) {
	for t := m.first.Load(); t != nil; t = t.next.Load() {
		n := int(t.n.Load())
		for i := 0; i < n; i++ {
			if t.entries[i].key == key {
				return t.entries[i].value, true
			}
		}
		if n < len(t.entries) {
			break
		}
	}
	return nil, false
}

// get returns the value stored under key, computing and storing it on the
// first call. compute runs without the lock held, so it may use the memo
// itself; if two callers race, the first value stored wins.
func (m *memo) get(key any, compute func() any) any {
	if v, ok := m.lookup(key); ok {
		return v
	}
	v := compute()
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.lookup(key); ok {
		return old
	}
	t := m.first.Load()
	if t == nil {
		t = new(memoTable)
		m.first.Store(t)
	}
	for int(t.n.Load()) == len(t.entries) {
		next := t.next.Load()
		if next == nil {
			next = new(memoTable)
			t.next.Store(next)
		}
		t = next
	}
	// Readers see the entry only once n counts it.
	n := t.n.Load()
	t.entries[n] = memoEntry{key, v}
	t.n.Store(n + 1)
	return v
}

// Memo returns the value derived from the file under key, computing it with
// compute the first time. Keys should be pointers to values of a type
// private to the caller's package: packages cannot collide, and pointers
// compare fastest. The derived value must depend on the file alone and must
// not be modified by callers.
func (f *File) Memo(key any, compute func() any) any {
	return f.derived.get(key, compute)
}

// Memo is File.Memo for values derived from one stage (and the stages it
// builds on).
func (s *Stage) Memo(key any, compute func() any) any {
	return s.derived.get(key, compute)
}
