package limma

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// EBayesOptions are the optional arguments of EBayes. The zero value gives
// limma's defaults (proportion 0.01, stdev.coef.lim c(0.1, 4), no trend, not
// robust, winsor.tail.p c(0.05, 0.1)).
type EBayesOptions struct {
	Proportion   float64
	StdevCoefLim [2]float64
	// Trend = true uses Amean as the covariate of the prior variance
	// (limma-trend); TrendCovariate, if set, is used instead.
	Trend          bool
	TrendCovariate []float64
	Robust         bool
	WinsorTailP    [2]float64
	// Coefs restricts the moderated t, p-values, log-odds and VarPrior to
	// these coefficient columns (nil: all, as limma); the other columns are
	// NaN. Each column's statistics depend only on that column and the
	// squeezed variances, so the computed ones are unchanged. A fit of
	// ~ patient + timepoint has over a hundred columns and only one is
	// tested.
	Coefs []int
}

// SqueezeResult is squeezeVar's value.
type SqueezeResult struct {
	DfPrior  []float64 // length 1, or one per gene (robust)
	VarPrior []float64 // length 1, or one per gene (covariate)
	VarPost  []float64
}

// SqueezeVar is limma's squeezeVar (limma 3.54.1, R/squeezeVar.R): it fits
// a scaled F distribution to the variances (FitFDist, or FitFDistRobustly
// when robust) and returns the posterior variances
//
//	var.post = (df·var + df.prior·var.prior) / (df + df.prior),
//
// or var.prior where df.prior is infinite. Variances of genes with df = 0 are
// set to 0 first (they then get var.post = var.prior). covariate may be nil.
// One variance gives var.post = var.prior = var, df.prior = 0.
//
// Errors: empty input, mismatched lengths, a prior df that cannot be estimated.
func SqueezeVar(v, df, covariate []float64, robust bool, winsorTailP [2]float64) (*SqueezeResult, error) {
	n := len(v)
	if n == 0 {
		return nil, errors.New("limma: squeezeVar: var is empty")
	}
	if len(df) != 1 && len(df) != n {
		return nil, fmt.Errorf("limma: squeezeVar: %d df for %d variances", len(df), n)
	}
	if n == 1 {
		return &SqueezeResult{DfPrior: []float64{0}, VarPrior: []float64{v[0]}, VarPost: []float64{v[0]}}, nil
	}
	v = append([]float64(nil), v...)
	if len(df) > 1 {
		for i := range v {
			if df[i] == 0 {
				v[i] = 0
			}
		}
	}
	var scale, dfPrior []float64
	if robust {
		r, err := FitFDistRobustly(v, df, covariate, winsorTailP)
		if err != nil {
			return nil, err
		}
		scale, dfPrior = r.Scale, r.Df2Shrunk
	} else {
		r, err := FitFDist(v, df, covariate)
		if err != nil {
			return nil, err
		}
		scale, dfPrior = r.Scale, []float64{r.Df2}
	}
	for _, d := range dfPrior {
		if math.IsNaN(d) {
			return nil, errors.New("limma: could not estimate prior df")
		}
	}
	post := make([]float64, n)
	for i := range post {
		d0 := dfPrior[0]
		if len(dfPrior) > 1 {
			d0 = dfPrior[i]
		}
		s0 := scale[0]
		if len(scale) > 1 {
			s0 = scale[i]
		}
		d := df[0]
		if len(df) > 1 {
			d = df[i]
		}
		if math.IsInf(d0, 1) {
			post[i] = s0
		} else {
			post[i] = (d*v[i] + d0*s0) / (d + d0)
		}
	}
	return &SqueezeResult{DfPrior: dfPrior, VarPrior: scale, VarPost: post}, nil
}

// FDistFit is the value of FitFDist: the scale s0² (one value, or one per
// gene with a covariate) and the prior degrees of freedom df2.
type FDistFit struct {
	Scale []float64
	Df2   float64
}

