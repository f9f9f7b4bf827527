package norm

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// FitType is the kind of DESeq2 dispersion trend a VST uses.
type FitType int

const (
	// Parametric is the trend alpha(mu) = AsymptDisp + ExtraPois/mu.
	Parametric FitType = iota
	// Local is a local regression trend, given as a function.
	Local
	// Mean is a constant dispersion (the mean of the gene-wise estimates).
	Mean
)

func (f FitType) String() string {
	switch f {
	case Parametric:
		return "parametric"
	case Local:
		return "local"
	case Mean:
		return "mean"
	}
	return fmt.Sprintf("FitType(%d)", int(f))
}

// DispersionFit is a fitted DESeq2 dispersion trend (dispersionFunction(dds)).
// core/deseq estimates it; this package only applies it.
type DispersionFit struct {
	Type FitType
	// AsymptDisp and ExtraPois are the parametric coefficients
	// (attr(dispersionFunction(dds), "coefficients")).
	AsymptDisp, ExtraPois float64
	// MeanDisp is the mean fit's dispersion (attr(dispersionFunction(dds), "mean")).
	MeanDisp float64
	// Func is the local fit: the trended dispersion at mean normalized count mu.
	Func func(mu float64) float64
}

// VST applies DESeq2 1.38.3's variance-stabilising transformation
// (getVarianceStabilizedData, used by varianceStabilizingTransformation and vst;
// Anders & Huber 2010, doi:10.1186/gb-2010-11-10-r106) to the normalized counts
// q_gj = y_gj / s_j:
//
//	parametric (a = AsymptDisp, b = ExtraPois):
//	    log((1 + b + 2aq + 2 sqrt(a q (1 + b + a q))) / (4a)) / log 2
//	mean (alpha = MeanDisp):
//	    (2 asinh(sqrt(alpha q)) - log(alpha) - log 4) / log 2
//	local: integral of 1/sqrt(disp(x) x^2 + mean(1/s) x) by the trapezoid rule on the
//	    grid x = sinh(seq(0, asinh(max q), length = 1000))[-1], interpolated by an FMM
//	    cubic spline (R's splinefun) in asinh(x), then mapped affinely so that the 95%
//	    and 99.9% quantiles of the gene means of q land on their log2.
//
// "blind" is the caller's choice of which trend to pass: DESeq2's blind = TRUE fits
// the trend with design ~1, blind = FALSE reuses the trend of the full design.
// All-zero genes are transformed too (q = 0 gives a constant).
//
// Errors: NaN or negative counts, size factors not finite and positive, wrong
// length, a missing local function or a non-positive dispersion coefficient.
// NaN appears where the formula gives it (e.g. local disp(x) < 0).
func VST(m *dataset.Matrix, sizeFactors []float64, fit DispersionFit) (*dataset.Matrix, error) {
	if err := checkCounts(m, "VST"); err != nil {
		return nil, err
	}
	q, err := NormalizedCounts(m, sizeFactors)
	if err != nil {
		return nil, err
	}
	return vstApply(q, sizeFactors, fit)
}

// VSTNormFactors is VST for a DESeqDataSet with normalization factors (a gene x
// sample matrix, e.g. from NormalizationFactors): the normalized counts are
// y_gj / nf_gj, and the local fit uses the size factors exp(colMeans(log nf)), as
// DESeq2's getVarianceStabilizedData does.
func VSTNormFactors(m, nf *dataset.Matrix, fit DispersionFit) (*dataset.Matrix, error) {
	if err := checkCounts(m, "VST"); err != nil {
		return nil, err
	}
	if nf == nil || nf.Rows() != m.Rows() || nf.Cols() != m.Cols() || len(nf.Data) != len(m.Data) {
		return nil, fmt.Errorf("norm: VST: normalization factors must be %d x %d like the counts", m.Rows(), m.Cols())
	}
	ns := m.Cols()
	q := newLike(m)
	colLog := make([][]float64, ns)
	for j := range colLog {
		colLog[j] = make([]float64, 0, m.Rows())
	}
	for i, v := range nf.Data {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("norm: VST: normalization factor of gene %q in sample %q is %v", m.Genes[i/ns], m.Samples[i%ns], v)
		}
		q.Data[i] = m.Data[i] / v
		colLog[i%ns] = append(colLog[i%ns], fmath.Log(v))
	}
	sf := make([]float64, ns)
	for j := range sf {
		sf[j] = fmath.Exp(sumK(colLog[j]) / float64(len(colLog[j])))
	}
	return vstApply(q, sf, fit)
}

