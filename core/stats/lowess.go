package stats

import (
	"math"
	"sync"
)

// LowessDelta returns R's default lowess delta, 0.01 * diff(range(x)).
// NaN if x is empty or contains NaN.
func LowessDelta(x []float64) float64 {
	if len(x) == 0 || hasNaN(x) {
		return math.NaN()
	}
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return 0.01 * (hi - lo)
}

// Lowess is R's lowess(x, y, f, iter, delta) (stats/R/lowess.R and the C
// routine clowess in stats/src/lowess.c, R 4.2.2; Cleveland 1979,
// doi:10.1080/01621459.1979.10481038). The points are sorted by x (stable, like
// order()); sx is the sorted x and fit the smoothed y at each sx. Each fit is a
// locally linear regression with tricube weights over the ns = max(2,
// min(n, int(f*n+1e-7))) nearest neighbours; points closer than delta to the
// last fitted point are linearly interpolated; iter robustness iterations
// reweight by the bisquare of residuals scaled by 6·median|res|.
//
// Use f = 2/3, iter = 3 and delta = LowessDelta(x) for R's defaults. len(x)
// must equal len(y). Empty input gives empty slices. NaN in x or y, f <= 0,
// iter < 0 or delta < 0 (R stops with an error) give NaN fits.
func Lowess(x, y []float64, f float64, iter int, delta float64) (sx, fit []float64) {
	return LowessWorkers(x, y, f, iter, delta, 1)
}

// LowessWorkers is Lowess with the local fits of each iteration split over
// workers goroutines (<= 1: none); the result is bitwise the same for any
// number of workers.
func LowessWorkers(x, y []float64, f float64, iter int, delta float64, workers int) (sx, fit []float64) {
	if len(x) != len(y) {
		panic("stats: Lowess: len(x) != len(y)")
	}
	n := len(x)
	o := Order(x, false)
	sx = make([]float64, n)
	sy := make([]float64, n)
	for k, j := range o {
		sx[k] = x[j]
		sy[k] = y[j]
	}
	fit = make([]float64, n)
	if n == 0 {
		return sx, fit
	}
	if hasNaN(x) || hasNaN(y) || !(f > 0) || math.IsInf(f, 0) || iter < 0 || !(delta >= 0) || math.IsInf(delta, 0) {
		for i := range fit {
			fit[i] = math.NaN()
		}
		return sx, fit
	}
	clowess(sx, sy, f, iter, delta, fit, workers)
	return sx, fit
}

// lowestFit computes the weighted local linear fit at xs using points
// nleft..nright (0-based, inclusive), extending right over ties, like
// lowest() in R's lowess.c: tricube weights w_j (times the robustness
// weights rw_j when userw) over the points within 0.999·h of xs, h the
// larger distance to the window's ends, then with W = Σw, the weighted
// means x̄ = Σw·x/W, ȳ = Σw·y/W and c = Σw(x-x̄)²/W,
//
//	ys = ȳ + (xs - x̄)·Σw(x-x̄)(y-ȳ)/(W·c)   when sqrt(c) > 0.001·range(x)
//	ys = ȳ                                 otherwise (or when h = 0),
//
// which is lowest()'s Σ w_j(1 + b(x_j - x̄)) y_j rearranged. The sums are
// taken in one pass over the window, of d = x - xs and e = y - yc (yc the
// y of the window's first point, which keeps the terms small), as
// W·c = Σw·d² - (Σw·d)²/W and Σw(x-x̄)(y-ȳ) = Σw·d·e - (Σw·d)(Σw·e)/W: equal
// to lowest()'s five passes to rounding (about 1e-15 relative to the
// spread of y; TestLowessAgainstDirectPort). ok is false when all weights
// are zero.
func lowestFit(x, y []float64, xs float64, nleft, nright int, userw bool, rw []float64) (ys float64, ok bool) {
	n := len(x)
	rng := x[n-1] - x[0]
	h := math.Max(xs-x[nleft], x[nright]-xs)
	h9 := 0.999 * h
	h1 := 0.001 * h
	invh := 1 / h
	yc := y[nleft]
	var sw, sd, se, sdd, sde float64
	for j := nleft; j < n; j++ {
		d := x[j] - xs
		r := math.Abs(d)
		if r > h9 {
			if d > 0 {
				break
			}
			continue
		}
		wj := 1.0
		if r > h1 {
			q := r * invh
			q = 1 - q*q*q
			wj = q * q * q
		}
		if userw {
			wj *= rw[j]
		}
		e := y[j] - yc
		wd := wj * d
		sw += wj
		sd += wd
		se += wj * e
		sdd += wd * d
		sde += wd * e
	}
	if sw <= 0 {
		return 0, false
	}
	inv := 1 / sw
	dbar := sd * inv
	ybar := yc + se*inv
	if !(h > 0) {
		return ybar, true
	}
	c := (sdd - sd*dbar) * inv
	if math.Sqrt(c) > 0.001*rng {
		sxy := sde - dbar*se
		return ybar + (-dbar)/c*(sxy*inv), true
	}
	return ybar, true
}

