package deseq

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
)

// The gene-wise stages (gene-wise dispersions, MAP dispersions, GLM fits with
// Cook's distances) run as pool kernels over contiguous gene ranges: the
// caller encodes the design, the size factors, the stage's parameters and
// the count rows of each range, Options.Pool (or pool.Local(Workers)) runs
// the kernels, and the caller decodes the results in gene order. Every gene
// is computed from its own row by the same operations whatever range it
// falls in, so the results do not depend on the number of parts.

// Kernel names registered with package pool.
const (
	kernelGeneWise = "deseq.genewise"
	kernelMAP      = "deseq.map"
	kernelGLM      = "deseq.glm"
)

func init() {
	pool.Register(kernelGeneWise, geneWiseKernel)
	pool.Register(kernelMAP, mapKernel)
	pool.Register(kernelGLM, glmKernel)
}

// maxBatchValues is the number of count values (genes x samples) a batch of
// a gene-wise stage encodes at most (32 MB of float64).
const maxBatchValues = 4 << 20

// minGenesPerPart keeps small jobs in few parts (a variable for the tests).
var minGenesPerPart = 64

// runStage runs kernel name over n genes in consecutive batches (at least
// progressBatches when Options.Progress is set, reporting after each; enough
// to keep each batch's encoded data near maxBatchValues values), each batch
// split into the pool's parts. enc writes the task of genes [lo, hi); dec reads its result.
//
// Without Options.Pool (the local pool of Options.Workers goroutines) the
// bytes are skipped: direct computes genes [lo, hi) from the caller's arrays
// and stores the results in place, over the same parts. It runs the same
// per-gene code on the same values as the kernel (the codec is bit-exact), so
// the results are bitwise identical to the encoded path's.
func (st *state) runStage(step, name string, n int, enc func(w *pool.Writer, lo, hi int), dec func(r *pool.Reader, lo, hi int) error, direct func(lo, hi int)) error {
	o := &st.f.opts
	var p pool.Pool
	size := o.workers()
	if o.Pool != nil || direct == nil {
		p = pool.Or(o.Pool, size)
		size = p.Size()
	}
	// batches bound the memory of the encoded copies (about maxBatchValues
	// count values each) and give Progress its steps
	nb := 1
	if p != nil {
		nb = (n*st.m + maxBatchValues - 1) / maxBatchValues
	}
	if o.Progress != nil {
		o.Progress(step, 0, n)
		nb = max(nb, progressBatches)
	}
	nb = max(1, min(nb, n))
	for b := 0; b < nb; b++ {
		blo, bhi := b*n/nb, (b+1)*n/nb
		if bhi > blo {
			parts := pool.Split(bhi-blo, max(1, min(size, (bhi-blo)/minGenesPerPart)))
			if p == nil {
				if len(parts) == 1 {
					direct(blo, bhi)
				} else {
					var wg sync.WaitGroup
					for _, r := range parts {
						wg.Add(1)
						go func(lo, hi int) {
							defer wg.Done()
							direct(lo, hi)
						}(blo+r[0], blo+r[1])
					}
					wg.Wait()
				}
			} else {
				// one round: a batch has at most the pool's size of parts
				abs := make([][2]int, len(parts))
				for i, r := range parts {
					abs[i] = [2]int{blo + r[0], blo + r[1]}
				}
				var decErr error
				err := pool.RunRounds(p, name, abs, func(lo, hi int) []byte {
					// room for two blocks of rows (counts and μ) and the design
					w := pool.NewWriter(16*(hi-lo)*st.m + 8*len(st.f.X) + 8*st.m + 1024)
					enc(w, lo, hi)
					return w.Bytes()
				}, func(i, lo, hi int, out []byte) error {
					rd := pool.NewReader(out)
					err := dec(rd, lo, hi)
					if err == nil {
						err = rd.Done()
					}
					if err != nil {
						decErr = fmt.Errorf("deseq: %s: result of part %d: %w", step, i, err)
					}
					return decErr
				})
				if decErr != nil {
					return decErr
				}
				if err != nil {
					return fmt.Errorf("deseq: %s: %w", step, err)
				}
			}
		}
		if o.Progress != nil {
			o.Progress(step, bhi, n)
		}
	}
	return nil
}

