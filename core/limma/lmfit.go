package limma

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/pool"
)

// Fit is limma's MArrayLM: gene-wise linear model fits and, after EBayes, the
// moderated statistics. Matrices are genes x coefficients, row-major.
type Fit struct {
	Genes     []string
	CoefNames []string

	Coefficients  []float64 // NaN where not estimable
	StdevUnscaled []float64 // NaN where not estimable
	Sigma         []float64 // residual standard deviation; NaN when DfResidual is 0
	DfResidual    []float64
	Amean         []float64 // average expression (rowMeans, NaN removed)

	// CovCoefficients is the unscaled covariance of the estimable
	// coefficients of the design (without weights), Rank x Rank in the order
	// Pivot[:Rank], as lm.series/gls.series store cov.coefficients.
	CovCoefficients []float64
	Pivot           []int
	Rank            int

	// Block and Correlation are set by a blocked (gls) fit.
	Block       []string
	Correlation float64

	// Set by EBayes.
	DfPrior    []float64 // length 1, or one per gene with robust = true
	S2Prior    []float64 // length 1, or one per gene with a trend
	S2Post     []float64
	T          []float64 // genes x coefficients
	DfTotal    []float64
	PValue     []float64 // genes x coefficients
	Lods       []float64 // genes x coefficients (B-statistic)
	VarPrior   []float64 // one per coefficient
	Proportion float64
}

// NGenes returns the number of genes of the fit.
func (f *Fit) NGenes() int { return len(f.Genes) }

// NCoef returns the number of coefficients (or contrasts) of the fit.
func (f *Fit) NCoef() int { return len(f.CoefNames) }

// LmOptions are the optional arguments of LmFit.
type LmOptions struct {
	// Weights are observation weights, genes x samples row-major like the
	// expression matrix (voom's weights), or nil. Weights <= 0 or NaN drop
	// the observation.
	Weights []float64
	// Block gives each sample's block (e.g. patient); with it the fit is
	// gls.series with intra-block Correlation.
	Block       []string
	Correlation float64
	// Workers splits the genes over goroutines; <= 0 means GOMAXPROCS.
	Workers int
	// Pool, when set, runs the gene-wise fits as "limma.lmfit" tasks over
	// gene ranges (e.g. on the browser's engine workers); nil keeps them in
	// this process on Workers goroutines. Results are bitwise the same.
	Pool pool.Pool
}

// ErrNoGenes is returned for an expression matrix without rows.
var ErrNoGenes = errors.New("limma: expression matrix has zero rows")

// LmFit fits y_g = X β_g + ε_g for every gene g, like limma's lmFit (limma
// 3.54.1, R/lmfit.R: lm.series without a block, gls.series with one).
//
// For each gene the finite observations with positive weight are kept, the
// weighted design sqrt(w)·X is decomposed by R's pivoted QR (dqrdc2,
// tolerance 1e-7), and
//
//	coefficients   = R⁻¹Qᵀ(sqrt(w)·y), NaN for aliased columns
//	stdev.unscaled = sqrt(diag((XᵀWX)⁻¹))
//	df.residual    = n_obs - rank
//	sigma          = sqrt(mean(effects[rank+1:]²))  (NaN when df = 0)
//
// With a block and correlation ρ, V = W^{-1/2} C W^{-1/2} with C = ZρZᵀ and
// unit diagonal; y and X are premultiplied by the inverse transposed Cholesky
// factor of V (computed block by block, which is the same factor) and then
// fitted by least squares; sigma = sqrt(Σ residual²/df). A gene whose
// observed design rows are all zero gets df = n_obs and sigma = sqrt(mean(y*²)).
//
// Amean is the row mean of y over finite values. A gene with no usable
// observation has NaN coefficients, sigma and df 0.
//
// Errors: no genes; a design without columns or whose rows do not match the
// samples; NaN in the design; weights or block of the wrong length; |correlation| >= 1.
func LmFit(y *dataset.Matrix, X *design.Matrix, opt *LmOptions) (*Fit, error) {
	return lmFit(y, X, opt, false, nil)
}

