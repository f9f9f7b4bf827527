package limma

import (
	"errors"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// RobustFit is the value of FitFDistRobustly.
type RobustFit struct {
	Scale       []float64 // one value, or one per gene with a covariate
	Df2         float64
	Df2Shrunk   []float64 // per gene
	ProbOutlier []float64 // per gene (nil when no outliers are possible)
}

// FitFDistRobustly fits a scaled F distribution to variances with outliers,
// like limma's fitFDistRobustly (limma 3.54.1, R/fitFDistRobustly.R; Phipson
// et al. 2016, doi:10.1214/16-AOAS920): log-variances are detrended (trimmed
// mean with trim winsor.tail.p[2], or lowess with span 0.4 on the covariate
// as loessFit does), Winsorized at the type-7 quantiles winsor.tail.p[1] and
// 1-winsor.tail.p[2]; df2 solves Var(Winsorized log F(df1, df2)) = the
// observed Winsorized variance (moments by 128-point Gauss-Legendre
// quadrature on the df2/(1+df2) scale, root by R's zeroin with tol 1e-8),
// starting from the non-robust FitFDist; each gene's df2 is then shrunk
// towards an outlier df by its tail probability, made monotone in the tail
// p-value. Unequal df1 are first mapped to the largest df1 by matching F
// tail probabilities.
//
// Fewer than 2 values give NaN; 2 values give FitFDist. Values with NaN x or
// df1 <= 1e-6 get the non-robust df2 and (with a covariate) an interpolated
// scale. Errors: mismatched lengths, non-finite covariate, median <= 0.
func FitFDistRobustly(x, df1, covariate []float64, winsorTailP [2]float64) (*RobustFit, error) {
	n := len(x)
	if winsorTailP == [2]float64{} {
		winsorTailP = [2]float64{0.05, 0.1}
	}
	if n < 2 {
		return &RobustFit{Scale: []float64{math.NaN()}, Df2: math.NaN(), Df2Shrunk: []float64{math.NaN()}}, nil
	}
	if n == 2 {
		f, err := FitFDist(x, df1, covariate)
		if err != nil {
			return nil, err
		}
		return &RobustFit{Scale: f.Scale, Df2: f.Df2, Df2Shrunk: []float64{f.Df2, f.Df2}}, nil
	}
	if len(df1) != 1 && len(df1) != n {
		return nil, errors.New("limma: fitFDistRobustly: x and df1 are different lengths")
	}
	if covariate != nil {
		if len(covariate) != n {
			return nil, errors.New("limma: fitFDistRobustly: x and covariate are different lengths")
		}
		for _, c := range covariate {
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return nil, errors.New("limma: fitFDistRobustly: covariate contains NA or infinite values")
			}
		}
	}
	dfAt := func(i int) float64 {
		if len(df1) == 1 {
			return df1[0]
		}
		return df1[i]
	}
	var okIdx, badIdx []int
	for i := 0; i < n; i++ {
		d := dfAt(i)
		if !math.IsNaN(x[i]) && !math.IsInf(d, 0) && d > 1e-6 {
			okIdx = append(okIdx, i)
		} else {
			badIdx = append(badIdx, i)
		}
	}
	if len(badIdx) > 0 {
		xs := make([]float64, len(okIdx))
		var ds, cs []float64
		for k, i := range okIdx {
			xs[k] = x[i]
			if len(df1) > 1 {
				ds = append(ds, df1[i])
			}
			if covariate != nil {
				cs = append(cs, covariate[i])
			}
		}
		if len(df1) == 1 {
			ds = df1
		}
		fit, err := FitFDistRobustly(xs, ds, cs, winsorTailP)
		if err != nil {
			return nil, err
		}
		out := &RobustFit{Df2: fit.Df2, Df2Shrunk: make([]float64, n)}
		for k, i := range okIdx {
			out.Df2Shrunk[i] = fit.Df2Shrunk[k]
		}
		for _, i := range badIdx {
			out.Df2Shrunk[i] = fit.Df2
		}
		if covariate == nil {
			out.Scale = fit.Scale
		} else {
			out.Scale = make([]float64, n)
			lx, ly := tiesMeanSorted(cs, fit.Scale)
			for k, i := range okIdx {
				out.Scale[i] = fit.Scale[k]
			}
			for _, i := range badIdx {
				out.Scale[i] = fmath.Exp(approxRule2(lx, ly, covariate[i]))
			}
		}
		return out, nil
	}
	x = append([]float64(nil), x...)
	m := stats.Median(x)
	if !(m > 0) {
		return nil, errors.New("limma: variances are mostly <= 0")
	}
	for i := range x {
		if x[i] < m*1e-12 {
			x[i] = m * 1e-12
		}
	}
	nonRobust, err := FitFDist(x, df1, covariate)
	if err != nil {
		return nil, err
	}
	wp := winsorTailP
	prob := [2]float64{wp[0], 1 - wp[1]}
	if wp[0] < 1/float64(n) && wp[1] < 1/float64(n) {
		return &RobustFit{Scale: nonRobust.Scale, Df2: nonRobust.Df2, Df2Shrunk: fill(n, nonRobust.Df2)}, nil
	}
	d1 := dfAt(0)
	if len(df1) > 1 {
		df1max := math.Inf(-1)
		for _, d := range df1 {
			df1max = math.Max(df1max, d)
		}
		anyLess := false
		for i := range x {
			if df1[i] < df1max-1e-14 {
				anyLess = true
				s := nonRobust.Scale[0]
				if covariate != nil {
					s = nonRobust.Scale[i]
				}
				f := x[i] / s
				df2 := nonRobust.Df2
				pu := dist.Pf(f, df1[i], df2, false, true)
				pl := dist.Pf(f, df1[i], df2, true, true)
				if pu < pl {
					f = qf(pu, df1max, df2, false, true)
				} else {
					f = qf(pl, df1max, df2, true, true)
				}
				x[i] = f * s
			}
		}
		if anyLess {
			d1 = df1max
		} else {
			d1 = df1[0]
		}
	}
	z := make([]float64, n)
	for i := range x {
		z[i] = fmath.Log(x[i])
	}
	ztrend := make([]float64, n)
	zresid := make([]float64, n)
	if covariate == nil {
		zt := stats.TrimmedMean(z, wp[1])
		for i := range z {
			ztrend[i] = zt
			zresid[i] = z[i] - zt
		}
	} else {
		// loessFit(z, covariate, span = 0.4): lowess with iter = 3.
		o := stats.Order(covariate, false)
		_, fit := stats.Lowess(covariate, z, 0.4, 3, stats.LowessDelta(covariate))
		for k, i := range o {
			ztrend[i] = fit[k]
		}
		for i := range z {
			zresid[i] = z[i] - ztrend[i]
		}
	}
	q1 := stats.Quantile(zresid, prob[0])
	q2 := stats.Quantile(zresid, prob[1])
	zw := make([]float64, n)
	for i, v := range zresid {
		zw[i] = math.Min(math.Max(v, q1), q2)
	}
	zwmean := stats.Mean(zw)
	zwvar := 0.0
	{
		d := make([]float64, n)
		for i, v := range zw {
			d[i] = (v - zwmean) * (v - zwmean)
		}
		zwvar = stats.Mean(d) * float64(n) / float64(n-1)
	}
	nodes, weights := gaussLegendreUnit(128)
	linkfun := func(v float64) float64 { return v / (1 + v) }
	linkinv := func(v float64) float64 { return v / (1 - v) }
	moments := func(df2 float64) (mean, variance float64) {
		fq := [2]float64{qf(wp[0], d1, df2, true, false), qf(1-wp[1], d1, df2, true, false)}
		zq := [2]float64{fmath.Log(fq[0]), fmath.Log(fq[1])}
		q := [2]float64{linkfun(fq[0]), linkfun(fq[1])}
		q21 := q[1] - q[0]
		fz := make([]float64, len(nodes))
		zn := make([]float64, len(nodes))
		for k, nd := range nodes {
			nod := q[0] + q21*nd
			fn := linkinv(nod)
			zn[k] = fmath.Log(fn)
			fz[k] = fDensity(fn, d1, df2) / ((1 - nod) * (1 - nod))
		}
		s := 0.0
		for k := range nodes {
			s += weights[k] * fz[k] * zn[k]
		}
		mean = q21*s + (zq[0]*wp[0] + zq[1]*wp[1])
		s = 0
		for k := range nodes {
			s += weights[k] * fz[k] * (zn[k] - mean) * (zn[k] - mean)
		}
		variance = q21*s + ((zq[0]-mean)*(zq[0]-mean)*wp[0] + (zq[1]-mean)*(zq[1]-mean)*wp[1])
		return
	}
	momMean, momVar := moments(math.Inf(1))
	funvalInf := fmath.Log(zwvar / momVar)
	if funvalInf <= 0 {
		out := &RobustFit{Df2: math.Inf(1), Scale: make([]float64, n), Df2Shrunk: fill(n, math.Inf(1))}
		fstat := make([]float64, n)
		tailP := make([]float64, n)
		for i := range z {
			ztc := ztrend[i] + zwmean - momMean
			out.Scale[i] = fmath.Exp(ztc)
			fstat[i] = fmath.Exp(z[i] - ztc)
			tailP[i] = dist.Pchisq(fstat[i]*d1, d1, false, false)
		}
		r := stats.Rank(fstat, stats.Average)
		dfPooled := float64(n) * d1
		anyO := false
		for i := range r {
			emp := (float64(n) - r[i] + 0.5) / float64(n)
			pno := math.Min(tailP[i]/emp, 1)
			if pno < 1 {
				out.Df2Shrunk[i] = pno * dfPooled
				anyO = true
			}
		}
		if anyO {
			o := stats.Order(tailP, false)
			cm := math.Inf(-1)
			for _, i := range o {
				cm = math.Max(cm, out.Df2Shrunk[i])
				out.Df2Shrunk[i] = cm
			}
		}
		if covariate == nil {
			out.Scale = out.Scale[:1]
		}
		return out, nil
	}
	fun := func(v float64) float64 {
		_, mv := moments(linkinv(v))
		return fmath.Log(zwvar / mv)
	}
	if math.IsInf(nonRobust.Df2, 1) {
		return &RobustFit{Scale: nonRobust.Scale, Df2: nonRobust.Df2, Df2Shrunk: fill(n, nonRobust.Df2)}, nil
	}
	rbx := linkfun(nonRobust.Df2)
	funvalLow := fun(rbx)
	var df2 float64
	if funvalLow >= 0 {
		df2 = nonRobust.Df2
	} else {
		root, err := zeroin(fun, rbx, 1, funvalLow, funvalInf, 1e-8, 1000)
		if err != nil {
			return nil, err
		}
		df2 = linkinv(root)
	}
	momMean, _ = moments(df2)
	out := &RobustFit{Df2: df2, Scale: make([]float64, n), Df2Shrunk: make([]float64, n), ProbOutlier: make([]float64, n)}
	fstat := make([]float64, n)
	logTailP := make([]float64, n)
	for i := range z {
		ztc := ztrend[i] + zwmean - momMean
		out.Scale[i] = fmath.Exp(ztc)
		fstat[i] = fmath.Exp(z[i] - ztc)
		logTailP[i] = dist.Pf(fstat[i], d1, df2, false, true)
	}
	r := stats.Rank(fstat, stats.Average)
	logPNO := make([]float64, n)
	anyNeg := false
	minLTP := math.Inf(1)
	maxF := math.Inf(-1)
	for i := range r {
		lemp := fmath.Log(float64(n)-r[i]+0.5) - fmath.Log(float64(n))
		logPNO[i] = math.Min(logTailP[i]-lemp, 0)
		if logPNO[i] < 0 {
			anyNeg = true
		}
		out.ProbOutlier[i] = -math.Expm1(logPNO[i])
		minLTP = math.Min(minLTP, logTailP[i])
		maxF = math.Max(maxF, fstat[i])
	}
	if anyNeg {
		if math.IsInf(minLTP, -1) {
			for i := range out.Df2Shrunk {
				out.Df2Shrunk[i] = fmath.Exp(logPNO[i]) * df2
			}
		} else {
			df2Out := fmath.Log(0.5) / minLTP * df2
			newLTP := dist.Pf(maxF, d1, df2Out, false, true)
			df2Out = fmath.Log(0.5) / newLTP * df2Out
			for i := range out.Df2Shrunk {
				pno := fmath.Exp(logPNO[i])
				out.Df2Shrunk[i] = pno*df2 + out.ProbOutlier[i]*df2Out
			}
		}
		o := stats.Order(logTailP, false)
		ordered := make([]float64, n)
		for k, i := range o {
			ordered[k] = out.Df2Shrunk[i]
		}
		cum := 0.0
		imin, mmin := 0, math.Inf(1)
		for k := range ordered {
			cum += ordered[k]
			mk := cum / float64(k+1)
			if mk < mmin {
				mmin, imin = mk, k
			}
		}
		for k := 0; k <= imin; k++ {
			ordered[k] = mmin
		}
		cm := math.Inf(-1)
		for k, i := range o {
			cm = math.Max(cm, ordered[k])
			out.Df2Shrunk[i] = cm
		}
	} else {
		for i := range out.Df2Shrunk {
			out.Df2Shrunk[i] = df2
		}
	}
	if covariate == nil {
		out.Scale = out.Scale[:1]
	}
	return out, nil
}

