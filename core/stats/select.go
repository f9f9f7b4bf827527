package stats

import "slices"

// SelectK returns the k-th smallest (0-based) value of s, reordering s so
// that s[:k] <= s[k] <= s[k+1:] and s[k] is the returned value: the order
// statistic a full ascending sort would put at k (R's rPsort(x, n, k+1),
// src/main/sort.c, R 4.2.2, gives the same value; Hoare 1961,
// doi:10.1145/366622.366647).
//
// Each round takes the median of s's first, middle and last values of the
// current range as the pivot and partitions by "< pivot" and, when k is not
// left of that, the rest by "<= pivot" (three-way, so ties end it). Both
// passes are branch-free (the swap always happens and the boundary moves by
// the comparison), which matters on values in random order. After
// 2·log2(len(s)) rounds without an end (adversarial orders) the remaining
// range is sorted, so the cost is O(n log n) at worst and O(n) on average.
//
// s must not contain NaN: with NaN the returned value may be NaN and the
// arrangement is unspecified (no panic). It panics when k is out of range.
func SelectK(s []float64, k int) float64 {
	if k < 0 || k >= len(s) {
		panic("stats: SelectK: k out of range")
	}
	lo, hi := 0, len(s) // [lo, hi)
	budget := 2 * bitsLen(len(s))
	for hi-lo > 1 {
		if budget == 0 {
			if selectSortHook != nil {
				selectSortHook()
			}
			slices.Sort(s[lo:hi])
			break
		}
		budget--
		a, b, c := s[lo], s[lo+(hi-lo)/2], s[hi-1]
		p := b
		if (a <= b) == (b <= c) {
			p = b
		} else if (b <= a) == (a <= c) {
			p = a
		} else {
			p = c
		}
		lt := lo
		for i := lo; i < hi; i++ {
			x := s[i]
			s[i] = s[lt]
			s[lt] = x
			lt += b2i(x < p)
		}
		if k < lt {
			hi = lt
			continue
		}
		le := lt
		for i := lt; i < hi; i++ {
			x := s[i]
			s[i] = s[le]
			s[le] = x
			le += b2i(x <= p)
		}
		if k < le || le == lt { // le == lt: a NaN pivot
			return p
		}
		lo = le
	}
	return s[k]
}

// selectSortHook, when set (by tests), is called when SelectK runs out of
// rounds and sorts.
var selectSortHook func()

// b2i is 1 for true and 0 for false (a SETcc, no branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func bitsLen(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}
