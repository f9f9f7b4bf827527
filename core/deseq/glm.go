package deseq

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
)

// The negative binomial GLM fit of DESeq2 1.38.3 (C++ fitBeta, useQR=TRUE and
// the maxit=0 / useQR=FALSE path used for contrasts).

// glmWork is per-worker scratch space for fitBeta.
type glmWork struct {
	m, p    int
	d       *design
	bw      *blockWork // block-structured designs: normal equations by blocks
	cs      []float64  // per-cell sums
	A       []float64  // (m+p) x p, column-major
	b       []float64  // m+p
	v       []float64  // Householder vector, m+p
	mu      []float64  // m
	w       []float64  // m
	eta     []float64  // m (scratch)
	lin     []float64  // m: linear predictor x_jᵀβ of the last setMu
	fl      []bool     // m: μ_j was floored at minmu in the last setMu
	lognf   []float64  // m: log nf_j for the nf slice nfKey
	maxNF   float64    // and the largest nf_j
	nfKey   *float64
	xtwx    []float64 // p x p
	L       []float64 // p x p
	inv     []float64 // p x p
	tmp     []float64 // p
	tmp2    []float64 // p
	hat     []float64 // m
	varDiag []float64 // p
	// cell mode (designs without the block path, X the design's own matrix):
	// per-cell exp(x_cᵀβ), linear predictor, Σw and Σwz, and the compressed
	// least-squares system.
	cellE, cellLin, cellW, cellWZ []float64
	cellA, cellB                  []float64
	cellH                         []float64 // x_cᵀ(XᵀWX+Λ)⁻¹x_c
	ct                            *countTable
	pm                            []float64 // per distinct count: product mantissa
	pe                            []int     // and exponent (sizeLogs)
	nfl                           int       // cell mode: samples floored by the last setMu
	cellY                         []float64 // cell mode: Σ y_j per cell
	// laneIdx lists the samples by lane (d.lane: 4·cell + j mod 4), each
	// lane's in sample order, lane l at laneIdx[laneStart[l]:laneStart[l+1]];
	// cellIdx the samples of each cell in order (cellStart likewise). Sums
	// over them accumulate in registers in the order the per-sample loops
	// over d.lane and d.cell add.
	laneIdx, laneStart []int32
	cellIdx, cellStart []int32
	// pnf and pcell are nf_j and cell j of the samples in count order
	// (g.ct.perm), set by fitBeta in cell mode
	pnf   []float64
	pcell []int32
}

func newGLMWork(d *design) *glmWork {
	m, p := d.m, d.p
	n := m + p
	var bw *blockWork
	if d.bs != nil {
		bw = newBlockWork(d.bs, p)
	}
	g := &glmWork{m: m, p: p, d: d, bw: bw, cs: make([]float64, d.ncell), A: make([]float64, n*p), b: make([]float64, n), v: make([]float64, n),
		mu: make([]float64, m), w: make([]float64, m), eta: make([]float64, m),
		lin: make([]float64, m), fl: make([]bool, m), lognf: make([]float64, m),
		xtwx: make([]float64, p*p), L: make([]float64, p*p), inv: make([]float64, p*p),
		tmp: make([]float64, p), tmp2: make([]float64, p), hat: make([]float64, m), varDiag: make([]float64, p),
		cellE: make([]float64, d.ncell), cellLin: make([]float64, d.ncell), cellW: make([]float64, d.ncell), cellWZ: make([]float64, d.ncell),
		cellA: make([]float64, (d.ncell+p)*p), cellB: make([]float64, d.ncell+p), cellH: make([]float64, d.ncell), ct: newCountTable(m),
		pm: make([]float64, m+1), pe: make([]int, m+1), cellY: make([]float64, d.ncell),
		laneIdx: make([]int32, m), laneStart: make([]int32, 4*d.ncell+1),
		cellIdx: make([]int32, m), cellStart: make([]int32, d.ncell+1),
		pnf: make([]float64, m), pcell: make([]int32, m)}
	groupSamples(d.lane[:m], g.laneIdx, g.laneStart)
	groupSamples(d.cell[:m], g.cellIdx, g.cellStart)
	return g
}

