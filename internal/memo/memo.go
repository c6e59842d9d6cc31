// Package memo keeps values derived from an input (a Dockerfile, a stage, a
// Node package) with the input, so that every rule that needs a fact shares
// one computation. Keys are typed: a Key[T] stores and returns a T.
//
//	var baseKey = memo.NewKey[imageFacts]("base image facts")
//	facts := baseKey.Get(stage.Memo(), func() imageFacts { … })
package memo

import (
	"sync"
	"sync/atomic"
)

// Table holds the values derived from one input. The zero value is empty
// and ready to use; a Table must not be copied after first use. It is safe
// for concurrent use: a value is computed once, callers asking for it
// meanwhile wait for it, and reads of stored values take no lock.
type Table struct {
	mu    sync.Mutex            // serialises adding keys
	first atomic.Pointer[block] // a handful of entries: a scan beats a map
}

// block holds entries in place, so adding one allocates nothing; a full
// block links to the next.
type block struct {
	// n counts the published entries: the keys of entries[:n] are never
	// written again.
	n       atomic.Int32
	entries [8]entry
	next    atomic.Pointer[block]
}

type entry struct {
	key   any
	once  sync.Once
	done  atomic.Bool // set once value is stored
	value any
}

// Key names one derived value of type T. Keys compare by identity: make
// each with NewKey once, in a package variable.
type Key[T any] struct{ name string }

// NewKey returns a new key; name is for debugging only.
func NewKey[T any](name string) *Key[T] { return &Key[T]{name: name} }

// String returns the key's name.
func (k *Key[T]) String() string { return k.name }

// Get returns the value stored in t under k, computing it with compute the
// first time. compute may use the table for other keys. The value must
// depend on the input alone and must not be modified by callers.
func (k *Key[T]) Get(t *Table, compute func() T) T {
	e := t.entry(k)
	if !e.done.Load() { // the closure below allocates: skip it once computed
		e.once.Do(func() {
			e.value = compute()
			e.done.Store(true)
		})
	}
	v, _ := e.value.(T)
	return v
}

// Peek returns the value stored in t under k, if it has been computed; it
// never computes it.
func (k *Key[T]) Peek(t *Table) (T, bool) {
	var zero T
	e := t.lookup(k)
	if e == nil || !e.done.Load() {
		return zero, false
	}
	v, _ := e.value.(T)
	return v, true
}

// entry returns key's entry, adding it when there is none.
func (t *Table) entry(key any) *entry {
	if e := t.lookup(key); e != nil {
		return e
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.lookup(key); e != nil {
		return e
	}
	b := t.first.Load()
	if b == nil {
		b = new(block)
		t.first.Store(b)
	}
	for int(b.n.Load()) == len(b.entries) {
		next := b.next.Load()
		if next == nil {
			next = new(block)
			b.next.Store(next)
		}
		b = next
	}
	// Readers see the entry only once n counts it.
	n := b.n.Load()
	b.entries[n].key = key
	b.n.Store(n + 1)
	return &b.entries[n]
}

func (t *Table) lookup(key any) *entry {
	for b := t.first.Load(); b != nil; b = b.next.Load() {
		n := int(b.n.Load())
		for i := 0; i < n; i++ {
			if b.entries[i].key == key {
				return &b.entries[i]
			}
		}
		if n < len(b.entries) {
			break
		}
	}
	return nil
}
