package deseq

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
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
	pairUniq  []int32   // the distinct entries of pairIdx
	// rowStart/rowIdx list the non-zero columns of each row of X.
	rowStart []int32
	rowIdx   []int32
	bs       *blockStruct // nil unless the block path pays
	// cellFirst[c] is the first sample of cell c (its row of X is the cell's).
	cellFirst []int32
	// lane[j] = 4·cell[j] + j mod 4: sample j's slot in 4-lane per-cell sums.
	lane []int32
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
	seen := make(map[int32]bool, len(d.pairIdx))
	for _, q := range d.pairIdx {
		if !seen[q] {
			seen[q] = true
			d.pairUniq = append(d.pairUniq, q)
		}
	}
	d.bs = detectBlocks(X, m, p)
	d.lane = make([]int32, m)
	for j := range d.lane {
		d.lane[j] = 4*d.cell[j] + int32(j&3)
	}
	return d
}

// cellsToUpper sets the upper triangle of B = Σ_c s[c] x_c x_cᵀ where the
// design has non-zero products, leaving other entries untouched (the block
// routines read only those).
func (d *design) cellsToUpper(B, s []float64) {
	idx := d.pairIdx
	for _, q := range d.pairUniq {
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
	csR  []float64 // per-cell sums of w for logPostR
	// lmr caches log(μ_j + r) (small α) or 1/(μ_j + r) (merged form) from
	// the last logPost call at log α = lmrLa, with sumL = Σ_j log(μ_j + r) in
	// the merged form, which dlogPost at the same point reuses (fitDisp
	// always calls dlogPost where it has just evaluated logPost).
	lmr      []float64
	yP, muP  []float64 // y and μ in count order (prepare)
	cellP    []int32   // 4·cell + i mod 4 at count-order position i (lane of 4-lane per-cell sums)
	pos      []int32   // position of each sample in count order
	lmrLa    float64
	lmrValid bool
	sumL     float64
	// sumUL = Σ_j y_j log(μ_j + r) (merged form, with sumL); pm/pe hold
	// per distinct count (index 0: the zeros) Π (μ_j + r) over its samples
	// as a mantissa in [0.5, 1) and a binary exponent.
	sumUL float64
	pm    []float64
	pe    []int
	cs4   []float64 // 4 lanes of per-cell sums
	ds4   []float64
	bw    *blockWork // non-nil for block-structured designs
	dcs   []float64  // per-cell sums of dw/dα
	// lastCR is the Cox–Reid term of the last logPost call; lb the sums
	// behind logPostUpper (set up at the first bound of a fitDisp call:
	// lbState 0 not yet, 1 ready, 2 unavailable for this gene).
	lastCR  float64
	lb      lpBound
	lbState int8
	// per-sample terms and 1/(μ_j+r) in sample order, and the samples
	// outside directLLSplit's main loop
	tJ, ivJ []float64
	slowJ   []int32
}

func newDispWork(d *design) *dispWork {
	p := d.p
	var bw *blockWork
	if d.bs != nil {
		bw = newBlockWork(d.bs, p)
	}
	return &dispWork{d: d, bw: bw, B: make([]float64, p*p), dB: make([]float64, p*p), L: make([]float64, p*p),
		inv: make([]float64, p*p), tm: make([]float64, p), cs: make([]float64, d.ncell), csR: make([]float64, d.ncell), dcs: make([]float64, d.ncell), lmr: make([]float64, d.m),
		countTable: newCountTable(d.m), ubuf: make([]float64, d.m),
		yP: make([]float64, d.m), muP: make([]float64, d.m), cellP: make([]int32, d.m), pos: make([]int32, d.m),
		pm: make([]float64, d.m+1), pe: make([]int, d.m+1), cs4: make([]float64, 4*d.ncell), ds4: make([]float64, 4*d.ncell),
		tJ: make([]float64, d.m), ivJ: make([]float64, d.m), slowJ: make([]int32, d.m)}
}

// prepare builds the distinct-count cache for y and lays out y, μ and the
// design cells in count order (perm) for the merged-form sums; fitDisp and
// fitDispGrid call it once per gene before evaluating logPost and dlogPost
// at these y and mu.
func (dw *dispWork) prepare(y, mu []float64) {
	dw.lmrValid = false
	dw.lbState = 0
	dw.countTable.prepare(y)
	n := len(y)
	yP, muP, cellP := dw.yP[:n], dw.muP[:n], dw.cellP[:n]
	cell := dw.d.cell[:n]
	pos := dw.pos[:n]
	for i, j := range dw.perm[:n] {
		yP[i], muP[i], cellP[i] = y[j], mu[j], 4*cell[j]+int32(i&3)
		pos[j] = int32(i)
	}
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
			s += fmath.Log(dw.L[k*p+k])
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
//
// For α >= mergedLogAlpha the likelihood is summed by distinct count u:
// Σ_j (y_j + r) log(μ_j + r) = Σ_u (u + r) log Π_{j: y_j = u} (μ_j + r), one
// logarithm per distinct count instead of one per sample (the products are
// kept as mantissa and exponent, so they neither overflow nor round more
// than the sum of the logarithms would).
func (dw *dispWork) logPost(la float64, y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	alpha := fastExp(la)
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
	n := len(y)
	direct := merged && useDirectLogs(len(dw.uniq), n)
	if !direct {
		lgammaDiffs(lg, dw.uniq, r, lgr)
	}
	var ll float64
	if direct {
		ll = dw.directLLSplit(r, la, lgr, y, mu)
	} else if merged {
		dw.fillMerged(r, mu)
		for k := range dw.uniq {
			ll += float64(dw.n[k]) * lg[k]
		}
		ll -= dw.sumUL + r*dw.sumL
		ll -= float64(len(y)) * r * la
	} else {
		lmrs := dw.lmr[:len(y)]
		for j, yj := range y {
			m := mu[j]
			mr := m + r
			lmr := fastLog(mr)
			lmrs[j] = lmr
			var t float64
			if k := uidx[j]; k >= 0 {
				t = lg[k]
			}
			t -= yj*lmr + r*fmath.Log(1.0+m*alpha)
			ll += t
			cs[cell[j]] += m * r / mr // w = 1/(1/μ + α)
		}
	}
	dw.lmrLa, dw.lmrValid = la, true
	if dw.bw != nil {
		d.cellsToUpper(dw.B, cs)
	} else {
		d.cellsToB(dw.B, cs)
	}
	cr := -0.5 * dw.logDetB()
	dw.lastCR = cr
	prior := 0.0
	if usePrior {
		dd := la - priorMean
		prior = -0.5 * dd * dd / priorVar
	}
	return ll + prior + cr
}

// directLL is the likelihood part of logPost for a gene with few repeated
// counts (useDirectLogs) and α >= mergedLogAlpha, r = 1/α: the
// per-sample terms T_j = lgamma(y_j+r) - lgamma(r) - (y_j+r) log(μ_j+r)
// summed in sample order as DESeq2 sums its per-sample terms, minus n·r·log α.
// For y_j > 0 with x = y_j + r >= 10, lgamma(x) = (x-½)log x - x + log√(2π)
// + S(1/x) (Stirling series, as lgammaFast) gives
// T_j = x log(x/(μ_j+r)) - x + S(1/x) - ½ log x + log√(2π) - lgamma(r):
// one logarithm per sample (of a ratio near 1, without the cancellation
// between lgamma(x) and x log(μ_j+r)), one division shared by 1/(μ_j+r) and
// 1/x, and Σ_j ½ log x_j from the product of the x_j (as fillProducts); the
// constant parts are added after the loop. Zeros and x < 10 use
// log(μ_j+r) and lgammaFast directly. It leaves 1/(μ_j+r) in count order in
// dw.lmr, the per-cell sums of w_j = μ_j r/(μ_j+r) in dw.cs and
// Σ_j log(μ_j+r) = Σ log x_j - Σ log(x_j/(μ_j+r)) (+ the direct logs) in
// dw.sumL for dlogPost.
func (dw *dispWork) directLL(r, la, lgr float64, y, mu []float64) float64 {
	d := dw.d
	n := len(y)
	cs4 := dw.cs4[:4*d.ncell]
	for i := range cs4 {
		cs4[i] = 0
	}
	lane := d.lane[:n]
	mu = mu[:n]
	inv, pos := dw.lmr[:n], dw.pos[:n]
	var ll, sumRatio, sumDirect float64
	px, ex, ns := 1.0, 0, 0
	for j, yj := range y {
		m := mu[j]
		mr := m + r
		var iv, t float64
		if x := yj + r; yj != 0 && x >= 10 {
			q := 1 / (x * mr)
			iv = x * q
			z := mr * q
			var lr float64
			if b := math.Float64bits(x * iv); (b>>52)-1 < 0x7fe {
				lr = logBits(b, float64(int64(b>>52)-1023))
			} else {
				lr = fastLog(x * iv)
			}
			sumRatio += lr
			px *= x
			if px > 0x1p600 {
				fr, e := splitExp(px)
				px, ex = fr, ex+e
			}
			ns++
			z2 := z * z
			var st float64
			if x >= 100 {
				// the next term, z⁷/1680, is below 6e-18
				st = z * (1.0/12 + z2*(-1.0/360+z2*(1.0/1260)))
			} else {
				st = z * (1.0/12 + z2*(-1.0/360+z2*(1.0/1260+z2*(-1.0/1680+z2*(1.0/1188+z2*(-691.0/360360))))))
			}
			t = x*lr - x + st
		} else {
			iv = 1 / mr
			lmr := fastLog(mr)
			sumDirect += lmr
			if yj != 0 {
				t = lgammaFast(x) - lgr
			}
			t -= x * lmr
		}
		inv[pos[j]] = iv
		ll += t
		cs4[lane[j]] += m * r * iv
	}
	cs := dw.cs[:d.ncell]
	for c := range cs {
		cs[c] = (cs4[4*c] + cs4[4*c+1]) + (cs4[4*c+2] + cs4[4*c+3])
	}
	slx := 0.0
	if ns > 0 {
		slx = logScaled(px, ex)
	}
	dw.sumL = slx - sumRatio + sumDirect
	ll += float64(ns)*(lnSqrt2Pi-lgr) - 0.5*slx
	return ll - float64(n)*r*la
}

// directLLSplit is directLL with the same operations on the same values in
// the same order, in three loops: the samples with y_j > 0 and
// x = y_j + r >= 10 (the Stirling form) in a loop without function calls
// (so that Go keeps its sums in registers), the others (zeros, x < 10) in a
// second loop in sample order, then the per-sample terms, the per-cell sums
// of w_j and 1/(μ_j+r) in sample order as directLL adds them. A ratio
// x/(μ_j+r) outside the normal range sends the gene to directLL.
func (dw *dispWork) directLLSplit(r, la, lgr float64, y, mu []float64) float64 {
	n := len(y)
	mu = mu[:n]
	tJ, ivJ, slow := dw.tJ[:n], dw.ivJ[:n], dw.slowJ[:n]
	var sumRatio float64
	px, ex, ns, nslow := 1.0, 0, 0, 0
	for j, yj := range y {
		mr := mu[j] + r
		x := yj + r
		if !(yj != 0 && x >= 10) {
			slow[nslow] = int32(j)
			nslow++
			continue
		}
		q := 1 / (x * mr)
		iv := x * q
		z := mr * q
		b := math.Float64bits(x * iv)
		if (b>>52)-1 >= 0x7fe {
			return dw.directLL(r, la, lgr, y, mu)
		}
		lr := logBits(b, float64(int64(b>>52)-1023))
		sumRatio += lr
		px *= x
		if px > 0x1p600 {
			fr, e := splitExp(px)
			px, ex = fr, ex+e
		}
		ns++
		z2 := z * z
		var st float64
		if x >= 100 {
			st = z * (1.0/12 + z2*(-1.0/360+z2*(1.0/1260)))
		} else {
			st = z * (1.0/12 + z2*(-1.0/360+z2*(1.0/1260+z2*(-1.0/1680+z2*(1.0/1188+z2*(-691.0/360360))))))
		}
		tJ[j] = x*lr - x + st
		ivJ[j] = iv
	}
	var sumDirect float64
	for _, j := range slow[:nslow] {
		yj := y[j]
		mr := mu[j] + r
		x := yj + r
		iv := 1 / mr
		lmr := fastLog(mr)
		sumDirect += lmr
		var t float64
		if yj != 0 {
			t = lgammaFast(x) - lgr
		}
		t -= x * lmr
		tJ[j], ivJ[j] = t, iv
	}
	d := dw.d
	cs4 := dw.cs4[:4*d.ncell]
	for i := range cs4 {
		cs4[i] = 0
	}
	lane := d.lane[:n]
	inv, pos := dw.lmr[:n], dw.pos[:n]
	var ll float64
	for j, t := range tJ {
		iv := ivJ[j]
		inv[pos[j]] = iv
		ll += t
		cs4[lane[j]] += mu[j] * r * iv
	}
	cs := dw.cs[:d.ncell]
	for c := range cs {
		cs[c] = (cs4[4*c] + cs4[4*c+1]) + (cs4[4*c+2] + cs4[4*c+3])
	}
	slx := 0.0
	if ns > 0 {
		slx = logScaled(px, ex)
	}
	dw.sumL = slx - sumRatio + sumDirect
	ll += float64(ns)*(lnSqrt2Pi-lgr) - 0.5*slx
	return ll - float64(n)*r*la
}

// chainMax is the number of consecutive recurrence steps lgammaDiffs and
// digammaDiffs take before evaluating the function afresh, which bounds the
// accumulated rounding error.
const chainMax = 32

// lgammaDiffs sets out[k] = lgamma(u[k] + r) - lgamma(r) for ascending whole
// u > 0, with lgr = lgamma(r): by the recurrence Γ(x+1) = xΓ(x) from the
// previous count, log Π_{i=u[k-1]}^{u[k]-1} (r + i), when the gap is at most
// 8, else by lgammaFast.
func lgammaDiffs(out, u []float64, r, lgr float64) {
	prev, gprev, steps := 0.0, 0.0, 0
	for k, v := range u {
		var g float64
		if v-prev <= 8 && steps < chainMax {
			pr := r + prev
			for i := prev + 1; i < v; i++ {
				pr *= r + i
			}
			if b := math.Float64bits(pr); (b>>52)-1 < 0x7fe {
				g = gprev + logBits(b, float64(int64(b>>52)-1023))
			} else {
				g = gprev + fastLog(pr)
			}
			steps++
		} else {
			// lgammaFast(x) for x >= 10 with fastLog's common path inline
			// (the same operations)
			g = lgammaFast(v+r) - lgr
			steps = 0
		}
		out[k] = g
		prev, gprev = v, g
	}
}

// digammaDiffs sets out[k] = ψ(r) - ψ(u[k] + r) for ascending whole u > 0,
// with dgr = ψ(r): from the previous count by ψ(x+1) = ψ(x) + 1/x when the
// gap is at most 4, else by digammaFast.
func digammaDiffs(out, u []float64, r, dgr float64) {
	prev, dprev, steps := 0.0, 0.0, 0
	for k, v := range u {
		var dg float64
		if v-prev <= 4 && steps < chainMax {
			dg = dprev
			for i := prev; i < v; i++ {
				dg -= 1 / (r + i)
			}
			steps++
		} else {
			// digammaFast(x) for x >= 10 inline (the same operations; its
			// sum of the recurrence terms is 0 there and 0 + log x = log x)
			x := v + r
			if b := math.Float64bits(x); x >= 10 && (b>>52)-1 < 0x7fe {
				z := 1 / (x * x)
				s := z * (1.0/12 - z*(1.0/120-z*(1.0/252-z*(1.0/240-z*(1.0/132-z*(691.0/32760-z*(1.0/12)))))))
				dg = dgr - (logBits(b, float64(int64(b>>52)-1023)) - 0.5/x - s)
			} else {
				dg = dgr - digammaFast(x)
			}
			steps = 0
		}
		out[k] = dg
		prev, dprev = v, dg
	}
}

// fillMerged sets, for r = 1/α, dw.lmr[j] = 1/(μ_j + r), the per-cell sums
// dw.cs of w_j = μ_j r/(μ_j + r), dw.sumL = Σ_j log(μ_j + r) and
// dw.sumUL = Σ_j y_j log(μ_j + r), with few logarithms: with P_k the product
// of μ_j + r over the samples of the k-th smallest distinct count u_k,
// Σ_j log(μ_j + r) = log Π_k P_k and, by summation by parts with
// S_k = Π_{k' >= k} P_k' and gaps d_k = u_k - u_{k-1} (u_0 = 0),
// Σ_k u_k log P_k = Σ_k d_k log S_k = log Π_k S_k^d_k, the powers taken by
// repeated multiplication for gaps up to 8 (a logarithm each above). Products
// are kept as mantissa and exponent (splitExp), so they neither overflow
// nor lose more than about one rounding per factor.
func (dw *dispWork) fillMerged(r float64, mu []float64) {
	d := dw.d
	n := len(mu)
	nu := len(dw.uniq) + 1
	inv := dw.lmr[:n] // in count order
	// per-cell sums in 4 lanes (independent additions), summed at the end
	cs4 := dw.cs4[:4*d.ncell]
	for i := range cs4 {
		cs4[i] = 0
	}
	muP, cellP := dw.muP[:n], dw.cellP[:n]
	if useDirectLogs(nu-1, n) {
		// few ties: one logarithm per sample is cheaper than the products
		var sl, sul float64
		yP := dw.yP[:n]
		for i, m := range muP {
			mr := m + r
			iv := 1 / mr
			inv[i] = iv
			var l float64
			if b := math.Float64bits(mr); (b>>52)-1 < 0x7fe {
				l = logBits(b, float64(int64(b>>52)-1023))
			} else {
				l = fastLog(mr)
			}
			sl += l
			sul += yP[i] * l
			cs4[cellP[i]] += m * r * iv
		}
		dw.sumL, dw.sumUL = sl, sul
	} else {
		dw.fillProducts(r)
	}
	cs := dw.cs[:d.ncell]
	for c := range cs {
		cs[c] = (cs4[4*c] + cs4[4*c+1]) + (cs4[4*c+2] + cs4[4*c+3])
	}
}

// useDirectLogs reports whether a gene with nu distinct non-zero counts
// among n samples is summed with one logarithm per sample rather than by
// products over the distinct counts (which pay off when counts repeat).
func useDirectLogs(nu, n int) bool { return 2*nu > n }

// fillProducts is the product form of fillMerged (many repeated counts).
func (dw *dispWork) fillProducts(r float64) {
	d := dw.d
	nu := len(dw.uniq) + 1
	n := len(dw.uidx)
	inv := dw.lmr[:n]
	cs4 := dw.cs4[:4*d.ncell]
	pm, pe := dw.pm[:nu], dw.pe[:nu]
	gs := dw.gs[:nu+1]
	muP, cellP := dw.muP[:n], dw.cellP[:n]
	for k := 0; k < nu; k++ {
		pk, e := 1.0, 0
		i, end := gs[k], gs[k+1]
		// two samples at a time share one division: 1/a = b/(ab), 1/b = a/(ab)
		for ; i+1 < end; i += 2 {
			m0, m1 := muP[i], muP[i+1]
			a, b := m0+r, m1+r
			ab := a * b
			q := 1 / ab
			iv0, iv1 := b*q, a*q
			inv[i], inv[i+1] = iv0, iv1
			pk *= ab
			if pk > 0x1p600 || pk < 0x1p-600 {
				fr, ex := splitExp(pk)
				pk = fr
				e += ex
			}
			// w = 1/(1/μ + α) = μ r/(μ + r)
			cs4[cellP[i]] += m0 * r * iv0
			cs4[cellP[i+1]] += m1 * r * iv1
		}
		if i < end {
			m := muP[i]
			mr := m + r
			iv := 1 / mr
			inv[i] = iv
			pk *= mr
			if pk > 0x1p600 || pk < 0x1p-600 {
				fr, ex := splitExp(pk)
				pk = fr
				e += ex
			}
			cs4[cellP[i]] += m * r * iv
		}
		fr, ex := splitExp(pk)
		pm[k], pe[k] = fr, e+ex
	}
	dw.sumUL, dw.sumL = productLogs(pm, pe, dw.uniq)
}

// productLogs returns Σ_k u_k log P_k and Σ_k log P_k for the products
// P_k = pm[k]·2^pe[k] of the groups of a count table (k = 0 the zeros, k >= 1
// the distinct counts u[k-1], ascending), by summation by parts (see
// fillMerged).
func productLogs(pm []float64, pe []int, u []float64) (sumUL, sumL float64) {
	nu := len(u) + 1
	// S_k from the largest count down; T = Π_k S_k^d_k; the zeros (k = 0)
	// enter only Σ log P_k
	sm, se := 1.0, 0
	tm, te := 1.0, 0
	var extra float64
	for k := nu - 1; k >= 1; k-- {
		sm *= pm[k]
		se += pe[k]
		fr, ex := splitExp(sm)
		sm, se = fr, se+ex
		prev := 0.0
		if k > 1 {
			prev = u[k-2]
		}
		gap := u[k-1] - prev
		if gap <= 8 {
			for g := 0.0; g < gap; g++ {
				tm *= sm
				te += se
			}
			if tm < 0x1p-600 {
				fr, ex := splitExp(tm)
				tm, te = fr, te+ex
			}
		} else {
			extra += gap * logScaled(sm, se)
		}
	}
	sumUL = logScaled(tm, te) + extra
	// Σ_k log P_k = log(S_1 · P_0)
	sm *= pm[0]
	se += pe[0]
	return sumUL, logScaled(sm, se)
}

// splitExp is math.Frexp for positive normal x (all its callers' values):
// x = f·2^e with f in [0.5, 1), by bit operations that inline.
func splitExp(x float64) (float64, int) {
	b := math.Float64bits(x)
	return math.Float64frombits(b&^(0x7ff<<52) | 1022<<52), int(b>>52&0x7ff) - 1022
}

// dlogPost is DESeq2's dlog_posterior, the derivative of logPost with respect
// to log α.
func (dw *dispWork) dlogPost(la float64, y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	alpha := fastExp(la)
	r := 1 / alpha
	dgr := digammaFast(r)
	d := dw.d
	p := d.p
	cs, dcs := dw.cs[:d.ncell], dw.dcs[:d.ncell]
	cell := d.cell[:len(y)]
	uidx := dw.uidx[:len(y)]
	mu = mu[:len(y)]
	merged := alpha >= mergedLogAlpha
	cached := dw.lmrValid && dw.lmrLa == la
	lmrs := dw.lmr[:len(y)]
	dgs := dw.ubuf[:len(dw.uniq)]
	digammaDiffs(dgs, dw.uniq, r, dgr)
	var sdg float64
	for k, dg := range dgs {
		sdg += float64(dw.n[k]) * dg
	}
	var s float64
	if merged {
		// Σ_j [ψ(r) - ψ(y_j+r) + log(1+μ_jα) - μ_j/(μ_j+r) + y_j/(μ_j+r)]
		// with log(1+μα) = log α + log(μ+r); dw.cs holds Σ w per cell from
		// the logPost (or fillMerged) at this point
		if !cached {
			dw.fillMerged(r, mu)
			dw.lmrLa, dw.lmrValid = la, true
		}
		ds4 := dw.ds4[:4*d.ncell]
		for i := range ds4 {
			ds4[i] = 0
		}
		var t0, t1 float64
		n := len(y)
		yP, muP, cellP, iv := dw.yP[:n], dw.muP[:n], dw.cellP[:n], lmrs[:n]
		j := 0
		for ; j+1 < n; j += 2 {
			m0, m1 := muP[j], muP[j+1]
			i0, i1 := iv[j], iv[j+1]
			t0 += (yP[j] - m0) * i0
			t1 += (yP[j+1] - m1) * i1
			w0, w1 := m0*r*i0, m1*r*i1
			ds4[cellP[j]] -= w0 * w0
			ds4[cellP[j+1]] -= w1 * w1
		}
		if j < n {
			m0, i0 := muP[j], iv[j]
			t0 += (yP[j] - m0) * i0
			w0 := m0 * r * i0
			ds4[cellP[j]] -= w0 * w0
		}
		for c := range dcs {
			dcs[c] = (ds4[4*c] + ds4[4*c+1]) + (ds4[4*c+2] + ds4[4*c+3])
		}
		s = sdg + float64(n)*la + dw.sumL + (t0 + t1)
	} else {
		for i := range cs {
			cs[i] = 0
			dcs[i] = 0
		}
		for j, yj := range y {
			m := mu[j]
			var dg float64
			if k := uidx[j]; k >= 0 {
				dg = dgs[k]
			}
			mr := m + r
			inv := 1 / mr
			l1 := fmath.Log(1 + m*alpha)
			// μα/(1+μα) = μ/(μ+r), y/(μ+r) and w = 1/(1/μ+α) = μr/(μ+r) share 1/(μ+r)
			s += dg + l1 - m*inv + yj*inv
			w := m * r * inv
			c := cell[j]
			cs[c] += w
			dcs[c] -= w * w
		}
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
//
// Near the optimum DESeq2's two decisions (the Armijo test and change < tol)
// compare log posteriors whose difference is far below their rounding
// error: DESeq2's log posterior omits the terms of y alone, so for a gene
// with large counts it is about -Σ y (-3e7 at 1e5 counts per sample, one ulp
// 7e-9), while the Armijo margin of the last steps can be 1e-11. DESeq2's
// outcome there is decided by its rounding, and a different (even a more
// accurate) evaluation takes another path, ending up to ~1e-5 (relative)
// away in α. So each decision is first made with logPost and, when its
// margin is within noiseBound of zero, made again with logPostR, which
// evaluates the log posterior in DESeq2's own operation order and gives its
// bits (checked against DESeq2 1.38.3's values on the bench data).
//
// The first trial step and those after a rejection, mostly rejected, are
// first tested against an upper bound of the log posterior (upperBelow,
// about a sixth of an evaluation): when the bound proves the rejection with
// the margins above, the step is rejected without evaluating the log
// posterior, the decision the evaluation would have made
// (TestUpperBoundSameDecisions); otherwise the step is evaluated as above.
// On the bench data this decides 85% of the rejected steps.
func (dw *dispWork) fitDisp(y, mu []float64, a0, priorMean, priorVar, minLogAlpha, kappa0, tol float64, maxit int, usePrior bool) fitDispResult {
	const eps = 1e-4
	dw.prepare(y, mu)
	a := a0
	lp := dw.logPost(a, y, mu, priorMean, priorVar, usePrior)
	crA := dw.lastCR // Cox–Reid term at a (logPostUpper)
	rejected := false
	dlp := dw.dlogPost(a, y, mu, priorMean, priorVar, usePrior)
	kappa := kappa0
	res := fitDispResult{initialLP: lp}
	iterAccept := 0
	lpR := math.NaN()       // logPostR at a, when computed
	sumY, maxY := -1.0, 0.0 // set when a bound is first needed
	for t := 0; t < maxit; t++ {
		res.iter++
		aProp := a + kappa*dlp
		if aProp < -30 {
			kappa = (-30 - a) / dlp
		}
		if aProp > 10 {
			kappa = (10 - a) / dlp
		}
		step := kappa * dlp
		thetaHatKappa := -lp - kappa*eps*dlp*dlp
		// steps below 1e-7 in log α leave α within far less than its
		// tolerance whichever way DESeq2 decides: no exact evaluation
		bound := 0.0
		if math.Abs(step) >= minExactStep {
			if sumY < 0 {
				sumY, maxY = sumMax(y)
			}
			bound = noiseBound(sumY, maxY, len(y), math.Min(a, a+step), lp)
		}
		// the first step (κ0 times the gradient) and the halved step after a
		// rejection are mostly rejected: first try to prove it from
		// upperBelow (the same decision as the evaluation below whenever the
		// proof succeeds)
		if (rejected || t == 0) && useUpperBound {
			if sumY < 0 {
				sumY, maxY = sumMax(y)
			}
			if dw.upperBelow(a+step, a, crA, -thetaHatKappa-bound, y, mu, priorMean, priorVar, usePrior, sumY, maxY, lp) {
				kappa = kappa / 2
				rejected = true
				continue
			}
		}
		thetaKappa := -dw.logPost(a+step, y, mu, priorMean, priorVar, usePrior)
		crT := dw.lastCR
		accept := thetaKappa <= thetaHatKappa
		rejected = !accept
		lpNewR := math.NaN()
		if math.Abs(thetaKappa-thetaHatKappa) < bound {
			if math.IsNaN(lpR) {
				lpR = dw.logPostR(a, y, mu, priorMean, priorVar, usePrior)
			}
			lpNewR = dw.logPostR(a+step, y, mu, priorMean, priorVar, usePrior)
			accept = -lpNewR <= -lpR-kappa*eps*dlp*dlp
			rejected = !accept
		}
		if accept {
			rejected = false
			crA = crT
			iterAccept++
			aOld := a
			a = a + kappa*dlp
			lpnew := -thetaKappa // log_posterior at the same a, as DESeq2 recomputes it
			change := lpnew - lp
			if math.Abs(change-tol) < bound {
				if math.IsNaN(lpR) {
					lpR = dw.logPostR(aOld, y, mu, priorMean, priorVar, usePrior)
				}
				if math.IsNaN(lpNewR) {
					lpNewR = dw.logPostR(a, y, mu, priorMean, priorVar, usePrior)
				}
				change = lpNewR - lpR
			}
			if change < tol {
				lp = lpnew
				break
			}
			if a < minLogAlpha {
				break
			}
			lp = lpnew
			lpR = lpNewR
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

// minExactStep is the smallest step in log α for which fitDisp settles a
// decision within the rounding noise by logPostR.
const minExactStep = 1e-7

// noiseBound bounds the difference between logPost and DESeq2's rounded log
// posterior for a gene with count sum sumY and maximum maxY over n samples
// at log α = la with log posterior lp: DESeq2 sums per sample
// lgamma(y+r) - lgamma(r) - y log(μ+r) - r log(1+μα) (r = 1/α), whose parts
// are of size (y+r)(log(y+r)+1) and round to about 2^-53 of that each, and
// the running sum rounds at up to |lp|. The factor 2^-48 leaves a wide
// margin over the differences seen on the bench data.
func noiseBound(sumY, maxY float64, n int, la, lp float64) float64 {
	r := 1 / fastExp(la)
	nf := float64(n)
	return 0x1p-48*((sumY+nf*r)*(fastLog(maxY+r+1)+1)+math.Sqrt(nf)*math.Abs(lp)) + 1e-12
}

// logPostR is logPost evaluated as DESeq2 1.38.3's log_posterior (C++)
// evaluates it, so that it has the same rounding: the per-sample terms
// lgamma(y+r) - lgamma(r) - y·log(μ+r) - r·log(1+μα) with R's lgammafn
// (rLgamma), left to right, summed in sample order, then + prior + Cox–Reid
// term. The Cox–Reid term (of order 1, far below the rounding of the sum
// for the genes where this matters) is logPost's. fitDisp calls it only for
// decisions within the rounding noise.
func (dw *dispWork) logPostR(la float64, y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	alpha := fmath.Exp(la)
	r := 1 / alpha
	lgr := rLgamma(r)
	var ll float64
	for j, yj := range y {
		m := mu[j]
		ll += rLgamma(yj+r) - lgr - float64(yj*fmath.Log(m+r)) - float64(r*fmath.Log(1.0+float64(m*alpha)))
	}
	// Cox–Reid term: B from the per-cell weights as in logPost
	d := dw.d
	// (own per-cell sums: dlogPost may reuse dw.cs from the last logPost;
	// it rebuilds dw.B from them)
	cs := dw.csR[:d.ncell]
	for i := range cs {
		cs[i] = 0
	}
	for j := range y {
		m := mu[j]
		cs[d.cell[j]] += m * r / (m + r)
	}
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

// rAlgmcs are the first 5 coefficients of the Chebyshev series of the
// Stirling remainder used by R's lgammacor (R 4.2.2 src/nmath/lgammacor.c,
// from W. Fullerton's SLATEC algmcs; R uses nalgm = 5 of its 15).
var rAlgmcs = [5]float64{
	+.1666389480451863247205729650822e+0,
	-.1384948176067563840732986059135e-4,
	+.9810825646924729426157171547487e-8,
	-.1809129475572494194263306266719e-10,
	+.6221098041892605227126015543416e-13,
}

// rLgamma is R's lgammafn (R 4.2.2 src/nmath/lgamma.c) for x > 0 in its
// operation order for x > 10: log √(2π) + (x - ½)·log x - x + lgammacor(x),
// lgammacor by the Chebyshev series in (10/x)² (Clenshaw recurrence as R's
// chebyshev_eval), dropped above 4934720, and x(log x - 1) above 1e17. For
// x <= 10 (R: log|gammafn(x)|) it returns fmath.Lgamma, whose rounding can
// differ from R's in the last bit (immaterial: these terms are small).
// NaN for NaN.
func rLgamma(x float64) float64 {
	switch {
	case !(x > 10):
		v, _ := fmath.Lgamma(x)
		return v
	case x > 1e17:
		return x * (fmath.Log(x) - 1)
	case x > 4934720:
		return lnSqrt2Pi + float64((x-0.5)*fmath.Log(x)) - x
	}
	tmp := 10 / x
	t := float64(tmp*tmp*2) - 1
	twox := t * 2
	var b0, b1, b2 float64
	for i := 1; i <= len(rAlgmcs); i++ {
		b2 = b1
		b1 = b0
		b0 = float64(twox*b1) - b2 + rAlgmcs[len(rAlgmcs)-i]
	}
	cor := (b0 - b2) * 0.5 / x
	return lnSqrt2Pi + float64((x-0.5)*fmath.Log(x)) - x + cor
}

// fitDispGrid is DESeq2's fitDispGrid with its R wrapper: the log posterior on
// 20 points equally spaced in log α over [log 1e-8, log max(10, m)], then on
// 20 points over [â-δ, â+δ] around the best one (δ the coarse spacing); the
// first maximum wins. It returns α.
func (dw *dispWork) fitDispGrid(y, mu []float64, priorMean, priorVar float64, usePrior bool) float64 {
	const n = 20
	dw.prepare(y, mu)
	lo := fmath.Log(1e-8)
	hi := fmath.Log(math.Max(10, float64(dw.d.m)))
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
	return fmath.Exp(fbest)
}
