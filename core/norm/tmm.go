package norm

import (
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
)

// Method is a normalisation-factor method of edgeR's calcNormFactors.
type Method int

const (
	// TMM is the trimmed mean of M-values (Robinson & Oshlack 2010,
	// doi:10.1186/gb-2010-11-3-r25), edgeR's default.
	TMM Method = iota
	// TMMwsp is TMM with singleton pairing, for sparse data.
	TMMwsp
	// RLE is the relative log expression (DESeq's median of ratios), divided by the
	// library size.
	RLE
	// UpperQuartile is the p-quantile of each sample divided by its library size
	// (Bullard et al. 2010, doi:10.1186/1471-2105-11-94).
	UpperQuartile
	// NoNorm gives factors of 1.
	NoNorm
)

func (m Method) String() string {
	switch m {
	case TMM:
		return "TMM"
	case TMMwsp:
		return "TMMwsp"
	case RLE:
		return "RLE"
	case UpperQuartile:
		return "upperquartile"
	case NoNorm:
		return "none"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod maps edgeR's method names ("TMM", "TMMwsp", "RLE", "upperquartile",
// "none"; case-insensitive) to a Method.
func ParseMethod(s string) (Method, error) {
	for m := TMM; m <= NoNorm; m++ {
		if equalFold(s, m.String()) {
			return m, nil
		}
	}
	if equalFold(s, "TMMwzp") {
		return TMMwsp, nil
	}
	return 0, fmt.Errorf("norm: unknown normalisation method %q (want TMM, TMMwsp, RLE, upperquartile or none)", s)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// NormOptions are the arguments of edgeR's calcNormFactors. The zero value gives
// edgeR's defaults for TMM.
type NormOptions struct {
	Method Method
	// LibSize are the library sizes; nil means the column sums.
	LibSize []float64
	// RefColumn is the 1-based reference sample for TMM/TMMwsp (as in R);
	// 0 chooses it as edgeR does.
	RefColumn int
	// LogratioTrim and SumTrim are the trimming fractions for M and A; 0 means the
	// defaults 0.3 and 0.05, a negative value means no trimming.
	LogratioTrim, SumTrim float64
	// NoWeighting turns off the precision weights (doWeighting = FALSE).
	NoWeighting bool
	// Acutoff drops genes with average log-abundance A at or below it; 0 means the
	// default -1e10.
	Acutoff float64
	// P is the quantile for UpperQuartile; 0 means 0.75.
	P float64
	// Workers computes the per-sample TMM/TMMwsp factors on that many goroutines
	// (<= 1: serially). Each sample is computed independently, so the factors are
	// bitwise identical for any value.
	Workers int
	// Pool, when set, computes the TMM factors as "norm.tmm" tasks over
	// ranges of samples, bitwise the same as Workers. Each task carries
	// only its samples' columns (at most 4 MB of them, so a 20,000-gene
	// task holds 25 samples), the reference column and its logarithms; the
	// tasks run a round of Pool.Size() at a time, with one gather buffer
	// reused, so a round holds at most about Size x 4.5 MB. Inputs below
	// 2^21 values (samples x genes with a positive count, e.g. 100 x
	// 20,000), or a pool of one worker, are computed on Workers goroutines
	// instead: at about 35 ns a value (natively) TMM is then cheaper than
	// shipping the columns (the choice depends only on the shapes, and the
	// factors are the same either way).
	Pool pool.Pool
}

func (o NormOptions) withDefaults() NormOptions {
	if o.LogratioTrim == 0 {
		o.LogratioTrim = 0.3
	} else if o.LogratioTrim < 0 {
		o.LogratioTrim = 0
	}
	if o.SumTrim == 0 {
		o.SumTrim = 0.05
	} else if o.SumTrim < 0 {
		o.SumTrim = 0
	}
	if o.Acutoff == 0 {
		o.Acutoff = -1e10
	}
	if o.P == 0 {
		o.P = 0.75
	}
	return o
}

// NormFactors computes normalisation factors as edgeR 3.40.2 calcNormFactors
// (calcNormFactors.default; identical to normLibSizes in edgeR 4):
//
//   - Genes with no positive count are dropped; with no gene left or one sample all
//     factors are 1.
//   - TMM: reference = the sample whose f75_j = quantile(y_j, 0.75)/L_j is closest to
//     mean(f75) (first on ties), or which.max(colSums(sqrt(y))) when
//     median(f75) < 1e-20. For each sample, with M = log2((y/L)/(r/Lr)),
//     A = (log2(y/L) + log2(r/Lr))/2 and v = (L-y)/L/y + (Lr-r)/Lr/r over genes with
//     finite M, A and A > Acutoff: factor 1 if max|M| < 1e-6, else genes whose
//     average-tie ranks of M lie in [floor(0.3n)+1, n-floor(0.3n)] and of A in
//     [floor(0.05n)+1, n-floor(0.05n)] (found by selection, not sorting) give 2^(sum(M/v)/sum(1/v)) (2^mean(M)
//     without weighting; 2^0 when nothing is kept).
//   - TMMwsp: reference = which.max(colSums(sqrt(y))); zeros in one of the pair are
//     paired largest-with-largest, M is ordered by (M, shrunk M), weights
//     (1+1e-6)/(v+1e-6).
//   - RLE: median over genes with positive geometric mean of y_gj/gm_g, over L_j.
//   - UpperQuartile: quantile(y_j, P)/L_j (type 7).
//
// Finally the factors are divided by their geometric mean, exp(mean(log f)).
// A zero quantile gives Inf/NaN factors, and RLE with no gene positive in every
// sample gives NaN factors, exactly as edgeR does (edgeR only warns).
//
// Errors: NaN or negative counts, wrong LibSize length, non-finite LibSize,
// RefColumn out of range.
func NormFactors(m *dataset.Matrix, opt NormOptions) ([]float64, error) {
	if m == nil {
		return nil, checkCounts(m, "NormFactors")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	// One pass: the checks of checkCounts, the column sums and the genes
	// with a positive count.
	sums, rows, ok := scanCounts(m)
	if !ok {
		return nil, checkCounts(m, "NormFactors")
	}
	opt = opt.withDefaults()
	ns := m.Cols()
	lib := opt.LibSize
	if lib == nil {
		lib = sums
	} else {
		if len(lib) != ns {
			return nil, fmt.Errorf("norm: NormFactors: %d library sizes for %d samples", len(lib), ns)
		}
		for j, v := range lib {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("norm: NormFactors: library size of sample %q is %v", m.Samples[j], v)
			}
		}
	}
	if opt.RefColumn < 0 || opt.RefColumn > ns {
		return nil, fmt.Errorf("norm: NormFactors: reference column %d out of range 1..%d", opt.RefColumn, ns)
	}
	method := opt.Method
	if ns == 0 {
		return []float64{}, nil
	}
	if len(rows) == 0 || ns == 1 {
		method = NoNorm
	}
	var f []float64
	if method == TMM {
		// Columns are gathered a block at a time, never the whole matrix.
		var err error
		if f, err = normTMM(m, rows, lib, opt); err != nil {
			return nil, err
		}
	} else {
		f = normOther(m, rows, lib, method, opt)
	}
	lf := make([]float64, ns)
	for j, v := range f {
		lf[j] = fmath.Log(v)
	}
	gmean := fmath.Exp(meanR(lf))
	for j := range f {
		f[j] /= gmean
	}
	return f, nil
}

// scanCounts returns colSums(m) and the genes with a positive count, in
// one pass; ok is false when a count is NaN, negative or infinite (then
// checkCounts says which).
func scanCounts(m *dataset.Matrix) (sums []float64, rows []int, ok bool) {
	n := m.Cols()
	sums = make([]float64, n)
	for g := 0; g < m.Rows(); g++ {
		pos, bad := scanRow(m.Data[g*n:(g+1)*n], sums)
		if bad {
			return nil, nil, false
		}
		if pos {
			rows = append(rows, g)
		}
	}
	return sums, rows, true
}

// scanRow adds row to sums and reports whether a value is positive and
// whether one is not a finite non-negative number. On the bits: a finite
// non-negative double is below 0x7FF0000000000000 as an unsigned integer
// and every other value (negative, NaN, infinite) is at or above it, -0
// (allowed) aside; so the largest of those integers, -0 taken as 0, tells
// both (positive: above 0).
func scanRow(row, sums []float64) (pos, bad bool) {
	sums = sums[:len(row)]
	var mx uint64
	for j, v := range row {
		sums[j] += v
		u := math.Float64bits(v)
		if u == 1<<63 {
			u = 0
		}
		mx = max(mx, u)
	}
	return mx > 0, mx >= 0x7FF0000000000000
}

// normOther computes the factors of the methods other than TMM on the
// columns of the genes rows.
func normOther(m *dataset.Matrix, rows []int, lib []float64, method Method, opt NormOptions) []float64 {
	ns := m.Cols()
	cols := make([][]float64, ns)
	for j := range cols {
		cols[j] = make([]float64, 0, len(rows))
	}
	for _, g := range rows {
		for j, v := range m.Row(g) {
			cols[j] = append(cols[j], v)
		}
	}
	f := make([]float64, ns)
	switch method {
	case TMMwsp:
		ref := opt.RefColumn - 1
		if ref < 0 {
			ref = whichMaxSqrt(cols)
		}
		forSamples(ns, opt.Workers, func(j int) {
			f[j] = factorTMMwsp(cols[j], cols[ref], lib[j], lib[ref], opt)
		})
	case RLE:
		ng := len(cols[0])
		gm := make([]float64, ng)
		lg := make([]float64, ns)
		for g := 0; g < ng; g++ {
			for j := 0; j < ns; j++ {
				lg[j] = fmath.Log(cols[j][g])
			}
			gm[g] = fmath.Exp(sumK(lg) / float64(ns))
		}
		ratio := make([]float64, 0, ng)
		for j := 0; j < ns; j++ {
			ratio = ratio[:0]
			for g := 0; g < ng; g++ {
				if gm[g] > 0 {
					ratio = append(ratio, cols[j][g]/gm[g])
				}
			}
			f[j] = medianR(ratio) / lib[j]
		}
	case UpperQuartile:
		f = upperQuantile(cols, lib, opt.P)
	default:
		for j := range f {
			f[j] = 1
		}
	}
	return f
}

// tmmBlock is the number of samples gathered together: a row segment of
// tmmBlock values spans a few cache lines, so one pass over the matrix per
// block reads little more than the block itself.
const tmmBlock = 64

// gatherCols copies columns [j0, j1) of m, rows rows, into buf column-major
// (column j at buf[(j-j0)·K:], K = len(rows)). Eight rows at a time: each
// column then gets a whole cache line of values per write burst, where a
// row at a time scattered single values over all the columns (twice as
// slow).
func gatherCols(m *dataset.Matrix, rows []int, j0, j1 int, buf []float64) {
	n, K, w := m.Cols(), len(rows), j1-j0
	k := 0
	for ; k+8 <= K; k += 8 {
		r := rows[k : k+8]
		x0, x1, x2, x3 := m.Data[r[0]*n+j0:][:w], m.Data[r[1]*n+j0:][:w], m.Data[r[2]*n+j0:][:w], m.Data[r[3]*n+j0:][:w]
		x4, x5, x6, x7 := m.Data[r[4]*n+j0:][:w], m.Data[r[5]*n+j0:][:w], m.Data[r[6]*n+j0:][:w], m.Data[r[7]*n+j0:][:w]
		for t := 0; t < w; t++ {
			d := buf[t*K+k:][:8]
			d[0], d[1], d[2], d[3] = x0[t], x1[t], x2[t], x3[t]
			d[4], d[5], d[6], d[7] = x4[t], x5[t], x6[t], x7[t]
		}
	}
	for ; k < K; k++ {
		seg := m.Data[rows[k]*n+j0:][:w]
		for t, v := range seg {
			buf[t*K+k] = v
		}
	}
}

// normTMM is calcNormFactors(method = "TMM") before the geometric-mean
// scaling, on the genes rows of m.
func normTMM(m *dataset.Matrix, rows []int, lib []float64, opt NormOptions) ([]float64, error) {
	ns, K := m.Cols(), len(rows)
	f := make([]float64, ns)
	ref := opt.RefColumn - 1
	if ref < 0 {
		// f75_j = quantile(y_j, 0.75)/L_j, in blocks of samples (as wide as
		// a 24 MB buffer allows, at least one per worker) on Workers
		// goroutines; each sample's quantile is computed alone.
		f75 := make([]float64, ns)
		width := ns
		if K >= sampledMin {
			width = min(ns, max(1, (24<<20)/(8*quantileRoom(K))))
		}
		wk := max(opt.Workers, 1)
		width = min(width, (ns+wk-1)/wk)
		nb := (ns + width - 1) / width
		forSamples(nb, opt.Workers, func(b int) {
			j0, j1 := b*width, min((b+1)*width, ns)
			col, tmp := make([]float64, K), make([]float64, K)
			if K < sampledMin {
				for j := j0; j < j1; j++ {
					gatherCols(m, rows, j, j+1, col)
					f75[j] = quantileScratch(col, 0.75, tmp)
				}
			} else {
				colQuantiles(m, rows, j0, j1, 0.75, f75[j0:j1], make([]float64, (j1-j0)*quantileRoom(K)), col, tmp)
			}
			for j := j0; j < j1; j++ {
				f75[j] /= lib[j]
			}
		})
		if medianR(f75) < 1e-20 {
			// which.max(colSums(sqrt(y))), the first maximum.
			ref = 0
			best := math.Inf(-1)
			col, tmp := make([]float64, K), make([]float64, K)
			for j := 0; j < ns; j++ {
				gatherCols(m, rows, j, j+1, col)
				for k, v := range col {
					tmp[k] = math.Sqrt(v)
				}
				if s := sumK(tmp); s > best {
					best, ref = s, j
				}
			}
		} else {
			mu := meanR(f75)
			ref = 0
			best := math.Abs(f75[0] - mu)
			for j := 1; j < ns; j++ {
				if d := math.Abs(f75[j] - mu); d < best {
					best, ref = d, j
				}
			}
		}
	}
	refCol := make([]float64, K)
	gatherCols(m, rows, ref, ref+1, refCol)
	rf := newTMMRef(refCol, lib[ref])
	if opt.Pool != nil && opt.Pool.Size() > 1 && ns*K >= tmmPoolMin {
		if err := tmmPool(opt.Pool, m, rows, lib, refCol, rf, opt, f); err != nil {
			return nil, err
		}
		return f, nil
	}
	// Each worker takes a contiguous range of samples, gathered a block at a
	// time; every factor depends on its sample and the reference only.
	workers := opt.Workers
	if workers < 1 {
		workers = 1
	}
	// Chunks of at most tmmBlock samples, and at least one per worker.
	bs := min(tmmBlock, max(1, (ns+workers-1)/workers))
	nchunk := (ns + bs - 1) / bs
	pool.ForRanges(nchunk, workers, 1, func(c0, c1 int) {
		// One gather buffer and one scratch per worker.
		buf := make([]float64, bs*K)
		sc := newTMMScratch(K)
		for c := c0; c < c1; c++ {
			j0, j1 := c*bs, min((c+1)*bs, ns)
			gatherCols(m, rows, j0, j1, buf)
			for j := j0; j < j1; j++ {
				f[j] = sc.factor(buf[(j-j0)*K:(j-j0+1)*K], lib[j], rf, opt)
			}
		}
	})
	return f, nil
}

// The pool path of TMM (variables so that tests can force it and small
// tasks): inputs of at least tmmPoolMin values, tasks of at most
// tmmTaskBytes of columns.
var (
	tmmPoolMin   = 1 << 21
	tmmTaskBytes = 4 << 20
)

// tmmPool runs the TMM factors as "norm.tmm" tasks: each holds the
// options, the reference (counts, library size, log2(r/nR)), and a range
// of samples (library sizes and columns, at most tmmTaskBytes), a round of
// pool.Size() tasks at a time; the columns are gathered into one buffer
// reused for every task.
func tmmPool(pl pool.Pool, m *dataset.Matrix, rows []int, lib, refCol []float64, rf *tmmRef, opt NormOptions, f []float64) error {
	ns, K := m.Cols(), len(rows)
	per := max(1, tmmTaskBytes/(8*max(K, 1)))
	parts := pool.Split(ns, max(pl.Size(), (ns+per-1)/per))
	width := 0
	for _, p := range parts {
		width = max(width, p[1]-p[0])
	}
	buf := make([]float64, width*K)
	return pool.RunRounds(pl, "norm.tmm", parts, func(j0, j1 int) []byte {
		cols := buf[:(j1-j0)*K]
		gatherCols(m, rows, j0, j1, cols)
		w := pool.NewWriter(8*(len(cols)+2*K+(j1-j0)) + 96)
		w.Float64(opt.LogratioTrim)
		w.Float64(opt.SumTrim)
		w.Float64(opt.Acutoff)
		w.Bool(opt.NoWeighting)
		w.Float64(rf.nR)
		w.Float64Blob(refCol)
		w.Float64Blob(rf.lr)
		w.Float64s(lib[j0:j1])
		w.Float64Blob(cols)
		return w.Bytes()
	}, func(i, j0, j1 int, out []byte) error {
		rd := pool.NewReader(out)
		v := rd.Float64s()
		if err := rd.Done(); err != nil {
			return err
		}
		if len(v) != j1-j0 {
			return fmt.Errorf("norm: tmm task %d returned %d factors for %d samples", i, len(v), j1-j0)
		}
		copy(f[j0:j1], v)
		return nil
	})
}

func init() { pool.Register("norm.tmm", tmmKernel) }

// tmmKernel is the "norm.tmm" task (see tmmPool). It decodes one column at
// a time into a reused buffer.
func tmmKernel(in []byte) ([]byte, error) {
	rd := pool.NewReader(in)
	var opt NormOptions
	opt.LogratioTrim, opt.SumTrim, opt.Acutoff = rd.Float64(), rd.Float64(), rd.Float64()
	opt.NoWeighting = rd.Bool()
	nR := rd.Float64()
	rb, lrb := rd.Blob(), rd.Blob()
	lib := rd.Float64s()
	cols := rd.Blob()
	if err := rd.Done(); err != nil {
		return nil, err
	}
	K := len(rb) / 8
	if len(rb)%8 != 0 || len(lrb) != len(rb) || len(cols) != 8*len(lib)*K {
		return nil, fmt.Errorf("norm: tmm task: %d bytes of columns for %d samples of %d genes", len(cols), len(lib), K)
	}
	r, lr := make([]float64, K), make([]float64, K)
	pool.DecodeFloat64s(r, rb)
	pool.DecodeFloat64s(lr, lrb)
	rf := newTMMRefLog(r, lr, nR)
	sc := newTMMScratch(K)
	col := make([]float64, K)
	f := make([]float64, len(lib))
	for j := range f {
		pool.DecodeFloat64s(col, cols[8*j*K:])
		f[j] = sc.factor(col, lib[j], rf, opt)
	}
	out := pool.NewWriter(8*len(f) + 8)
	out.Float64s(f)
	return out.Bytes(), nil
}

// quantileScratch is quantile7 on x (not modified) with scratch of len >=
// len(x), by sampled selection for long x (quantileInPlace otherwise or
// when the sample misses).
func quantileScratch(x []float64, p float64, scratch []float64) float64 {
	n := len(x)
	if n < sampledMin {
		copy(scratch, x)
		return quantileInPlace(scratch[:n], p)
	}
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	k := int(lo) - 1
	st, ok := orderStatSampled(x, k, scratch)
	if !ok {
		copy(scratch, x)
		return quantileInPlace(scratch[:n], p)
	}
	qs := st.v
	if h := index - lo; h > 0 {
		// The next order statistic: v itself while its ties last.
		xh := st.v
		if float64(k+1) >= st.l+st.e {
			xh = st.next
		}
		if xh != qs {
			qs = (1-h)*qs + h*xh
		}
	}
	return qs
}

// quantileInPlace is quantile7 on x, reordering x.
func quantileInPlace(x []float64, p float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	qs := stats.SelectK(x, int(lo)-1)
	if h := index - lo; h > 0 {
		xh := math.Inf(1)
		for _, v := range x[int(lo):] {
			if v < xh {
				xh = v
			}
		}
		if xh != qs {
			qs = (1-h)*qs + h*xh
		}
	}
	return qs
}

// forSamples calls fn(j) for j in [0, n) (samples or genes), on up to workers
// goroutines, each taking a contiguous block.
func forSamples(n, workers int, fn func(j int)) {
	pool.ForRanges(n, workers, 1, func(lo, hi int) {
		for j := lo; j < hi; j++ {
			fn(j)
		}
	})
}

// upperQuantile is edgeR's .calcFactorQuantile: quantile(y_j, p)/L_j.
func upperQuantile(cols [][]float64, lib []float64, p float64) []float64 {
	f := make([]float64, len(cols))
	for j, c := range cols {
		f[j] = quantile7(c, p) / lib[j]
	}
	return f
}

// whichMaxSqrt is which.max(colSums(sqrt(x))), the first maximum.
func whichMaxSqrt(cols [][]float64) int {
	best, at := math.Inf(-1), 0
	tmp := make([]float64, 0, len(cols[0]))
	for j, c := range cols {
		tmp = tmp[:0]
		for _, v := range c {
			tmp = append(tmp, math.Sqrt(v))
		}
		if s := sumK(tmp); s > best {
			best, at = s, j
		}
	}
	return at
}

// factorTMMwsp is edgeR's .calcFactorTMMwsp ("TMM with singleton pairing").
func factorTMMwsp(obs0, ref0 []float64, libO, libR float64, opt NormOptions) float64 {
	const eps = 1e-14
	var obs, ref, zo, zr []float64
	// Genes positive in both come first (in order); singletons are pooled.
	var kObs, kRef []float64
	nZeroObs, nZeroRef := 0, 0
	for g := range obs0 {
		po, pr := obs0[g] > eps, ref0[g] > eps
		switch {
		case po && pr:
			obs = append(obs, obs0[g])
			ref = append(ref, ref0[g])
		case !po && pr:
			nZeroObs++
			kObs = append(kObs, obs0[g])
			kRef = append(kRef, ref0[g])
		case po && !pr:
			nZeroRef++
			kObs = append(kObs, obs0[g])
			kRef = append(kRef, ref0[g])
		}
	}
	ne := nZeroObs
	if nZeroRef < ne {
		ne = nZeroRef
	}
	if ne > 0 {
		zo = sortedDecreasing(kObs)[:ne]
		zr = sortedDecreasing(kRef)[:ne]
		obs = append(obs, zo...)
		ref = append(ref, zr...)
	}
	n := len(obs)
	if n == 0 {
		return 1
	}
	M := make([]float64, n)
	A := make([]float64, n)
	Ms := make([]float64, n)
	op := make([]float64, n)
	rp := make([]float64, n)
	maxAbs := math.Inf(-1)
	for g := 0; g < n; g++ {
		op[g] = obs[g] / libO
		rp[g] = ref[g] / libR
		M[g] = fmath.Log2(op[g] / rp[g])
		A[g] = 0.5 * fmath.Log2(op[g]*rp[g])
		if a := math.Abs(M[g]); a > maxAbs {
			maxAbs = a
		}
		Ms[g] = fmath.Log2(((obs[g] + 0.5) / (libO + 0.5)) / ((ref[g] + 0.5) / (libR + 0.5)))
	}
	if maxAbs < 1e-6 {
		return 1
	}
	oM := orderR(M, Ms)
	oA := orderR(A, nil)
	loM := int(float64(n)*opt.LogratioTrim) + 1
	hiM := n + 1 - loM
	loA := int(float64(n)*opt.SumTrim) + 1
	hiA := n + 1 - loA
	keepM := make([]bool, n)
	keepA := make([]bool, n)
	for i := loM; i <= hiM; i++ {
		keepM[oM[i-1]] = true
	}
	for i := loA; i <= hiA; i++ {
		keepA[oA[i-1]] = true
	}
	var wm, ws, mm []float64
	for g := 0; g < n; g++ {
		if !(keepM[g] && keepA[g]) {
			continue
		}
		if opt.NoWeighting {
			mm = append(mm, M[g])
			continue
		}
		v := (1-op[g])/op[g]/libO + (1-rp[g])/rp[g]/libR
		w := (1 + 1e-6) / (v + 1e-6)
		wm = append(wm, w*M[g])
		ws = append(ws, w)
	}
	var tmm float64
	if opt.NoWeighting {
		tmm = meanR(mm)
	} else {
		tmm = sumK(wm) / sumK(ws)
	}
	return fmath.Pow(2, tmm)
}

func sortedDecreasing(x []float64) []float64 {
	s := append([]float64(nil), x...)
	// insertion into a sort by decreasing value; ties keep no identity so order is irrelevant
	sortFloatsDesc(s)
	return s
}
