package deseq

import (
	"math"
)

// Dispersion estimation: the log posterior of log α with the Cox–Reid
// adjustment, its derivative, DESeq2's Armijo line search (C++ fitDisp) and
// the two-stage grid search (fitDispGrid), DESeq2 1.38.3 src/DESeq2.cpp.

// design holds the model matrix and its per-sample outer products x_j x_jᵀ in a
// sparse form (only non-zero products, upper triangle), so that XᵀWX costs
// O(non-zeros) per evaluation.
type design struct {
	m, p int
	X    []float64 // m x p row-major
	// cell[j] is the index of sample j's distinct row of X; XᵀWX is
	// accumulated as Σ_c (Σ_{j in c} w_j) x_c x_cᵀ over the cells.
	cell      []int32
	ncell     int
	pairStart []int32   // ncell+1 offsets into pairIdx/pairVal
	pairIdx   []int32   // k*p+l with k <= l
	pairVal   []float64 // x_ck * x_cl
	// rowStart/rowIdx list the non-zero columns of each row of X.
	rowStart []int32
	rowIdx   []int32
	bs       *blockStruct // nil unless the block path pays
	// cellFirst[c] is the first sample of cell c (its row of X is the cell's).
	cellFirst []int32
}

func newDesign(X []float64, m, p int) *design {
	cl, nc := cells(X, m, p)
	d := &design{m: m, p: p, X: X, cell: make([]int32, m), ncell: nc, pairStart: make([]int32, nc+1)}
	first := make([]int, nc)
	for j := m - 1; j >= 0; j-- {
		d.cell[j] = int32(cl[j])
		first[cl[j]] = j
	}
	d.cellFirst = make([]int32, nc)
	for c := 0; c < nc; c++ {
		j := first[c]
		d.cellFirst[c] = int32(j)
		row := X[j*p : (j+1)*p]
		for k := 0; k < p; k++ {
			if row[k] == 0 {
				continue
			}
			for l := k; l < p; l++ {
				if row[l] == 0 {
					continue
				}
				d.pairIdx = append(d.pairIdx, int32(k*p+l))
				d.pairVal = append(d.pairVal, row[k]*row[l])
			}
		}
		d.pairStart[c+1] = int32(len(d.pairIdx))
	}
	d.rowStart = make([]int32, m+1)
	for j := 0; j < m; j++ {
		for k := 0; k < p; k++ {
			if X[j*p+k] != 0 {
				d.rowIdx = append(d.rowIdx, int32(k))
			}
		}
		d.rowStart[j+1] = int32(len(d.rowIdx))
	}
	d.bs = detectBlocks(X, m, p)
	return d
}

// cellsToUpper sets the upper triangle of B = Σ_c s[c] x_c x_cᵀ where the
// design has non-zero products, leaving other entries untouched (the block
// routines read only those).
func (d *design) cellsToUpper(B, s []float64) {
	idx := d.pairIdx
	for _, q := range idx {
		B[q] = 0
	}
	for c := 0; c < d.ncell; c++ {
		sc := s[c]
		for q := d.pairStart[c]; q < d.pairStart[c+1]; q++ {
			B[idx[q]] += sc * d.pairVal[q]
		}
	}
}

// symmetrize copies the upper triangle of the p x p matrix B to the lower.
func symmetrize(B []float64, p int) {
	for k := 0; k < p; k++ {
		for l := k + 1; l < p; l++ {
			B[l*p+k] = B[k*p+l]
		}
	}
}

// cellsToB sets B (p x p, both triangles) = Σ_c s[c] x_c x_cᵀ.
func (d *design) cellsToB(B, s []float64) {
	p := d.p
	for i := range B[:p*p] {
		B[i] = 0
	}
	for c := 0; c < d.ncell; c++ {
		sc := s[c]
		for q := d.pairStart[c]; q < d.pairStart[c+1]; q++ {
			B[d.pairIdx[q]] += sc * d.pairVal[q]
		}
	}
	for k := 0; k < p; k++ {
		for l := k + 1; l < p; l++ {
			B[l*p+k] = B[k*p+l]
		}
	}
}