func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// tiesMeanSorted sorts (x, log y) by x and averages ties, for approx(...,
// ties = mean).
func tiesMeanSorted(x, y []float64) ([]float64, []float64) {
	o := stats.Order(x, false)
	sx := make([]float64, len(x))
	sy := make([]float64, len(x))
	for k, i := range o {
		sx[k] = x[i]
		sy[k] = fmath.Log(y[i])
	}
	return tiesMean(sx, sy)
}

// fDensity is R's df(x, df1, df2) for x > 0 (df2 = Inf: the χ²/df1 limit,
// dgamma(x, df1/2, scale = 2/df1)).
func fDensity(x, m, n float64) float64 {
	if x <= 0 {
		return 0
	}
	if math.IsInf(n, 1) {
		a, s := m/2, 2/m
		lg, _ := fmath.Lgamma(a)
		return fmath.Exp((a-1)*fmath.Log(x) - x/s - lg - a*fmath.Log(s))
	}
	l := (m/2)*fmath.Log(m/n) + (m/2-1)*fmath.Log(x) - ((m+n)/2)*math.Log1p(m*x/n) - dist.Lbeta(m/2, n/2)
	return fmath.Exp(l)
}

// betaQuantileStart returns x in (0, 1) with pbeta(x, a, b, lower, logp)
// = p, by bisection on logit(x) in [-700, 700] (80 halvings: the logit to
// about 1e-21) on dist.Pbeta, in the tail asked for (so a tiny upper tail
// keeps its precision); qf polishes it further. (gonum's InvRegIncBeta was
// used before; it is Cephes code on math.Exp/Log, not portable.)
func betaQuantileStart(p, a, b float64, lower, logp bool) float64 {
	lo, hi := -700.0, 700.0
	for it := 0; it < 80; it++ {
		mid := (lo + hi) / 2
		x := 1 / (1 + fmath.Exp(-mid))
		v := dist.Pbeta(x, a, b, lower, logp)
		if (v < p) == lower {
			lo = mid
		} else {
			hi = mid
		}
	}
	return 1 / (1 + fmath.Exp(-(lo+hi)/2))
}

