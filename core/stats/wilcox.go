package stats

import (
	"errors"
	"math"
	"sync"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// WilcoxOptions are the arguments of R's wilcox.test besides the data.
// The zero value is NOT R's default: R uses Correct = true.
type WilcoxOptions struct {
	Alternative Alternative
	// Paired selects the signed-rank test on x - y.
	Paired bool
	// Exact forces (true) or forbids (false) the exact distribution; nil is
	// R's exact=NULL: exact when n < 50 (per group for the rank-sum test).
	// The exact path is taken only without ties (and, for the signed-rank
	// test, without zero differences); otherwise R warns and uses the normal
	// approximation.
	Exact *bool
	// Correct applies the continuity correction in the normal approximation
	// (R's default correct=TRUE).
	Correct bool
	// Mu is the location shift under the null hypothesis.
	Mu float64
	// ConfInt requests R's conf.int=TRUE: the Hodges-Lehmann estimate (the
	// difference in location for the rank-sum test, the (pseudo)median for
	// the signed-rank test) and its confidence interval at ConfLevel (0
	// means 0.95), exact or by R's uniroot inversion as wilcox.test does.
	ConfInt   bool
	ConfLevel float64
}

// ErrNotEnough is returned when a test has too few (non-NaN) observations.
var ErrNotEnough = errors.New("stats: not enough (non-missing) observations")

// WilcoxTest performs R's wilcox.test (stats/R/wilcox.test.R, R 4.2.2).
//
// Rank-sum test (y non-nil and !Paired): W = Σ rank(c(x-mu, y))[x] -
// nx(nx+1)/2. Exact p-values use the distribution of W (R's pwilcox/cwilcox):
// two-sided p = min(1, 2·(W > nx·ny/2 ? P(W' >= W) : P(W' <= W))). The normal
// approximation uses z = W - nx·ny/2, σ² = nx·ny/12·((n+1) - Σ(t³-t)/(n(n-1)))
// with tie group sizes t, and the continuity correction sign(z)/2 (two-sided),
// 1/2 (greater) or -1/2 (less).
//
// Signed-rank test (y nil: one-sample on x - mu; or Paired: on x - y - mu):
// zero differences are dropped, V = Σ rank(|d|)[d > 0]; exact p-values use
// R's psignrank; the normal approximation has mean n(n+1)/4 and variance
// n(n+1)(2n+1)/24 - Σ(t³-t)/48.
//
// NaN values are removed (pairwise when Paired). Errors: fewer than one
// observation in x (or y), len(x) != len(y) when Paired, invalid Alternative,
// non-finite Mu. When all values are tied σ = 0 and the p-value is NaN, as in R.
func WilcoxTest(x, y []float64, o WilcoxOptions) (Result, error) {
	if !o.Alternative.valid() {
		return Result{}, ErrAlternative
	}
	if math.IsNaN(o.Mu) || math.IsInf(o.Mu, 0) {
		return Result{}, errors.New("stats: 'mu' must be a single finite number")
	}
	if o.Paired {
		if y == nil || len(x) != len(y) {
			return Result{}, errors.New("stats: 'x' and 'y' must have the same length")
		}
		d := make([]float64, 0, len(x))
		for i := range x {
			if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
				d = append(d, x[i]-y[i])
			}
		}
		if len(d) < 1 {
			return Result{}, ErrNotEnough
		}
		return signRank(d, o)
	}
	if y == nil {
		d := dropNaN(x)
		if len(d) < 1 {
			return Result{}, ErrNotEnough
		}
		return signRank(d, o)
	}
	x = dropNaN(x)
	y = dropNaN(y)
	if len(x) < 1 {
		return Result{}, errors.New("stats: not enough (non-missing) 'x' observations")
	}
	if len(y) < 1 {
		return Result{}, errors.New("stats: not enough 'y' observations")
	}
	return rankSum(x, y, o)
}

func normalP(z float64, alt Alternative) float64 {
	switch alt {
	case Less:
		return dist.Pnorm(z, 0, 1, true, false)
	case Greater:
		return dist.Pnorm(z, 0, 1, false, false)
	}
	return 2 * math.Min(dist.Pnorm(z, 0, 1, true, false), dist.Pnorm(z, 0, 1, false, false))
}

func correction(z float64, alt Alternative) float64 {
	switch alt {
	case Less:
		return -0.5
	case Greater:
		return 0.5
	}
	return sign(z) * 0.5
}