// lmFit is LmFit; finite says that every value of y is known to be finite
// (voom's log-CPM of finite counts), which skips the per-gene check. fill,
// when not nil, writes rows [lo,hi) of y.Data and is called for every row
// range just before that range is used (Amean and the fits), so that voom's
// log-CPM values are computed while they are in cache.
func lmFit(y *dataset.Matrix, X *design.Matrix, opt *LmOptions, finite bool, fill func(lo, hi int)) (*Fit, error) {
	if opt == nil {
		opt = &LmOptions{}
	}
	if err := y.Validate(); err != nil {
		return nil, err
	}
	G, n := y.Rows(), y.Cols()
	if G == 0 {
		return nil, ErrNoGenes
	}
	if X == nil {
		ones := make([]float64, n)
		for i := range ones {
			ones[i] = 1
		}
		X, _ = design.FromValues([]string{"GrandMean"}, n, ones)
	}
	if X.Rows != n {
		return nil, fmt.Errorf("limma: the design has %d rows but the data have %d samples", X.Rows, n)
	}
	if X.Cols() == 0 {
		return nil, fmt.Errorf("limma: the design matrix has no columns")
	}
	for _, v := range X.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("limma: NA or infinite values in the design matrix")
		}
	}
	if opt.Weights != nil && len(opt.Weights) != G*n {
		return nil, fmt.Errorf("limma: %d weights for %d genes x %d samples", len(opt.Weights), G, n)
	}
	p := X.Cols()
	f := &Fit{
		Genes:         y.Genes,
		CoefNames:     append([]string(nil), X.Columns...),
		Coefficients:  make([]float64, G*p),
		StdevUnscaled: make([]float64, G*p),
		Sigma:         make([]float64, G),
		DfResidual:    make([]float64, G),
		Amean:         make([]float64, G),
	}
	var blocks *blocking
	if opt.Block != nil {
		if len(opt.Block) != n {
			return nil, fmt.Errorf("limma: block has %d values for %d samples", len(opt.Block), n)
		}
		if math.Abs(opt.Correlation) >= 1 || math.IsNaN(opt.Correlation) {
			return nil, fmt.Errorf("limma: correlation is %v, so the model is degenerate", opt.Correlation)
		}
		blocks = newBlocking(opt.Block)
		f.Block = append([]string(nil), opt.Block...)
		f.Correlation = opt.Correlation
	}
	// Design-level covariance (cov.coefficients), pivot and rank.
	q := designQR(X.X, n, p, blocks, opt.Correlation)
	f.Pivot = append([]int(nil), q.Pivot...)
	f.Rank = q.Rank
	f.CovCoefficients = q.UnscaledCov()

	var blockOf []int
	if blocks != nil {
		blockOf = blocks.of
	}
	if opt.Pool != nil {
		// Fill and Amean a chunk at a time, while it is in cache.
		for a := 0; a < G; a += lmChunk {
			b := min(a+lmChunk, G)
			if fill != nil {
				fill(a, b)
			}
			rowMeans(y, a, b, f.Amean)
		}
		if err := lmFitPool(opt.Pool, y, X.X, n, p, opt.Weights, blockOf, opt.Correlation, f); err != nil {
			return nil, err
		}
		return f, nil
	}
	ctx := newLmContext(X.X, n, p, blockOf, opt.Correlation, opt.Weights != nil, q)
	ctx.finite = finite
	parallel(G, opt.Workers, func(lo, hi int) {
		ws := ctx.newWork()
		// Chunks of genes small enough to stay in cache between fill,
		// Amean and the fits.
		for a := lo; a < hi; a += lmChunk {
			b := min(a+lmChunk, hi)
			if fill != nil {
				fill(a, b)
			}
			var w []float64
			if opt.Weights != nil {
				w = opt.Weights[a*n : b*n]
			}
			ctx.fitRange(ws, y.Data[a*n:b*n], w, f.Coefficients[a*p:b*p], f.StdevUnscaled[a*p:b*p], f.Sigma[a:b], f.DfResidual[a:b], f.Amean[a:b])
		}
	})
	return f, nil
}

// lmChunk is the number of genes lmFit fills and fits at a time.
const lmChunk = 64

// lmContext is what every gene's fit shares: the design, the blocking, the
// shared decomposition and the sparse plan.
type lmContext struct {
	X      []float64
	n, p   int
	blocks *blocking
	rho    float64
	shared *design.QR
	sdv    []float64
	qcols  []float64 // the first Rank columns of the shared Q, row-major n x Rank
	xnz    []bool    // per design row: has a non-zero entry
	plan   *sparsePlan
	splan  *sparseShared // the plan's shared factorisation (unweighted fits)
	finite bool          // every y is finite
}

