package dockerfile

import (
	"sync"
	"testing"
)

type memoKey int

// TestMemo: a value is computed once per key and file, also when asked
// for concurrently, and stages keep their own values.
func TestMemo(t *testing.T) {
	f := parse(t, "FROM node:22 AS a\nFROM a\n", Options{})
	var mu sync.Mutex
	calls := 0
	compute := func() any {
		mu.Lock()
		calls++
		mu.Unlock()
		return "v"
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v := f.Memo(memoKey(1), compute); v != "v" {
				t.Errorf("Memo = %v", v)
			}
		}()
	}
	wg.Wait()
	if calls < 1 || calls > 8 {
		t.Fatalf("calls = %d", calls)
	}
	calls = 0
	f.Memo(memoKey(1), compute)
	if calls != 0 {
		t.Errorf("stored value recomputed")
	}
	a := f.Stages[0].Memo(memoKey(1), func() any { return 1 })
	b := f.Stages[1].Memo(memoKey(1), func() any { return 2 })
	if a != 1 || b != 2 || f.Stages[0].Memo(memoKey(1), func() any { return 3 }) != 1 {
		t.Errorf("stage values = %v, %v", a, b)
	}
	if f.Memo(memoKey(2), func() any { return "w" }) != "w" {
		t.Errorf("second key")
	}
}

// TestMemoManyKeys: keys beyond one table's capacity are kept too.
func TestMemoManyKeys(t *testing.T) {
	var m memo
	for i := 0; i < 40; i++ {
		if v := m.get(memoKey(i), func() any { return i }); v != i {
			t.Fatalf("get(%d) = %v", i, v)
		}
	}
	for i := 0; i < 40; i++ {
		if v := m.get(memoKey(i), func() any { return -1 }); v != i {
			t.Fatalf("second get(%d) = %v", i, v)
		}
	}
}