// FitFDist estimates the scale and df2 of a scaled F(df1, df2) distribution
// for x by the method of moments on log(x), like limma's fitFDist (limma
// 3.54.1, R/fitFDist.R; Smyth 2004):
//
//	x ← max(x, 1e-5·median(x));  e = log x - ψ(df1/2) + log(df1/2)
//	emean = mean(e) (or the natural-spline trend on covariate, with
//	        df = min(1+[n≥3]+[n≥6]+[n≥30], #unique covariate), intercept)
//	evar  = Σ(e-emean)²/(n-1) (or mean of squared residual effects) - mean(ψ'(df1/2))
//	df2   = 2·ψ'⁻¹(evar),  s0² = exp(emean + ψ(df2/2) - log(df2/2))
//
// and df2 = Inf, s0² = mean(x) (exp(emean) with a covariate) when evar <= 0.
// Values with non-finite x, x < -1e-15, or df1 <= 1e-15 are left out of the
// estimation (with a covariate their scale is predicted from the trend).
// A median of 0 is replaced by 1. Empty x gives NaN; one usable value gives
// scale = x, df2 = 0.
func FitFDist(x, df1, covariate []float64) (*FDistFit, error) {
	n := len(x)
	if n == 0 {
		return &FDistFit{Scale: []float64{math.NaN()}, Df2: math.NaN()}, nil
	}
	if n == 1 {
		return &FDistFit{Scale: []float64{x[0]}, Df2: 0}, nil
	}
	dfAt := func(i int) float64 {
		if len(df1) == 1 {
			return df1[0]
		}
		return df1[i]
	}
	if len(df1) != 1 && len(df1) != n {
		return nil, errors.New("limma: fitFDist: x and df1 have different lengths")
	}
	if len(df1) == 1 && !(df1[0] > 1e-15 && !math.IsInf(df1[0], 0)) {
		return &FDistFit{Scale: []float64{math.NaN()}, Df2: math.NaN()}, nil
	}
	var cov []float64
	if covariate != nil {
		if len(covariate) != n {
			return nil, errors.New("limma: fitFDist: x and covariate must be of same length")
		}
		cov = append([]float64(nil), covariate...)
		lo, hi := math.Inf(1), math.Inf(-1)
		anyFin := false
		for _, c := range cov {
			if math.IsNaN(c) {
				return nil, errors.New("limma: fitFDist: NA covariate values not allowed")
			}
			if !math.IsInf(c, 0) {
				anyFin = true
				lo, hi = math.Min(lo, c), math.Max(hi, c)
			}
		}
		for i, c := range cov {
			if math.IsInf(c, 0) {
				switch {
				case !anyFin && c > 0:
					cov[i] = 1
				case !anyFin:
					cov[i] = -1
				case c > 0:
					cov[i] = hi + 1
				default:
					cov[i] = lo - 1
				}
			}
		}
	}
	var ok []int
	var bad []int
	for i := 0; i < n; i++ {
		d := dfAt(i)
		if !math.IsInf(d, 0) && d > 1e-15 && !math.IsNaN(x[i]) && !math.IsInf(x[i], 0) && x[i] > -1e-15 {
			ok = append(ok, i)
		} else {
			bad = append(bad, i)
		}
	}
	nok := len(ok)
	if nok == 0 {
		return &FDistFit{Scale: []float64{math.NaN()}, Df2: math.NaN()}, nil
	}
	if nok == 1 {
		return &FDistFit{Scale: []float64{x[ok[0]]}, Df2: 0}, nil
	}
	xs := make([]float64, nok)
	ds := make([]float64, nok)
	for k, i := range ok {
		xs[k] = math.Max(x[i], 0)
		ds[k] = dfAt(i)
	}
	var cs []float64
	if cov != nil {
		cs = make([]float64, nok)
		for k, i := range ok {
			cs[k] = cov[i]
		}
		splinedf := 1
		if nok >= 3 {
			splinedf++
		}
		if nok >= 6 {
			splinedf++
		}
		if nok >= 30 {
			splinedf++
		}
		if u := countUnique(cs); u < splinedf {
			splinedf = u
		}
		if splinedf < 2 {
			r, err := FitFDist(xs, ds, nil)
			if err != nil {
				return nil, err
			}
			sc := make([]float64, n)
			for i := range sc {
				sc[i] = r.Scale[0]
			}
			r.Scale = sc
			return r, nil
		}
		return fitFDistTrend(xs, ds, cs, cov, ok, bad, n, splinedf)
	}
	m := stats.Median(xs)
	if m == 0 {
		m = 1
	}
	e := make([]float64, nok)
	for k := range xs {
		xs[k] = math.Max(xs[k], 1e-5*m)
		e[k] = fmath.Log(xs[k]) - dist.Digamma(ds[k]/2) + fmath.Log(ds[k]/2)
	}
	emean := stats.Mean(e)
	ss := 0.0
	for _, v := range e {
		ss += (v - emean) * (v - emean)
	}
	evar := ss/float64(nok-1) - meanTrigamma(ds)
	if evar > 0 {
		df2 := 2 * dist.TrigammaInverse(evar)
		return &FDistFit{Scale: []float64{fmath.Exp(emean + dist.Digamma(df2/2) - fmath.Log(df2/2))}, Df2: df2}, nil
	}
	return &FDistFit{Scale: []float64{stats.Mean(xs)}, Df2: math.Inf(1)}, nil
}

