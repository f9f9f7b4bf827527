package norm

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/stats"
)

// checkCounts returns an error unless every value of m is finite and non-negative.
func checkCounts(m *dataset.Matrix, who string) error {
	if m == nil {
		return fmt.Errorf("norm: %s: nil matrix", who)
	}
	if err := m.Validate(); err != nil {
		return err
	}
	// Fast path: non-negative finite values (and +0) have bit patterns
	// below +Inf's, and every NaN, infinity or value with a sign bit (a
	// negative or -0) has one at or above it: one integer max per value,
	// no branch. Only then are the values checked one by one (-0 passes).
	var mx uint64
	for _, v := range m.Data {
		mx = max(mx, math.Float64bits(v))
	}
	if mx < 0x7ff0000000000000 {
		return nil
	}
	n := m.Cols()
	for i, v := range m.Data {
		if math.IsNaN(v) {
			return fmt.Errorf("norm: %s: count of gene %q in sample %q is NA", who, m.Genes[i/n], m.Samples[i%n])
		}
		if v < 0 || math.IsInf(v, 0) {
			return fmt.Errorf("norm: %s: count of gene %q in sample %q is %v, counts must be finite and non-negative", who, m.Genes[i/n], m.Samples[i%n], v)
		}
	}
	return nil
}

// colSums returns the column sums of m (exact for whole counts below 2^53).
func colSums(m *dataset.Matrix) []float64 {
	n := m.Cols()
	s := make([]float64, n)
	for g := 0; g < m.Rows(); g++ {
		row := m.Data[g*n : (g+1)*n]
		for j, v := range row {
			s[j] += v
		}
	}
	return s
}

// sumK is a Neumaier-compensated sum, standing in for R's long-double accumulation.
func sumK(x []float64) float64 {
	var s, c float64
	for _, v := range x {
		t := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - t) + v
		} else {
			c += (v - t) + s
		}
		s = t
	}
	if math.IsInf(s, 0) || math.IsNaN(s) {
		// Infinite or NaN terms: the compensation is meaningless; return the plain sum.
		var p float64
		for _, v := range x {
			p += v
		}
		return p
	}
	return s + c
}

// meanR is R's mean(x) (core/stats.Mean: long-double-accurate two-pass mean).
// Empty input gives NaN. With infinite values it returns the plain sum over n, as R
// does when the first pass is not finite.
func meanR(x []float64) float64 {
	for _, v := range x {
		if math.IsInf(v, 0) {
			return sumK(x) / float64(len(x))
		}
	}
	return stats.Mean(x)
}

// varR is R's var(x) with denominator n-1 (core/stats.Var); NaN for fewer than two values.
func varR(x []float64) float64 { return stats.Var(x) }

// quantile7 is R's quantile(x, p, type = 7) (x is not modified); NaN for empty
// input or any NaN in x (R would stop; callers here never pass NaN). It selects the
// two order statistics it needs instead of sorting.
func quantile7(x []float64, p float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	for _, v := range x {
		if math.IsNaN(v) {
			return math.NaN()
		}
	}
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	s := append([]float64(nil), x...)
	qs := stats.SelectK(s, int(lo)-1)
	h := index - lo
	if h > 0 {
		// after selection every element right of lo-1 is >= qs; the next order
		// statistic is their minimum
		xh := math.Inf(1)
		for _, v := range s[int(lo):] {
			if v < xh {
				xh = v
			}
		}
		if xh != qs {
			qs = (1-h)*qs + h*xh
		}
	}
	return qs
}

// quantileSorted is type-7 quantile of sorted s, following R's quantile.default:
// index = 1 + (n-1)p, lo = floor, hi = ceiling, h = index - lo,
// q = (1-h)*x[lo] + h*x[hi], applied only when h > 0 and x[hi] != x[lo] (as R does,
// which keeps q exactly equal to x[lo] on ties).
func quantileSorted(s []float64, p float64) float64 {
	n := len(s)
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	qs := s[int(lo)-1]
	h := index - lo
	if h > 0 && s[int(hi)-1] != qs {
		qs = (1-h)*qs + h*s[int(hi)-1]
	}
	return qs
}

// medianR is R's median (core/stats.Median); NaN if empty.
func medianR(x []float64) float64 { return stats.Median(x) }

// orderR is R's order(x) (stable, increasing) for x without NaN, with optional
// tie-breaking keys (order(x, y)).
func orderR(x []float64, y []float64) []int {
	if y == nil {
		return stats.Order(x, false)
	}
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if x[a] != x[b] {
			if x[a] < x[b] {
				return -1
			}
			return 1
		}
		if y[a] != y[b] {
			if y[a] < y[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	return idx
}

// levelsOf returns the sorted distinct values of f and, for each element, its level index.
func levelsOf(f []string) (levels []string, code []int) {
	seen := map[string]bool{}
	for _, v := range f {
		if !seen[v] {
			seen[v] = true
			levels = append(levels, v)
		}
	}
	sort.Strings(levels)
	pos := make(map[string]int, len(levels))
	for i, l := range levels {
		pos[l] = i
	}
	code = make([]int, len(f))
	for i, v := range f {
		code[i] = pos[v]
	}
	return levels, code
}

// newLike returns an Expression matrix with the names of m (slices shared) and zero data.
func newLike(m *dataset.Matrix) *dataset.Matrix {
	return &dataset.Matrix{Kind: dataset.Expression, Genes: m.Genes, Samples: m.Samples, Data: make([]float64, len(m.Data))}
}

func sortFloatsDesc(s []float64) {
	sort.Sort(sort.Reverse(sort.Float64Slice(s)))
}
