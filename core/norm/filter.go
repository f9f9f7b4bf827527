package norm

import (
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// FilterOptions are the arguments of edgeR's filterByExpr. Zero numeric fields take
// edgeR's defaults.
type FilterOptions struct {
	// Group gives each sample's group; when set, the minimum sample size is the
	// size of the smallest group. Takes precedence over Design.
	Group []string
	// Design is the design matrix (samples x coefficients); when set and Group is
	// nil, the minimum sample size is 1/max(hat(design)).
	Design *design.Matrix
	// LibSize are the library sizes; nil means the column sums. For a DGEList,
	// edgeR passes lib.size * norm.factors (use EffectiveLibSizes).
	LibSize []float64
	// MinCount (10), MinTotalCount (15), LargeN (10) and MinProp (0.7).
	MinCount, MinTotalCount, LargeN, MinProp float64
}

// FilterByExpr returns which genes to keep, as edgeR 3.40.2 filterByExpr.default:
//
//	n     = smallest group size | 1/max(hat(cbind(1, design))) | number of samples
//	if n > LargeN: n = LargeN + (n - LargeN)*MinProp
//	cut   = MinCount / median(L) * 1e6
//	keep  = #{j : y_gj*1e6/L_j >= cut} >= n - 1e-14  and  sum_j y_gj >= MinTotalCount - 1e-14
//
// hat() uses the pivoted QR of R's qr() (tolerance 1e-7) on the design with a
// column of ones prepended, as stats::hat(intercept = TRUE). The CPM test
// compares each count with its sample's least count passing it (the same
// decisions as the division, which is monotone in the count); the row sums
// add even and odd positions in two chains (exact for whole counts below
// 2^53; R's rowSums sums in long double).
//
// Errors: NaN or negative counts, lengths that do not match the samples, a
// non-positive library size.
func FilterByExpr(m *dataset.Matrix, opt FilterOptions) ([]bool, error) {
	if err := checkCounts(m, "FilterByExpr"); err != nil {
		return nil, err
	}
	if opt.MinCount == 0 {
		opt.MinCount = 10
	}
	if opt.MinTotalCount == 0 {
		opt.MinTotalCount = 15
	}
	if opt.LargeN == 0 {
		opt.LargeN = 10
	}
	if opt.MinProp == 0 {
		opt.MinProp = 0.7
	}
	ns := m.Cols()
	lib, err := libSizesFor(m, opt.LibSize, "FilterByExpr")
	if err != nil {
		return nil, err
	}
	if err := checkLibPositive(m, lib, "FilterByExpr"); err != nil {
		return nil, err
	}
	var minSize float64
	switch {
	case opt.Group != nil:
		if len(opt.Group) != ns {
			return nil, fmt.Errorf("norm: FilterByExpr: %d group labels for %d samples", len(opt.Group), ns)
		}
		cnt := map[string]int{}
		for _, g := range opt.Group {
			cnt[g]++
		}
		minSize = math.Inf(1)
		for _, c := range cnt {
			if float64(c) < minSize {
				minSize = float64(c)
			}
		}
	case opt.Design != nil:
		h, err := hatMax(opt.Design, ns)
		if err != nil {
			return nil, err
		}
		minSize = 1 / h
	default:
		minSize = float64(ns)
	}
	if minSize > opt.LargeN {
		minSize = opt.LargeN + (minSize-opt.LargeN)*opt.MinProp
	}
	cut := opt.MinCount / medianR(lib) * 1e6
	// CPM >= cut, i.e. v*1e6/lib[j] >= cut in floating point, is monotone in
	// v: it holds exactly for v >= least[j], the least count for which it
	// holds, so no division per value is needed (same decisions).
	least := make([]float64, ns)
	for j, l := range lib {
		least[j] = leastAtOrAbove(func(v float64) bool { return v*1e6/l >= cut })
	}
	const tol = 1e-14
	keep := make([]bool, m.Rows())
	for g := range keep {
		row := m.Row(g)
		least := least[:len(row)]
		// The row total is summed in two chains (even and odd positions),
		// exact for whole counts below 2^53 like any order.
		k := 0
		var t0, t1 float64
		j := 0
		for ; j+1 < len(row); j += 2 {
			v, w := row[j], row[j+1]
			k += b2i(v >= least[j]) + b2i(w >= least[j+1])
			t0 += v
			t1 += w
		}
		if j < len(row) {
			k += b2i(row[j] >= least[j])
			t0 += row[j]
		}
		tot := t0 + t1
		keep[g] = float64(k) >= minSize-tol && tot >= opt.MinTotalCount-tol
	}
	return keep, nil
}

// leastAtOrAbove returns the least non-negative finite float64 v for which
// ok(v) holds, given that ok is monotone (false then true) on the finite
// values >= 0, or +Inf when ok(MaxFloat64) is false: a bisection over the
// bit patterns, which order the non-negative float64 values.
func leastAtOrAbove(ok func(v float64) bool) float64 {
	lo, hi := uint64(0), math.Float64bits(math.MaxFloat64)
	if !ok(math.MaxFloat64) {
		return math.Inf(1)
	}
	if ok(0) {
		return 0
	}
	// ok(lo) is false and ok(hi) true.
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if ok(math.Float64frombits(mid)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return math.Float64frombits(hi)
}

// hatMax returns max(stats::hat(X)) with the intercept column prepended.
func hatMax(d *design.Matrix, ns int) (float64, error) {
	if d.Rows != ns {
		return 0, fmt.Errorf("norm: design has %d rows for %d samples", d.Rows, ns)
	}
	p := d.Cols()
	x := make([]float64, ns*(p+1))
	for i := 0; i < ns; i++ {
		x[i*(p+1)] = 1
		for j := 0; j < p; j++ {
			v := d.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("norm: design value (%d,%d) is %v", i+1, j+1, v)
			}
			x[i*(p+1)+j+1] = v
		}
	}
	q := design.NewQR(x, ns, p+1, design.Tol)
	h := make([]float64, ns)
	e := make([]float64, ns)
	for k := 0; k < q.Rank; k++ {
		for i := range e {
			e[i] = 0
		}
		e[k] = 1
		q.QY(e)
		for i, v := range e {
			h[i] += v * v
		}
	}
	best := math.Inf(-1)
	for _, v := range h {
		if v > best {
			best = v
		}
	}
	return best, nil
}
