package memo

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestComputedOnce: concurrent callers of one key share one computation
// and all see its value.
func TestComputedOnce(t *testing.T) {
	var tab Table
	key := NewKey[string]("k")
	var calls atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := key.Get(&tab, func() string {
				calls.Add(1)
				<-release // hold the computation until every caller is in
				return "v"
			})
			if v != "v" {
				t.Errorf("Get = %q", v)
			}
		}()
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("computed %d times, want once", n)
	}
	if v := key.Get(&tab, func() string { return "recomputed" }); v != "v" {
		t.Errorf("stored value recomputed: %q", v)
	}
}

// TestKeysAndTables: keys of one table and tables of one key are apart,
// also past one block's capacity, and a key's type comes back.
func TestKeysAndTables(t *testing.T) {
	var a, b Table
	keys := make([]*Key[int], 40)
	for i := range keys {
		keys[i] = NewKey[int]("n")
		if v := keys[i].Get(&a, func() int { return i }); v != i {
			t.Fatalf("Get(%d) = %d", i, v)
		}
	}
	for i, k := range keys {
		if v := k.Get(&a, func() int { return -1 }); v != i {
			t.Fatalf("second Get(%d) = %d", i, v)
		}
	}
	if v := keys[0].Get(&b, func() int { return 7 }); v != 7 {
		t.Errorf("other table: %d", v)
	}
	type pair struct{ x, y string }
	pk := NewKey[pair]("pair")
	if v := pk.Get(&a, func() pair { return pair{"x", "y"} }); v != (pair{"x", "y"}) {
		t.Errorf("struct value: %v", v)
	}
	nk := NewKey[*pair]("nil")
	if v := nk.Get(&a, func() *pair { return nil }); v != nil {
		t.Errorf("nil value: %v", v)
	}
}

// TestPeek: Peek sees computed values only, and computes nothing.
func TestPeek(t *testing.T) {
	var tab Table
	k := NewKey[int]("k")
	if _, ok := k.Peek(&tab); ok {
		t.Fatal("Peek found a value never computed")
	}
	k.Get(&tab, func() int { return 3 })
	if v, ok := k.Peek(&tab); !ok || v != 3 {
		t.Fatalf("Peek = %d, %v", v, ok)
	}
}

// TestRecursive: a computation may use the table for another key.
func TestRecursive(t *testing.T) {
	var tab Table
	inner, outer := NewKey[int]("inner"), NewKey[int]("outer")
	v := outer.Get(&tab, func() int { return inner.Get(&tab, func() int { return 20 }) + 1 })
	if v != 21 {
		t.Fatalf("outer = %d", v)
	}
}