func signRank(x []float64, o WilcoxOptions) (Result, error) {
	d := make([]float64, 0, len(x))
	zeroes := false
	for _, v := range x {
		v -= o.Mu
		if v == 0 {
			zeroes = true
			continue
		}
		d = append(d, v)
	}
	n := float64(len(d))
	exact := len(d) < 50
	if o.Exact != nil {
		exact = *o.Exact
	}
	a := make([]float64, len(d))
	for i, v := range d {
		a[i] = math.Abs(v)
	}
	r := Rank(a, Average)
	var stat float64
	for i, v := range d {
		if v > 0 {
			stat += r[i]
		}
	}
	ties := tieCounts(r)
	hasTies := len(ties) != len(r)
	res := newResult("Wilcoxon signed rank test", "V")
	res.Statistic = stat
	res.Alternative = o.Alternative
	res.N = len(d)
	if exact && !hasTies && !zeroes {
		res.Method = "Wilcoxon signed rank exact test"
		nn := len(d)
		switch o.Alternative {
		case TwoSided:
			var p float64
			if stat > n*(n+1)/4 {
				p = psignrank(stat-1, nn, false)
			} else {
				p = psignrank(stat, nn, true)
			}
			res.PValue = math.Min(2*p, 1)
		case Greater:
			res.PValue = psignrank(stat-1, nn, false)
		case Less:
			res.PValue = psignrank(stat, nn, true)
		}
		if o.ConfInt {
			signRankExactCI(d, o, &res)
		}
		return res, nil
	}
	z := stat - n*(n+1)/4
	var st float64
	for _, t := range ties {
		st += t*t*t - t
	}
	sigma := math.Sqrt(n*(n+1)*(2*n+1)/24 - st/48)
	corr := 0.0
	if o.Correct {
		corr = correction(z, o.Alternative)
		res.Method = "Wilcoxon signed rank test with continuity correction"
	}
	z = (z - corr) / sigma
	res.PValue = normalP(z, o.Alternative)
	if o.ConfInt {
		signRankNormalCI(d, o, &res)
	}
	if exact && hasTies {
		res.Warnings = append(res.Warnings, "cannot compute exact p-value with ties")
	}
	if exact && zeroes {
		res.Warnings = append(res.Warnings, "cannot compute exact p-value with zeroes")
	}
	return res, nil
}

func rankSum(x, y []float64, o WilcoxOptions) (Result, error) {
	nx, ny := len(x), len(y)
	exact := nx < 50 && ny < 50
	if o.Exact != nil {
		exact = *o.Exact
	}
	all := make([]float64, 0, nx+ny)
	for _, v := range x {
		all = append(all, v-o.Mu)
	}
	all = append(all, y...)
	r := Rank(all, Average)
	var sx float64
	for i := 0; i < nx; i++ {
		sx += r[i]
	}
	fx, fy := float64(nx), float64(ny)
	stat := sx - fx*(fx+1)/2
	ties := tieCounts(r)
	hasTies := len(ties) != len(r)
	res := newResult("Wilcoxon rank sum test", "W")
	res.Statistic = stat
	res.Alternative = o.Alternative
	res.N = nx + ny
	if exact && !hasTies {
		res.Method = "Wilcoxon rank sum exact test"
		switch o.Alternative {
		case TwoSided:
			var p float64
			if stat > fx*fy/2 {
				p = pwilcox(stat-1, nx, ny, false)
			} else {
				p = pwilcox(stat, nx, ny, true)
			}
			res.PValue = math.Min(2*p, 1)
		case Greater:
			res.PValue = pwilcox(stat-1, nx, ny, false)
		case Less:
			res.PValue = pwilcox(stat, nx, ny, true)
		}
		if o.ConfInt {
			wilcoxExactCI(x, y, o, &res)
		}
		return res, nil
	}
	z := stat - fx*fy/2
	var st float64
	for _, t := range ties {
		st += t*t*t - t
	}
	sigma := math.Sqrt((fx * fy / 12) * ((fx + fy + 1) - st/((fx+fy)*(fx+fy-1))))
	corr := 0.0
	if o.Correct {
		corr = correction(z, o.Alternative)
		res.Method = "Wilcoxon rank sum test with continuity correction"
	}
	z = (z - corr) / sigma
	res.PValue = normalP(z, o.Alternative)
	if o.ConfInt {
		wilcoxNormalCI(x, y, o, &res)
	}
	if exact && hasTies {
		res.Warnings = append(res.Warnings, "cannot compute exact p-value with ties")
	}
	return res, nil
}

