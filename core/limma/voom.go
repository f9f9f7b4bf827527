package limma

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/hugepage"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
)

// EList is voom's output: log-CPM values with precision weights.
type EList struct {
	E       *dataset.Matrix // log2-CPM, genes x samples
	Weights []float64       // genes x samples, row-major
	LibSize []float64       // the library sizes used
	Design  *design.Matrix
	// The mean-variance trend: the points (x, y) it was fitted to and the
	// lowess curve (sorted x, fitted y), like save.plot = TRUE.
	TrendX, TrendY  []float64
	LineX, LineY    []float64
	ConstantWeights bool // true when voom set every weight to 1 (no replication)
	FitForTrend     *Fit
}

// VoomOptions are the optional arguments of Voom.
type VoomOptions struct {
	// LibSize overrides the library sizes (default: column sums of counts).
	// For a DGEList pass lib.size × norm.factors.
	LibSize []float64
	// Span of the lowess trend (default 0.5).
	Span float64
	// Block and Correlation are passed to the lmFit inside voom.
	Block       []string
	Correlation float64
	// Weights are prior observation weights (genes x samples) or nil.
	Weights []float64
	// InPlace lets Voom overwrite counts.Data with the log-CPM values: the
	// returned E shares that storage, which saves a genes x samples copy
	// (480 MB at 60,000 x 1,000). counts must not be used afterwards.
	InPlace bool
	// WeightsBuffer, when its capacity holds genes x samples values, is the
	// storage of the returned Weights (every value overwritten): a caller
	// running several voom fits of one size or smaller reuses one buffer
	// instead of allocating each (at 60,000 x 1,000, wasm's heap never
	// shrinks and a new 300-480 MB block needs as much contiguous free heap).
	// The weights are the same bits either way.
	WeightsBuffer []float64
	Workers       int
	// Pool is passed to the lmFit inside voom (see LmOptions.Pool).
	Pool pool.Pool
}