// qf is R's qf(p, df1, df2, lower, logp): a start from the beta quantile
// polished by Newton steps on dist.Pf; df2 = Inf uses qchisq(p, df1)/df1.
func qf(p, d1, d2 float64, lower, logp bool) float64 {
	if math.IsInf(d2, 1) {
		return dist.Qchisq(p, d1, lower, logp) / d1
	}
	// p at the ends of the support.
	zero, one := 0.0, 1.0
	if logp {
		zero, one = math.Inf(-1), 0
	}
	switch {
	case lower && p <= zero, !lower && p >= one:
		return 0
	case lower && p >= one, !lower && p <= zero:
		return math.Inf(1)
	}
	xb := betaQuantileStart(p, d1/2, d2/2, lower, logp)
	f := d2 / d1 * xb / (1 - xb)
	if !(f > 0) || math.IsInf(f, 0) {
		return f
	}
	// Newton on the tail that is small, in log space when asked.
	for it := 0; it < 8; it++ {
		var g, dg float64
		dens := fDensity(f, d1, d2)
		if logp {
			lp := dist.Pf(f, d1, d2, lower, true)
			g = lp - p
			dg = dens / fmath.Exp(lp)
		} else {
			g = dist.Pf(f, d1, d2, lower, false) - p
			dg = dens
		}
		if !lower {
			dg = -dg
		}
		if dg == 0 || math.IsNaN(g) {
			break
		}
		step := g / dg
		nf := f - step
		if nf <= 0 {
			nf = f / 2
		}
		if math.Abs(nf-f) <= 1e-15*f {
			f = nf
			break
		}
		f = nf
	}
	return f
}

