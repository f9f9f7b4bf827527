package stats

import (
	"math"
	"slices"
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
	type iv struct {
		v float64
		i int
	}
	a := make([]iv, len(x))
	for i, v := range x {
		a[i] = iv{v, i}
	}
	// Ties (and NaNs) are broken by the original index, which makes the
	// unstable pdqsort produce R's stable order.
	slices.SortFunc(a, func(p, q iv) int {
		pn, qn := math.IsNaN(p.v), math.IsNaN(q.v)
		switch {
		case pn && qn:
		case pn:
			return 1
		case qn:
			return -1
		case p.v < q.v:
			if decreasing {
				return 1
			}
			return -1
		case p.v > q.v:
			if decreasing {
				return -1
			}
			return 1
		}
		return p.i - q.i
	})
	idx := make([]int, len(x))
	for k, e := range a {
		idx[k] = e.i
	}
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
