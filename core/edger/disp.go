package edger

import (
	"errors"
	"math"
	"strings"

	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
)

// gridLength and gridLo/gridHi are estimateDisp's grid: 21 points
// log2(dispersion/0.1) = -10..10.
const (
	gridLength = 21
	gridLo     = -10
)

func gridPoints() (pts, disp []float64) {
	pts = make([]float64, gridLength)
	disp = make([]float64, gridLength)
	for i := range pts {
		pts[i] = float64(gridLo + i)
		disp[i] = math.Ldexp(0.1, gridLo+i)
	}
	return pts, disp
}

// Dispersions are the values of estimateDisp (edgeR 3.40.2) that the
// quasi-likelihood workflow uses.
type Dispersions struct {
	Common  float64
	Trended []float64 // one per gene
	// AveLogCPM is aveLogCPM(y) at the common dispersion (prior count 2).
	AveLogCPM []float64
	// Span is the trend's span (chooseLowessSpan-like default of WLEB).
	Span float64
	// Sel marks the genes with row sums >= 5 that enter the estimation.
	Sel []bool
	// L0 holds the adjusted profile log-likelihoods of the selected genes on
	// the grid (gridLength per selected gene, row-major).
	L0 []float64
}

// zeroPattern returns the zerofit pattern (count < 1e-4 and fitted < 1e-4)
// of one gene's fit.
func zeroPattern(y, mu []float64, buf []byte) []byte {
	buf = buf[:0]
	for i := range y {
		if y[i] < 1e-4 && mu[i] < 1e-4 {
			buf = append(buf, 1)
		} else {
			buf = append(buf, 0)
		}
	}
	return buf
}

// subDesign is the design of a zero pattern in estimateDisp: the rows of
// the samples with a non-zero fit and the first rank columns of R's pivoted
// QR (dqrdc2, tol 1e-7) of them; skip when no sample is left or the subset is
// square.
type subDesign struct {
	skip bool
	keep []int
	d    *glmDesign
}

