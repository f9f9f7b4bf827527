package deseq

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// geneEstResult holds the gene-wise estimates for a list of genes.
type geneEstResult struct {
	disp []float64
	iter []int
	mu   []float64 // len(idx) x m, floored at minmu (the "mu" assay)
}

// linearMu reports whether DESeq2 uses the linear-model μ in the gene-wise
// step: the number of distinct rows of X equals its number of columns.
func (st *state) linearMu() bool {
	_, n := cells(st.f.X, st.m, st.p)
	return n == st.p
}

// geneWise is estimateDispersionsGeneEst (DESeq2 1.38.3, niter = 1) for the
// genes idx of the counts matrix cnt (genes x samples) and its normalized
// counts norm with row means bm and variances bv.
func (st *state) geneWise(idx []int, cnt, norm, bm, bv []float64) geneEstResult {
	f := st.f
	m, p := st.m, st.p
	n := len(idx)
	res := geneEstResult{disp: make([]float64, n), iter: make([]int, n), mu: make([]float64, n*m)}
	maxDisp := math.Max(10, float64(m))
	var xim float64
	for _, s := range f.SizeFactors {
		xim += 1 / s
	}
	xim /= float64(m)
	linear := st.linearMu()
	lambda := make([]float64, p)
	for k := range lambda {
		lambda[k] = noPriorLambda / (math.Ln2 * math.Ln2)
	}
	// X R^-1 for linearModelMu: (y Q)(X R^-1)ᵀ
	xrinv := make([]float64, m*p)
	for j := 0; j < m; j++ {
		// solve row_j = xrinv_j R  =>  Rᵀ xrinv_jᵀ = x_jᵀ (forward substitution)
		for k := 0; k < p; k++ {
			s := f.X[j*p+k]
			for l := 0; l < k; l++ {
				s -= xrinv[j*p+l] * st.qr.R[l*p+k]
			}
			xrinv[j*p+k] = s / st.qr.R[k*p+k]
		}
	}
	f.opts.batched(st.step("gene-wise dispersions"), n, func(lo, hi, _ int) {
		dw := newDispWork(st.d)
		gw := newGLMWork(st.d)
		yq := make([]float64, p)
		lin := make([]float64, m)
		beta := make([]float64, p)
		for i := lo; i < hi; i++ {
			g := idx[i]
			y := cnt[g*m : (g+1)*m]
			yn := norm[g*m : (g+1)*m]
			linearFit(yn, st.qr.Q, xrinv, m, p, yq, lin)
			// rough estimate
			var rough float64
			for j := 0; j < m; j++ {
				mu := math.Max(1, lin[j])
				d := yn[j] - mu
				rough += (d*d - mu) / (mu * mu)
			}
			rough /= float64(m - p)
			if rough < 0 {
				rough = 0
			}
			moments := (bv[g] - xim*bm[g]) / (bm[g] * bm[g])
			a := math.Min(rough, moments)
			if math.IsNaN(rough) || math.IsNaN(moments) {
				a = math.NaN()
			}
			alphaInit := math.Min(math.Max(minDisp, a), maxDisp)
			mu := res.mu[i*m : (i+1)*m]
			if linear {
				for j := 0; j < m; j++ {
					mu[j] = lin[j] * f.SizeFactors[j]
				}
			} else {
				initBeta(yn, st.qr, m, p, beta, yq)
				gw.fitBeta(f.X, y, f.SizeFactors, alphaInit, beta, lambda, betaTol, maxitFit, minmu)
				gw.rawMu(f.X, f.SizeFactors, beta, mu)
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
			res.disp[i] = math.Min(math.Max(est, minDisp), maxDisp)
			res.iter[i] = r.iter
		}
	})
	return res
}

// step names a gene-wise step for Options.Progress, prefixed by
// "outlier refit: " while refitting the genes with replaced counts.
func (st *state) step(name string) string {
	if st.refit {
		return "outlier refit: " + name
	}
	return name
}

// linearFit computes the fitted values of the least-squares fit of y on X,
// (y Q)(X R⁻¹)ᵀ as DESeq2's linearModelMu.
func linearFit(y, Q, xrinv []float64, m, p int, yq, out []float64) {
	for k := 0; k < p; k++ {
		yq[k] = 0
	}
	for j := 0; j < m; j++ {
		yj := y[j]
		for k := 0; k < p; k++ {
			yq[k] += yj * Q[j*p+k]
		}
	}
	for j := 0; j < m; j++ {
		var s float64
		for k := 0; k < p; k++ {
			s += yq[k] * xrinv[j*p+k]
		}
		out[j] = s
	}
}

// initBeta sets beta = R⁻¹ Qᵀ log(yn + 0.1), DESeq2's starting values for a
// full-rank design. yq is scratch of length p.
func initBeta(yn []float64, qr *thinQR, m, p int, beta, yq []float64) {
	for k := 0; k < p; k++ {
		yq[k] = 0
	}
	for j := 0; j < m; j++ {
		l := fastLog(yn[j] + 0.1)
		for k := 0; k < p; k++ {
			yq[k] += qr.Q[j*p+k] * l
		}
	}
	copy(beta, yq)
	solveUpper(qr.R, p, beta)
}

// fitTrend is estimateDispersionsFit plus dispersionFunction<- (DESeq2 1.38.3).
func (st *state) fitTrend(nz []int) error {
	f := st.f
	var means, disps []float64
	for _, g := range nz {
		if f.DispGeneEst[g] > 100*minDisp {
			means = append(means, f.BaseMean[g])
			disps = append(disps, f.DispGeneEst[g])
		}
	}
	if len(means) == 0 {
		return errors.New("deseq: all gene-wise dispersion estimates are within 2 orders of magnitude from the minimum value, and so the standard curve fitting techniques will not work")
	}
	t := Trend{Requested: f.opts.FitType, Type: f.opts.FitType}
	if t.Type == Parametric {
		a0, a1, err := parametricDispersionFit(means, disps)
		if err != nil {
			t.ParametricError = err.Error()
			t.Type = Local
		} else {
			t.AsymptDisp, t.ExtraPois = a0, a1
		}
	}
	if t.Type == Local {
		var lx, ly, lw []float64
		for i, d := range disps {
			if d >= minDisp*10 {
				lx = append(lx, fmath.Log(means[i]))
				ly = append(ly, fmath.Log(d))
				lw = append(lw, means[i])
			}
		}
		tree, err := newLocfitTree(lx, ly, lw)
		if err != nil {
			return fmt.Errorf("deseq: local dispersion fit: %v", err)
		}
		t.tree = tree
	}
	if t.Type == Mean {
		var all []float64
		for _, g := range nz {
			all = append(all, f.DispGeneEst[g])
		}
		t.MeanDisp = meanDispersionFit(all, minDisp)
	}
	f.Trend = t
	f.DispFit = nanVec(st.G)
	for _, g := range nz {
		f.DispFit[g] = t.Eval(f.BaseMean[g])
	}
	// varLogDispEsts
	var res []float64
	for _, g := range nz {
		if f.DispGeneEst[g] >= minDisp*100 {
			res = append(res, fmath.Log(f.DispGeneEst[g])-fmath.Log(f.DispFit[g]))
		}
	}
	mad := stats.MAD(res)
	f.VarLogDispEsts = mad * mad
	return nil
}

// priorVar is estimateDispersionsPriorVar (DESeq2 1.38.3).
func (st *state) priorVar(nz []int) error {
	f := st.f
	if f.opts.DispPriorVar > 0 {
		f.DispPriorVar = f.opts.DispPriorVar
		return nil
	}
	m, p := st.m, st.p
	if m-p <= 3 && m > p {
		var resid []float64
		for _, g := range nz {
			if f.DispGeneEst[g] >= minDisp*100 {
				r := fmath.Log(f.DispGeneEst[g]) - fmath.Log(f.DispFit[g])
				if r > -10 && r < 10 {
					resid = append(resid, r)
				}
			}
		}
		if priorVarFloorCheck(resid, m-p) {
			f.DispPriorVar = 0.25
			f.DispPriorVarFloor = true
			return nil
		}
		return errors.New("deseq: with 1 to 3 residual degrees of freedom DESeq2 estimates the dispersion prior variance by a seeded Monte-Carlo search, which is not reproduced here; give Options.DispPriorVar (R: attr(dispersionFunction(dds), \"dispPriorVar\"))")
	}
	f.DispPriorVar = math.Max(f.VarLogDispEsts-trigamma(float64(m-p)/2), 0.25)
	return nil
}

// mapDisp is estimateDispersionsMAP (DESeq2 1.38.3) for genes idx, with mu
// the gene-wise step's floored means (len(idx) x m).
func (st *state) mapDisp(idx []int, cnt, mu, geneEst, dispFit []float64, f *Fit) {
	m := st.m
	if f.DispMAP == nil {
		f.DispMAP = nanVec(st.G)
		f.Dispersion = nanVec(st.G)
		f.DispIter = make([]int, st.G)
		f.DispOutlier = make([]bool, st.G)
	}
	maxDisp := math.Max(10, float64(m))
	sdOut := 2 * math.Sqrt(f.VarLogDispEsts)
	f.opts.batched(st.step("MAP dispersions"), len(idx), func(lo, hi, _ int) {
		dw := newDispWork(st.d)
		for i := lo; i < hi; i++ {
			g := idx[i]
			y := cnt[g*m : (g+1)*m]
			mui := mu[i*m : (i+1)*m]
			init := dispFit[g]
			if geneEst[g] > 0.1*dispFit[g] {
				init = geneEst[g]
			}
			pm := fmath.Log(dispFit[g])
			r := dw.fitDisp(y, mui, fmath.Log(init), pm, f.DispPriorVar, fmath.Log(minDisp/10), kappa0, dispTol, maxitFit, true)
			d := fmath.Exp(r.logAlpha)
			if !(r.iter < maxitFit) {
				d = dw.fitDispGrid(y, mui, pm, f.DispPriorVar, true)
			}
			d = math.Min(math.Max(d, minDisp), maxDisp)
			f.DispMAP[g] = d
			f.DispIter[g] = r.iter
			out := fmath.Log(geneEst[g]) > fmath.Log(dispFit[g])+sdOut
			f.DispOutlier[g] = out
			if out {
				f.Dispersion[g] = geneEst[g]
			} else {
				f.Dispersion[g] = d
			}
		}
	})
}

// glmOut receives fitNbinomGLMs results for one set of genes.
type glmOut struct {
	beta, se []float64 // len(idx) x p, log2 scale
	conv     []bool
	iter     []int
	logLike  []float64
	cooks    []float64 // len(idx) x m (if wanted)
}

// fitGLMs is fitNbinomGLMs (DESeq2 1.38.3, useQR, no optim fallback) for genes
// idx with model matrix X (m x q) and dispersions disp; lambda on the log2
// scale. With cooks it also computes Cook's distances (calculateCooksDistance)
// with the robust dispersion from cellX.
func (st *state) fitGLMs(idx []int, cnt, norm []float64, X []float64, q int, disp []float64, lambda []float64, wantCooks bool, dispX []float64, cooksMu []float64) glmOut {
	wantLL := st.f.test == LRT
	f := st.f
	m := st.m
	n := len(idx)
	out := glmOut{beta: make([]float64, n*q), se: make([]float64, n*q), conv: make([]bool, n), iter: make([]int, n), logLike: make([]float64, n)}
	if wantCooks {
		out.cooks = make([]float64, n*m)
	}
	lamNat := make([]float64, q)
	for k := range lamNat {
		lamNat[k] = lambda[k] / (math.Ln2 * math.Ln2)
	}
	justIntercept := q == 1
	for _, v := range X[:m*q] {
		if v != 1 {
			justIntercept = false
		}
	}
	for _, l := range lambda {
		if l > 1e-6 {
			justIntercept = false
		}
	}
	qr := newThinQR(X, m, q)
	fullRank := qr.rank == q
	var rc *robustCells
	if wantCooks {
		rc = newRobustCells(dispX, m, len(dispX)/m)
	}
	pDisp := len(dispX) / m
	dX := st.d
	if q != st.p || &X[0] != &st.f.X[0] {
		dX = newDesign(X, m, q)
	}
	f.opts.batched(st.step("GLM fits"), n, func(lo, hi, _ int) {
		gw := newGLMWork(dX)
		beta := make([]float64, q)
		yq := make([]float64, q)
		rbuf := newRobustBuf(m)
		for i := lo; i < hi; i++ {
			g := idx[i]
			y := cnt[g*m : (g+1)*m]
			yn := norm[g*m : (g+1)*m]
			alpha := disp[g]
			size := 1 / alpha
			if justIntercept {
				var s float64
				for _, v := range yn {
					s += v
				}
				b2 := fmath.Log2(s / float64(m))
				out.beta[i] = b2
				var xtwx, ll float64
				for j := 0; j < m; j++ {
					mu := f.SizeFactors[j] * fmath.Pow(2, b2)
					gw.mu[j] = mu
					ll += dnbinomMuLog(y[j], size, mu)
					w := 1 / (1/mu + alpha)
					gw.w[j] = w
					xtwx += w
				}
				out.se[i] = math.Log2E * math.Sqrt(1/xtwx)
				out.conv[i] = true
				out.iter[i] = 1
				out.logLike[i] = ll
				if wantCooks {
					for j := 0; j < m; j++ {
						gw.hat[j] = gw.w[j] / xtwx
					}
					cm := gw.mu
					if cooksMu != nil {
						cm = cooksMu[i*m : (i+1)*m]
					}
					st.cooksRow(out.cooks[i*m:(i+1)*m], y, yn, cm, gw.hat, rc, rbuf, pDisp)
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
			it, _ := gw.fitBeta(X, y, f.SizeFactors, alpha, beta, lamNat, betaTol, maxitFit, minmu)
			gw.covariance(X, alpha, lamNat, nil, true)
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
			gw.rawMu(X, f.SizeFactors, beta, gw.eta)
			if wantLL {
				for j := 0; j < m; j++ {
					ll += dnbinomMuLog(y[j], size, gw.eta[j])
				}
			}
			out.logLike[i] = ll
			if !wantLL {
				out.logLike[i] = math.NaN()
			}
			if wantCooks {
				cm := gw.eta
				if cooksMu != nil {
					cm = cooksMu[i*m : (i+1)*m]
				}
				st.cooksRow(out.cooks[i*m:(i+1)*m], y, yn, cm, gw.hat, rc, rbuf, pDisp)
			}
		}
	})
	return out
}

// waldFit is nbinomWaldTest (betaPrior=FALSE) for all non-zero genes.
func (st *state) waldFit(nz []int, cnt, norm []float64) {
	f := st.f
	p := st.p
	lambda := make([]float64, p)
	for k := range lambda {
		lambda[k] = noPriorLambda
	}
	o := st.fitGLMs(nz, cnt, norm, f.X, p, f.Dispersion, lambda, true, f.X, nil)
	G, m := st.G, st.m
	f.Beta, f.BetaSE = nanVec(G*p), nanVec(G*p)
	f.WaldStat, f.WaldPvalue = nanVec(G*p), nanVec(G*p)
	f.BetaConv, f.BetaIter = make([]bool, G), make([]int, G)
	f.Deviance = nanVec(G)
	f.Cooks = nanVec(G * m)
	st.storeWald(nz, o)
	f.MaxCooks = st.recordMaxCooks(f.Cooks, nil)
}

func (st *state) storeWald(idx []int, o glmOut) {
	f := st.f
	p, m := st.p, st.m
	for i, g := range idx {
		for k := 0; k < p; k++ {
			b, se := o.beta[i*p+k], o.se[i*p+k]
			f.Beta[g*p+k] = b
			f.BetaSE[g*p+k] = se
			z := b / se
			f.WaldStat[g*p+k] = z
			f.WaldPvalue[g*p+k] = 2 * dist.Pnorm(math.Abs(z), 0, 1, false, false)
		}
		f.BetaConv[g] = o.conv[i]
		f.BetaIter[g] = o.iter[i]
		f.Deviance[g] = -2 * o.logLike[i]
		if o.cooks != nil {
			copy(f.Cooks[g*m:(g+1)*m], o.cooks[i*m:(i+1)*m])
		}
	}
}

// lrtFit is nbinomLRT for all non-zero genes.
// In nbinomLRT (DESeq2 1.38.3) Cook's distances are computed before the full
// model's μ is stored, so they use the gene-wise step's floored μ (geneMu).
func (st *state) lrtFit(nz []int, cnt, norm, geneMu []float64) {
	f := st.f
	p, m, G := st.p, st.m, st.G
	lambda := make([]float64, p)
	for k := range lambda {
		lambda[k] = noPriorLambda
	}
	full := st.fitGLMs(nz, cnt, norm, f.X, p, f.Dispersion, lambda, true, f.X, geneMu)
	q := len(f.opts.ReducedColnames)
	rl := make([]float64, q)
	for k := range rl {
		rl[k] = noPriorLambda
	}
	red := st.fitGLMs(nz, cnt, norm, f.opts.Reduced, q, f.Dispersion, rl, false, nil, nil)
	f.Beta, f.BetaSE = nanVec(G*p), nanVec(G*p)
	f.BetaConv, f.BetaIter = make([]bool, G), make([]int, G)
	f.Deviance = nanVec(G)
	f.Cooks = nanVec(G * m)
	f.LRTStat, f.LRTPvalue = nanVec(G), nanVec(G)
	st.storeLRT(nz, full, red)
	f.MaxCooks = st.recordMaxCooks(f.Cooks, nil)
}

func (st *state) storeLRT(idx []int, full, red glmOut) {
	f := st.f
	p, m := st.p, st.m
	df := float64(p - len(f.opts.ReducedColnames))
	for i, g := range idx {
		copy(f.Beta[g*p:(g+1)*p], full.beta[i*p:(i+1)*p])
		copy(f.BetaSE[g*p:(g+1)*p], full.se[i*p:(i+1)*p])
		f.BetaConv[g] = full.conv[i]
		f.BetaIter[g] = full.iter[i]
		f.Deviance[g] = -2 * full.logLike[i]
		s := 2 * (full.logLike[i] - red.logLike[i])
		f.LRTStat[g] = s
		f.LRTPvalue[g] = dist.Pchisq(s, df, false, false)
		if full.cooks != nil {
			copy(f.Cooks[g*m:(g+1)*m], full.cooks[i*m:(i+1)*m])
		}
	}
}

// recordMaxCooks is DESeq2's recordMaxCooks: the maximum Cook's distance over
// samples whose design cell has 3 or more samples; NaN if m <= p or none.
// zeroCols, if non-nil, marks samples whose distance counts as 0.
func (st *state) recordMaxCooks(cooks []float64, zeroCols []bool) []float64 {
	m, p := st.m, st.p
	use := nOrMoreInCell(st.f.X, m, p, 3)
	out := nanVec(st.G)
	if !(m > p) || !anyTrue(use) {
		return out
	}
	for g := 0; g < st.G; g++ {
		mx := math.Inf(-1)
		isNA := false
		for j := 0; j < m; j++ {
			if !use[j] {
				continue
			}
			c := cooks[g*m+j]
			if zeroCols != nil && zeroCols[j] {
				c = 0
			}
			if math.IsNaN(c) {
				isNA = true
				break
			}
			if c > mx {
				mx = c
			}
		}
		if isNA || st.f.AllZero[g] && zeroCols == nil {
			out[g] = math.NaN()
		} else {
			out[g] = mx
		}
	}
	return out
}