// Voom transforms counts to log2-CPM and estimates precision weights from
// the mean-variance trend, like limma's voom (limma 3.54.1, R/voom.R; Law et
// al. 2014, doi:10.1186/gb-2014-15-2-r29):
//
//	y_gi = log2((c_gi + 0.5) / (L_i + 1) · 1e6)
//	fit  = lmFit(y, design, block, correlation, weights)
//	sx_g = Amean_g + mean(log2(L + 1)) - log2(1e6),  sy_g = sqrt(sigma_g)
//	l    = lowess(sx, sy, f = span)   (genes with all-zero counts left out)
//	f    = approxfun(l, rule = 2, ties = mean)
//	w_gi = 1 / f(log2(2^(x_i β̂_g) · 1e-6 · (L_i + 1)))⁴
//
// using only the estimable (pivoted) coefficients for the fitted values.
// When fewer than two genes have residual degrees of freedom every weight is
// 1 (ConstantWeights; limma warns). design nil means an intercept only.
//
// Errors: fewer than two genes, negative or NaN counts, library sizes of the
// wrong length, negative or not finite (a zero library size is allowed, as in
// R: the +1 keeps the logarithm finite), and LmFit's errors.
func Voom(counts *dataset.Matrix, X *design.Matrix, opt *VoomOptions) (*EList, error) {
	if opt == nil {
		opt = &VoomOptions{}
	}
	if err := counts.Validate(); err != nil {
		return nil, err
	}
	G, n := counts.Rows(), counts.Cols()
	if G < 2 {
		return nil, fmt.Errorf("limma: voom needs at least two genes to fit a mean-variance trend")
	}
	var lib []float64
	if opt.LibSize == nil {
		lib = make([]float64, n)
	} else if len(opt.LibSize) != n {
		return nil, fmt.Errorf("limma: %d library sizes for %d samples", len(opt.LibSize), n)
	}
	// One pass over the counts: checks, all-zero genes (left out of the
	// trend; found before the counts may be overwritten), the largest count
	// and the library sizes.
	sc, err := scanCounts(counts, lib, opt.Workers)
	if err != nil {
		return nil, err
	}
	if lib == nil {
		lib = append([]float64(nil), opt.LibSize...)
	}
	for j, l := range lib {
		if !(l >= 0) || math.IsInf(l, 0) {
			return nil, fmt.Errorf("limma: library size of sample %s is %v", counts.Samples[j], l)
		}
	}
	if X == nil {
		ones := make([]float64, n)
		for i := range ones {
			ones[i] = 1
		}
		X, _ = design.FromValues([]string{"GrandMean"}, n, ones)
	}
	allZero := sc.allZero
	var E *dataset.Matrix
	if opt.InPlace {
		E = &dataset.Matrix{Kind: dataset.Expression, Genes: counts.Genes, Samples: counts.Samples, Data: counts.Data}
	} else {
		E = dataset.NewMatrix(dataset.Expression, counts.Genes, counts.Samples)
		hugepage.Advise(E.Data)
	}
	// The log-CPM values are written range by range inside lmFit, just
	// before the range is fitted.
	lc := newLogCPM(lib, sc.maxc)
	fill := func(lo, hi int) { lc.rows(E.Data[lo*n:hi*n], counts.Data[lo*n:hi*n], sc.tabled[lo:hi]) }
	// Finite counts give finite log-CPM values.
	finite := !math.IsInf(sc.maxc, 1)
	fit, err := lmFit(E, X, &LmOptions{Weights: opt.Weights, Block: opt.Block, Correlation: opt.Correlation, Workers: opt.Workers, Pool: opt.Pool}, finite, fill)
	if err != nil {
		return nil, err
	}
	out := &EList{E: E, LibSize: lib, Design: X, FitForTrend: fit}
	withReps := 0
	for _, d := range fit.DfResidual {
		if d > 0 {
			withReps++
		}
	}
	if cap(opt.WeightsBuffer) >= G*n {
		out.Weights = opt.WeightsBuffer[:G*n]
	} else {
		out.Weights = make([]float64, G*n)
		hugepage.Advise(out.Weights)
	}
	if withReps < 2 {
		for i := range out.Weights {
			out.Weights[i] = 1
		}
		out.ConstantWeights = true
		return out, nil
	}
	meanLogLib := 0.0
	{
		v := make([]float64, n)
		for j := range v {
			v[j] = fmath.Log2(lib[j] + 1)
		}
		meanLogLib = stats.Mean(v)
	}
	var sx, sy []float64
	for g := 0; g < G; g++ {
		if allZero[g] {
			continue
		}
		sx = append(sx, fit.Amean[g]+meanLogLib-fmath.Log2(1e6))
		sy = append(sy, math.Sqrt(fit.Sigma[g]))
	}
	if len(sx) < 2 {
		return nil, fmt.Errorf("limma: voom needs at least two genes with non-zero counts to fit the mean-variance trend (found %d)", len(sx))
	}
	span := opt.Span
	if span == 0 {
		span = 0.5
	}
	out.TrendX, out.TrendY = sx, sy
	lx, ly := stats.LowessWorkers(sx, sy, span, 3, stats.LowessDelta(sx), workerCount(opt.Workers))
	out.LineX, out.LineY = lx, ly
	ax, ay := tiesMean(lx, ly)
	ip := newInterp(ax, ay)
	vw := newVoomWeights(fit, X, lib, ip)
	parallel(G, opt.Workers, func(lo, hi int) { vw.rows(out.Weights, lo, hi) })
	return out, nil
}

// voomWeights computes voom's weights of genes from their fit and the
// trend (see Voom).
type voomWeights struct {
	fit     *Fit
	X       []float64
	n, p    int
	est     []int
	reps    []int
	tw      *trendWeights
	nzCol   []int32
	nzVal   []float64
	nzStart []int32
}