// dispWork is the per-worker scratch space for the dispersion routines.
type dispWork struct {
	d                 *design
	B, dB, L, inv, tm []float64
	// the gene's distinct non-zero counts (prepare), per-value scratch
	*countTable
	ubuf []float64
	cs   []float64 // per-cell sums of w
	// lmr caches log(μ_j + r) from the last logPost call at log α = lmrLa,
	// which dlogPost at the same point reuses (fitDisp always calls dlogPost
	// where it has just evaluated logPost).
	lmr      []float64
	lmrLa    float64
	lmrValid bool
	bw       *blockWork // non-nil for block-structured designs
	dcs      []float64  // per-cell sums of dw/dα
}

func newDispWork(d *design) *dispWork {
	p := d.p
	var bw *blockWork
	if d.bs != nil {
		bw = newBlockWork(d.bs, p)
	}
	return &dispWork{d: d, bw: bw, B: make([]float64, p*p), dB: make([]float64, p*p), L: make([]float64, p*p),
		inv: make([]float64, p*p), tm: make([]float64, p), cs: make([]float64, d.ncell), dcs: make([]float64, d.ncell), lmr: make([]float64, d.m),
		countTable: newCountTable(d.m), ubuf: make([]float64, d.m)}
}

// prepare builds the distinct-count cache for y; fitDisp and fitDispGrid
// call it once per gene before evaluating logPost and dlogPost.
func (dw *dispWork) prepare(y []float64) {
	dw.lmrValid = false
	dw.countTable.prepare(y)
}

// logDetB returns log det(B) of the symmetric B in dw.B via Cholesky (copy in
// dw.L); if B is not positive definite it falls back to LU.
func (dw *dispWork) logDetB() float64 {
	p := dw.d.p
	if dw.bw != nil {
		ld, ok := dw.bw.factor(dw.B)
		if ok {
			return ld
		}
		symmetrize(dw.B, p) // the dense fallback reads both triangles
	}
	copy(dw.L, dw.B)
	if cholesky(dw.L, p) {
		var s float64
		for k := 0; k < p; k++ {
			s += math.Log(dw.L[k*p+k])
		}
		return 2 * s
	}
	copy(dw.L, dw.B)
	ld, sign := luLogDet(dw.L, p)
	if sign <= 0 {
		return math.NaN() // log of a non-positive determinant
	}
	return ld
}

// mergedLogAlpha is the dispersion above which the log likelihood uses
// r·log(1+μα) = r·(log α + log(μ+r)), saving one logarithm per sample; below
// it DESeq2's form is kept to avoid cancellation between the two terms.
const mergedLogAlpha = 1e-4