// vstApply transforms the normalized counts q in place; sf feeds the local fit's
// mean(1/sf).
func vstApply(q *dataset.Matrix, sizeFactors []float64, fit DispersionFit) (*dataset.Matrix, error) {
	switch fit.Type {
	case Parametric:
		a, b := fit.AsymptDisp, fit.ExtraPois
		if !(a > 0) || math.IsInf(a, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
			return nil, fmt.Errorf("norm: VST: parametric coefficients asymptDisp=%v extraPois=%v; asymptDisp must be positive", a, b)
		}
		ln2 := fmath.Log(2)
		for i, v := range q.Data {
			q.Data[i] = fmath.Log((1+b+2*a*v+2*math.Sqrt(a*v*(1+b+a*v)))/(4*a)) / ln2
		}
		return q, nil
	case Mean:
		alpha := fit.MeanDisp
		if !(alpha > 0) || math.IsInf(alpha, 0) {
			return nil, fmt.Errorf("norm: VST: mean dispersion %v must be positive", alpha)
		}
		la, l4, ln2 := fmath.Log(alpha), fmath.Log(4), fmath.Log(2)
		for i, v := range q.Data {
			q.Data[i] = (2*fmath.Asinh(math.Sqrt(alpha*v)) - la - l4) / ln2
		}
		return q, nil
	case Local:
		if fit.Func == nil {
			return nil, errors.New("norm: VST: local fit needs the dispersion function")
		}
		return vstLocal(q, sizeFactors, fit.Func)
	}
	return nil, fmt.Errorf("norm: VST: unknown fit type %v", fit.Type)
}

// VSTGrid returns the 999 grid points of the local VST integration,
// sinh(seq(asinh(0), asinh(maxq), length.out = 1000))[-1], with R's seq() arithmetic.
func VSTGrid(maxq float64) []float64 {
	const n = 1000
	to := fmath.Asinh(maxq)
	xg := make([]float64, n-1)
	by := to / float64(n-1) // del/n1 with from = 0
	for k := 1; k < n-1; k++ {
		xg[k-1] = fmath.Sinh(0 + float64(k)*by)
	}
	xg[n-2] = fmath.Sinh(to)
	return xg
}

func vstLocal(q *dataset.Matrix, sf []float64, disp func(float64) float64) (*dataset.Matrix, error) {
	maxq := math.Inf(-1)
	for _, v := range q.Data {
		if v > maxq {
			maxq = v
		}
	}
	if !(maxq > 0) {
		return nil, errors.New("norm: VST: every count is zero")
	}
	xg := VSTGrid(maxq)
	inv := make([]float64, len(sf))
	for j, s := range sf {
		inv[j] = 1 / s
	}
	xim := meanR(inv)
	ng := len(xg)
	integrand := make([]float64, ng)
	for i, x := range xg {
		integrand[i] = 1 / math.Sqrt(disp(x)*x*x+xim*x)
	}
	kx := make([]float64, ng-1)
	ky := make([]float64, ng-1)
	// cumsum in R accumulates in long double; use a compensated running sum.
	var s, c float64
	for i := 0; i < ng-1; i++ {
		kx[i] = fmath.Asinh((xg[i+1] + xg[i]) / 2)
		v := (xg[i+1] - xg[i]) * (integrand[i+1] + integrand[i]) / 2
		t := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - t) + v
		} else {
			c += (v - t) + s
		}
		s = t
		ky[i] = s + c
	}
	sp, err := newFMMSpline(kx, ky)
	if err != nil {
		return nil, err
	}
	n := q.Cols()
	rm := make([]float64, q.Rows())
	for g := range rm {
		rm[g] = meanR(q.Data[g*n : (g+1)*n])
	}
	sorted := append([]float64(nil), rm...)
	sort.Float64s(sorted)
	h1 := quantileSorted(sorted, 0.95)
	h2 := quantileSorted(sorted, 0.999)
	eta := (fmath.Log2(h2) - fmath.Log2(h1)) / (sp.eval(fmath.Asinh(h2)) - sp.eval(fmath.Asinh(h1)))
	xi := fmath.Log2(h1) - eta*sp.eval(fmath.Asinh(h1))
	for i, v := range q.Data {
		q.Data[i] = eta*sp.eval(fmath.Asinh(v)) + xi
	}
	return q, nil
}