func meanTrigamma(d []float64) float64 {
	t := make([]float64, len(d))
	for i, v := range d {
		t[i] = dist.Trigamma(v / 2)
	}
	return stats.Mean(t)
}

func countUnique(x []float64) int {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	u := 0
	for i := range s {
		if i == 0 || s[i] != s[i-1] {
			u++
		}
	}
	return u
}

func fitFDistTrend(xs, ds, cs, cov []float64, ok, bad []int, n, splinedf int) (*FDistFit, error) {
	nok := len(xs)
	m := stats.Median(xs)
	if m == 0 {
		m = 1
	}
	e := make([]float64, nok)
	for k := range xs {
		xs[k] = math.Max(xs[k], 1e-5*m)
		e[k] = fmath.Log(xs[k]) - dist.Digamma(ds[k]/2) + fmath.Log(ds[k]/2)
	}
	basis := newNSBasis(cs, splinedf)
	X := make([]float64, nok*splinedf)
	for k, c := range cs {
		basis.eval(c, X[k*splinedf:(k+1)*splinedf])
	}
	q := design.NewQR(X, nok, splinedf, design.Tol)
	eff := append([]float64(nil), e...)
	q.QtY(eff)
	r := q.Rank
	b := make([]float64, r)
	q.SolveR(eff, b)
	coef := make([]float64, splinedf)
	for k := 0; k < r; k++ {
		coef[q.Pivot[k]] = b[k]
	}
	// fitted = y - residuals, residuals = Q (0, effects[r:]).
	res := append([]float64(nil), eff...)
	for i := 0; i < r; i++ {
		res[i] = 0
	}
	q.QY(res)
	emean := make([]float64, n)
	for k, i := range ok {
		emean[i] = e[k] - res[k]
	}
	row := make([]float64, splinedf)
	for _, i := range bad {
		basis.eval(cov[i], row)
		s := 0.0
		for j := range row {
			s += row[j] * coef[j]
		}
		emean[i] = s
	}
	ss := 0.0
	for _, v := range eff[r:] {
		ss += v * v
	}
	evar := ss/float64(nok-r) - meanTrigamma(ds)
	scale := make([]float64, n)
	if evar > 0 {
		df2 := 2 * dist.TrigammaInverse(evar)
		for i := range scale {
			scale[i] = fmath.Exp(emean[i] + dist.Digamma(df2/2) - fmath.Log(df2/2))
		}
		return &FDistFit{Scale: scale, Df2: df2}, nil
	}
	for i := range scale {
		scale[i] = fmath.Exp(emean[i])
	}
	return &FDistFit{Scale: scale, Df2: math.Inf(1)}, nil
}

// nsBasis spans the same space as splines::ns(x, df, intercept = TRUE):
// natural cubic splines with boundary knots at the range of x and df-2
// interior knots at the type-7 quantiles (1:(df-2))/(df-1). It uses the
// truncated-power basis of Hastie, Tibshirani & Friedman (ESL, eq. 5.4-5.5)
// on x rescaled to [0, 1]; fitted values do not depend on the basis.
type nsBasis struct {
	lo, scale float64
	knots     []float64 // all knots, boundary included, rescaled
}

func newNSBasis(x []float64, df int) *nsBasis {
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	b := &nsBasis{lo: lo, scale: hi - lo}
	if b.scale == 0 {
		b.scale = 1
	}
	b.knots = append(b.knots, 0)
	for k := 1; k <= df-2; k++ {
		b.knots = append(b.knots, (stats.Quantile(x, float64(k)/float64(df-1))-lo)/b.scale)
	}
	b.knots = append(b.knots, (hi-lo)/b.scale)
	return b
}

