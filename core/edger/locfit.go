package edger

import (
	"math"
	"sort"
)

// locfitDeg0 smooths each column of the ns x ncol row-major matrix l0
// against x by local-constant regression with a tricube kernel and a
// nearest-neighbour bandwidth covering a fraction span of the points
// (locfit(y ~ x, deg = 0, alpha = span), as edgeR's locfitByCol).
// Returns the fitted values, same shape.
func locfitDeg0(l0 []float64, ns, ncol int, x []float64, span float64) []float64 {
	out := make([]float64, len(l0))
	if span*float64(ns) < 2 || ns <= 1 {
		copy(out, l0)
		return out
	}
	k := int(math.Floor(float64(ns) * span))
	if k > ns {
		k = ns
	}
	dist := make([]float64, ns)
	w := make([]float64, ns)
	for i := 0; i < ns; i++ {
		for j := 0; j < ns; j++ {
			dist[j] = math.Abs(x[j] - x[i])
		}
		sd := append([]float64(nil), dist...)
		sort.Float64s(sd)
		h := sd[k-1]
		sw := 0.0
		for j := 0; j < ns; j++ {
			u := dist[j] / h
			if u < 1 {
				t := 1 - u*u*u
				w[j] = t * t * t
			} else {
				w[j] = 0
			}
			sw += w[j]
		}
		for c := 0; c < ncol; c++ {
			s := 0.0
			for j := 0; j < ns; j++ {
				s += w[j] * l0[j*ncol+c]
			}
			out[i*ncol+c] = s / sw
		}
	}
	return out
}