func confLevel(o WilcoxOptions) float64 {
	if o.ConfLevel == 0 {
		return 0.95
	}
	return o.ConfLevel
}

// qwilcox is R's qwilcox(p, m, n) (lower tail, natural scale).
func qwilcox(p float64, m, n int) float64 {
	if p <= 0 {
		return 0
	}
	if p >= 1 {
		return float64(m * n)
	}
	cnt := wilcoxCounts(m, n)
	c := chooseExact(m+n, n)
	s := 0.0
	q := 0
	if p <= 0.5 {
		p -= 10 * dblEps
		for {
			s += cnt[q] / c
			if s >= p {
				break
			}
			q++
		}
	} else {
		p = 1 - p + 10*dblEps
		for {
			s += cnt[q] / c
			if s > p {
				q = m*n - q
				break
			}
			q++
		}
	}
	return float64(q)
}

// wilcoxExactCI fills the Hodges-Lehmann estimate median(x_i - y_j) and the
// exact interval from the sorted differences at the qwilcox quantiles, as
// R's wilcox.test(conf.int=TRUE) without ties.
func wilcoxExactCI(x, y []float64, o WilcoxOptions, res *Result) {
	nx, ny := len(x), len(y)
	level := confLevel(o)
	alpha := 1 - level
	diffs := make([]float64, 0, nx*ny)
	for _, xi := range x {
		for _, yj := range y {
			diffs = append(diffs, xi-yj)
		}
	}
	diffs = sorted(diffs)
	mn := float64(nx * ny)
	var achieved float64
	switch o.Alternative {
	case TwoSided:
		qu := qwilcox(alpha/2, nx, ny)
		if qu == 0 {
			qu = 1
		}
		ql := mn - qu
		achieved = 2 * pwilcox(math.Trunc(qu)-1, nx, ny, true)
		res.ConfInt = [2]float64{diffs[int(qu)-1], diffs[int(ql)]}
	case Greater:
		qu := qwilcox(alpha, nx, ny)
		if qu == 0 {
			qu = 1
		}
		achieved = pwilcox(math.Trunc(qu)-1, nx, ny, true)
		res.ConfInt = [2]float64{diffs[int(qu)-1], math.Inf(1)}
	case Less:
		qu := qwilcox(alpha, nx, ny)
		if qu == 0 {
			qu = 1
		}
		ql := mn - qu
		achieved = pwilcox(math.Trunc(qu)-1, nx, ny, true)
		res.ConfInt = [2]float64{math.Inf(-1), diffs[int(ql)]}
	}
	if achieved-alpha > alpha/2 {
		res.Warnings = append(res.Warnings, "requested conf.level not achievable")
		level = 1 - achieved
	}
	res.ConfLevel = level
	res.EstimateName = "difference in location"
	res.Estimate = medianSorted(diffs)
}

// wilcoxNormalCI fills the estimate and interval of R's normal-approximation
// branch: roots, found by uniroot (tol 1e-4) on [min(x)-max(y),
// max(x)-min(y)], of the standardized (continuity-corrected) statistic of
// x - d against y, at ±qnorm(alpha/2) for the interval and at 0 without
// correction for the estimate.
func wilcoxNormalCI(x, y []float64, o WilcoxOptions, res *Result) {
	nx, ny := float64(len(x)), float64(len(y))
	level := confLevel(o)
	alpha := 1 - level
	mumin := minOf(x) - maxOf(y)
	mumax := maxOf(x) - minOf(y)
	correct := o.Correct
	dr := make([]float64, 0, len(x)+len(y))
	w := func(d float64) float64 {
		dr = dr[:0]
		for _, v := range x {
			dr = append(dr, v-d)
		}
		dr = append(dr, y...)
		r := Rank(dr, Average)
		var sx float64
		for i := range x {
			sx += r[i]
		}
		dz := sx - nx*(nx+1)/2 - nx*ny/2
		corr := 0.0
		if correct {
			corr = correction(dz, o.Alternative)
		}
		var st float64
		for _, t := range tieCounts(r) {
			st += t*t*t - t
		}
		sigma := math.Sqrt((nx * ny / 12) * ((nx + ny + 1) - st/((nx+ny)*(nx+ny-1))))
		return (dz - corr) / sigma
	}
	wmin, wmax := w(mumin), w(mumax)
	root := func(zq float64) float64 {
		fl := wmin - zq
		if fl <= 0 {
			return mumin
		}
		fu := wmax - zq
		if fu >= 0 {
			return mumax
		}
		return Zeroin(mumin, mumax, fl, fu, func(d float64) float64 { return w(d) - zq }, 1e-4, 1000)
	}
	switch o.Alternative {
	case TwoSided:
		res.ConfInt = [2]float64{root(dist.Qnorm(alpha/2, 0, 1, false, false)), root(dist.Qnorm(alpha/2, 0, 1, true, false))}
	case Greater:
		res.ConfInt = [2]float64{root(dist.Qnorm(alpha, 0, 1, false, false)), math.Inf(1)}
	case Less:
		res.ConfInt = [2]float64{math.Inf(-1), root(dist.Qnorm(alpha, 0, 1, true, false))}
	}
	res.ConfLevel = level
	correct = false
	res.EstimateName = "difference in location"
	res.Estimate = Zeroin(mumin, mumax, w(mumin), w(mumax), w, 1e-4, 1000)
}