func newVoomWeights(fit *Fit, X *design.Matrix, lib []float64, ip *interp) *voomWeights {
	n := X.Rows
	p := X.Cols()
	est := fit.Pivot[:fit.Rank]
	// log2(2^fv · 1e-6 · (L+1)) = fv + log2(1e-6·(L+1)), equal to R's
	// expression to rounding.
	off := make([]float64, n)
	for i := range off {
		off[i] = fmath.Log2(1e-6 * (lib[i] + 1))
	}
	// Fitted values depend on the sample only through its design row:
	// compute them once per distinct row (summing over the estimable
	// columns in pivot order, as the fitted values are computed in R).
	cls, reps := designClasses(X.X, n, p, est)
	// Samples of each class by increasing offset (stable).
	byOff := make([][]int, len(reps))
	for i, c := range cls {
		byOff[c] = append(byOff[c], i)
	}
	for _, idx := range byOff {
		sort.SliceStable(idx, func(a, b int) bool { return off[idx[a]] < off[idx[b]] })
	}
	tw := &trendWeights{ip: ip, off: off}
	if ip.bucket != nil {
		for k := range ip.slope {
			tw.segs = append(tw.segs, trendSeg{x0: ip.x[k], x1: ip.x[k+1], y: ip.y[k], sl: ip.slope[k]})
		}
	}
	for _, idx := range byOff {
		tw.start = append(tw.start, int32(len(tw.order)))
		for _, i := range idx {
			tw.order = append(tw.order, int32(i))
			tw.offOrd = append(tw.offOrd, off[i])
		}
	}
	tw.start = append(tw.start, int32(len(tw.order)))
	// The non-zero terms of each class's design row over est, in est order
	// (a design with many indicator columns has a few per row). Leaving
	// out the zero terms changes no bit of the sum (it starts at +0 and a
	// sum of finite terms is never -0) unless a coefficient is not finite,
	// where the full sum keeps R's NaN.
	var nzCol []int32
	var nzVal []float64
	nzStart := []int32{0}
	for _, i := range reps {
		for _, j := range est {
			if x := X.X[i*p+j]; x != 0 {
				nzCol = append(nzCol, int32(j))
				nzVal = append(nzVal, x)
			}
		}
		nzStart = append(nzStart, int32(len(nzCol)))
	}
	return &voomWeights{fit: fit, X: X.X, n: n, p: p, est: est, reps: reps, tw: tw, nzCol: nzCol, nzVal: nzVal, nzStart: nzStart}
}

// rows writes the weights of genes [lo, hi) to their rows of W.
func (vw *voomWeights) rows(W []float64, lo, hi int) {
	fit, n, p, est, reps, tw := vw.fit, vw.n, vw.p, vw.est, vw.reps, vw.tw
	nzCol, nzVal, nzStart := vw.nzCol, vw.nzVal, vw.nzStart
	fvc := make([]float64, len(reps))
	for g := lo; g < hi; g++ {
		coef := fit.Coefficients[g*p : (g+1)*p]
		finite := true
		for _, j := range est {
			if math.IsNaN(coef[j]) || math.IsInf(coef[j], 0) {
				finite = false
			}
		}
		for c, i := range reps {
			fv := 0.0
			if finite {
				cols, vals := nzCol[nzStart[c]:nzStart[c+1]], nzVal[nzStart[c]:nzStart[c+1]]
				for t, j := range cols {
					fv += coef[j] * vals[t]
				}
			} else {
				for _, j := range est {
					fv += coef[j] * vw.X[i*p+j]
				}
			}
			fvc[c] = fv
		}
		tw.gene(W[g*n:(g+1)*n], fvc)
	}
}

// trendWeights computes voom's weights 1/f(fitted log-count)⁴ of a gene
// from its fitted values per design class.
type trendWeights struct {
	ip     *interp
	segs   []trendSeg // the segments of ip
	off    []float64  // log2(1e-6·(L+1)) per sample
	order  []int32    // the samples of each design class by increasing offset
	offOrd []float64  // their offsets: offOrd[a] = off[order[a]]
	start  []int32    // class c is order[start[c]:start[c+1]]
}

// gene writes the weights of one gene to w; fvc[c] is its fitted value for
// design class c.
func (t *trendWeights) gene(w, fvc []float64) {
	ip, off := t.ip, t.off
	for c, fv := range fvc {
		ord := t.order[t.start[c]:t.start[c+1]]
		offo := t.offOrd[t.start[c]:t.start[c+1]]
		if ip.bucket == nil || math.IsNaN(fv) || math.IsInf(fv, 0) {
			for _, i := range ord {
				f := ip.at(fv + off[i])
				f2 := f * f
				w[i] = 1 / (f2 * f2)
			}
			continue
		}
		// Within a design class the samples are visited by increasing
		// offset, so the fitted log-counts v increase: first those at or
		// below the trend's first x (constant extrapolation), then those
		// inside, whose segment is found by walking forward from the
		// previous one (the segment the bucket search of ip.at finds), then
		// those at or above its last x.
		x, y := ip.x, ip.y
		last := len(x) - 1
		x0, xn := x[0], x[last]
		a := 0
		if len(ord) > 0 && !(fv+off[ord[0]] > x0) {
			f2 := y[0] * y[0]
			wl := 1 / (f2 * f2)
			for a < len(ord) && !(fv+off[ord[a]] > x0) {
				w[ord[a]] = wl
				a++
			}
		}
		if a < len(ord) && fv+off[ord[a]] < xn {
			a += interiorWeights(w, ord[a:], offo[a:], fv, xn, t.segs, ip.segment(fv+offo[a]))
		}
		if a < len(ord) {
			f2 := y[last] * y[last]
			wr := 1 / (f2 * f2)
			for _, i := range ord[a:] {
				w[i] = wr
			}
		}
	}
}