// rowSource gives the count (or μ) rows of a gene range: row i of the range,
// decoded into buf (len m) or returned in place. Callers only read the rows.
type rowSource interface {
	row(i int, buf []float64) []float64
}

// rowsAt is the rows idx[i] of a genes x m matrix in memory (the direct path).
type rowsAt struct {
	a   []float64
	m   int
	idx []int
}

func (ra rowsAt) row(i int, _ []float64) []float64 {
	g := ra.idx[i]
	return ra.a[g*ra.m : (g+1)*ra.m : (g+1)*ra.m]
}

// rowsSeq is the consecutive rows of an n x m matrix in memory.
type rowsSeq struct {
	a []float64
	m int
}

func (rs rowsSeq) row(i int, _ []float64) []float64 {
	return rs.a[i*rs.m : (i+1)*rs.m : (i+1)*rs.m]
}

// gatherAt returns a[idx[i]] for i in [lo, hi).
func gatherAt(a []float64, idx []int, lo, hi int) []float64 {
	buf := make([]float64, hi-lo)
	for i, g := range idx[lo:hi] {
		buf[i] = a[g]
	}
	return buf
}

// rowBlob is a packed genes x m float64 matrix as little-endian bytes (a
// Writer.Blob field, read without a copy); row converts one row.
type rowBlob struct {
	b []byte
	m int
}

func (rb rowBlob) rows() int {
	if rb.m <= 0 || len(rb.b)%(8*rb.m) != 0 {
		return -1
	}
	return len(rb.b) / (8 * rb.m)
}

// row decodes row i into out (len m) and returns it.
func (rb rowBlob) row(i int, out []float64) []float64 {
	b := rb.b[8*i*rb.m : 8*(i+1)*rb.m]
	for j := range out[:rb.m] {
		out[j] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*j:]))
	}
	return out[:rb.m]
}