func minOf(x []float64) float64 {
	m := math.Inf(1)
	for _, v := range x {
		m = math.Min(m, v)
	}
	return m
}

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	return m
}

// wilcoxCounts returns c[k] = number of size-m subsets of {1..m+n} whose rank
// sum minus m(m+1)/2 equals k, for k = 0..m·n (R's cwilcox). Computed by a
// subset-sum recursion using only additions; cached per (m, n).
var wilcoxCache sync.Map // [2]int -> []float64

func wilcoxCounts(m, n int) []float64 {
	key := [2]int{m, n}
	if v, ok := wilcoxCache.Load(key); ok {
		return v.([]float64)
	}
	// f[j][s]: number of j-subsets of {1..i} with Σ(element) - j(j+1)/2 = s,
	// where s <= j*(i-j). Iterate over elements i = 1..m+n.
	mn := m * n
	f := make([][]float64, m+1)
	for j := range f {
		f[j] = make([]float64, mn+1)
	}
	f[0][0] = 1
	for i := 1; i <= m+n; i++ {
		jmax := m
		if i < jmax {
			jmax = i
		}
		for j := jmax; j >= 1; j-- {
			// adding element i as the j-th (largest) element shifts the
			// offset by i - j.
			sh := i - j
			if sh > n {
				continue
			}
			src, dst := f[j-1], f[j]
			for s := mn - sh; s >= 0; s-- {
				if src[s] != 0 {
					dst[s+sh] += src[s]
				}
			}
		}
	}
	c := f[m]
	wilcoxCache.Store(key, c)
	return c
}

// pwilcox returns P(W <= q) (lower) or P(W > q) for the Wilcoxon rank-sum
// statistic with sample sizes m and n, summing c(i)/choose(m+n, n) from the
// smaller side as R's pwilcox (src/nmath/wilcox.c).
func pwilcox(q float64, m, n int, lower bool) float64 {
	q = math.Floor(q + 1e-7)
	fm, fn := float64(m), float64(n)
	if q < 0 {
		if lower {
			return 0
		}
		return 1
	}
	if q >= fm*fn {
		if lower {
			return 1
		}
		return 0
	}
	cnt := wilcoxCounts(m, n)
	c := fmath.Exp(dist.Lchoose(fm+fn, fn))
	if cc := chooseExact(m+n, n); cc > 0 {
		c = cc
	}
	p := 0.0
	if q <= fm*fn/2 {
		for i := 0; i <= int(q); i++ {
			p += cnt[i] / c
		}
	} else {
		q = fm*fn - q
		for i := 0; i < int(q); i++ {
			p += cnt[i] / c
		}
		lower = !lower
	}
	if lower {
		return p
	}
	return 0.5 - p + 0.5
}

// chooseExact returns choose(n, k) as R's choose() does for integer
// arguments: round(exp(lchoose)) when k >= 30, else the product form rounded.
func chooseExact(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	if k >= 30 && n-k < 30 {
		k = n - k
	}
	if k < 30 {
		r := float64(n)
		for j := 2; j <= k; j++ {
			r *= float64(n-j+1) / float64(j)
		}
		return math.RoundToEven(r)
	}
	return math.RoundToEven(fmath.Exp(dist.Lchoose(float64(n), float64(k))))
}

var signrankCache sync.Map // int -> []float64