// lowessAnchor is a point at which clowess fits (0-based index i) with its
// window [nleft, nright] (0-based, inclusive).
type lowessAnchor struct{ i, nleft, nright int }

// lowessAnchors returns the points clowess fits at, in order: they depend
// on x, ns and delta only, not on y or the robustness weights.
func lowessAnchors(x []float64, ns int, delta float64) []lowessAnchor {
	n := len(x)
	var out []lowessAnchor
	// 1-based indices below follow the reference algorithm.
	nleft, nright := 1, ns
	last := 0
	i := 1
	for {
		if nright < n {
			d1 := x[i-1] - x[nleft-1]
			d2 := x[nright] - x[i-1]
			if d1 > d2 {
				nleft++
				nright++
				continue
			}
		}
		out = append(out, lowessAnchor{i - 1, nleft - 1, nright - 1})
		last = i
		cut := x[last-1] + delta
		for i = last + 1; i <= n; i++ {
			if x[i-1] > cut {
				break
			}
			if x[i-1] == x[last-1] {
				last = i
			}
		}
		if last+1 > i-1 {
			i = last + 1
		} else {
			i = i - 1
		}
		if last >= n {
			break
		}
	}
	return out
}

// lowessFill sets ys at the points between the anchors, whose ys are set:
// points tied with an anchor copy its value, the others are interpolated
// linearly between the neighbouring fitted points (clowess's order).
func lowessFill(x []float64, anchors []lowessAnchor, delta float64, ys []float64) {
	n := len(x)
	last := 0 // 1-based, as in clowess
	for _, a := range anchors {
		i := a.i + 1
		if last < i-1 {
			denom := x[i-1] - x[last-1]
			for j := last + 1; j < i; j++ {
				alpha := (x[j-1] - x[last-1]) / denom
				ys[j-1] = alpha*ys[i-1] + (1-alpha)*ys[last-1]
			}
		}
		last = i
		cut := x[last-1] + delta
		for k := last + 1; k <= n; k++ {
			if x[k-1] > cut {
				break
			}
			if x[k-1] == x[last-1] {
				ys[k-1] = ys[last-1]
				last = k
			}
		}
	}
}

// clowess fills ys with the lowess fit of sorted x, y (R's clowess), the
// local fits of each iteration split over workers goroutines (each fit
// depends only on its anchor, so the split changes no bit).
func clowess(x, y []float64, f float64, nsteps int, delta float64, ys []float64, workers int) {
	n := len(x)
	if n < 2 {
		ys[0] = y[0]
		return
	}
	rw := make([]float64, n)
	res := make([]float64, n)
	tmp := make([]float64, n)
	ns := int(f*float64(n) + 1e-7)
	if ns > n {
		ns = n
	}
	if ns < 2 {
		ns = 2
	}
	anchors := lowessAnchors(x, ns, delta)
	if workers < 1 {
		workers = 1
	}
	workers = min(workers, len(anchors))
	fitAnchors := func(as []lowessAnchor, userw bool) {
		for _, a := range as {
			if v, ok := lowestFit(x, y, x[a.i], a.nleft, a.nright, userw, rw); ok {
				ys[a.i] = v
			} else {
				ys[a.i] = y[a.i]
			}
		}
	}
	for iter := 1; iter <= nsteps+1; iter++ {
		userw := iter > 1
		if workers == 1 {
			fitAnchors(anchors, userw)
		} else {
			// Every anchor's window has about ns points: equal counts of
			// anchors are equal work.
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				lo, hi := w*len(anchors)/workers, (w+1)*len(anchors)/workers
				wg.Add(1)
				go func() {
					defer wg.Done()
					fitAnchors(anchors[lo:hi], userw)
				}()
			}
			wg.Wait()
		}
		lowessFill(x, anchors, delta, ys)
		for k := 0; k < n; k++ {
			res[k] = y[k] - ys[k]
		}
		sc := 0.0
		for k := 0; k < n; k++ {
			sc += math.Abs(res[k])
		}
		sc /= float64(n)
		if iter > nsteps {
			break
		}
		for k := 0; k < n; k++ {
			tmp[k] = math.Abs(res[k])
		}
		// Order statistics m1 and m2 by selection (R's rPsort), not a
		// full sort: the same values.
		m1 := n / 2
		var cmad float64
		if n%2 == 0 {
			// Order statistic m2 = n-m1-1 = m1-1 is the largest of
			// tmp[:m1] once m1 is selected.
			SelectK(tmp, m1)
			cmad = 3 * (tmp[m1] + lowessMax(tmp[:m1]))
		} else {
			SelectK(tmp, m1)
			cmad = 6 * tmp[m1]
		}
		if cmad < 1e-7*sc {
			break
		}
		c9 := 0.999 * cmad
		c1 := 0.001 * cmad
		for k := 0; k < n; k++ {
			r := math.Abs(res[k])
			switch {
			case r <= c1:
				rw[k] = 1
			case r <= c9:
				q := r / cmad
				q = 1 - q*q
				rw[k] = q * q
			default:
				rw[k] = 0
			}
		}
	}
}

func lowessMax(a []float64) float64 {
	m := a[0]
	for _, v := range a[1:] {
		if v > m {
			m = v
		}
	}
	return m
}