func newSubDesign(x []float64, n, p int, pattern []byte) *subDesign {
	var keep []int
	for i := 0; i < n; i++ {
		if pattern[i] == 0 {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return &subDesign{skip: true}
	}
	if len(keep) == n {
		return &subDesign{keep: keep, d: newGLMDesign(x, n, p)}
	}
	m := len(keep)
	sub := make([]float64, m*p)
	for r, i := range keep {
		copy(sub[r*p:(r+1)*p], x[i*p:(i+1)*p])
	}
	q := design.NewQR(sub, m, p, design.Tol)
	cols := q.Pivot[:q.Rank]
	rp := len(cols)
	if m == rp {
		return &subDesign{skip: true}
	}
	red := make([]float64, m*rp)
	for r := 0; r < m; r++ {
		for c, j := range cols {
			red[r*rp+c] = sub[r*p+j]
		}
	}
	return &subDesign{keep: keep, d: newGLMDesign(red, m, rp)}
}

// EstimateDisp estimates the common and trended negative binomial
// dispersions like edgeR 3.40.2's estimateDisp(y, design) with its defaults
// (trend.method "locfit", min.row.sum 5, grid.length 21 over
// grid.range c(-10, 10), no weights): genes with row sums >= 5 get the
// Cox-Reid adjusted profile likelihood (APL) at dispersions 0.1·2^k,
// k = -10..10, each fitted with the samples whose fitted value and count are
// not both below 1e-4 under a first fit at dispersion 0.05 (and the columns
// of the design that remain estimable); the common dispersion maximises the
// spline interpolant of the summed APLs; the trend smooths the APL curves
// against AveLogCPM (locfit, degree 0, see locfitDeg0) and maximises each
// gene's smoothed curve. Genes below the row-sum limit get the trend of the
// selected gene with the smallest AveLogCPM.
//
// y is genes x samples row-major counts, x the row-major n x p design,
// offset log(lib.size · norm.factors) per sample. Tagwise dispersions are
// not computed (the quasi-likelihood pipeline uses the trend).
//
// Errors: no residual degrees of freedom, mismatched sizes, no gene selected.
func EstimateDisp(y []float64, ngenes, n int, x []float64, p int, offset []float64, workers int) (*Dispersions, error) {
	if len(y) != ngenes*n || len(x) != n*p || len(offset) != n {
		return nil, errors.New("edger: EstimateDisp: mismatched sizes")
	}
	if p >= n {
		return nil, errors.New("edger: EstimateDisp: no residual degrees of freedom")
	}
	sel := make([]bool, ngenes)
	var selIdx []int
	for g := 0; g < ngenes; g++ {
		s := 0.0
		for _, v := range y[g*n : (g+1)*n] {
			s += v
		}
		if s >= 5 {
			sel[g] = true
			selIdx = append(selIdx, g)
		}
	}
	ns := len(selIdx)
	if ns == 0 {
		return nil, errors.New("edger: EstimateDisp: no gene has a total count of 5 or more")
	}
	full := newGLMDesign(x, n, p)
	pts, sdisp := gridPoints()

	// Zero patterns under the fit at dispersion 0.05.
	patterns := make([]string, ns)
	pool.ForRanges(ns, workers, minPerRange, func(lo, hi int) {
		w := newGLMWork(n, p)
		beta, mu := make([]float64, p), make([]float64, n)
		var buf []byte
		for k := lo; k < hi; k++ {
			yg := y[selIdx[k]*n : (selIdx[k]+1)*n]
			full.fit(yg, offset, 0.05, nil, beta, mu, w)
			buf = zeroPattern(yg, mu, buf)
			patterns[k] = string(buf)
		}
	})
	subs := map[string]*subDesign{}
	for _, pat := range patterns {
		if _, ok := subs[pat]; !ok {
			if !strings.Contains(pat, "\x01") {
				subs[pat] = &subDesign{keep: seq(n), d: full}
			} else {
				subs[pat] = newSubDesign(x, n, p, []byte(pat))
			}
		}
	}

	l0 := make([]float64, ns*gridLength)
	pool.ForRanges(ns, workers, minPerRange, func(lo, hi int) {
		w := newGLMWork(n, p)
		beta, last := make([]float64, p), make([]float64, p)
		mu, yy, oo, lg, eo := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		scratch := make([]float64, p*p+n)
		ui, lgu := make([]int32, n), make([]float64, n)
		var uniq []float64
		for k := lo; k < hi; k++ {
			sd := subs[patterns[k]]
			if sd.skip {
				continue
			}
			yg := y[selIdx[k]*n : (selIdx[k]+1)*n]
			m := len(sd.keep)
			for r, i := range sd.keep {
				yy[r] = yg[i]
				oo[r] = offset[i]
				eo[r] = fmath.Exp(offset[i])
				lg[r], _ = fmath.Lgamma(yg[i] + 1)
			}
			uniq = distinct(yy[:m], ui[:m], uniq[:0])
			var start []float64
			w.eoff = eo[:m]
			for i := 0; i < gridLength; i++ {
				sd.d.fitMu(yy[:m], oo[:m], sdisp[i], start, beta[:sd.d.p], mu[:m], w)
				l0[k*gridLength+i] = apl(yy[:m], lg[:m], mu[:m], sdisp[i], sd.d.x, m, sd.d.p, scratch, uniq, ui[:m], lgu, sd.d.sp)
				copy(last[:sd.d.p], beta[:sd.d.p])
				start = last[:sd.d.p]
			}
		}
	})

	// Common dispersion: maximise the interpolant of colSums(l0) (R sums in
	// long double; compensated summation here).
	cs := make([]float64, gridLength)
	for i := 0; i < gridLength; i++ {
		s, c := 0.0, 0.0
		for k := 0; k < ns; k++ {
			s, c = twoSumAdd(s, c, l0[k*gridLength+i])
		}
		cs[i] = s + c
	}
	scratch := make([]float64, 3*gridLength)
	common := 0.1 * fmath.Pow(2, maximizeInterpolant(pts, cs, scratch))

	ave := aveLogCPMOffset(y, ngenes, n, offset, common, 2)
	cov := make([]float64, ns)
	for k, g := range selIdx {
		cov[k] = ave[g]
	}
	span := 1.0
	if ns > 50 {
		span = 0.25 + 0.75*math.Sqrt(50/float64(ns))
	}
	m0 := locfitDeg0(l0, ns, gridLength, cov, span)
	trend := make([]float64, ns)
	pool.ForRanges(ns, workers, minPerRange, func(lo, hi int) {
		sc := make([]float64, 3*gridLength)
		for k := lo; k < hi; k++ {
			trend[k] = 0.1 * fmath.Pow(2, maximizeInterpolant(pts, m0[k*gridLength:(k+1)*gridLength], sc))
		}
	})
	minAt := 0
	for k := range cov {
		if cov[k] < cov[minAt] {
			minAt = k
		}
	}
	trended := make([]float64, ngenes)
	for g := range trended {
		trended[g] = trend[minAt]
	}
	for k, g := range selIdx {
		trended[g] = trend[k]
	}
	return &Dispersions{Common: common, Trended: trended, AveLogCPM: ave, Span: span, Sel: sel, L0: l0}, nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// twoSumAdd adds v to the compensated sum (s, c) (Neumaier).
func twoSumAdd(s, c, v float64) (float64, float64) {
	t := s + v
	if math.Abs(s) >= math.Abs(v) {
		c += (s - t) + v
	} else {
		c += (v - t) + s
	}
	return t, c
}

// AveLogCPM is edgeR 3.40.2's aveLogCPM(y, lib.size, prior.count, dispersion)
// without weights: per gene, the log2 count per million of the one-group
// negative binomial mean (mglmOneGroup, Newton-Raphson, tol 1e-10,
// maxit 50) of y + prior·lib/mean(lib) with library sizes
// lib + 2·prior·lib/mean(lib):
//
//	AveLogCPM = (β + log 1e6) / log 2.
//
// Like edgeR, the library sizes go through exp(log(lib)). An all-zero
// matrix with zero library sizes gives log2(1e6/ngenes) for every gene.
func AveLogCPM(y []float64, ngenes, n int, libSize []float64, dispersion, prior float64) []float64 {
	allZero, maxLib := true, math.Inf(-1)
	for _, v := range y {
		if v != 0 {
			allZero = false
			break
		}
	}
	for _, l := range libSize {
		maxLib = math.Max(maxLib, l)
	}
	if allZero && maxLib == 0 {
		out := make([]float64, ngenes)
		for g := range out {
			out[g] = (-fmath.Log(float64(ngenes)) + fmath.Log(1e6)) / fmath.Log(2)
		}
		return out
	}
	off := make([]float64, n)
	for i := range off {
		off[i] = fmath.Log(libSize[i])
	}
	return aveLogCPMOffset(y, ngenes, n, off, dispersion, prior)
}

// addPriorCount is edgeR's addPriorCount for the offsets alone: with library
// sizes L_i = exp(offset_i), the prior count of sample i is
// prior·L_i/mean(L) and its adjusted offset log(L_i + 2·prior_i) (the prior
// is added to the counts and twice to the library; edgeR 3.40.2
// R/addPriorCount.R and src/add_prior.cpp).
func addPriorCount(offset []float64, prior float64) (pr, off []float64) {
	n := len(offset)
	lib := make([]float64, n)
	ave := 0.0
	for i := range lib {
		lib[i] = fmath.Exp(offset[i])
		ave += lib[i]
	}
	ave /= float64(n)
	pr, off = make([]float64, n), make([]float64, n)
	for i := range lib {
		pr[i] = prior * lib[i] / ave
		off[i] = fmath.Log(lib[i] + 2*pr[i])
	}
	return pr, off
}

// aveLogCPMOffset is AveLogCPM with the log library sizes given.
func aveLogCPMOffset(y []float64, ngenes, n int, offset []float64, dispersion, prior float64) []float64 {
	out := make([]float64, ngenes)
	if ngenes == 0 {
		return out
	}
	pr, off := addPriorCount(offset, prior)
	ln1e6, ln2 := fmath.Log(1e6), fmath.Log(2)
	yy := make([]float64, n)
	for g := 0; g < ngenes; g++ {
		for i := 0; i < n; i++ {
			yy[i] = y[g*n+i] + pr[i]
		}
		b := oneGroup(yy, off, nil, dispersion, math.NaN(), false)
		out[g] = (b + ln1e6) / ln2
	}
	return out
}

// distinct appends the distinct values of y (in first-appearance order) to
// uniq and sets idx[i] to y[i]'s position in it. Counts are small integers
// more often than not; a linear probe of the last few distinct values is
// enough for the repeats that matter and keeps this allocation-free.
func distinct(y []float64, idx []int32, uniq []float64) []float64 {
	for i, v := range y {
		j := len(uniq) - 1
		for ; j >= 0 && j >= len(uniq)-16; j-- {
			if math.Float64bits(uniq[j]) == math.Float64bits(v) {
				break
			}
		}
		if j < 0 || j < len(uniq)-16 {
			uniq = append(uniq, v)
			j = len(uniq) - 1
		}
		idx[i] = int32(j)
	}
	return uniq
}