// newLmContext prepares the fits of LmFit; q is the decomposition of the
// (whitened, with a block) design, or nil to compute it here.
func newLmContext(X []float64, n, p int, blockOf []int, rho float64, weighted bool, q *design.QR) *lmContext {
	c := &lmContext{X: X, n: n, p: p, rho: rho, xnz: make([]bool, n)}
	for i := range c.xnz {
		for _, x := range X[i*p : i*p+p] {
			if x != 0 {
				c.xnz[i] = true
			}
		}
	}
	if blockOf != nil {
		c.blocks = blockingOf(blockOf)
	}
	if q == nil {
		q = designQR(X, n, p, c.blocks, rho)
	}
	// Shared decomposition for complete genes without weights (lm.series's
	// NoProbeWts path): the same arithmetic as the gene-wise path.
	if c.blocks == nil && !weighted {
		c.shared = q
		c.sdv = make([]float64, p)
		for j := range c.sdv {
			c.sdv[j] = math.NaN()
		}
		cov := q.UnscaledCov()
		for k := 0; k < q.Rank; k++ {
			c.sdv[q.Pivot[k]] = math.Sqrt(cov[k*q.Rank+k])
		}
		c.qcols = explicitQ(q)
	}
	// Sparse Givens QR for designs with many indicator columns.
	if c.blocks == nil && q.Rank == p {
		c.plan = newSparsePlan(X, n, p)
		if c.plan != nil && !weighted {
			c.splan = c.plan.shared()
		}
	}
	return c
}

// lmWork is one worker's buffers for lmContext.fitRange.
type lmWork struct {
	s  *scratch
	sw *sparseWork
}

func (c *lmContext) newWork() *lmWork {
	ws := &lmWork{s: newScratch(c.n, c.p)}
	if c.plan != nil {
		ws.sw = newSparseWork(c.p)
	}
	return ws
}

// fitRange fits the genes of y (row-major, len(sigma) genes) with weights
// w (same shape, or nil) into coef and sd (genes x p), sigma and df, and
// sets amean to their rowMean unless amean is nil.
func (c *lmContext) fitRange(ws *lmWork, y, w, coefs, sds, sigma, dfs, amean []float64) {
	n, p := c.n, c.p
	s, sw := ws.s, ws.sw
	for g := range sigma {
		yg := y[g*n : (g+1)*n]
		if amean != nil && !(c.shared != nil && c.plan == nil && (c.finite || complete(yg))) {
			// (lmShared computes it along with the fit.)
			amean[g] = rowMean(yg)
		}
		var wg []float64
		if w != nil {
			wg = w[g*n : (g+1)*n]
		}
		coef := coefs[g*p : (g+1)*p]
		sd := sds[g*p : (g+1)*p]
		if c.splan != nil && wg == nil && (c.finite || complete(yg)) {
			sigma[g], dfs[g] = c.plan.fitShared(c.splan, sw, yg, coef, sd)
			continue
		}
		if c.plan != nil {
			var ok bool
			if sigma[g], dfs[g], ok = c.plan.fit(sw, yg, wg, coef, sd); ok {
				continue
			}
		}
		if c.shared != nil && (c.finite || complete(yg)) {
			var am *float64
			if amean != nil {
				am = &amean[g]
			}
			sigma[g], dfs[g] = s.lmShared(yg, c.shared, c.qcols, c.sdv, coef, sd, am)
			continue
		}
		if c.blocks == nil {
			sigma[g], dfs[g] = s.lmGene(yg, wg, c.X, coef, sd)
		} else {
			sigma[g], dfs[g] = s.glsGene(yg, wg, c.X, c.xnz, c.blocks, c.rho, coef, sd)
		}
	}
}

// geneTask encodes the pool task of genes [lo, hi) shared by "limma.lmfit" and
// "limma.dupcor": n, p, the design X, the blocks, rho (lmFit only, when not
// nil), the rows of y and, when given, of the weights.
func geneTask(y *dataset.Matrix, X []float64, n, p int, weights []float64, blockOf []int, rho *float64, lo, hi int) []byte {
	rows := (hi - lo) * n
	size := 8*(len(X)+len(blockOf)+rows) + 64
	if weights != nil {
		size += 8 * rows
	}
	w := pool.NewWriter(size)
	w.Int(n)
	w.Int(p)
	w.Float64s(X)
	w.Ints(blockOf)
	if rho != nil {
		w.Float64(*rho)
	}
	w.Float64Blob(y.Data[lo*n : hi*n])
	w.Bool(weights != nil)
	if weights != nil {
		w.Float64Blob(weights[lo*n : hi*n])
	}
	return w.Bytes()
}