// signrankCounts returns c[k] = number of subsets of {1..n} with sum k, for
// k = 0..n(n+1)/2 (R's csignrank).
func signrankCounts(n int) []float64 {
	if v, ok := signrankCache.Load(n); ok {
		return v.([]float64)
	}
	u := n * (n + 1) / 2
	c := make([]float64, u+1)
	c[0] = 1
	for i := 1; i <= n; i++ {
		for s := i * (i + 1) / 2; s >= i; s-- {
			c[s] += c[s-i]
		}
	}
	signrankCache.Store(n, c)
	return c
}

// psignrank returns P(V <= x) (lower) or P(V > x) for the signed-rank
// statistic of n observations, as R's psignrank: Σ csignrank(i)·2^-n from the
// smaller side.
func psignrank(x float64, n int, lower bool) float64 {
	x = math.RoundToEven(x + 1e-7)
	fn := float64(n)
	if x < 0 {
		if lower {
			return 0
		}
		return 1
	}
	if x >= fn*(fn+1)/2 {
		if lower {
			return 1
		}
		return 0
	}
	cnt := signrankCounts(n)
	f := fmath.Exp(-fn * math.Ln2)
	p := 0.0
	if x <= fn*(fn+1)/4 {
		for i := 0; i <= int(x); i++ {
			p += cnt[i] * f
		}
	} else {
		x = fn*(fn+1)/2 - x
		for i := 0; i < int(x); i++ {
			p += cnt[i] * f
		}
		lower = !lower
	}
	if lower {
		return p
	}
	return 0.5 - p + 0.5
}

// qsignrank is R's qsignrank(p, n) (lower tail, natural scale).
func qsignrank(p float64, n int) float64 {
	u := n * (n + 1) / 2
	if p <= 0 {
		return 0
	}
	if p >= 1 {
		return float64(u)
	}
	cnt := signrankCounts(n)
	f := fmath.Exp(-float64(n) * math.Ln2)
	s := 0.0
	q := 0
	if p <= 0.5 {
		p -= 10 * dblEps
		for {
			s += cnt[q] * f
			if s >= p {
				break
			}
			q++
		}
	} else {
		p = 1 - p + 10*dblEps
		for {
			s += cnt[q] * f
			if s > p {
				q = u - q
				break
			}
			q++
		}
	}
	return float64(q)
}

// signifR rounds to the given number of significant digits (R's signif).
func signifR(x float64, digits int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	e := digits - 1 - int(math.Floor(fmath.Log10(math.Abs(x))))
	p := fmath.Pow(10, float64(e))
	return math.RoundToEven(x*p) / p
}

// signRankExactCI: Walsh averages and qsignrank quantiles, as R's
// one-sample exact branch; d holds x - mu without zeros.
func signRankExactCI(d []float64, o WilcoxOptions, res *Result) {
	n := len(d)
	x := make([]float64, n)
	for i, v := range d {
		x[i] = v + o.Mu
	}
	level := confLevel(o)
	alpha := 1 - level
	w := make([]float64, 0, n*(n+1)/2)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			w = append(w, x[i]+x[j])
		}
	}
	w = sorted(w)
	for i := range w {
		w[i] /= 2
	}
	u := float64(n * (n + 1) / 2)
	var achieved float64
	switch o.Alternative {
	case TwoSided:
		qu := qsignrank(alpha/2, n)
		if qu == 0 {
			qu = 1
		}
		ql := u - qu
		achieved = 2 * psignrank(math.Trunc(qu)-1, n, true)
		res.ConfInt = [2]float64{w[int(qu)-1], w[int(ql)]}
	case Greater:
		qu := qsignrank(alpha, n)
		if qu == 0 {
			qu = 1
		}
		achieved = psignrank(math.Trunc(qu)-1, n, true)
		res.ConfInt = [2]float64{w[int(qu)-1], math.Inf(1)}
	case Less:
		qu := qsignrank(alpha, n)
		if qu == 0 {
			qu = 1
		}
		ql := u - qu
		achieved = psignrank(math.Trunc(qu)-1, n, true)
		res.ConfInt = [2]float64{math.Inf(-1), w[int(ql)]}
	}
	if achieved-alpha > alpha/2 {
		res.Warnings = append(res.Warnings, "requested conf.level not achievable")
		level = 1 - signifR(achieved, 2)
	}
	res.ConfLevel = level
	res.EstimateName = "(pseudo)median"
	res.Estimate = medianSorted(w)
}