// trendSeg is segment k of the trend: from (x0, y) to x1 with slope sl.
type trendSeg struct{ x0, x1, y, sl float64 }

// interiorWeights writes 1/f(v)⁴ to w[ord[a]] for v = fv + offo[a] (the
// offset of sample ord[a]), a = 0, 1, ... (v increasing), while v < xn
// (the trend's last x); k is the segment of the first v. It returns the
// number of samples written.
//
// (Not inlined: on its own it keeps its loop in registers.)
//
//go:noinline
func interiorWeights(w []float64, ord []int32, offo []float64, fv, xn float64, segs []trendSeg, k int) int {
	offo = offo[:len(ord)]
	for a, i := range ord {
		v := fv + offo[a]
		if !(v < xn) {
			return a
		}
		for segs[k].x1 <= v {
			k++
		}
		s := &segs[k]
		f := s.y + s.sl*(v-s.x0)
		f2 := f * f
		w[i] = 1 / (f2 * f2)
	}
	return len(ord)
}

// designClasses groups the samples by their design row restricted to the
// columns est: cls[i] is the class of sample i and reps[c] the first
// sample of class c.
func designClasses(X []float64, n, p int, est []int) (cls []int32, reps []int) {
	cls = make([]int32, n)
	key := make([]byte, 0, 8*len(est))
	seen := map[string]int32{}
	for i := 0; i < n; i++ {
		key = key[:0]
		for _, j := range est {
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(X[i*p+j]))
		}
		c, ok := seen[string(key)]
		if !ok {
			c = int32(len(reps))
			seen[string(key)] = c
			reps = append(reps, i)
		}
		cls[i] = c
	}
	return cls, reps
}

// countScan is what Voom learns from one pass over the counts.
type countScan struct {
	allZero []bool  // per gene: every count is zero
	tabled  []bool  // per gene: every count is a whole number below logCPMTable
	maxc    float64 // the largest count (+Inf if any is infinite)
}

// logCPMTable bounds the whole counts whose log2(c + 0.5) logCPM takes from
// a table.
const logCPMTable = 1 << 16

// scanCounts checks the counts (NaN or negative values are errors naming
// the first one, in row-major order), finds the all-zero genes and the
// largest count and, when lib is not nil, adds the column sums of the
// counts to lib. The rows are split over workers goroutines (see
// parallel), each summing its rows; the sums are exact when every count is
// a whole number and every sum is below 2^53 (what the compensated sum
// gives too, and the same for any split); otherwise they are recomputed
// with a compensated (Neumaier) sum in row order.
func scanCounts(counts *dataset.Matrix, lib []float64, workers int) (*countScan, error) {
	G, n := counts.Rows(), counts.Cols()
	sc := &countScan{allZero: make([]bool, G), tabled: make([]bool, G)}
	type part struct {
		lo, hi int
		lib    []float64
		maxc   float64
		whole  bool
		err    error
	}
	var parts []*part
	var mu sync.Mutex
	parallel(G, workers, func(lo, hi int) {
		pt := &part{lo: lo, hi: hi, whole: true}
		if lib != nil {
			pt.lib = make([]float64, n)
		}
		pt.maxc, pt.whole, pt.err = scanRows(counts, lo, hi, pt.lib, sc)
		mu.Lock()
		parts = append(parts, pt)
		mu.Unlock()
	})
	sort.Slice(parts, func(a, b int) bool { return parts[a].lo < parts[b].lo })
	whole := true
	for _, pt := range parts {
		if pt.err != nil {
			return nil, pt.err
		}
		sc.maxc = math.Max(sc.maxc, pt.maxc)
		whole = whole && pt.whole
		if lib != nil {
			for j, v := range pt.lib {
				lib[j] += v
			}
		}
	}
	if lib == nil {
		return sc, nil
	}
	exact := whole
	for _, l := range lib {
		if !(l < 1<<53) {
			exact = false
		}
	}
	if !exact {
		comp := make([]float64, n)
		for j := range lib {
			lib[j] = 0
		}
		for g := 0; g < G; g++ {
			for j, v := range counts.Data[g*n : (g+1)*n] {
				lib[j], comp[j] = neumaier(lib[j], comp[j], v)
			}
		}
		for j := range lib {
			lib[j] += comp[j]
		}
	}
	return sc, nil
}