// lmFitPool runs the gene-wise fits as "limma.lmfit" tasks: each task holds
// the design, the blocking and a range of genes (values and weights) and
// returns their coefficients, standard deviations, sigma and df. The tasks
// are small (poolParts) and run a round of pool.Size() at a time, so the
// encoded rows of one round are all that is held besides the data; the
// kernel reads the rows in place from its input (poolRows), a chunk at a
// time, without copying the task.
func lmFitPool(pl pool.Pool, y *dataset.Matrix, X []float64, n, p int, weights []float64, blockOf []int, rho float64, f *Fit) error {
	G := y.Rows()
	parts := poolParts(pl, G, n, weights != nil)
	return pool.RunRounds(pl, "limma.lmfit", parts, func(lo, hi int) []byte {
		return geneTask(y, X, n, p, weights, blockOf, &rho, lo, hi)
	}, func(i, lo, hi int, out []byte) error {
		rd := pool.NewReader(out)
		c, sd, sg, df := rd.Blob(), rd.Blob(), rd.Blob(), rd.Blob()
		if err := rd.Done(); err != nil {
			return err
		}
		if len(c) != 8*(hi-lo)*p || len(sd) != len(c) || len(sg) != 8*(hi-lo) || len(df) != len(sg) {
			return fmt.Errorf("limma: lmfit task %d returned %d values for %d genes", i, len(sg)/8, hi-lo)
		}
		pool.DecodeFloat64s(f.Coefficients[lo*p:hi*p], c)
		pool.DecodeFloat64s(f.StdevUnscaled[lo*p:hi*p], sd)
		pool.DecodeFloat64s(f.Sigma[lo:hi], sg)
		pool.DecodeFloat64s(f.DfResidual[lo:hi], df)
		return nil
	})
}

// poolTaskBytes bounds the rows (values and weights) of one pool task.
// Tasks of a few MB keep a round's encoded inputs small next to the data
// (in the browser each is also copied to the helper that runs it) while
// the per-task set-up (decomposition of the design) stays negligible.
var poolTaskBytes = 4 << 20

// poolParts splits G genes of n samples into contiguous ranges of at most
// poolTaskBytes of rows each, and at least pl.Size() ranges.
func poolParts(pl pool.Pool, G, n int, weighted bool) [][2]int {
	row := 8 * n
	if weighted {
		row *= 2
	}
	per := max(1, poolTaskBytes/max(row, 1))
	return pool.Split(G, max(pl.Size(), (G+per-1)/per))
}

// rowChunks calls fn for consecutive chunks of at most lmChunk genes of the
// Float64Blob blobs y and w (w nil: unweighted) of n samples each, with the
// chunk decoded into reused buffers.
func rowChunks(y, w []byte, n int, fn func(lo, hi int, yc, wc []float64)) {
	G := len(y) / (8 * n)
	yc := make([]float64, min(G, lmChunk)*n)
	var wc []float64
	if w != nil {
		wc = make([]float64, len(yc))
	}
	for lo := 0; lo < G; lo += lmChunk {
		hi := min(lo+lmChunk, G)
		m := (hi - lo) * n
		pool.DecodeFloat64s(yc[:m], y[8*lo*n:])
		var wg []float64
		if w != nil {
			pool.DecodeFloat64s(wc[:m], w[8*lo*n:])
			wg = wc[:m]
		}
		fn(lo, hi, yc[:m], wg)
	}
}

func init() { pool.Register("limma.lmfit", lmFitKernel) }

