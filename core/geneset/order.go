package geneset

import (
	"math"
	"slices"
)

// kv pairs a value with its index for sorting.
type kv struct {
	v float64
	i int32
}

// sorter holds scratch space for orderInto.
type sorter struct {
	buf       []kv
	keys, k2  []uint64
	idx, idx2 []int32
	count     [1 << radixBits]int
}

const (
	radixBits = 11
	radixMask = 1<<radixBits - 1
)

func newSorter(n int) *sorter {
	return &sorter{buf: make([]kv, n), keys: make([]uint64, n), k2: make([]uint64, n), idx: make([]int32, n), idx2: make([]int32, n)}
}

// orderInto sets order to the permutation sorting x increasingly
// (decreasingly if desc), ties kept in index order: R's stable
// order(x, decreasing=desc) for x without NaN (-0 and +0 tie). Long inputs
// use a stable LSD radix sort on order-preserving integer keys, short ones
// pdqsort with an index tie-break; both give the same permutation.
func orderInto(x []float64, desc bool, order []int, s *sorter) {
	if len(x) >= 512 {
		radixOrder(x, desc, order, s)
		return
	}
	buf := s.buf[:len(x)]
	for i, v := range x {
		buf[i] = kv{v, int32(i)}
	}
	if desc {
		slices.SortFunc(buf, func(a, b kv) int {
			switch {
			case a.v > b.v:
				return -1
			case a.v < b.v:
				return 1
			}
			return int(a.i - b.i)
		})
	} else {
		slices.SortFunc(buf, func(a, b kv) int {
			switch {
			case a.v < b.v:
				return -1
			case a.v > b.v:
				return 1
			}
			return int(a.i - b.i)
		})
	}
	for k, e := range buf {
		order[k] = int(e.i)
	}
}

// sortKey maps v to an unsigned integer with the same order (-0 = +0).
func sortKey(v float64) uint64 {
	b := math.Float64bits(v + 0)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func radixOrder(x []float64, desc bool, order []int, s *sorter) {
	n := len(x)
	keys, k2, idx, idx2 := s.keys[:n], s.k2[:n], s.idx[:n], s.idx2[:n]
	for i, v := range x {
		k := sortKey(v)
		if desc {
			k = ^k
		}
		keys[i] = k
		idx[i] = int32(i)
	}
	// 11-bit digits: six passes (the last of 9 bits)
	for shift := uint(0); shift < 64; shift += radixBits {
		c := &s.count
		*c = [1 << radixBits]int{}
		for _, k := range keys {
			c[(k>>shift)&radixMask]++
		}
		if c[(keys[0]>>shift)&radixMask] == n {
			continue // every key has this digit
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for i, k := range keys {
			d := (k >> shift) & radixMask
			p := c[d]
			c[d]++
			k2[p] = k
			idx2[p] = idx[i]
		}
		keys, k2 = k2, keys
		idx, idx2 = idx2, idx
	}
	for k, i := range idx {
		order[k] = int(i)
	}
}