// signRankNormalCI is R's one-sample normal-approximation interval: roots by
// uniroot (tol 1e-4) of the standardized signed-rank statistic of x - d on
// [min x, max x], halving the confidence (doubling alpha) until the ends
// bracket the quantile, and the estimate as the root at 0 without correction.
func signRankNormalCI(d []float64, o WilcoxOptions, res *Result) {
	n := len(d)
	x := make([]float64, n)
	for i, v := range d {
		x[i] = v + o.Mu
	}
	level := confLevel(o)
	alpha := 1 - level
	res.EstimateName = "(pseudo)median"
	if n == 0 {
		lo, hi := math.NaN(), math.NaN()
		if o.Alternative == Less {
			lo = math.Inf(-1)
		}
		if o.Alternative == Greater {
			hi = math.Inf(1)
		}
		res.ConfInt = [2]float64{lo, hi}
		res.ConfLevel = 0
		res.Estimate = math.NaN()
		return
	}
	correct := o.Correct
	mumin, mumax := minOf(x), maxOf(x)
	xd := make([]float64, 0, n)
	ad := make([]float64, 0, n)
	W := func(dd float64) float64 {
		xd = xd[:0]
		ad = ad[:0]
		for _, v := range x {
			if v-dd != 0 {
				xd = append(xd, v-dd)
				ad = append(ad, math.Abs(v-dd))
			}
		}
		nx := float64(len(xd))
		r := Rank(ad, Average)
		var s float64
		for i, v := range xd {
			if v > 0 {
				s += r[i]
			}
		}
		zd := s - nx*(nx+1)/4
		var st float64
		for _, t := range tieCounts(r) {
			st += t*t*t - t
		}
		sigma := math.Sqrt(nx*(nx+1)*(2*nx+1)/24 - st/48)
		corr := 0.0
		if correct {
			corr = correction(zd, o.Alternative)
		}
		return (zd - corr) / sigma
	}
	wmin := W(mumin)
	wmax := math.NaN()
	if !math.IsInf(wmin, 0) && !math.IsNaN(wmin) {
		wmax = W(mumax)
	}
	if math.IsInf(wmax, 0) || math.IsNaN(wmax) {
		lo, hi := math.NaN(), math.NaN()
		if o.Alternative == Less {
			lo = math.Inf(-1)
		}
		if o.Alternative == Greater {
			hi = math.Inf(1)
		}
		res.ConfInt = [2]float64{lo, hi}
		res.ConfLevel = 0
		res.Estimate = (mumin + mumax) / 2
		res.EstimateName = "midrange"
		return
	}
	root := func(zq float64) float64 {
		return Zeroin(mumin, mumax, wmin-zq, wmax-zq, func(dd float64) float64 { return W(dd) - zq }, 1e-4, 1000)
	}
	qn := func(p float64, lower bool) float64 { return dist.Qnorm(p, 0, 1, lower, false) }
	notAchievable := func() {
		if alpha >= 1 || 1-level < alpha*0.75 {
			level = 1 - math.Min(1, alpha)
			res.Warnings = append(res.Warnings, "requested conf.level not achievable")
		}
	}
	med := func() float64 { return Median(x) }
	switch o.Alternative {
	case TwoSided:
		for {
			mindiff := wmin - qn(alpha/2, false)
			maxdiff := wmax - qn(alpha/2, true)
			if mindiff < 0 || maxdiff > 0 {
				alpha *= 2
			} else {
				break
			}
		}
		notAchievable()
		if alpha < 1 {
			res.ConfInt = [2]float64{root(qn(alpha/2, false)), root(qn(alpha/2, true))}
		} else {
			res.ConfInt = [2]float64{med(), med()}
		}
	case Greater:
		for wmin-qn(alpha, false) < 0 {
			alpha *= 2
		}
		notAchievable()
		l := med()
		if alpha < 1 {
			l = root(qn(alpha, false))
		}
		res.ConfInt = [2]float64{l, math.Inf(1)}
	case Less:
		for wmax-qn(alpha/2, true) > 0 {
			alpha *= 2
		}
		notAchievable()
		u := med()
		if alpha < 1 {
			u = root(qn(alpha, true))
		}
		res.ConfInt = [2]float64{math.Inf(-1), u}
	}
	res.ConfLevel = level
	correct = false
	res.Estimate = Zeroin(mumin, mumax, W(mumin), W(mumax), W, 1e-4, 1000)
}