func (b *nsBasis) eval(x float64, out []float64) {
	u := (x - b.lo) / b.scale
	K := len(b.knots)
	out[0] = 1
	out[1] = u
	d := func(k int) float64 {
		return (cube(u-b.knots[k]) - cube(u-b.knots[K-1])) / (b.knots[K-1] - b.knots[k])
	}
	dK := d(K - 2)
	for k := 0; k < K-2; k++ {
		out[k+2] = d(k) - dK
	}
}

func cube(v float64) float64 {
	if v <= 0 {
		return 0
	}
	return v * v * v
}

// EBayes computes moderated t-statistics, p-values and log-odds of
// differential expression, like limma's eBayes (limma 3.54.1, R/ebayes.R):
//
//	s2.post  = squeezeVar(sigma², df.residual, covariate)
//	t        = coef / stdev.unscaled / sqrt(s2.post)
//	df.total = min(df.residual + df.prior, Σ df.residual)
//	p        = 2·pt(-|t|, df.total)
//	v0       = tmixture (clipped to stdev.coef.lim²/median(s2.prior))
//	r        = (stdev² + v0)/stdev²
//	B        = log(p0/(1-p0)) - log(r)/2 + (1+df.total)/2·log((t²+df.total)/(t²/r+df.total))
//
// (the kernel is t²(1-1/r)/2 where df.prior > 1e6). The F statistic is not
// computed. The fit is modified in place and returned.
//
// Errors: no residual df, no finite sigma, a trend without Amean.
func EBayes(f *Fit, opt *EBayesOptions) (*Fit, error) {
	o := EBayesOptions{}
	if opt != nil {
		o = *opt
	}
	if o.Proportion == 0 {
		o.Proportion = 0.01
	}
	if o.StdevCoefLim == [2]float64{} {
		o.StdevCoefLim = [2]float64{0.1, 4}
	}
	if o.WinsorTailP == [2]float64{} {
		o.WinsorTailP = [2]float64{0.05, 0.1}
	}
	G, p := f.NGenes(), f.NCoef()
	want := make([]bool, p)
	if o.Coefs == nil {
		for j := range want {
			want[j] = true
		}
	}
	for _, j := range o.Coefs {
		if j < 0 || j >= p {
			return nil, fmt.Errorf("limma: eBayes: coefficient %d out of range 1..%d", j+1, p)
		}
		want[j] = true
	}
	maxDf, anyFinite := 0.0, false
	for g := 0; g < G; g++ {
		maxDf = math.Max(maxDf, f.DfResidual[g])
		if !math.IsNaN(f.Sigma[g]) && !math.IsInf(f.Sigma[g], 0) {
			anyFinite = true
		}
	}
	if maxDf == 0 {
		return nil, errors.New("limma: no residual degrees of freedom in linear model fits")
	}
	if !anyFinite {
		return nil, errors.New("limma: no finite residual standard deviations")
	}
	var cov []float64
	switch {
	case o.TrendCovariate != nil:
		if len(o.TrendCovariate) != G {
			return nil, fmt.Errorf("limma: the trend covariate has %d values for %d genes", len(o.TrendCovariate), G)
		}
		cov = o.TrendCovariate
	case o.Trend:
		if f.Amean == nil {
			return nil, errors.New("limma: need Amean component in fit to estimate trend")
		}
		cov = f.Amean
	}
	s2 := make([]float64, G)
	for g := range s2 {
		s2[g] = f.Sigma[g] * f.Sigma[g]
	}
	sq, err := SqueezeVar(s2, f.DfResidual, cov, o.Robust, o.WinsorTailP)
	if err != nil {
		return nil, err
	}
	f.DfPrior, f.S2Prior, f.S2Post = sq.DfPrior, sq.VarPrior, sq.VarPost
	f.Proportion = o.Proportion
	f.T = make([]float64, G*p)
	f.PValue = make([]float64, G*p)
	f.DfTotal = make([]float64, G)
	dfPooled := 0.0
	for _, d := range f.DfResidual {
		if !math.IsNaN(d) {
			dfPooled += d
		}
	}
	for g := 0; g < G; g++ {
		d0 := f.DfPrior[0]
		if len(f.DfPrior) > 1 {
			d0 = f.DfPrior[g]
		}
		f.DfTotal[g] = math.Min(f.DfResidual[g]+d0, dfPooled)
		for j := 0; j < p; j++ {
			if !want[j] {
				f.T[g*p+j], f.PValue[g*p+j] = math.NaN(), math.NaN()
				continue
			}
			t := f.Coefficients[g*p+j] / f.StdevUnscaled[g*p+j] / math.Sqrt(f.S2Post[g])
			f.T[g*p+j] = t
			f.PValue[g*p+j] = 2 * dist.Pt(-math.Abs(t), f.DfTotal[g], true, false)
		}
	}
	lim := [2]float64{o.StdevCoefLim[0] * o.StdevCoefLim[0], o.StdevCoefLim[1] * o.StdevCoefLim[1]}
	med := stats.Median(f.S2Prior)
	lim[0] /= med
	lim[1] /= med
	f.VarPrior = make([]float64, p)
	tc := make([]float64, G)
	sc := make([]float64, G)
	for j := 0; j < p; j++ {
		if !want[j] {
			f.VarPrior[j] = math.NaN()
			continue
		}
		for g := 0; g < G; g++ {
			tc[g] = f.T[g*p+j]
			sc[g] = f.StdevUnscaled[g*p+j]
		}
		v0 := tmixtureVector(tc, sc, f.DfTotal, o.Proportion, &lim)
		if math.IsNaN(v0) {
			v0 = 1 / f.S2Prior[0]
		}
		f.VarPrior[j] = v0
	}
	f.Lods = make([]float64, G*p)
	logit := fmath.Log(o.Proportion / (1 - o.Proportion))
	for g := 0; g < G; g++ {
		d0 := f.DfPrior[0]
		if len(f.DfPrior) > 1 {
			d0 = f.DfPrior[g]
		}
		dft := f.DfTotal[g]
		for j := 0; j < p; j++ {
			if !want[j] {
				f.Lods[g*p+j] = math.NaN()
				continue
			}
			s := f.StdevUnscaled[g*p+j]
			r := (s*s + f.VarPrior[j]) / (s * s)
			t2 := f.T[g*p+j] * f.T[g*p+j]
			var kernel float64
			if d0 > 1e6 {
				kernel = t2 * (1 - 1/r) / 2
			} else {
				kernel = (1 + dft) / 2 * fmath.Log((t2+dft)/(t2/r+dft))
			}
			f.Lods[g*p+j] = logit - fmath.Log(r)/2 + kernel
		}
	}
	return f, nil
}