// groupSamples lists the samples j by key[j] (0 <= key < len(start)-1), in
// sample order within a key: key k's at idx[start[k]:start[k+1]].
func groupSamples(key, idx, start []int32) {
	for i := range start {
		start[i] = 0
	}
	for _, k := range key {
		start[k+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	pos := make([]int32, len(start)-1)
	copy(pos, start)
	for j, k := range key {
		idx[pos[k]] = int32(j)
		pos[k]++
	}
}

// cellMode reports whether X is the design's own matrix on the dense path,
// so that x_jᵀβ, exp(x_jᵀβ) and the IRLS sums can be formed once per cell.
func (g *glmWork) cellMode(X []float64) bool {
	return g.d != nil && g.bw == nil && len(X) > 0 && &X[0] == &g.d.X[0]
}

const largeBeta = 30.0

// sparseRows reports whether X is a block design's own matrix, whose rows are
// summed over their few non-zero entries (rowIdx).
func (g *glmWork) sparseRows(X []float64) bool {
	return g.d != nil && g.d.bs != nil && len(X) > 0 && &X[0] == &g.d.X[0]
}

// linPred returns the linear predictor x_jᵀβ of row j, over the row's non-zero
// entries when sparse (block designs) and over every column otherwise.
func (g *glmWork) linPred(X, beta []float64, j int, sparse bool) float64 {
	row := X[j*g.p : (j+1)*g.p]
	var e float64
	if sparse {
		for _, k := range g.d.rowIdx[g.d.rowStart[j]:g.d.rowStart[j+1]] {
			e += row[k] * beta[k]
		}
		return e
	}
	for k, bk := range beta {
		e += row[k] * bk
	}
	return e
}

// setMu computes mu = nf * exp(X beta), floored at minmu, keeping the linear
// predictor and which entries were floored.
func (g *glmWork) setMu(X, nf, beta []float64, minmu float64) {
	if g.cellMode(X) {
		// identical rows give identical x_jᵀβ and exp: one per cell
		d := g.d
		for c, j := range d.cellFirst {
			e := g.linPred(X, beta, int(j), false)
			g.cellLin[c] = e
			g.cellE[c] = fastExp(e)
		}
		// (the linear predictor of sample j is cellLin[cell[j]])
		cellE := g.cellE[:d.ncell]
		mus, fl := g.mu[:g.m], g.fl[:g.m]
		nf = nf[:g.m]
		nfl := 0
		for j, c := range d.cell[:g.m] {
			mu := nf[j] * cellE[c]
			fl[j] = mu < minmu
			if mu < minmu {
				mu = minmu
				nfl++
			}
			mus[j] = mu
		}
		g.nfl = nfl
		return
	}
	sparse := g.sparseRows(X)
	for j := 0; j < g.m; j++ {
		e := g.linPred(X, beta, j, sparse)
		g.lin[j] = e
		mu := nf[j] * fastExp(e)
		g.fl[j] = mu < minmu
		if mu < minmu {
			mu = minmu
		}
		g.mu[j] = mu
	}
}

// rawMu sets out = nf * exp(X beta) (not floored), with one exp per cell in
// cell mode and the non-zero entries of each row for block designs, as setMu
// computes the linear predictor.
func (g *glmWork) rawMu(X, nf, beta, out []float64) {
	if g.cellMode(X) {
		d := g.d
		for c, j := range d.cellFirst {
			g.cellE[c] = fastExp(g.linPred(X, beta, int(j), false))
		}
		out, nf, cellE := out[:g.m], nf[:g.m], g.cellE[:d.ncell]
		for j, c := range d.cell[:g.m] {
			out[j] = nf[j] * cellE[c]
		}
		return
	}
	sparse := g.sparseRows(X)
	for j := 0; j < g.m; j++ {
		out[j] = nf[j] * fastExp(g.linPred(X, beta, j, sparse))
	}
}

// setLogNF caches log nf for the size factors nf (shared by all genes).
func (g *glmWork) setLogNF(nf []float64) {
	if g.nfKey == &nf[0] {
		return
	}
	g.maxNF = 0
	for j, v := range nf[:g.m] {
		g.lognf[j] = fmath.Log(v)
		g.maxNF = max(g.maxNF, v)
	}
	g.nfKey = &nf[0]
}

// fitBeta runs DESeq2's IRLS for one gene: with w = μ/(1+αμ) and working
// response z = log(μ/nf) + (y-μ)/μ it solves the ridge least-squares problem
// [√W X; √Λ] β = [√W z; 0] by Householder QR, μ = max(nf·exp(Xβ), minmu),
// until the relative change of the deviance -2 Σ log NB(y; μ, 1/α) is below
// tol (not on the first iteration). An iterate with some |β| > 30 or a NaN
// deviance stops it with iter = maxit (not converged). beta (natural log
// scale) is updated in place; on return g.mu holds the final floored μ.
func (g *glmWork) fitBeta(X, y, nf []float64, alpha float64, beta, lambda []float64, tol float64, maxit int, minmu float64) (iter int, dev float64) {
	m, p := g.m, g.p
	n := m + p
	g.setMu(X, nf, beta, minmu)
	g.setLogNF(nf)
	devOld := 0.0
	size := 1 / alpha
	// For α >= mergedLogAlpha the deviance is split into a part constant in μ,
	// Σ -2[lgamma(y+r) - lgamma(r) - lgamma(y+1) + r log r], computed once, and
	// Σ -2[y log μ - (y+r) log(r+μ)] per iteration; it equals R's
	// Σ -2 dnbinom_mu(y, r, μ, log=TRUE) to ~1e-13 relative, far inside the
	// 1e-8 convergence test. Smaller α use dnbinom_mu itself.
	fast := alpha >= mergedLogAlpha
	var devConst float64
	if fast && maxit > 0 {
		// Σ_j over distinct counts (n_u samples each) and the zeros
		lgr := lgammaFast(size)
		lr := fastLog(size)
		ct := g.ct
		ct.prepare(y)
		var s float64
		for k, u := range ct.uniq {
			s += float64(ct.n[k]) * (lgammaFast(u+size) - lgr - logFactorial(u))
		}
		devConst = -2 * (s + float64(m)*size*lr)
	}
	cell := g.cellMode(X)
	if cell && fast {
		pnf, pcell := g.pnf[:m], g.pcell[:m]
		for i, j := range g.ct.perm[:m] {
			pnf[i], pcell[i] = nf[j], g.d.cell[j]
		}
	}
	// cell mode: Σ_j y_j log μ_j = Σ_j y_j log nf_j + Σ_c lin_c Σ_{j∈c} y_j
	// for unfloored μ (floored samples corrected per iteration)
	var syl float64
	if cell && fast {
		cy := g.cellY[:g.d.ncell]
		for c := range cy {
			cy[c] = 0
		}
		for j, c := range g.d.cell[:m] {
			if yj := y[j]; yj != 0 {
				syl += yj * g.lognf[j]
				cy[c] += yj
			}
		}
	}
	for t := 0; t < maxit; t++ {
		iter++
		if cell {
			g.cellSolve(y, nf, alpha, lambda, beta)
			goto solved
		}
		// build A = [sqrt(w) X ; sqrt(lambda) I] column-major and b = [sqrt(w) z; 0]
		for j := 0; j < m; j++ {
			mu := g.mu[j]
			w := mu / (1.0 + alpha*mu)
			sw := math.Sqrt(w)
			if g.bw == nil {
				row := X[j*p : (j+1)*p]
				for k := 0; k < p; k++ {
					g.A[k*n+j] = sw * row[k]
				}
			}
			// log(μ/nf) is the linear predictor unless μ was floored
			lmu := g.lin[j]
			if g.fl[j] {
				lmu = fastLog(mu / nf[j])
			}
			z := lmu + (y[j]-mu)/mu
			g.b[j] = sw * z
		}
		for k := 0; k < p && g.bw == nil; k++ {
			col := g.A[k*n+m : (k+1)*n]
			for i := range col {
				col[i] = 0
			}
			col[k] = math.Sqrt(lambda[k])
			g.b[m+k] = 0
		}
		if g.bw != nil {
			g.blockSolve(alpha, lambda, beta)
		} else {
			g.householderSolve(n, beta)
		}
	solved:
		big := false
		for _, bk := range beta {
			if math.Abs(bk) > largeBeta {
				big = true
			}
		}
		if big {
			iter = maxit
			break
		}
		var ul, l float64
		if cell && fast {
			ul, l = g.cellMuSizeLogs(nf, beta, minmu, size, y)
		} else {
			g.setMu(X, nf, beta, minmu)
		}
		dev = 0
		if fast {
			// Σ_j y_j log μ_j from the linear predictor; Σ_j (y_j + size)
			// log(size + μ_j) by products over the distinct counts
			var v float64
			if cell {
				v = syl
				for c, lc := range g.cellLin[:g.d.ncell] {
					v += lc * g.cellY[c]
				}
				if g.nfl > 0 {
					for j, c := range g.d.cell[:m] {
						if yj := y[j]; yj != 0 && g.fl[j] {
							v += yj * (fastLog(g.mu[j]) - (g.lognf[j] + g.cellLin[c]))
						}
					}
				}
			} else {
				for j := 0; j < m; j++ {
					if yj := y[j]; yj != 0 {
						lm := g.lognf[j] + g.lin[j] // log μ
						if g.fl[j] {
							lm = fastLog(g.mu[j])
						}
						v += yj * lm
					}
				}
				ul, l = g.sizeLogs(size, y)
			}
			v -= ul + size*l
			dev = devConst - 2*v
		} else {
			for j := 0; j < m; j++ {
				dev += -2.0 * dnbinomMuLog(y[j], size, g.mu[j])
			}
		}
		conv := math.Abs(dev-devOld) / (math.Abs(dev) + 0.1)
		if math.IsNaN(conv) {
			iter = maxit
			break
		}
		if t > 0 && conv < tol {
			break
		}
		devOld = dev
	}
	return iter, dev
}

// cellSolve is one IRLS step in cell mode. The weighted least-squares
// problem Σ_j w_j (z_j - x_jᵀβ)² + Σ_k λ_k β_k² equals, up to a constant,
// Σ_c W_c (z̄_c - x_cᵀβ)² + Σ_k λ_k β_k² with W_c = Σ_{j∈c} w_j and
// z̄_c = Σ_{j∈c} w_j z_j / W_c, so it is solved by Householder QR of the
// (cells + p) x p system [√W_c x_cᵀ; √λ I] β = [√W_c z̄_c; 0]: the same
// solution as DESeq2's m + p row system, up to rounding.
func (g *glmWork) cellSolve(y, nf []float64, alpha float64, lambda, beta []float64) {
	d := g.d
	nc, p := d.ncell, g.p
	W, WZ := g.cellW[:nc], g.cellWZ[:nc]
	// 4 lanes per cell (d.lane: 4·cell + j mod 4), each summed in sample
	// order, then (l0 + l1) + (l2 + l3)
	mus, fl := g.mu[:g.m], g.fl[:g.m]
	y, nf = y[:g.m], nf[:g.m]
	ls := g.laneStart[:4*nc+1]
	for c := range W {
		lin := g.cellLin[c]
		var w4, wz4 [4]float64
		for l := 0; l < 4; l++ {
			idx := g.laneIdx[ls[4*c+l]:ls[4*c+l+1]]
			if g.nfl == 0 {
				w4[l], wz4[l] = laneSums(idx, mus, y, alpha, lin)
				continue
			}
			var sw, swz float64
			for _, j := range idx {
				mu := mus[j]
				// w = μ/(1+αμ), w·z = w·log(μ/nf) + (y-μ)/(1+αμ)
				inv := 1 / (1.0 + alpha*mu)
				lmu := lin
				if fl[j] {
					lmu = fastLog(mu / nf[j])
				}
				w := mu * inv
				sw += w
				swz += w*lmu + (y[j]-mu)*inv
			}
			w4[l], wz4[l] = sw, swz
		}
		W[c] = (w4[0] + w4[1]) + (w4[2] + w4[3])
		WZ[c] = (wz4[0] + wz4[1]) + (wz4[2] + wz4[3])
	}
	n := nc + p
	A, b := g.cellA[:n*p], g.cellB[:n]
	for c, j := range d.cellFirst {
		sw := math.Sqrt(W[c])
		row := d.X[int(j)*p : (int(j)+1)*p]
		for k := 0; k < p; k++ {
			A[k*n+c] = sw * row[k]
		}
		b[c] = WZ[c] / sw
	}
	for k := 0; k < p; k++ {
		col := A[k*n+nc : (k+1)*n]
		for i := range col {
			col[i] = 0
		}
		col[k] = math.Sqrt(lambda[k])
		b[nc+k] = 0
	}
	householder(A, b, g.v, n, p, beta)
}

// laneSums returns Σ w_j and Σ w_j z_j over the samples idx, in order, with
// w = μ/(1+αμ) and w·z = w·lin + (y-μ)/(1+αμ) (cellSolve's sums when no μ
// of the gene is floored, so that log(μ/nf) is the cell's linear predictor).
func laneSums(idx []int32, mu, y []float64, alpha, lin float64) (sw, swz float64) {
	for _, j := range idx {
		m := mu[j]
		inv := 1 / (1.0 + alpha*m)
		w := m * inv
		sw += w
		swz += w*lin + (y[j]-m)*inv
	}
	return sw, swz
}

// sizeLogs returns Σ_j y_j log(size + μ_j) and Σ_j log(size + μ_j) for the
// counts y (g.ct prepared by fitBeta) at g.mu: one logarithm per sample when
// few counts repeat, else by productLogs.
func (g *glmWork) sizeLogs(size float64, y []float64) (sumUL, sumL float64) {
	ct := g.ct
	nu := len(ct.uniq) + 1
	if useDirectLogs(nu-1, g.m) {
		for j, mu := range g.mu[:g.m] {
			x := size + mu
			var l float64
			if b := math.Float64bits(x); (b>>52)-1 < 0x7fe {
				l = logBits(b, float64(int64(b>>52)-1023))
			} else {
				l = fastLog(x)
			}
			sumL += l
			sumUL += y[j] * l
		}
		return sumUL, sumL
	}
	pm, pe := g.pm[:nu], g.pe[:nu]
	perm, gs := ct.perm[:g.m], ct.gs[:nu+1]
	for k := 0; k < nu; k++ {
		pk, e := 1.0, 0
		for i := gs[k]; i < gs[k+1]; i++ {
			pk *= size + g.mu[perm[i]]
			if pk > 0x1p600 || pk < 0x1p-600 {
				fr, ex := splitExp(pk)
				pk = fr
				e += ex
			}
		}
		fr, ex := splitExp(pk)
		pm[k], pe[k] = fr, e+ex
	}
	return productLogs(pm, pe, ct.uniq)
}

// cellMuSizeLogs is setMu in cell mode (X the design's own matrix) followed
// by sizeLogs, in one pass over the samples: μ_j = max(nf_j·exp(x_cᵀβ),
// minmu) with g.cellLin, g.cellE, g.mu, g.fl and g.nfl as setMu leaves them,
// and Σ_j y_j log(size + μ_j), Σ_j log(size + μ_j) as sizeLogs returns them
// for the counts y (g.ct prepared by fitBeta): the same values by the same
// operations.
func (g *glmWork) cellMuSizeLogs(nf, beta []float64, minmu, size float64, y []float64) (sumUL, sumL float64) {
	d := g.d
	for c, j := range d.cellFirst {
		e := g.linPred(d.X, beta, int(j), false)
		g.cellLin[c] = e
		g.cellE[c] = fastExp(e)
	}
	m := g.m
	cellE := g.cellE[:d.ncell]
	mus, fl, cell := g.mu[:m], g.fl[:m], d.cell[:m]
	nf = nf[:m]
	ct := g.ct
	nu := len(ct.uniq) + 1
	nfl := 0
	if useDirectLogs(nu-1, m) {
		y = y[:m]
		for j, c := range cell {
			mu := nf[j] * cellE[c]
			f := mu < minmu
			if f {
				mu = minmu
				nfl++
			}
			mus[j], fl[j] = mu, f
			x := size + mu
			var l float64
			if b := math.Float64bits(x); (b>>52)-1 < 0x7fe {
				l = logBits(b, float64(int64(b>>52)-1023))
			} else {
				l = fastLog(x)
			}
			sumL += l
			sumUL += y[j] * l
		}
		g.nfl = nfl
		return sumUL, sumL
	}
	pm, pe := g.pm[:nu], g.pe[:nu]
	perm, gs := ct.perm[:m], ct.gs[:nu+1]
	pnf, pcell := g.pnf[:m], g.pcell[:m]
	// Every factor size + μ_j lies in [size + minmu, size + max(minmu,
	// max nf · max E)] (rounding is monotonic). Within [2^-100, 2^100] the
	// product is rescaled after every 4 factors instead of every one: it
	// stays within [2^-1000, 2^1000], so the scalings by powers of two are
	// exact and the product's mantissa and exponent are the same.
	maxE := 0.0
	for _, e := range cellE {
		maxE = max(maxE, e)
	}
	if lo, hi := size+minmu, size+max(minmu, g.maxNF*maxE); lo >= 0x1p-100 && hi <= 0x1p100 {
		g.nfl = g.productsBy4(pm, pe, gs, perm, pnf, pcell, cellE, minmu, size)
		return productLogs(pm, pe, ct.uniq)
	}
	i := 0
	for k := 0; k < nu; k++ {
		pk, e := 1.0, 0
		for end := int(gs[k+1]); i < end; i++ {
			mu := pnf[i] * cellE[pcell[i]]
			f := mu < minmu
			if f {
				mu = minmu
				nfl++
			}
			j := perm[i]
			mus[j], fl[j] = mu, f
			pk *= size + mu
			if pk > 0x1p600 || pk < 0x1p-600 {
				fr, ex := splitExp(pk)
				pk = fr
				e += ex
			}
		}
		fr, ex := splitExp(pk)
		pm[k], pe[k] = fr, e+ex
	}
	g.nfl = nfl
	return productLogs(pm, pe, ct.uniq)
}

// productsBy4 is cellMuSizeLogs' product pass for bounded factors (see
// there): per count group k, P_k = Π (size + μ_j) as pm[k]·2^pe[k] with
// μ_j = max(pnf_i·cellE[pcell_i], minmu) stored in g.mu and g.fl, the
// product checked for rescaling after every 4 factors. It returns the number
// of floored μ.
func (g *glmWork) productsBy4(pm []float64, pe []int, gs, perm []int32, pnf []float64, pcell []int32, cellE []float64, minmu, size float64) (nfl int) {
	mus, fl := g.mu[:len(perm)], g.fl[:len(perm)]
	pnf, pcell = pnf[:len(perm)], pcell[:len(perm)]
	i := 0
	for k := range pm {
		pk, e := 1.0, 0
		end := int(gs[k+1])
		for ; i+4 <= end; i += 4 {
			for t := i; t < i+4; t++ {
				mu := pnf[t] * cellE[pcell[t]]
				f := mu < minmu
				if f {
					mu = minmu
					nfl++
				}
				j := perm[t]
				mus[j], fl[j] = mu, f
				pk *= size + mu
			}
			if pk > 0x1p600 || pk < 0x1p-600 {
				fr, ex := splitExp(pk)
				pk = fr
				e += ex
			}
		}
		for ; i < end; i++ {
			mu := pnf[i] * cellE[pcell[i]]
			f := mu < minmu
			if f {
				mu = minmu
				nfl++
			}
			j := perm[i]
			mus[j], fl[j] = mu, f
			pk *= size + mu
		}
		fr, ex := splitExp(pk)
		pm[k], pe[k] = fr, e+ex
	}
	return nfl
}

// blockSolve solves the same ridge least-squares problem through its normal
// equations (XᵀWX + Λ) β = XᵀW z, by blocks (see blockStruct), using w and
// √w·z left in g.A/g.b by fitBeta (z = g.b[j]/√w_j).
func (g *glmWork) blockSolve(alpha float64, lambda, beta []float64) {
	m, p := g.m, g.p
	d := g.d
	cs := g.cs
	for i := range cs {
		cs[i] = 0
	}
	rhs := g.tmp2[:0]
	_ = rhs
	b := g.v[:p]
	for k := range b {
		b[k] = 0
	}
	for j := 0; j < m; j++ {
		mu := g.mu[j]
		w := mu / (1.0 + alpha*mu)
		cs[d.cell[j]] += w
		sw := math.Sqrt(w)
		wz := sw * g.b[j] // w·z
		row := d.X[j*p : (j+1)*p]
		for q := d.rowStart[j]; q < d.rowStart[j+1]; q++ {
			k := d.rowIdx[q]
			b[k] += wz * row[k]
		}
	}
	d.cellsToUpper(g.xtwx, cs)
	for k := 0; k < p; k++ {
		g.xtwx[k*p+k] += lambda[k]
	}
	if _, ok := g.bw.factor(g.xtwx); !ok {
		for k := range beta {
			beta[k] = math.NaN()
		}
		return
	}
	g.bw.solve(g.xtwx, b)
	copy(beta, b)
}

// householderSolve solves the least-squares problem min ||A β - b|| for the
// n x p column-major A in g.A and b in g.b (both destroyed) by Householder QR.
func (g *glmWork) householderSolve(n int, beta []float64) {
	householder(g.A, g.b, g.v, n, g.p, beta)
}

// householder solves min ||A β - b|| for the n x p column-major A (n >= p),
// destroying A and b; v is scratch of length n.
func householder(A, b, v []float64, n, p int, beta []float64) {
	for k := 0; k < p; k++ {
		col := A[k*n : (k+1)*n]
		var s float64
		for i := k; i < n; i++ {
			s += col[i] * col[i]
		}
		nrm := math.Sqrt(s)
		if nrm == 0 {
			continue
		}
		alpha := -nrm
		if col[k] < 0 {
			alpha = nrm
		}
		v[k] = col[k] - alpha
		var vn float64 = v[k] * v[k]
		for i := k + 1; i < n; i++ {
			v[i] = col[i]
			vn += v[i] * v[i]
		}
		if vn == 0 {
			continue
		}
		bt := 2 / vn
		col[k] = alpha
		for i := k + 1; i < n; i++ {
			col[i] = 0
		}
		for j := k + 1; j < p; j++ {
			c := A[j*n : (j+1)*n]
			var d float64
			for i := k; i < n; i++ {
				d += v[i] * c[i]
			}
			d *= bt
			for i := k; i < n; i++ {
				c[i] -= d * v[i]
			}
		}
		var d float64
		for i := k; i < n; i++ {
			d += v[i] * b[i]
		}
		d *= bt
		for i := k; i < n; i++ {
			b[i] -= d * v[i]
		}
	}
	// back substitution with R (upper p x p of A)
	for i := p - 1; i >= 0; i-- {
		s := b[i]
		for j := i + 1; j < p; j++ {
			s -= A[j*n+i] * beta[j]
		}
		beta[i] = s / A[i*n+i]
	}
}

// covariance computes, at the floored μ in g.mu, w = μ/(1+αμ),
// the hat diagonals H_jj = w_j x_jᵀ (XᵀWX+Λ)⁻¹ x_j into g.hat and the diagonal
// of Σ = (XᵀWX+Λ)⁻¹ XᵀWX (XᵀWX+Λ)⁻¹ into g.varDiag; g.inv keeps (XᵀWX+Λ)⁻¹.
// For a contrast c (may be nil) it returns cᵀΣc. ok is false when XᵀWX+Λ is
// not positive definite.
func (g *glmWork) covariance(X []float64, alpha float64, lambda []float64, c []float64, wantHat bool) (cvc float64, ok bool) {
	m, p := g.m, g.p
	if g.bw != nil {
		return g.covarianceBlock(alpha, lambda, c, wantHat)
	}
	cell := g.cellMode(X)
	if cell {
		d := g.d
		W := g.cellW[:d.ncell]
		mus, ws := g.mu[:m], g.w[:m]
		for c := range W {
			// Σ_{j in c} w_j in sample order
			var s float64
			for _, j := range g.cellIdx[g.cellStart[c]:g.cellStart[c+1]] {
				mu := mus[j]
				w := mu / (1.0 + alpha*mu)
				ws[j] = w
				s += w
			}
			W[c] = s
		}
		d.cellsToB(g.xtwx, W)
	} else {
		for i := range g.xtwx {
			g.xtwx[i] = 0
		}
		for j := 0; j < m; j++ {
			mu := g.mu[j]
			w := mu / (1.0 + alpha*mu)
			g.w[j] = w
			row := X[j*p : (j+1)*p]
			for k := 0; k < p; k++ {
				if row[k] == 0 {
					continue
				}
				wk := w * row[k]
				for l := k; l < p; l++ {
					g.xtwx[k*p+l] += wk * row[l]
				}
			}
		}
		for k := 0; k < p; k++ {
			for l := k + 1; l < p; l++ {
				g.xtwx[l*p+k] = g.xtwx[k*p+l]
			}
		}
	}
	copy(g.L, g.xtwx)
	for k := 0; k < p; k++ {
		g.L[k*p+k] += lambda[k]
	}
	if !cholesky(g.L, p) {
		return math.NaN(), false
	}
	cholInverse(g.L, p, g.inv, g.tmp)
	// Σ diagonal: (inv xtwx inv)_kk
	for k := 0; k < p; k++ {
		// t = xtwx * inv[:,k]
		var s float64
		for i := 0; i < p; i++ {
			var t float64
			for l := 0; l < p; l++ {
				t += g.xtwx[i*p+l] * g.inv[l*p+k]
			}
			s += g.inv[k*p+i] * t
		}
		g.varDiag[k] = s
	}
	if c != nil {
		// u = inv c ; cvc = uᵀ xtwx u
		for i := 0; i < p; i++ {
			var s float64
			for l := 0; l < p; l++ {
				s += g.inv[i*p+l] * c[l]
			}
			g.tmp2[i] = s
		}
		for i := 0; i < p; i++ {
			var s float64
			for l := 0; l < p; l++ {
				s += g.xtwx[i*p+l] * g.tmp2[l]
			}
			cvc += g.tmp2[i] * s
		}
	}
	if wantHat && cell {
		d := g.d
		for c, j := range d.cellFirst {
			row := X[int(j)*p : (int(j)+1)*p]
			var h float64
			for k := 0; k < p; k++ {
				if row[k] == 0 {
					continue
				}
				var s float64
				for l := 0; l < p; l++ {
					s += g.inv[k*p+l] * row[l]
				}
				h += row[k] * s
			}
			g.cellH[c] = h
		}
		hat, w, cellH := g.hat[:m], g.w[:m], g.cellH[:d.ncell]
		for j, c := range d.cell[:m] {
			hat[j] = w[j] * cellH[c]
		}
	} else if wantHat {
		for j := 0; j < m; j++ {
			row := X[j*p : (j+1)*p]
			var h float64
			for k := 0; k < p; k++ {
				if row[k] == 0 {
					continue
				}
				var s float64
				for l := 0; l < p; l++ {
					s += g.inv[k*p+l] * row[l]
				}
				h += row[k] * s
			}
			g.hat[j] = g.w[j] * h
		}
	}
	return cvc, true
}

// covarianceBlock is covariance for block-structured designs: the inverse by
// blocks, diag Σ = diag(A⁻¹ - A⁻¹ΛA⁻¹) with A = XᵀWX + Λ, and the hat
// diagonals over the non-zero entries of each row.
func (g *glmWork) covarianceBlock(alpha float64, lambda []float64, c []float64, wantHat bool) (float64, bool) {
	m, p := g.m, g.p
	d := g.d
	cs := g.cs
	for i := range cs {
		cs[i] = 0
	}
	for j := 0; j < m; j++ {
		mu := g.mu[j]
		w := mu / (1.0 + alpha*mu)
		g.w[j] = w
		cs[d.cell[j]] += w
	}
	d.cellsToB(g.xtwx, cs)
	copy(g.L, g.xtwx)
	for k := 0; k < p; k++ {
		g.L[k*p+k] += lambda[k]
	}
	if _, ok := g.bw.factor(g.L); !ok {
		return math.NaN(), false
	}
	g.bw.inverse(g.inv)
	for k := 0; k < p; k++ {
		s := g.inv[k*p+k]
		for l := 0; l < p; l++ {
			v := g.inv[k*p+l]
			s -= lambda[l] * v * v
		}
		g.varDiag[k] = s
	}
	var cvc float64
	if c != nil {
		for i := 0; i < p; i++ {
			var s float64
			for l := 0; l < p; l++ {
				s += g.inv[i*p+l] * c[l]
			}
			g.tmp2[i] = s
		}
		for i := 0; i < p; i++ {
			var s float64
			for l := 0; l < p; l++ {
				s += g.xtwx[i*p+l] * g.tmp2[l]
			}
			cvc += g.tmp2[i] * s
		}
	}
	if wantHat {
		for j := 0; j < m; j++ {
			row := d.X[j*p : (j+1)*p]
			nz := d.rowIdx[d.rowStart[j]:d.rowStart[j+1]]
			var h float64
			for _, k := range nz {
				var s float64
				for _, l := range nz {
					s += g.inv[int(k)*p+int(l)] * row[l]
				}
				h += row[k] * s
			}
			g.hat[j] = g.w[j] * h
		}
	}
	return cvc, true
}