// logPost (after prepare(y)) is DESeq2's log_posterior: the NB log likelihood of raw counts y at
// means mu with dispersion α = exp(la), minus ½ log det(XᵀWX) with
// W = diag(1/(1/μ + α)), plus the normal prior on log α when usePrior.
func (dw *dispWork) logPost(la float64, y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	alpha := math.Exp(la)
	r := 1 / alpha
	lgr := lgammaFast(r)
	d := dw.d
	cs := dw.cs[:d.ncell]
	for i := range cs {
		cs[i] = 0
	}
	cell := d.cell[:len(y)]
	uidx := dw.uidx[:len(y)]
	mu = mu[:len(y)]
	merged := alpha >= mergedLogAlpha
	lg := dw.ubuf[:len(dw.uniq)]
	for k, u := range dw.uniq {
		lg[k] = lgammaFast(u+r) - lgr
	}
	var ll float64
	lmrs := dw.lmr[:len(y)]
	for j, yj := range y {
		m := mu[j]
		mr := m + r
		// fastLog(mr), inlined (the call dominates under wasm)
		var lmr float64
		if bits := math.Float64bits(mr); (bits>>52)-1 >= 0x7fe {
			lmr = math.Log(mr)
		} else {
			e := float64(int64(bits>>52) - 1023)
			mb := bits & (1<<52 - 1)
			i := mb >> 42
			tb := &logTab[i&1023]
			t := (math.Float64frombits(mb|0x3ff0000000000000) - (1 + float64(i)/1024)) * tb[0]
			p := t * (1 + t*(-0.5+t*(1.0/3+t*(-0.25+t*(0.2+t*(-1.0/6))))))
			lmr = e*ln2Hi + (tb[1] + (p + e*ln2Lo))
		}
		lmrs[j] = lmr
		var t float64
		if k := uidx[j]; k >= 0 {
			t = lg[k]
		}
		if merged {
			t -= (yj + r) * lmr
		} else {
			t -= yj*lmr + r*math.Log(1.0+m*alpha)
		}
		ll += t
		cs[cell[j]] += m * r / mr // w = 1/(1/μ + α)
	}
	if merged {
		ll -= float64(len(y)) * r * la
	}
	dw.lmrLa, dw.lmrValid = la, true
	if dw.bw != nil {
		d.cellsToUpper(dw.B, cs)
	} else {
		d.cellsToB(dw.B, cs)
	}
	cr := -0.5 * dw.logDetB()
	prior := 0.0
	if usePrior {
		dd := la - priorMean
		prior = -0.5 * dd * dd / priorVar
	}
	return ll + prior + cr
}

// dlogPost is DESeq2's dlog_posterior, the derivative of logPost with respect
// to log α.
func (dw *dispWork) dlogPost(la float64, y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	alpha := math.Exp(la)
	r := 1 / alpha
	dgr := digammaFast(r)
	d := dw.d
	p := d.p
	cs, dcs := dw.cs[:d.ncell], dw.dcs[:d.ncell]
	for i := range cs {
		cs[i] = 0
		dcs[i] = 0
	}
	cell := d.cell[:len(y)]
	uidx := dw.uidx[:len(y)]
	mu = mu[:len(y)]
	merged := alpha >= mergedLogAlpha
	cached := dw.lmrValid && dw.lmrLa == la
	lmrs := dw.lmr[:len(y)]
	dgs := dw.ubuf[:len(dw.uniq)]
	for k, u := range dw.uniq {
		var dg float64 // ψ(r) - ψ(u+r)
		if u <= 4 {
			for i := 0.0; i < u; i++ {
				dg -= 1 / (r + i)
			}
		} else {
			dg = dgr - digammaFast(u+r)
		}
		dgs[k] = dg
	}
	var s float64
	for j, yj := range y {
		m := mu[j]
		var dg float64
		if k := uidx[j]; k >= 0 {
			dg = dgs[k]
		}
		mr := m + r
		inv := 1 / mr
		var l1 float64
		if merged {
			if cached {
				l1 = la + lmrs[j]
			} else {
				l1 = la + fastLog(mr)
			}
		} else {
			l1 = math.Log(1 + m*alpha)
		}
		// μα/(1+μα) = μ/(μ+r), y/(μ+r) and w = 1/(1/μ+α) = μr/(μ+r) share 1/(μ+r)
		s += dg + l1 - m*inv + yj*inv
		w := m * r * inv
		c := cell[j]
		cs[c] += w
		dcs[c] -= w * w
	}
	ll := s / (alpha * alpha)
	B, dB := dw.B[:p*p], dw.dB[:p*p]
	if dw.bw != nil {
		d.cellsToUpper(B, cs)
		d.cellsToUpper(dB, dcs)
	} else {
		d.cellsToB(B, cs)
		d.cellsToB(dB, dcs)
	}
	var tr float64
	if dw.bw != nil {
		if _, ok := dw.bw.factor(B); ok {
			tr = dw.bw.traceInvTimes(dB)
			goto done
		}
		symmetrize(B, p)
		symmetrize(dB, p)
	}
	copy(dw.L, B)
	if cholesky(dw.L, p) {
		cholInverse(dw.L, p, dw.inv, dw.tm)
		for i := 0; i < p*p; i++ {
			tr += dw.inv[i] * dB[i]
		}
	} else {
		tr = math.NaN()
	}
done:
	cr := -0.5 * tr
	prior := 0.0
	if usePrior {
		prior = -(la - priorMean) / priorVar
	}
	return (ll+cr)*alpha + prior
}