// gaussLegendreUnit returns the n-point Gauss-Legendre rule on [0, 1]
// (statmod's gauss.quad.prob(n, dist = "uniform")), by Newton's method on
// the Legendre polynomial.
func gaussLegendreUnit(n int) (nodes, weights []float64) {
	nodes = make([]float64, n)
	weights = make([]float64, n)
	for i := 0; i < (n+1)/2; i++ {
		x := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var dp float64
		for it := 0; it < 100; it++ {
			p0, p1 := 1.0, x
			for k := 2; k <= n; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*x*p1-(float64(k)-1)*p0)/float64(k)
			}
			dp = float64(n) * (x*p1 - p0) / (x*x - 1)
			dx := p1 / dp
			x -= dx
			if math.Abs(dx) < 1e-16 {
				break
			}
		}
		w := 2 / ((1 - x*x) * dp * dp)
		nodes[i], nodes[n-1-i] = (1-x)/2, (1+x)/2
		weights[i], weights[n-1-i] = w/2, w/2
	}
	return nodes, weights
}

// zeroin is uniroot(f, c(ax, bx), f.lower = fa, f.upper = fb, tol, maxiter) with
// R's check that the end points bracket a root; the search is stats.Zeroin.
func zeroin(f func(float64) float64, ax, bx, fa, fb, tol float64, maxit int) (float64, error) {
	if (fa > 0 && fb > 0) || (fa < 0 && fb < 0) {
		return math.NaN(), errors.New("limma: f() values at end points not of opposite sign")
	}
	return stats.Zeroin(ax, bx, fa, fb, f, tol, maxit), nil
}