// tmixtureVector is limma's tmixture.vector: the prior variance of the
// non-null coefficients estimated from the top proportion/2 of |t|.
func tmixtureVector(tstat, stdev, df []float64, proportion float64, lim *[2]float64) float64 {
	var t, s, d []float64
	for i, v := range tstat {
		if math.IsNaN(v) {
			continue
		}
		t = append(t, math.Abs(v))
		s = append(s, stdev[i])
		d = append(d, df[i])
	}
	ngenes := len(t)
	ntarget := int(math.Ceil(proportion / 2 * float64(ngenes)))
	if ntarget < 1 {
		return math.NaN()
	}
	p := math.Max(float64(ntarget)/float64(ngenes), proportion)
	maxDF := math.Inf(-1)
	for _, v := range d {
		maxDF = math.Max(maxDF, v)
	}
	for i := range t {
		if d[i] < maxDF {
			tailP := dist.Pt(t[i], d[i], false, true)
			t[i] = dist.Qt(tailP, maxDF, false, true)
		}
	}
	o := stats.Order(t, true)[:ntarget]
	v0s := make([]float64, ntarget)
	for r, i := range o {
		v1 := s[i] * s[i]
		p0 := 2 * dist.Pt(t[i], maxDF, false, false)
		ptarget := ((float64(r+1)-0.5)/float64(ngenes) - (1-p)*p0) / p
		v0 := 0.0
		if ptarget > p0 {
			qtarget := dist.Qt(ptarget/2, maxDF, false, false)
			v0 = v1 * ((t[i]/qtarget)*(t[i]/qtarget) - 1)
		}
		if lim != nil {
			v0 = math.Min(math.Max(v0, lim[0]), lim[1])
		}
		v0s[r] = v0
	}
	return stats.Mean(v0s)
}