// lmFitKernel is the "limma.lmfit" task (see lmFitPool).
func lmFitKernel(in []byte) ([]byte, error) {
	rd := pool.NewReader(in)
	n, p := rd.Int(), rd.Int()
	X := rd.Float64s()
	blockOf := rd.Ints()
	rho := rd.Float64()
	y := rd.Blob()
	var w []byte
	if rd.Bool() {
		w = rd.Blob()
	}
	if err := rd.Done(); err != nil {
		return nil, err
	}
	if n <= 0 || p <= 0 || len(X) != n*p || len(y)%(8*n) != 0 || (w != nil && len(w) != len(y)) || (blockOf != nil && len(blockOf) != n) {
		return nil, fmt.Errorf("limma: lmfit task: inconsistent sizes")
	}
	for _, b := range blockOf {
		if b < 0 || b >= n {
			return nil, fmt.Errorf("limma: lmfit task: bad block index")
		}
	}
	if len(blockOf) == 0 {
		blockOf = nil
	}
	G := len(y) / (8 * n)
	coef, sd := make([]float64, G*p), make([]float64, G*p)
	sigma, df := make([]float64, G), make([]float64, G)
	ctx := newLmContext(X, n, p, blockOf, rho, w != nil, nil)
	ws := ctx.newWork()
	rowChunks(y, w, n, func(lo, hi int, yc, wc []float64) {
		ctx.fitRange(ws, yc, wc, coef[lo*p:hi*p], sd[lo*p:hi*p], sigma[lo:hi], df[lo:hi], nil)
	})
	out := pool.NewWriter(8*(2*G*p+2*G) + 32)
	out.Float64Blob(coef)
	out.Float64Blob(sd)
	out.Float64Blob(sigma)
	out.Float64Blob(df)
	return out.Bytes(), nil
}

