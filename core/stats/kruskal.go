package stats

import (
	"errors"
	"math"

	"github.com/her2het/her2het/core/dist"
)

// KruskalTest performs R's kruskal.test on a list of samples
// (stats/R/kruskal.test.R, R 4.2.2). NaN values are removed first. With
// average ranks r over all n observations, R_g the rank sum and n_g the size
// of group g, and tie group sizes t:
//
//	H = (12/(n(n+1)) Σ R_g²/n_g - 3(n+1)) / (1 - Σ(t³-t)/(n³-n)),
//	p = P(χ²_{k-1} > H).
//
// Errors: fewer than 2 groups, an empty group (after NaN removal) or fewer
// than 2 observations. If all values are equal H and p are NaN, as in R.
func KruskalTest(groups [][]float64) (Result, error) {
	if len(groups) < 2 {
		return Result{}, errors.New("stats: 'x' must be a list with at least 2 elements")
	}
	var all []float64
	sizes := make([]int, len(groups))
	for g, x := range groups {
		d := dropNaN(x)
		if len(d) == 0 {
			return Result{}, errors.New("stats: all groups must contain data")
		}
		sizes[g] = len(d)
		all = append(all, d...)
	}
	n := float64(len(all))
	if len(all) < 2 {
		return Result{}, ErrNotEnough
	}
	r := Rank(all, Average)
	terms := make([]float64, len(groups))
	off := 0
	for g, sz := range sizes {
		rs := sum(r[off : off+sz])
		terms[g] = rs * rs / float64(sz)
		off += sz
	}
	st := sum(terms)
	var tt float64
	for _, t := range tieCounts(all) {
		tt += t*t*t - t
	}
	h := (12*st/(n*(n+1)) - 3*(n+1)) / (1 - tt/(n*n*n-n))
	res := newResult("Kruskal-Wallis rank sum test", "Kruskal-Wallis chi-squared")
	res.Statistic = h
	res.DF = float64(len(groups) - 1)
	res.PValue = dist.Pchisq(h, res.DF, false, false)
	res.N = len(all)
	if math.IsNaN(h) {
		res.PValue = math.NaN()
	}
	return res, nil
}
