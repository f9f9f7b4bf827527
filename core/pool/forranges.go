package pool

import "sync"

// ForRanges calls fn on a fixed partition of [0, n) into contiguous ranges,
// each on its own goroutine, and returns when all are done: min(workers,
// n/minPer) ranges (minPer < 1 counts as 1), range t being [t·n/w, (t+1)·n/w);
// with one range or fewer (workers <= 1, n < 2·minPer) it calls fn(0, n) on
// the caller's goroutine, also for n = 0. The partition depends only on n,
// workers and minPer; a caller whose elements are computed independently of
// the range they fall in gets the same bits for any number of workers.
//
// It is the in-process fan-out of core/norm (TMM) and core/edger (per-gene
// fits, minPer 32), beside Split and Ranges, which cut work for a Pool.
func ForRanges(n, workers, minPer int, fn func(lo, hi int)) {
	workers = min(workers, n/max(minPer, 1))
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for t := 0; t < workers; t++ {
		lo, hi := t*n/workers, (t+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}