// scanRows is scanCounts on the rows [lo, hi): it sets their allZero and
// tabled flags in sc, adds their column sums to lib (unless nil) and
// returns their largest count, whether all are whole numbers and the
// error of the first invalid count.
func scanRows(counts *dataset.Matrix, lo, hi int, lib []float64, sc *countScan) (maxc float64, whole bool, err error) {
	n := counts.Cols()
	whole = true
	if lib != nil {
		lib = lib[:n]
	}
	const infBits = 0x7ff0000000000000
	for g := lo; g < hi; g++ {
		row := counts.Data[g*n : (g+1)*n]
		// One branch-free pass: the library sums, the largest bit pattern
		// (non-negative values order as their bits; a sign bit or a NaN
		// makes it exceed +Inf's) and whether any value is not whole.
		var mx uint64
		nw := 0
		if lib != nil {
			for j, v := range row {
				lib[j] += v
				mx = max(mx, math.Float64bits(v))
				nw |= b2i(float64(int64(v)) != v)
			}
		} else {
			for _, v := range row {
				mx = max(mx, math.Float64bits(v))
				nw |= b2i(float64(int64(v)) != v)
			}
		}
		m, rowWhole := math.Float64frombits(mx), nw == 0
		if mx > infBits {
			// A NaN or a sign bit (a negative count or -0, which is 0):
			// check the row value by value.
			m, rowWhole = 0, true
			for j, v := range row {
				if !(v >= 0) {
					if math.IsNaN(v) {
						return 0, false, fmt.Errorf("limma: NA count for gene %s, sample %s", counts.Genes[g], counts.Samples[j])
					}
					return 0, false, fmt.Errorf("limma: negative count %v for gene %s, sample %s", v, counts.Genes[g], counts.Samples[j])
				}
				if v > m {
					m = v
				}
				if float64(int64(v)) != v {
					rowWhole = false
				}
			}
		}
		whole = whole && rowWhole
		sc.tabled[g] = rowWhole && m < logCPMTable
		sc.allZero[g] = m == 0
		if m > maxc {
			maxc = m
		}
	}
	return maxc, whole, nil
}

// b2i is 1 for true and 0 for false (a SETcc, no branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// logCPM computes voom's log2((c + 0.5)/(L + 1)·1e6) as
// log2(c + 0.5) - log2((L + 1)·1e-6), with log2(c + 0.5) from a table for
// whole counts below 65536 (and below the largest count); the result
// equals R's expression to a few ulp.
type logCPM struct {
	off   []float64 // log2((L + 1)·1e-6) per sample
	tab   []float64
	fsize float64
}

func newLogCPM(lib []float64, maxc float64) *logCPM {
	lc := &logCPM{off: make([]float64, len(lib))}
	for j, l := range lib {
		lc.off[j] = fmath.Log2((l + 1) * 1e-6)
	}
	size := logCPMTable
	if maxc+1 < float64(size) {
		size = int(maxc) + 1
	}
	lc.tab = make([]float64, size)
	for c := range lc.tab {
		lc.tab[c] = fmath.Log2(float64(c) + 0.5)
	}
	lc.fsize = float64(size)
	return lc
}

// rows writes the log-CPM values of the row-major counts to dst (which may
// be counts itself); both hold whole rows of len(lc.off) samples, and
// tabled[r] says that row r's counts are all whole numbers below
// logCPMTable and the largest count (see countScan).
func (lc *logCPM) rows(dst, counts []float64, tabled []bool) {
	n := len(lc.off)
	if n == 0 {
		return
	}
	tab, fsize := lc.tab, lc.fsize
	for k, r := 0, 0; k+n <= len(counts); k, r = k+n, r+1 {
		src, out, off := counts[k:k+n], dst[k:k+n], lc.off[:n]
		if tabled[r] {
			for j, c := range src {
				out[j] = tab[int(c)] - off[j]
			}
			continue
		}
		for j, c := range src {
			if ci := int(c); c < fsize && float64(ci) == c {
				out[j] = tab[ci] - off[j]
			} else {
				out[j] = fmath.Log2(c+0.5) - off[j]
			}
		}
	}
}

// tiesMean collapses sorted x with ties, averaging their y (approxfun's
// ties = list("ordered", mean)).
func tiesMean(x, y []float64) ([]float64, []float64) {
	var ox, oy []float64
	for i := 0; i < len(x); {
		j := i + 1
		for j < len(x) && x[j] == x[i] {
			j++
		}
		ox = append(ox, x[i])
		if j-i == 1 {
			oy = append(oy, y[i])
		} else {
			oy = append(oy, stats.Mean(y[i:j]))
		}
		i = j
	}
	return ox, oy
}

