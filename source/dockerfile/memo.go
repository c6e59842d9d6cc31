package dockerfile

import (
	"sync"
	"sync/atomic"
)

// memo holds values derived from a File or Stage by the model's users
// (rule facts), so that several rules share one computation. It is safe
// for concurrent use: readers take no lock.
type memo struct {
	mu      sync.Mutex                  // serialises writers
	entries atomic.Pointer[[]memoEntry] // a handful: a scan beats a map; only appended to
}

type memoEntry struct{ key, value any }

// lookup returns the value under key.
func (m *memo) lookup(key any) (any, bool) {
	if p := m.entries.Load(); p != nil {
		for _, e := range *p {
			if e.key == key {
				return e.value, true
			}
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
	// Readers hold the slice as it was, so appending in place (beyond
	// their length) leaves what they see untouched.
	var entries []memoEntry
	if p := m.entries.Load(); p != nil {
		entries = *p
	} else {
		entries = make([]memoEntry, 0, 8)
	}
	entries = append(entries, memoEntry{key, v})
	m.entries.Store(&entries)
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
