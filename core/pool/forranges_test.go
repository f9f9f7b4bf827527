package pool

import (
	"sort"
	"sync"
	"testing"
)

// TestForRanges: the ranges cover [0, n) once, contiguously, in the documented
// number (serial below two ranges' worth, capped by n/minPer), for edger's and
// norm's uses (minPer 32 and 1) among others.
func TestForRanges(t *testing.T) {
	cases := []struct{ n, workers, minPer, want int }{
		{0, 4, 1, 1}, {1, 4, 1, 1}, {5, 0, 1, 1}, {5, -2, 1, 1}, {5, 1, 1, 1},
		{5, 8, 1, 5}, {10, 3, 1, 3}, {1000, 4, 1, 4},
		{63, 8, 32, 1}, {64, 8, 32, 2}, {100, 8, 32, 3}, {10000, 8, 32, 8}, {10, 4, 0, 4},
	}
	for _, c := range cases {
		var mu sync.Mutex
		var got [][2]int
		ForRanges(c.n, c.workers, c.minPer, func(lo, hi int) {
			mu.Lock()
			got = append(got, [2]int{lo, hi})
			mu.Unlock()
		})
		sort.Slice(got, func(i, j int) bool { return got[i][0] < got[j][0] })
		if len(got) != c.want {
			t.Errorf("n %d, workers %d, minPer %d: %d ranges %v, want %d", c.n, c.workers, c.minPer, len(got), got, c.want)
			continue
		}
		at := 0
		for k, r := range got {
			if r[0] != at || r[1] < r[0] || r[0] != k*c.n/len(got) {
				t.Errorf("n %d, workers %d, minPer %d: ranges %v are not the partition", c.n, c.workers, c.minPer, got)
				break
			}
			at = r[1]
		}
		if at != c.n {
			t.Errorf("n %d, workers %d, minPer %d: ranges %v end at %d", c.n, c.workers, c.minPer, got, at)
		}
	}
}
