package checker

import (
	"context"
	"runtime"
	"sync"
)

// forEach calls fn(i) for every i in [0, n) on up to GOMAXPROCS goroutines
// and returns when every call has returned. fn must only touch what index
// i owns; callers gather results by index, so their order does not depend
// on scheduling. Once ctx is done no further call starts, and forEach
// returns ctx's error.
func forEach(ctx context.Context, n int, fn func(i int)) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			fn(i)
		}
		return ctx.Err()
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}
