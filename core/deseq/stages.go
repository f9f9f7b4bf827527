package deseq

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/hugepage"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
)

// geneEstResult holds the gene-wise estimates for a list of genes.
type geneEstResult struct {
	disp []float64
	iter []int
	mu   []float64 // len(idx) x m, floored at minmu (the "mu" assay)
}

// geneWise is estimateDispersionsGeneEst (DESeq2 1.38.3, niter = 1) for the
// genes idx of the counts matrix cnt (genes x samples), whose normalized
// counts have row means bm and variances bv; run as the kernel
// kernelGeneWise (geneWiseChunk) over gene ranges.
func (st *state) geneWise(idx []int, cnt, bm, bv []float64) (geneEstResult, error) {
	f := st.f
	m, p := st.m, st.p
	n := len(idx)
	res := geneEstResult{disp: make([]float64, n), iter: make([]int, n), mu: st.newMuBuffer(n)}
	st.perms, st.permIdx = nil, nil
	if f.opts.Pool == nil && !st.refit && m <= 1<<16 {
		// the local path keeps each gene's count order for MAP and the GLM
		st.perms, st.permIdx = hugepage.Make[uint16](n*m), idx
	}
	var scratch []byte
	err := st.runStage(st.step("gene-wise dispersions"), kernelGeneWise, n, func(w *pool.Writer, lo, hi int) {
		writeDesign(w, m, p, f.X, f.SizeFactors)
		writeAt(w, bm, idx, lo, hi)
		writeAt(w, bv, idx, lo, hi)
		writeRows(w, cnt, m, idx, lo, hi, &scratch)
	}, func(r *pool.Reader, lo, hi int) error {
		disp, iter, mu := r.Float64s(), r.Ints(), r.Float64s()
		if len(disp) != hi-lo || len(iter) != hi-lo || len(mu) != (hi-lo)*m {
			return errTask
		}
		copy(res.disp[lo:hi], disp)
		copy(res.iter[lo:hi], iter)
		copy(res.mu[lo*m:hi*m], mu)
		return nil
	}, func(lo, hi int) {
		kd := kernelDesign{m: m, p: p, X: f.X, sf: f.SizeFactors}
		var perms []uint16
		if st.perms != nil {
			perms = st.perms[lo*m : hi*m]
		}
		geneWiseChunk(kd, rowsAt{cnt, m, idx[lo:hi]}, gatherAt(bm, idx, lo, hi), gatherAt(bv, idx, lo, hi),
			res.disp[lo:hi], res.iter[lo:hi], res.mu[lo*m:hi*m], perms)
	})
	return res, err
}

