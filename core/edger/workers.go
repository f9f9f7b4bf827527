package edger

import "sync"

// forRanges calls f on a fixed partition of [0, n) into contiguous ranges,
// on up to workers goroutines (workers <= 1: serially). Each gene's result
// depends only on the gene, so results are bitwise identical for any
// number of workers.
func forRanges(n, workers int, f func(lo, hi int)) {
	if workers <= 1 || n < 64 {
		f(0, n)
		return
	}
	if workers > n/32 {
		workers = n / 32
	}
	var wg sync.WaitGroup
	for t := 0; t < workers; t++ {
		lo, hi := t*n/workers, (t+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}
