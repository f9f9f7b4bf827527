package geneset

import "slices"

// kv pairs a value with its index for sorting.
type kv struct {
	v float64
	i int32
}

// orderInto sets order to the permutation sorting x increasingly
// (decreasing if desc), ties kept in index order: R's stable
// order(x, decreasing=desc) for x without NaN. buf is scratch of len(x).
func orderInto(x []float64, desc bool, order []int, buf []kv) {
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
