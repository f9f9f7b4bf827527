package stats

import (
	"math"
	"sort"
)

// Ties selects how Rank resolves tied values, as R's rank(ties.method=).
type Ties int

const (
	// Average gives each tied value the mean of the ranks of its group (R's default).
	Average Ties = iota
	// Min gives each tied value the smallest rank of its group.
	Min
	// Max gives each tied value the largest rank of its group.
	Max
	// First gives tied values increasing ranks in order of appearance.
	First
	// Last gives tied values decreasing ranks in order of appearance: the earlier
	// element of a tied group gets the larger rank.
	Last
)

// Order returns the permutation that sorts x, like R's order(x,
// decreasing=decreasing): 0-based indices, stable (tied elements keep their
// original order also when decreasing), NaN values placed last in their
// original order (na.last=TRUE).
func Order(x []float64, decreasing bool) []int {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		va, vb := x[idx[a]], x[idx[b]]
		na, nb := math.IsNaN(va), math.IsNaN(vb)
		if na || nb {
			return !na && nb
		}
		if decreasing {
			return va > vb
		}
		return va < vb
	})
	return idx
}

// Rank returns the ranks (1-based) of x, like R's rank(x, ties.method=ties,
// na.last="keep"): NaN values get rank NaN and are not counted. x is not
// modified. An empty x gives an empty result.
func Rank(x []float64, ties Ties) []float64 {
	r := make([]float64, len(x))
	o := Order(x, false)
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			n++
		}
	}
	for i, v := range x {
		if math.IsNaN(v) {
			r[i] = math.NaN()
		}
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && x[o[j]] == x[o[i]] {
			j++
		}
		// positions i..j-1 (0-based) hold one tie group: ranks i+1..j.
		for k := i; k < j; k++ {
			var v float64
			switch ties {
			case Average:
				v = float64(i+1+j) / 2
			case Min:
				v = float64(i + 1)
			case Max:
				v = float64(j)
			case First:
				v = float64(k + 1)
			case Last:
				v = float64(j - (k - i))
			default:
				panic("stats: unknown Ties value")
			}
			r[o[k]] = v
		}
		i = j
	}
	return r
}