func complete(y []float64) bool {
	for _, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// explicitQ returns the first Rank columns of q's orthogonal factor, row-major
// N x Rank (column k is Q·e_k).
func explicitQ(q *design.QR) []float64 {
	n, r := q.N, q.Rank
	out := make([]float64, n*r)
	e := make([]float64, n)
	for k := 0; k < r; k++ {
		for i := range e {
			e[i] = 0
		}
		e[k] = 1
		q.QY(e)
		for i, v := range e {
			out[i*r+k] = v
		}
	}
	return out
}

// lmShared fits a complete gene with a decomposition shared by all genes
// (lm.fit's QR of the design): with Q₁ its first r orthonormal columns,
// effects = Q₁ᵀy, R b = effects (b in pivoted order) and the residual sum
// of squares is ||y - Q₁·effects||². This is the least-squares solution of
// lm.fit, which forms Qᵀy by Householder reflections; the two agree to
// rounding, and this way takes two passes over y instead of 2r + 1.
//
// When amean is not nil it is set to rowMean(y), summed along the first
// pass in the same order.
func (s *scratch) lmShared(y []float64, q *design.QR, q1 []float64, sdv, coef, sd []float64, amean *float64) (sigma, df float64) {
	m := len(y)
	r := q.Rank
	eff := s.b[:r]
	q1 = q1[:m*r]
	// Even and odd observations are summed separately (two independent
	// chains of additions).
	ss := 0.0
	var ms, mc float64 // rowMean's compensated sum
	switch r {
	case 1:
		var a, b float64
		i := 0
		for ; i+1 < m; i += 2 {
			a += q1[i] * y[i]
			b += q1[i+1] * y[i+1]
			ms, mc = neumaier(ms, mc, y[i])
			ms, mc = neumaier(ms, mc, y[i+1])
		}
		if i < m {
			a += q1[i] * y[i]
			ms, mc = neumaier(ms, mc, y[i])
		}
		e0 := a + b
		eff[0] = e0
		var s0, s1 float64
		for i = 0; i+1 < m; i += 2 {
			d0 := y[i] - q1[i]*e0
			d1 := y[i+1] - q1[i+1]*e0
			s0 += d0 * d0
			s1 += d1 * d1
		}
		if i < m {
			d := y[i] - q1[i]*e0
			s0 += d * d
		}
		ss = s0 + s1
	case 2:
		var a0, a1, b0, b1 float64
		i := 0
		for ; i+1 < m; i += 2 {
			q := q1[2*i : 2*i+4]
			v, w := y[i], y[i+1]
			a0 += q[0] * v
			a1 += q[1] * v
			b0 += q[2] * w
			b1 += q[3] * w
			ms, mc = neumaier(ms, mc, v)
			ms, mc = neumaier(ms, mc, w)
		}
		if i < m {
			a0 += q1[2*i] * y[i]
			a1 += q1[2*i+1] * y[i]
			ms, mc = neumaier(ms, mc, y[i])
		}
		e0, e1 := a0+b0, a1+b1
		eff[0], eff[1] = e0, e1
		var s0, s1 float64
		for i = 0; i+1 < m; i += 2 {
			q := q1[2*i : 2*i+4]
			d0 := y[i] - (q[0]*e0 + q[1]*e1)
			d1 := y[i+1] - (q[2]*e0 + q[3]*e1)
			s0 += d0 * d0
			s1 += d1 * d1
		}
		if i < m {
			d := y[i] - (q1[2*i]*e0 + q1[2*i+1]*e1)
			s0 += d * d
		}
		ss = s0 + s1
	default:
		for k := range eff {
			eff[k] = 0
		}
		for i, v := range y {
			row := q1[i*r : i*r+r]
			for k, qv := range row {
				eff[k] += qv * v
			}
			ms, mc = neumaier(ms, mc, v)
		}
		for i, v := range y {
			row := q1[i*r : i*r+r]
			f := 0.0
			for k, qv := range row {
				f += qv * eff[k]
			}
			d := v - f
			ss += d * d
		}
	}
	if amean != nil {
		*amean = rowMean(nil)
		if m > 0 {
			*amean = (ms + mc) / float64(m)
		}
	}
	// Near-exact fits (residuals at rounding level, e.g. a constant gene)
	// take lm.fit's Householder route, which keeps exact fits exact;
	// ||y||² = ||effects||² + rss.
	if ne := sumSquares(eff); !(ss > 1e-24*(ne+ss)) {
		return s.lmHouseholder(y, q, sdv, coef, sd)
	}
	b := s.work[:r]
	q.SolveR(eff, b)
	setPivoted(coef, sd, b, sdv, q.Pivot)
	df = float64(m - r)
	if m > r {
		return math.Sqrt(ss / df), df
	}
	return math.NaN(), df
}

// setPivoted sets coef from the solution b of the pivoted system (coef at
// Pivot[k] is b[k], NaN for the aliased columns) and sd to the shared
// standard deviations sdv.
func setPivoted(coef, sd, b, sdv []float64, pivot []int) {
	for j := range coef {
		coef[j] = math.NaN()
	}
	copy(sd, sdv)
	for k, v := range b {
		coef[pivot[k]] = v
	}
}

func sumSquares(y []float64) float64 {
	s := 0.0
	for _, v := range y {
		s += v * v
	}
	return s
}

// lmHouseholder is lmShared with Qᵀy formed by the Householder reflections
// of the decomposition, as lm.fit does.
func (s *scratch) lmHouseholder(y []float64, q *design.QR, sdv, coef, sd []float64) (sigma, df float64) {
	m := len(y)
	e := s.yw[:m]
	copy(e, y)
	q.QtY(e)
	r := q.Rank
	b := s.b[:r]
	q.SolveR(e, b)
	setPivoted(coef, sd, b, sdv, q.Pivot)
	df = float64(m - r)
	if m > r {
		ss := 0.0
		for _, v := range e[r:] {
			ss += v * v
		}
		return math.Sqrt(ss / df), df
	}
	return math.NaN(), df
}

func allObs(n int) []bool {
	o := make([]bool, n)
	for i := range o {
		o[i] = true
	}
	return o
}

// rowMeans sets out[g] for the rows lo <= g < hi of y to rowMeans(y,
// na.rm = TRUE) (rowMean).
func rowMeans(y *dataset.Matrix, lo, hi int, out []float64) {
	for g := lo; g < hi; g++ {
		out[g] = rowMean(y.Row(g))
	}
}

// rowMean is mean(y, na.rm = TRUE) with a compensated (Neumaier) sum in
// the order of y; NaN when every value is NaN.
func rowMean(y []float64) float64 {
	var s, c float64
	k := 0
	for _, v := range y {
		if math.IsNaN(v) {
			continue
		}
		s, c = neumaier(s, c, v)
		k++
	}
	if k == 0 {
		return math.NaN()
	}
	return (s + c) / float64(k)
}

// neumaier adds v to the compensated sum (s, c) with Knuth's branch-free
// TwoSum, which gives the same result as Neumaier's branching form.
func neumaier(s, c, v float64) (float64, float64) {
	t := s + v
	bp := t - s
	c += (s - (t - bp)) + (v - bp)
	return t, c
}

// workerCount is the number of goroutines of a Workers option: <= 0
// means GOMAXPROCS.
func workerCount(workers int) int {
	if workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return workers
}

// parallel runs fn over [0,G) split into contiguous chunks, one per worker.
func parallel(G, workers int, fn func(lo, hi int)) {
	workers = workerCount(workers)
	if workers > G {
		workers = G
	}
	if workers <= 1 {
		fn(0, G)
		return
	}
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		lo, hi := G*k/workers, G*(k+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// scratch holds one worker's buffers.
type scratch struct {
	n, p int
	yw   []float64 // lmShared's buffers
	b    []float64
	work []float64
	ls   *wls // lmGene's and glsGene's least squares
	chol []float64
	obsB []bool
	ysB  []float64
	xsB  []float64
	wbuf []float64
	ibuf []int
}

func newScratch(n, p int) *scratch {
	return &scratch{n: n, p: p, yw: make([]float64, n), b: make([]float64, p), work: make([]float64, 2*p), ls: newWLS(n, p)}
}

// lmGene is one gene of lm.series (lm.fit / lm.wfit on the observed values).
func (s *scratch) lmGene(y, w, X []float64, coef, sd []float64) (sigma, df float64) {
	f := s.ls
	m := f.load(y, w, X)
	if m == 0 {
		for j := range coef {
			coef[j] = math.NaN()
			sd[j] = math.NaN()
		}
		return math.NaN(), 0
	}
	r := f.decompose()
	f.solve(coef, sd)
	df = float64(m - r)
	if m > r {
		return math.Sqrt(f.rss() / float64(m-r)), df
	}
	return math.NaN(), df
}

// blocking indexes samples by block, in order of first appearance.
type blocking struct {
	of      []int   // block index per sample
	members [][]int // samples per block, increasing
}

// blockingOf rebuilds a blocking from the block index of each sample
// (indices numbered in order of first appearance, as newBlocking makes them).
func blockingOf(of []int) *blocking {
	b := &blocking{of: append([]int(nil), of...)}
	for i, k := range of {
		for len(b.members) <= k {
			b.members = append(b.members, nil)
		}
		b.members[k] = append(b.members[k], i)
	}
	return b
}

func newBlocking(block []string) *blocking {
	b := &blocking{of: make([]int, len(block))}
	idx := map[string]int{}
	for i, v := range block {
		k, ok := idx[v]
		if !ok {
			k = len(b.members)
			idx[v] = k
			b.members = append(b.members, nil)
		}
		b.of[i] = k
		b.members[k] = append(b.members[k], i)
	}
	return b
}

// whiten premultiplies, block by block, the rows of x (row-major n x p) and
// y by L⁻¹ where LLᵀ = V restricted to the observed samples and
// V = W^{-1/2} C W^{-1/2} (w nil = unit weights). Rows of unobserved samples
// are left untouched.
func (bl *blocking) whiten(w []float64, x, y []float64, chol []float64, p int, rho float64, obs []bool) {
	bl.whitenBuf(w, x, y, chol, p, rho, obs, nil, nil)
}

// whitenBuf is whiten with a reusable buffer (len >= largest block) for the
// observed members and their 1/sqrt(w).
func (bl *blocking) whitenBuf(w []float64, x, y []float64, chol []float64, p int, rho float64, obs []bool, buf []float64, ibuf []int) {
	idx := ibuf[:0]
	for _, mem := range bl.members {
		if len(mem) <= 2 {
			// Blocks of one or two samples (most of them) without
			// gathering their observed members.
			switch {
			case len(mem) == 2 && obs[mem[0]] && obs[mem[1]]:
				whitenSmall(w, x, y, p, rho, mem[0], mem[1], true)
			case obs[mem[0]]:
				whitenSmall(w, x, y, p, rho, mem[0], 0, false)
			case len(mem) == 2 && obs[mem[1]]:
				whitenSmall(w, x, y, p, rho, mem[1], 0, false)
			}
			continue
		}
		idx = idx[:0]
		for _, i := range mem {
			if obs[i] {
				idx = append(idx, i)
			}
		}
		m := len(idx)
		if m == 0 {
			continue
		}
		if m <= 2 {
			whitenSmall(w, x, y, p, rho, idx[0], idx[m-1], m == 2)
			continue
		}
		if len(chol) < m*m {
			chol = make([]float64, m*m)
		}
		if len(buf) < m {
			buf = make([]float64, m)
		}
		L := chol[:m*m]
		wr := buf[:m]
		for a := 0; a < m; a++ {
			wr[a] = 1
			if w != nil {
				wr[a] = 1 / math.Sqrt(w[idx[a]])
			}
		}
		// V_ab = wrs_a wrs_b C_ab, then Cholesky (lower).
		for a := 0; a < m; a++ {
			for b := 0; b <= a; b++ {
				c := rho
				if a == b {
					c = 1
				}
				L[a*m+b] = wr[a] * (wr[b] * c)
			}
		}
		for j := 0; j < m; j++ {
			d := L[j*m+j]
			for k := 0; k < j; k++ {
				d -= L[j*m+k] * L[j*m+k]
			}
			d = math.Sqrt(d)
			L[j*m+j] = d
			for i := j + 1; i < m; i++ {
				t := L[i*m+j]
				for k := 0; k < j; k++ {
					t -= L[i*m+k] * L[j*m+k]
				}
				L[i*m+j] = t / d
			}
		}
		// Forward substitution in place, sample order within the block.
		for a := 0; a < m; a++ {
			ia := idx[a]
			t := y[ia]
			for b := 0; b < a; b++ {
				t -= L[a*m+b] * y[idx[b]]
			}
			inv := 1 / L[a*m+a]
			y[ia] = t * inv
			xa := x[ia*p : ia*p+p]
			for j := range xa {
				t := xa[j]
				for b := 0; b < a; b++ {
					t -= L[a*m+b] * x[idx[b]*p+j]
				}
				xa[j] = t * inv
			}
		}
	}
}

// whitenSmall is whitenBuf's block step for a block of one observed sample
// i0 or of two, i0 < i1 (two), with the same operations in the same order
// as the general step (Cholesky factor of V written out).
func whitenSmall(w []float64, x, y []float64, p int, rho float64, i0, i1 int, two bool) {
	wr0 := 1.0
	if w != nil {
		wr0 = 1 / math.Sqrt(w[i0])
	}
	l00 := math.Sqrt(wr0 * (wr0 * 1))
	inv0 := 1 / l00
	y[i0] = y[i0] * inv0
	x0 := x[i0*p : i0*p+p]
	for j := range x0 {
		x0[j] = x0[j] * inv0
	}
	if !two {
		return
	}
	wr1 := 1.0
	if w != nil {
		wr1 = 1 / math.Sqrt(w[i1])
	}
	l10 := wr1 * (wr0 * rho) / l00
	l11 := math.Sqrt(wr1*(wr1*1) - l10*l10)
	inv1 := 1 / l11
	y[i1] = (y[i1] - l10*y[i0]) * inv1
	x1 := x[i1*p : i1*p+p]
	for j := range x1 {
		x1[j] = (x1[j] - l10*x0[j]) * inv1
	}
}

// glsGene is one gene of gls.series.
func (s *scratch) glsGene(y, w, X []float64, xnz []bool, bl *blocking, rho float64, coef, sd []float64) (sigma, df float64) {
	n, p := s.n, s.p
	if s.obsB == nil {
		s.obsB, s.ysB, s.xsB = make([]bool, n), make([]float64, n), make([]float64, n*p)
		s.chol = growChol(s.chol, bl)
		s.wbuf = make([]float64, len(s.chol))
		s.ibuf = make([]int, 0, len(s.chol))
	}
	// Observed: a finite value and, with weights, a weight >= 1e-15 (NaN
	// not); only observed rows of ys and xs are read below.
	obs, ys, xs := s.obsB, s.ysB, s.xsB
	copy(xs, X)
	m := 0
	if w == nil {
		for i, v := range y {
			ok := v-v == 0
			obs[i] = ok
			if ok {
				ys[i] = v
				m++
			}
		}
	} else {
		w = w[:len(y)]
		for i, v := range y {
			ok := v-v == 0 && w[i] >= 1e-15
			obs[i] = ok
			if ok {
				ys[i] = v
				m++
			}
		}
	}
	for j := range coef {
		coef[j] = math.NaN()
		sd[j] = math.NaN()
	}
	if m == 0 {
		return math.NaN(), 0
	}
	bl.whitenBuf(w, xs, ys, s.chol, p, rho, obs, s.wbuf, s.ibuf)
	f := s.ls
	f.setRows(obs[:n], m, xs, ys)
	allZero := true
	for i, o := range obs[:n] {
		if o && xnz[i] {
			allZero = false
			break
		}
	}
	if allZero {
		return math.Sqrt(f.sumSquares() / float64(m)), float64(m)
	}
	r := f.decompose()
	f.solve(coef, sd)
	df = float64(m - r)
	if m > r {
		return math.Sqrt(f.rss() / df), df
	}
	return math.NaN(), df
}

func growChol(c []float64, bl *blocking) []float64 {
	mx := 0
	for _, m := range bl.members {
		if len(m) > mx {
			mx = len(m)
		}
	}
	if len(c) < mx*mx {
		c = make([]float64, mx*mx)
	}
	return c
}