// fmmSpline is R's splinefun(x, y, method = "fmm") (stats 4.2 splines.c,
// Forsythe, Malcolm & Moler end conditions) for strictly increasing x.
type fmmSpline struct {
	x, y, b, c, d []float64
}

func newFMMSpline(x, y []float64) (*fmmSpline, error) {
	n := len(x)
	if n < 2 {
		return nil, errors.New("norm: spline needs at least two points")
	}
	for i := 1; i < n; i++ {
		if !(x[i] > x[i-1]) {
			return nil, errors.New("norm: spline knots are not strictly increasing (the counts are too small for a local VST)")
		}
	}
	s := &fmmSpline{x: x, y: y, b: make([]float64, n), c: make([]float64, n), d: make([]float64, n)}
	stats.FMMSpline(x, y, s.b, s.c, s.d)
	return s, nil
}

// eval is R's spline_eval for the fmm method: the cubic of the interval
// x[i] <= u < x[i+1] (the first interval left of x[0], the last right of x[n-1]).
func (s *fmmSpline) eval(u float64) float64 {
	x := s.x
	n := len(x)
	i := 0
	if u >= x[0] {
		// largest i with x[i] <= u, as the C bisection finds it
		lo, hi := 0, n
		for hi > lo+1 {
			k := (lo + hi) / 2
			if u < x[k] {
				hi = k
			} else {
				lo = k
			}
		}
		i = lo
	}
	dx := u - x[i]
	return s.y[i] + dx*(s.b[i]+dx*(s.c[i]+dx*s.d[i]))
}

// VSTSubset returns the genes (0-based, in vst()'s order) on which DESeq2's vst()
// fits the dispersion trend: among genes with mean normalized count > 5, ordered by
// that mean, those at positions round(seq(1, L, length = nsub)) (round half to even).
// Errors as DESeq2: fewer than nsub genes, or fewer than nsub with mean > 5
// ("it is recommended to use varianceStabilizingTransformation directly").
func VSTSubset(m *dataset.Matrix, sizeFactors []float64, nsub int) ([]int, error) {
	if nsub < 2 {
		return nil, fmt.Errorf("norm: VSTSubset: nsub %d must be at least 2", nsub)
	}
	if m.Rows() < nsub {
		return nil, fmt.Errorf("norm: vst: less than nsub=%d rows, it is recommended to use varianceStabilizingTransformation directly", nsub)
	}
	q, err := NormalizedCounts(m, sizeFactors)
	if err != nil {
		return nil, err
	}
	n := q.Cols()
	var idx []int
	var bm []float64
	for g := 0; g < q.Rows(); g++ {
		v := meanR(q.Data[g*n : (g+1)*n])
		if v > 5 {
			idx = append(idx, g)
			bm = append(bm, v)
		}
	}
	L := len(idx)
	if L < nsub {
		return nil, fmt.Errorf("norm: vst: less than nsub=%d rows with mean normalized count > 5, it is recommended to use varianceStabilizingTransformation directly", nsub)
	}
	o := orderR(bm, nil)
	out := make([]int, nsub)
	by := float64(L-1) / float64(nsub-1)
	for k := 0; k < nsub; k++ {
		var v float64
		switch k {
		case 0:
			v = 1
		case nsub - 1:
			v = float64(L)
		default:
			v = 1 + float64(k)*by
		}
		r := int(math.RoundToEven(v))
		out[k] = idx[o[r-1]]
	}
	return out, nil
}
