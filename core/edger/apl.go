package edger

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// apl is edgeR's Cox-Reid adjusted profile log-likelihood of one gene
// (adjustedProfileLik, src/R_compute_apl.cpp and adj_coxreid.cpp of edgeR
// 3.40.2) at fitted means mu and dispersion phi, unit weights:
//
//	Σ_{mu_i>0} [y log mu - y log(mu+r) + r log r - r log(mu+r) + lnΓ(y+r) - lnΓ(y+1) - lnΓ(r)]
//	  - ½ log det(XᵀWX),  r = 1/phi,  W = diag(mu/(1+phi·mu))
//
// (Poisson log-likelihood when phi = 0). The log-determinant is the sum of
// the logarithms of D in an LDLᵀ factorisation (edgeR: LAPACK dsytrf),
// entries below 1e-10 counting as log(1e-10); with one coefficient it is
// log|Σ W|. x is the column-major n x p design; lgy1 holds lnΓ(y_i+1)
// (constant over the dispersion grid, so computed once per gene; the terms
// that depend only on phi are computed once per call: same values, same
// evaluation order as edgeR's per-sample expression). scratch needs
// p*p + n values.
//
// uniq lists the distinct counts of y and ui each sample's index in it (nil:
// none), so lnΓ(y+r) is evaluated once per distinct count; lgu needs
// len(uniq) values.
//
// sp, when not nil, computes the log-determinant from its sparse Cholesky
// factor (falling back to the dense LDLᵀ near edgeR's pivot floor).
func apl(y, lgy1, mu []float64, phi float64, x []float64, n, p int, scratch []float64, uniq []float64, ui []int32, lgu []float64, sp *sparseDesign) float64 {
	ll := 0.0
	var r, rlogr, lgr float64
	if phi > 0 {
		r = 1 / phi
		rlogr = r * fmath.Log(r)
		lgr, _ = fmath.Lgamma(r)
		for j, v := range uniq {
			lgu[j], _ = fmath.Lgamma(v + r)
		}
	}
	for i := range y {
		m := mu[i]
		if m == 0 {
			continue
		}
		cy := y[i]
		if phi > 0 {
			logmur := fmath.Log(m + r)
			var a float64
			if ui != nil {
				a = lgu[ui[i]]
			} else {
				a, _ = fmath.Lgamma(cy + r)
			}
			ll += cy*fmath.Log(m) - cy*logmur + rlogr - r*logmur + a - lgy1[i] - lgr
		} else {
			ll += cy*fmath.Log(m) - m - lgy1[i]
		}
	}
	w := scratch[p*p : p*p+n]
	for i := range mu {
		w[i] = mu[i] / (1 + phi*mu[i])
	}
	if p == 1 {
		s := 0.0
		for _, v := range w {
			s += v
		}
		return ll - fmath.Log(math.Abs(s))/2
	}
	a := scratch[:p*p]
	if sp != nil {
		if h, ok := sp.halfLogDet(w, a); ok {
			return ll - h
		}
	}
	for c1 := 0; c1 < p; c1++ {
		x1 := x[c1*n : (c1+1)*n]
		for c2 := 0; c2 <= c1; c2++ {
			x2 := x[c2*n : (c2+1)*n]
			s := 0.0
			for i := 0; i < n; i++ {
				s += x1[i] * x2[i] * w[i]
			}
			a[c1*p+c2] = s
			a[c2*p+c1] = s
		}
	}
	return ll - logDetLDL(a, p)*0.5
}

// logDetLDL returns Σ log D_kk of the UDUᵀ factorisation of a symmetric
// matrix (row-major, overwritten), eliminating from the last column as
// LAPACK's dsytf2 with uplo "U" does when it takes 1x1 pivots without
// interchanges (always the case for the positive definite XᵀWX of a 0/1
// design); a D_kk below 1e-10 or not finite counts as log(1e-10).
func logDetLDL(a []float64, p int) float64 {
	logLow := fmath.Log(1e-10)
	s := 0.0
	for k := p - 1; k >= 0; k-- {
		dk := a[k*p+k]
		if dk < 1e-10 || math.IsNaN(dk) || math.IsInf(dk, 0) {
			s += logLow
		} else {
			s += fmath.Log(dk)
		}
		if dk == 0 || math.IsNaN(dk) {
			continue
		}
		r := 1 / dk
		for j := 0; j < k; j++ {
			t := -r * a[j*p+k]
			for i := 0; i <= j; i++ {
				a[i*p+j] += a[i*p+k] * t
			}
		}
		for j := 0; j < k; j++ {
			for i := 0; i < j; i++ {
				a[j*p+i] = a[i*p+j]
			}
		}
	}
	return s
}

// maximizeInterpolant is edgeR's maximizeInterpolant for one row
// (src/interpolator.cpp, find_max): the grid point with the largest y, moved
// to the maximum of the fmm cubic spline on the segment to its left or
// right when that is higher. scratch needs 3·len(x) values.
func maximizeInterpolant(x, y, scratch []float64) float64 {
	n := len(x)
	b, c, d := scratch[:n], scratch[n:2*n], scratch[2*n:3*n]
	maxed, at := -1.0, -1
	for i := 0; i < n; i++ {
		if at < 0 || y[i] > maxed {
			maxed, at = y[i], i
		}
	}
	xmax := x[at]
	stats.FMMSpline(x, y, b, c, d)
	if at > 0 {
		ld, lc, lb := d[at-1], c[at-1], b[at-1]
		delta := lc*lc - 3*ld*lb
		if delta >= 0 {
			sol := (-lc - math.Sqrt(delta)) / (3 * ld)
			if sol > 0 && sol < x[at]-x[at-1] {
				t := ((ld*sol+lc)*sol+lb)*sol + y[at-1]
				if t > maxed {
					maxed, xmax = t, sol+x[at-1]
				}
			}
		}
	}
	if at < n-1 {
		rd, rc, rb := d[at], c[at], b[at]
		delta := rc*rc - 3*rd*rb
		if delta >= 0 {
			sol := (-rc - math.Sqrt(delta)) / (3 * rd)
			if sol > 0 && sol < x[at+1]-x[at] {
				t := ((rd*sol+rc)*sol+rb)*sol + y[at]
				if t > maxed {
					xmax = sol + x[at]
				}
			}
		}
	}
	return xmax
}