// approxRule2 is R's approx1 linear interpolation with rule = 2 (constant
// extrapolation), x sorted without ties.
func approxRule2(x, y []float64, v float64) float64 {
	n := len(x)
	if n == 0 || math.IsNaN(v) {
		return math.NaN()
	}
	if v <= x[0] {
		return y[0]
	}
	if v >= x[n-1] {
		return y[n-1]
	}
	i, j := 0, n-1
	for i < j-1 {
		ij := (i + j) / 2
		if v < x[ij] {
			j = ij
		} else {
			i = ij
		}
	}
	if v == x[j] {
		return y[j]
	}
	if v == x[i] {
		return y[i]
	}
	return y[i] + (y[j]-y[i])*((v-x[i])/(x[j]-x[i]))
}

// interp is approxRule2 with a bucket index over x for O(1) interval
// search, on the curve with collinear interior points removed (lowess with
// delta interpolates linearly between its fitted anchors, so 20,000 points
// shrink to a few hundred and stay in cache). It returns what approxRule2
// returns on the full curve to about 1e-12 relative.
type interp struct {
	x, y   []float64
	slope  []float64
	lo, w  float64
	invW   float64
	bucket []int32 // largest i with x[i] <= bucket start
}

func newInterp(x, y []float64) *interp {
	x, y = compressLinear(x, y)
	ip := &interp{x: x, y: y}
	n := len(x)
	if n < 2 {
		return ip
	}
	// Eight buckets per segment on average, so that a bucket rarely spans
	// a segment end and the search below seldom loops.
	nb := 8 * n
	ip.lo = x[0]
	ip.w = (x[n-1] - x[0]) / float64(nb)
	if !(ip.w > 0) {
		return ip
	}
	ip.invW = 1 / ip.w
	ip.slope = make([]float64, n-1)
	for i := range ip.slope {
		ip.slope[i] = (y[i+1] - y[i]) / (x[i+1] - x[i])
	}
	ip.bucket = make([]int32, nb+1)
	i := 0
	for b := 0; b <= nb; b++ {
		start := ip.lo + float64(b)*ip.w
		for i+1 < n && x[i+1] <= start {
			i++
		}
		ip.bucket[b] = int32(i)
	}
	return ip
}

// compressLinear drops points that lie on the line through the last kept
// point and the previous point, within 1e-13 of |y|+1.
func compressLinear(x, y []float64) ([]float64, []float64) {
	n := len(x)
	if n < 3 {
		return x, y
	}
	cx := []float64{x[0]}
	cy := []float64{y[0]}
	a := 0
	for k := 1; k < n-1; k++ {
		// Is point k+1 on the line through a and k?
		pred := y[a] + (y[k]-y[a])*((x[k+1]-x[a])/(x[k]-x[a]))
		if math.Abs(pred-y[k+1]) <= 1e-13*(math.Abs(y[k+1])+1) {
			continue
		}
		cx = append(cx, x[k])
		cy = append(cy, y[k])
		a = k
	}
	cx = append(cx, x[n-1])
	cy = append(cy, y[n-1])
	return cx, cy
}

// segment returns k with x[k] <= v < x[k+1] for x[0] < v < x[n-1] (the
// bucket search of at).
func (ip *interp) segment(v float64) int {
	x, bk := ip.x, ip.bucket
	b := int((v - ip.lo) * ip.invW)
	if uint(b) >= uint(len(bk)) {
		b = len(bk) - 1
	}
	k := int(bk[b])
	for x[k] > v {
		k--
	}
	for x[k+1] <= v {
		k++
	}
	return k
}

func (ip *interp) at(v float64) float64 {
	x := ip.x
	n := len(x)
	if ip.bucket == nil || !(v > x[0] && v < x[n-1]) {
		return approxRule2(x, ip.y, v)
	}
	b := int((v - ip.lo) * ip.invW)
	if uint(b) >= uint(len(ip.bucket)) {
		b = len(ip.bucket) - 1
		if b < 0 {
			b = 0
		}
	}
	i := int(ip.bucket[b])
	// Bucket starts are computed in floating point: step back if needed.
	// x[0] < v < x[n-1], so both loops stop inside the curve, with
	// x[i] <= v < x[i+1].
	for x[i] > v {
		i--
	}
	for x[i+1] <= v {
		i++
	}
	return ip.y[i] + ip.slope[i]*(v-x[i])
}