// permsFor returns the saved count orders of genes idx[lo:hi] when idx is
// the gene list the gene-wise step saved them for (not while refitting,
// whose counts differ), else nil.
func (st *state) permsFor(idx []int, lo, hi int) []uint16 {
	if st.perms == nil || st.refit || len(idx) != len(st.permIdx) || len(idx) == 0 || &idx[0] != &st.permIdx[0] {
		return nil
	}
	return st.perms[lo*st.m : hi*st.m]
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

// log01 is fastLog(0.1), initBeta's logarithm for a zero count.
var log01 = fastLog(0.1)

// initBeta sets beta = R⁻¹ Qᵀ log(yn + 0.1), DESeq2's starting values for a
// full-rank design. yq is scratch of length p.
func initBeta(yn []float64, qr *thinQR, m, p int, beta, yq []float64) {
	for k := 0; k < p; k++ {
		yq[k] = 0
	}
	Q := qr.Q[:m*p]
	for j, v := range yn[:m] {
		// fastLog(v + 0.1), inline (a zero count's from the table)
		l := log01
		if v != 0 {
			if b := math.Float64bits(v + 0.1); (b>>52)-1 < 0x7fe {
				l = logBits(b, float64(int64(b>>52)-1023))
			} else {
				l = fastLog(v + 0.1)
			}
		}
		for k, q := range Q[j*p : (j+1)*p] {
			yq[k] += q * l
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
func (st *state) mapDisp(idx []int, cnt, mu, geneEst, dispFit []float64, f *Fit) error {
	m, p := st.m, st.p
	if f.DispMAP == nil {
		f.DispMAP = nanVec(st.G)
		f.Dispersion = nanVec(st.G)
		f.DispIter = make([]int, st.G)
		f.DispOutlier = make([]bool, st.G)
	}
	sdOut := 2 * math.Sqrt(f.VarLogDispEsts)
	var scratch []byte
	return st.runStage(st.step("MAP dispersions"), kernelMAP, len(idx), func(w *pool.Writer, lo, hi int) {
		writeDesign(w, m, p, f.X, f.SizeFactors)
		w.Float64(f.DispPriorVar)
		w.Float64(sdOut)
		writeAt(w, geneEst, idx, lo, hi)
		writeAt(w, dispFit, idx, lo, hi)
		writeRows(w, cnt, m, idx, lo, hi, &scratch)
		writeBlob(w, mu[lo*m:hi*m], &scratch)
	}, func(r *pool.Reader, lo, hi int) error {
		mapD, iter, outl, disp := r.Float64s(), r.Ints(), r.Ints(), r.Float64s()
		if len(mapD) != hi-lo || len(iter) != hi-lo || len(outl) != hi-lo || len(disp) != hi-lo {
			return errTask
		}
		for i, g := range idx[lo:hi] {
			f.DispMAP[g] = mapD[i]
			f.DispIter[g] = iter[i]
			f.DispOutlier[g] = outl[i] != 0
			f.Dispersion[g] = disp[i]
		}
		return nil
	}, func(lo, hi int) {
		kd := kernelDesign{m: m, p: p, X: f.X, sf: f.SizeFactors}
		n := hi - lo
		mapD, disp := make([]float64, n), make([]float64, n)
		iter, outl := make([]int, n), make([]int, n)
		mapChunk(kd, f.DispPriorVar, sdOut, gatherAt(geneEst, idx, lo, hi), gatherAt(dispFit, idx, lo, hi),
			rowsAt{cnt, m, idx[lo:hi]}, rowsSeq{mu[lo*m : hi*m], m}, mapD, iter, outl, disp, st.permsFor(idx, lo, hi))
		for i, g := range idx[lo:hi] {
			f.DispMAP[g] = mapD[i]
			f.DispIter[g] = iter[i]
			f.DispOutlier[g] = outl[i] != 0
			f.Dispersion[g] = disp[i]
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
func (st *state) fitGLMs(idx []int, cnt []float64, X []float64, q int, disp []float64, lambda []float64, wantCooks bool, dispX []float64, cooksMu []float64) (glmOut, error) {
	return st.fitGLMsInto(idx, cnt, X, q, disp, lambda, wantCooks, dispX, cooksMu, nil)
}

// fitGLMsInto is fitGLMs writing Cook's distances into cooksBuf (len(idx) x m
// values, rows in idx order) when it is not nil.
func (st *state) fitGLMsInto(idx []int, cnt []float64, X []float64, q int, disp []float64, lambda []float64, wantCooks bool, dispX []float64, cooksMu []float64, cooksBuf []float64) (glmOut, error) {
	f := st.f
	m := st.m
	n := len(idx)
	out := glmOut{beta: make([]float64, n*q), se: make([]float64, n*q), conv: make([]bool, n), iter: make([]int, n), logLike: make([]float64, n)}
	if wantCooks {
		if cooksBuf != nil {
			out.cooks = cooksBuf[: n*m : n*m]
		} else {
			out.cooks = make([]float64, n*m)
		}
	}
	var scratch []byte
	err := st.runStage(st.step("GLM fits"), kernelGLM, n, func(w *pool.Writer, lo, hi int) {
		writeDesign(w, m, q, X, f.SizeFactors)
		w.Float64s(lambda)
		w.Bool(wantCooks)
		w.Bool(f.test == LRT)
		if wantCooks {
			w.Float64s(dispX)
		} else {
			w.Float64s(nil)
		}
		writeAt(w, disp, idx, lo, hi)
		writeRows(w, cnt, m, idx, lo, hi, &scratch)
		if cooksMu != nil {
			writeBlob(w, cooksMu[lo*m:hi*m], &scratch)
		} else {
			w.Blob(nil)
		}
	}, func(r *pool.Reader, lo, hi int) error {
		beta, se, conv, iter, ll, cooks := r.Float64s(), r.Float64s(), r.Ints(), r.Ints(), r.Float64s(), r.Float64s()
		k := hi - lo
		if len(beta) != k*q || len(se) != k*q || len(conv) != k || len(iter) != k || len(ll) != k || (wantCooks && len(cooks) != k*m) {
			return errTask
		}
		copy(out.beta[lo*q:hi*q], beta)
		copy(out.se[lo*q:hi*q], se)
		for i, c := range conv {
			out.conv[lo+i] = c != 0
		}
		copy(out.iter[lo:hi], iter)
		copy(out.logLike[lo:hi], ll)
		if wantCooks {
			copy(out.cooks[lo*m:hi*m], cooks)
		}
		return nil
	}, func(lo, hi int) {
		kd := kernelDesign{m: m, p: q, X: X, sf: f.SizeFactors}
		gp := glmParams{lambda: lambda, wantCooks: wantCooks, wantLL: f.test == LRT}
		if wantCooks {
			gp.dispX = dispX
		}
		sub := glmOut{beta: out.beta[lo*q : hi*q], se: out.se[lo*q : hi*q], conv: out.conv[lo:hi], iter: out.iter[lo:hi], logLike: out.logLike[lo:hi]}
		if wantCooks {
			sub.cooks = out.cooks[lo*m : hi*m]
		}
		var cm rowSource
		if cooksMu != nil {
			cm = rowsSeq{cooksMu[lo*m : hi*m], m}
		}
		glmChunk(kd, gp, rowsAt{cnt, m, idx[lo:hi]}, gatherAt(disp, idx, lo, hi), cm, sub, st.permsFor(idx, lo, hi))
	})
	return out, err
}

// waldFit is nbinomWaldTest (betaPrior=FALSE) for all non-zero genes.
func (st *state) waldFit(nz []int, cnt []float64) error { return st.waldFitInto(nz, cnt, nil) }

// waldFitInto is waldFit reusing spare, storage whose values are dead (the
// gene-wise step's μ after MAP), for Cook's distances when it has room for
// G x m values (see mem.go).
func (st *state) waldFitInto(nz []int, cnt, spare []float64) error {
	f := st.f
	p := st.p
	lambda := make([]float64, p)
	for k := range lambda {
		lambda[k] = noPriorLambda
	}
	G, m := st.G, st.m
	cooks := st.cooksInto(spare)
	o, err := st.fitGLMsInto(nz, cnt, f.X, p, f.Dispersion, lambda, true, f.X, nil, cooks[:len(nz)*m])
	if err != nil {
		return err
	}
	f.Beta, f.BetaSE = nanVec(G*p), nanVec(G*p)
	f.WaldStat, f.WaldPvalue = nanVec(G*p), nanVec(G*p)
	f.BetaConv, f.BetaIter = make([]bool, G), make([]int, G)
	f.Deviance = nanVec(G)
	// the fit's rows move to the genes' rows, all-zero genes' rows are NaN
	spreadRows(cooks, nz, m)
	f.Cooks = cooks
	o.cooks = nil
	st.storeWald(nz, o)
	f.MaxCooks = st.recordMaxCooks(f.Cooks, nil)
	return nil
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
func (st *state) lrtFit(nz []int, cnt, geneMu []float64) error {
	f := st.f
	p, m, G := st.p, st.m, st.G
	lambda := make([]float64, p)
	for k := range lambda {
		lambda[k] = noPriorLambda
	}
	// Cook's distances go straight into Fit.Cooks' storage (see mem.go)
	cooks := st.cooksInto(nil)
	full, err := st.fitGLMsInto(nz, cnt, f.X, p, f.Dispersion, lambda, true, f.X, geneMu, cooks[:len(nz)*m])
	if err != nil {
		return err
	}
	q := len(f.opts.ReducedColnames)
	rl := make([]float64, q)
	for k := range rl {
		rl[k] = noPriorLambda
	}
	red, err := st.fitGLMs(nz, cnt, f.opts.Reduced, q, f.Dispersion, rl, false, nil, nil)
	if err != nil {
		return err
	}
	f.Beta, f.BetaSE = nanVec(G*p), nanVec(G*p)
	f.BetaConv, f.BetaIter = make([]bool, G), make([]int, G)
	f.Deviance = nanVec(G)
	spreadRows(cooks, nz, m)
	f.Cooks = cooks
	full.cooks = nil
	f.LRTStat, f.LRTPvalue = nanVec(G), nanVec(G)
	st.storeLRT(nz, full, red)
	f.MaxCooks = st.recordMaxCooks(f.Cooks, nil)
	return nil
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