// fitDispResult holds what DESeq2's fitDisp returns for one gene.
type fitDispResult struct {
	logAlpha  float64
	iter      int
	initialLP float64
	lastLP    float64
}

// fitDisp maximises the log posterior over a = log α from a0 by DESeq2's
// backtracking line search along the gradient with the Armijo rule
// (ε = 1e-4; κ grows by 1.1 up to κ0 after an accepted step and halves every
// 5 accepts or on a rejection; log α is kept in [-30, 10]). It stops when the
// increase of the log posterior is below tol, when a < minLogAlpha, or after
// maxit proposals.
func (dw *dispWork) fitDisp(y, mu []float64, a0, priorMean, priorVar, minLogAlpha, kappa0, tol float64, maxit int, usePrior bool) fitDispResult {
	const eps = 1e-4
	dw.prepare(y)
	a := a0
	lp := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
	dlp := dw.dlogPost(a, y, mu, priorMean, priorVar, usePrior)
	kappa := kappa0
	res := fitDispResult{initialLP: lp}
	iterAccept := 0
	for t := 0; t < maxit; t++ {
		res.iter++
		aProp := a + kappa*dlp
		if aProp < -30 {
			kappa = (-30 - a) / dlp
		}
		if aProp > 10 {
			kappa = (10 - a) / dlp
		}
		thetaKappa := -dw.logPost(a+kappa*dlp, y, mu, priorMean, priorVar, usePrior)
		thetaHatKappa := -lp - kappa*eps*dlp*dlp
		if thetaKappa <= thetaHatKappa {
			iterAccept++
			a = a + kappa*dlp
			lpnew := -thetaKappa // log_posterior at the same a, as DESeq2 recomputes it
			change := lpnew - lp
			if change < tol {
				lp = lpnew
				break
			}
			if a < minLogAlpha {
				break
			}
			lp = lpnew
			dlp = dw.dlogPost(a, y, mu, priorMean, priorVar, usePrior)
			kappa = math.Min(kappa*1.1, kappa0)
			if iterAccept%5 == 0 {
				kappa = kappa / 2
			}
		} else {
			kappa = kappa / 2
		}
	}
	res.lastLP = lp
	res.logAlpha = a
	return res
}

// fitDispGrid is DESeq2's fitDispGrid with its R wrapper: the log posterior on
// 20 points equally spaced in log α over [log 1e-8, log max(10, m)], then on
// 20 points over [â-δ, â+δ] around the best one (δ the coarse spacing); the
// first maximum wins. It returns α.
func (dw *dispWork) fitDispGrid(y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	const n = 20
	dw.prepare(y)
	lo := math.Log(1e-8)
	hi := math.Log(math.Max(10, float64(dw.d.m)))
	by := (hi - lo) / (n - 1)
	best, bestLP := 0.0, math.Inf(-1)
	for t := 0; t < n; t++ {
		a := lo + float64(t)*by
		if t == n-1 {
			a = hi
		}
		lp := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
		if lp > bestLP || t == 0 {
			best, bestLP = a, lp
		}
	}
	delta := (lo + by) - lo
	flo, fhi := best-delta, best+delta
	fby := (fhi - flo) / (n - 1)
	fbest, fbestLP := flo, math.Inf(-1)
	for t := 0; t < n; t++ {
		a := flo + float64(t)*fby
		if t == n-1 {
			a = fhi
		}
		lp := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
		if lp > fbestLP || t == 0 {
			fbest, fbestLP = a, lp
		}
	}
	return math.Exp(fbest)
}