// writeRows writes the rows idx[lo:hi] of the genes x m matrix a as one
// Blob, using *scratch as the staging buffer.
func writeRows(w *pool.Writer, a []float64, m int, idx []int, lo, hi int, scratch *[]byte) {
	b := staging(scratch, 8*(hi-lo)*m)
	for _, g := range idx[lo:hi] {
		for _, v := range a[g*m : (g+1)*m] {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	w.Blob(b)
	*scratch = b
}

// staging returns (*scratch)[:0] with capacity for n bytes.
func staging(scratch *[]byte, n int) []byte {
	if cap(*scratch) < n {
		*scratch = make([]byte, 0, n)
	}
	return (*scratch)[:0]
}

// writeBlob writes x as one Blob of little-endian float64 (see rowBlob).
func writeBlob(w *pool.Writer, x []float64, scratch *[]byte) {
	b := staging(scratch, 8*len(x))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	w.Blob(b)
	*scratch = b
}

// writeAt writes a[idx[i]] for i in [lo, hi).
func writeAt(w *pool.Writer, a []float64, idx []int, lo, hi int) {
	w.Float64s(gatherAt(a, idx, lo, hi))
}

// kernelDesign is the design part of every task: m samples, p columns, the
// model matrix and the size factors.
type kernelDesign struct {
	m, p  int
	X, sf []float64
}

func writeDesign(w *pool.Writer, m, p int, X, sf []float64) {
	w.Int(m)
	w.Int(p)
	w.Float64s(X)
	w.Float64s(sf)
}

var errTask = errors.New("deseq: malformed task")

func readDesign(r *pool.Reader) (kernelDesign, error) {
	kd := kernelDesign{m: r.Int(), p: r.Int()}
	kd.X, kd.sf = r.Float64s(), r.Float64s()
	if r.Err() != nil || kd.m <= 0 || kd.p <= 0 || kd.m <= kd.p && kd.p > 1 || len(kd.X) != kd.m*kd.p || len(kd.sf) != kd.m {
		return kd, errTask
	}
	return kd, nil
}

// geneWiseKernel: design, then baseMean and baseVar (n), counts (n x m, a
// rowBlob);
// result disp (n), iter (n), floored μ (n x m).
func geneWiseKernel(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	kd, err := readDesign(r)
	if err != nil {
		return nil, err
	}
	bm, bv := r.Float64s(), r.Float64s()
	cnt := rowBlob{r.Blob(), kd.m}
	if err := r.Done(); err != nil {
		return nil, err
	}
	n := len(bm)
	if len(bv) != n || cnt.rows() != n {
		return nil, errTask
	}
	disp, iter, mu := make([]float64, n), make([]int, n), make([]float64, n*kd.m)
	geneWiseChunk(kd, cnt, bm, bv, disp, iter, mu, nil)
	w := pool.NewWriter(8 * (len(mu) + 2*n + 4))
	w.Float64s(disp)
	w.Ints(iter)
	w.Float64s(mu)
	return w.Bytes(), nil
}

// geneWiseChunk is the per-gene part of estimateDispersionsGeneEst for n
// genes with counts cnt (n x m) and normalized-count means bm and variances
// bv, storing the estimates, iterations and floored μ (n x m) in disp, iter
// and muAll, and, if perms is non-nil (n x m), each gene's count order for
// the later stages (countTable.hint).
func geneWiseChunk(kd kernelDesign, cnt rowSource, bm, bv []float64, disp []float64, iter []int, muAll []float64, perms []uint16) {
	m, p, X, sf := kd.m, kd.p, kd.X, kd.sf
	n := len(bm)
	d := newDesign(X, m, p)
	qr := newThinQR(X, m, p)
	maxDisp := math.Max(10, float64(m))
	var xim float64
	for _, s := range sf {
		xim += 1 / s
	}
	xim /= float64(m)
	linear := d.ncell == p // linearModelMu: as many distinct rows as columns
	lambda := make([]float64, p)
	for k := range lambda {
		lambda[k] = noPriorLambda / (math.Ln2 * math.Ln2)
	}
	// X R^-1 for linearModelMu: (y Q)(X R^-1)ᵀ
	xrinv := make([]float64, m*p)
	for j := 0; j < m; j++ {
		// solve row_j = xrinv_j R  =>  Rᵀ xrinv_jᵀ = x_jᵀ (forward substitution)
		for k := 0; k < p; k++ {
			s := X[j*p+k]
			for l := 0; l < k; l++ {
				s -= xrinv[j*p+l] * qr.R[l*p+k]
			}
			xrinv[j*p+k] = s / qr.R[k*p+k]
		}
	}
	linQ := qr.Q
	if linear {
		// R's bits for linearModelMu (see rLinearBasis)
		if q, xr, ok := rLinearBasis(X, m, p); ok {
			linQ, xrinv = q, xr
		}
	}
	dw := newDispWork(d)
	gw := newGLMWork(d)
	yq := make([]float64, p)
	lin := make([]float64, m)
	beta := make([]float64, p)
	yn := make([]float64, m)
	ybuf := make([]float64, m)
	for i := 0; i < n; i++ {
		y := cnt.row(i, ybuf)
		for j := range yn {
			yn[j] = y[j] / sf[j]
		}
		linearFit(yn, linQ, xrinv, m, p, yq, lin)
		// rough estimate
		var rough float64
		for j := 0; j < m; j++ {
			mu := max(1, lin[j]) // builtin: inlined, same result as math.Max (NaN included)
			d := yn[j] - mu
			rough += (d*d - mu) / (mu * mu)
		}
		rough /= float64(m - p)
		if rough < 0 {
			rough = 0
		}
		moments := (bv[i] - xim*bm[i]) / (bm[i] * bm[i])
		a := math.Min(rough, moments)
		if math.IsNaN(rough) || math.IsNaN(moments) {
			a = math.NaN()
		}
		alphaInit := math.Min(math.Max(minDisp, a), maxDisp)
		mu := muAll[i*m : (i+1)*m]
		if linear {
			for j := 0; j < m; j++ {
				mu[j] = lin[j] * sf[j]
			}
		} else {
			initBeta(yn, qr, m, p, beta, yq)
			gw.fitBeta(X, y, sf, alphaInit, beta, lambda, betaTol, maxitFit, minmu)
			gw.rawMu(X, sf, beta, mu)
		}
		for j := range mu {
			if mu[j] < minmu {
				mu[j] = minmu
			}
		}
		la := fmath.Log(alphaInit)
		r := dw.fitDisp(y, mu, la, la, 1, fmath.Log(minDisp/10), kappa0, dispTol, maxitFit, false)
		est := math.Min(fmath.Exp(r.logAlpha), maxDisp)
		if r.lastLP < r.initialLP+math.Abs(r.initialLP)/1e6 {
			est = alphaInit
		}
		conv := r.iter < maxitFit && r.iter != 1
		if !conv && est > minDisp*10 {
			est = dw.fitDispGrid(y, mu, 0, 1, false)
		}
		disp[i] = math.Min(math.Max(est, minDisp), maxDisp)
		iter[i] = r.iter
		if perms != nil {
			dw.savePerm(perms[i*m : (i+1)*m])
		}
	}
}

// mapKernel: design, prior variance, outlier SD, gene-wise and fitted
// dispersions (n), then counts and μ (n x m rowBlobs); result MAP dispersion, iterations,
// outlier flags (0/1) and final dispersion (n each).
func mapKernel(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	kd, err := readDesign(r)
	if err != nil {
		return nil, err
	}
	priorVar, sdOut := r.Float64(), r.Float64()
	geneEst, dispFit := r.Float64s(), r.Float64s()
	cnt, mu := rowBlob{r.Blob(), kd.m}, rowBlob{r.Blob(), kd.m}
	if err := r.Done(); err != nil {
		return nil, err
	}
	n := len(geneEst)
	if len(dispFit) != n || cnt.rows() != n || mu.rows() != n {
		return nil, errTask
	}
	mapD, disp := make([]float64, n), make([]float64, n)
	iter, outl := make([]int, n), make([]int, n)
	mapChunk(kd, priorVar, sdOut, geneEst, dispFit, cnt, mu, mapD, iter, outl, disp, nil)
	w := pool.NewWriter(8 * (4*n + 4))
	w.Float64s(mapD)
	w.Ints(iter)
	w.Ints(outl)
	w.Float64s(disp)
	return w.Bytes(), nil
}

// mapChunk is the per-gene part of estimateDispersionsMAP for n genes with
// counts cnt and gene-wise floored μ (n x m each), gene-wise and fitted
// dispersions geneEst and dispFit: it stores the MAP dispersion, its
// iterations, the outlier flag (0/1) and the final dispersion. perms, if
// non-nil, are the genes' count orders saved by geneWiseChunk.
func mapChunk(kd kernelDesign, priorVar, sdOut float64, geneEst, dispFit []float64, cnt, mu rowSource, mapD []float64, iter, outl []int, disp []float64, perms []uint16) {
	n := len(geneEst)
	d := newDesign(kd.X, kd.m, kd.p)
	dw := newDispWork(d)
	m := kd.m
	maxDisp := math.Max(10, float64(m))
	ybuf, mubuf := make([]float64, m), make([]float64, m)
	for i := 0; i < n; i++ {
		y := cnt.row(i, ybuf)
		mui := mu.row(i, mubuf)
		init := dispFit[i]
		if geneEst[i] > 0.1*dispFit[i] {
			init = geneEst[i]
		}
		pm := fmath.Log(dispFit[i])
		if perms != nil {
			dw.hint = perms[i*m : (i+1)*m]
		}
		res := dw.fitDisp(y, mui, fmath.Log(init), pm, priorVar, fmath.Log(minDisp/10), kappa0, dispTol, maxitFit, true)
		a := fmath.Exp(res.logAlpha)
		if !(res.iter < maxitFit) {
			a = dw.fitDispGrid(y, mui, pm, priorVar, true)
		}
		a = math.Min(math.Max(a, minDisp), maxDisp)
		dw.hint = nil
		mapD[i] = a
		iter[i] = res.iter
		if fmath.Log(geneEst[i]) > fmath.Log(dispFit[i])+sdOut {
			outl[i] = 1
			disp[i] = geneEst[i]
		} else {
			disp[i] = a
		}
	}
}

// glmParams are the parameters of a GLM task besides the design.
type glmParams struct {
	lambda            []float64 // log2 scale, q
	wantCooks, wantLL bool
	dispX             []float64 // m x pDisp design of the robust cells (Cook's)
}

// glmKernel: design (the model matrix of the fit), lambda, flags, the Cook's
// design, then dispersions (n), counts (n x m rowBlob) and optional μ for
// Cook's (n x m rowBlob or empty); result β and SE (n x q, log2), converged (0/1),
// iterations, log likelihood (n) and Cook's distances (n x m or empty).
func glmKernel(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	kd, err := readDesign(r)
	if err != nil {
		return nil, err
	}
	gp := glmParams{lambda: r.Float64s(), wantCooks: r.Bool(), wantLL: r.Bool(), dispX: r.Float64s()}
	alpha := r.Float64s()
	cnt, cooksMu := rowBlob{r.Blob(), kd.m}, rowBlob{r.Blob(), kd.m}
	if err := r.Done(); err != nil {
		return nil, err
	}
	n, m := len(alpha), kd.m
	if len(gp.lambda) != kd.p || cnt.rows() != n || (len(cooksMu.b) > 0 && cooksMu.rows() != n) ||
		(gp.wantCooks && (len(gp.dispX) == 0 || len(gp.dispX)%m != 0)) {
		return nil, errTask
	}
	q := kd.p
	o := glmOut{beta: make([]float64, n*q), se: make([]float64, n*q), conv: make([]bool, n), iter: make([]int, n), logLike: make([]float64, n)}
	if gp.wantCooks {
		o.cooks = make([]float64, n*m)
	}
	var cm rowSource
	if len(cooksMu.b) > 0 {
		cm = cooksMu
	}
	glmChunk(kd, gp, cnt, alpha, cm, o, nil)
	w := pool.NewWriter(8 * (len(o.beta)*2 + len(o.cooks) + 4*n + 8))
	w.Float64s(o.beta)
	w.Float64s(o.se)
	conv := make([]int, n)
	for i, c := range o.conv {
		if c {
			conv[i] = 1
		}
	}
	w.Ints(conv)
	w.Ints(o.iter)
	w.Float64s(o.logLike)
	w.Float64s(o.cooks)
	return w.Bytes(), nil
}

// glmChunk is fitNbinomGLMs (DESeq2 1.38.3, useQR, no optim fallback) for n
// genes with counts cnt (n x m) and dispersions alpha, with Cook's distances
// (calculateCooksDistance, robust dispersion over the cells of gp.dispX) when
// wanted, at cooksMu when non-nil, else at the fitted μ; out's slices have
// room for the n genes (cooks only when wanted). perms, if non-nil, are the
// genes' count orders saved by geneWiseChunk.
func glmChunk(kd kernelDesign, gp glmParams, cnt rowSource, alpha []float64, cooksMu rowSource, out glmOut, perms []uint16) {
	m, q, X, sf := kd.m, kd.p, kd.X, kd.sf
	n := len(alpha)
	lamNat := make([]float64, q)
	for k := range lamNat {
		lamNat[k] = gp.lambda[k] / (math.Ln2 * math.Ln2)
	}
	justIntercept := q == 1
	for _, v := range X[:m*q] {
		if v != 1 {
			justIntercept = false
		}
	}
	for _, l := range gp.lambda {
		if l > 1e-6 {
			justIntercept = false
		}
	}
	qr := newThinQR(X, m, q)
	fullRank := qr.rank == q
	var rc *robustCells
	pDisp := 0
	if gp.wantCooks {
		pDisp = len(gp.dispX) / m
		rc = newRobustCells(gp.dispX, m, pDisp)
	}
	gw := newGLMWork(newDesign(X, m, q))
	beta := make([]float64, q)
	yq := make([]float64, q)
	rbuf := newRobustBuf(m)
	yn := make([]float64, m)
	ybuf, cmbuf := make([]float64, m), make([]float64, m)
	hasCooksMu := cooksMu != nil
	for i := 0; i < n; i++ {
		y := cnt.row(i, ybuf)
		for j := range yn {
			yn[j] = y[j] / sf[j]
		}
		a := alpha[i]
		size := 1 / a
		if justIntercept {
			var s float64
			for _, v := range yn {
				s += v
			}
			b2 := fmath.Log2(s / float64(m))
			out.beta[i] = b2
			var xtwx, ll float64
			for j := 0; j < m; j++ {
				mu := sf[j] * fmath.Pow(2, b2)
				gw.mu[j] = mu
				ll += dnbinomMuLog(y[j], size, mu)
				w := 1 / (1/mu + a)
				gw.w[j] = w
				xtwx += w
			}
			out.se[i] = math.Log2E * math.Sqrt(1/xtwx)
			out.conv[i] = true
			out.iter[i] = 1
			out.logLike[i] = ll
			if gp.wantCooks {
				for j := 0; j < m; j++ {
					gw.hat[j] = gw.w[j] / xtwx
				}
				cm := gw.mu
				if hasCooksMu {
					cm = cooksMu.row(i, cmbuf)
				}
				cooksRow(out.cooks[i*m:(i+1)*m], y, yn, cm, gw.hat, rc, rbuf, pDisp)
			}
			continue
		}
		if fullRank {
			initBeta(yn, qr, m, q, beta, yq)
		} else {
			for k := range beta {
				beta[k] = 0
			}
		}
		if perms != nil {
			gw.ct.hint = perms[i*m : (i+1)*m]
		}
		it, _ := gw.fitBeta(X, y, sf, a, beta, lamNat, betaTol, maxitFit, minmu)
		gw.ct.hint = nil
		gw.covariance(X, a, lamNat, nil, true)
		stable := true
		varPos := true
		for k := 0; k < q; k++ {
			b := beta[k]
			if math.IsNaN(b) {
				stable = false
			}
			v := gw.varDiag[k]
			if !(v > 0) {
				varPos = false
			}
			out.beta[i*q+k] = math.Log2E * b
			out.se[i*q+k] = math.Log2E * math.Sqrt(math.Max(v, 0))
		}
		out.iter[i] = it
		out.conv[i] = it < maxitFit && stable && varPos
		// unfloored mu for the log likelihood and Cook's distance
		var ll float64
		gw.rawMu(X, sf, beta, gw.eta)
		if gp.wantLL {
			for j := 0; j < m; j++ {
				ll += dnbinomMuLog(y[j], size, gw.eta[j])
			}
		}
		out.logLike[i] = ll
		if !gp.wantLL {
			out.logLike[i] = math.NaN()
		}
		if gp.wantCooks {
			cm := gw.eta
			if hasCooksMu {
				cm = cooksMu.row(i, cmbuf)
			}
			cooksRow(out.cooks[i*m:(i+1)*m], y, yn, cm, gw.hat, rc, rbuf, pDisp)
		}
	}
}
