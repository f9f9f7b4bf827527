package norm

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// ComBatOptions are the arguments of sva's ComBat with par.prior = TRUE.
type ComBatOptions struct {
	// Mod is the model matrix of covariates to preserve (samples x columns, e.g.
	// model.matrix(~group)); columns of all ones (an intercept) are dropped as
	// ComBat does. nil means no covariates.
	Mod *design.Matrix
	// MeanOnly adjusts the batch means only (mean.only = TRUE). It is switched on
	// automatically when a batch has a single sample, as in sva.
	MeanOnly bool
	// RefBatch, when not empty, is the batch left unchanged; the others are
	// adjusted towards it (ref.batch).
	RefBatch string
	// Workers splits the gene-wise steps (standardisation, the posterior updates of
	// each iteration, the adjustment) into contiguous gene ranges on that many
	// goroutines (<= 1: serially). The convergence test takes the maximum over all
	// genes after each iteration, so results are bitwise identical for any value.
	Workers int
}

// ComBat removes batch effects from log-scale data with the parametric empirical
// Bayes method of Johnson, Li & Rabinovic 2007 (doi:10.1093/biostatistics/kxj037),
// as sva 3.46.0 ComBat(dat, batch, mod, par.prior = TRUE, mean.only, ref.batch):
//
//   - genes constant within any batch of two or more samples are returned unchanged
//     (exact equality, like sva's var(x) == 0: values equal only up to rounding, e.g.
//     log-CPM of all-zero counts, are adjusted; as in sva, a gene crossing that line
//     also changes the priors and so moves every gene, by about 1e-2 on data set A:
//     TestComBatNearConstant);
//   - D = [batch indicators | Mod without all-one columns]; B = (DᵀD)⁻¹DᵀY per gene;
//     grand mean = sum_b (n_b/n) B_b (or B_ref); pooled variance = mean over samples
//     of (Y - DB)² (divisor n, or the reference batch's samples only);
//   - standardised data s = (Y - grand mean - covariate part)/sqrt(pooled variance);
//   - per batch γ̂ (batch means of s) and δ̂² (sample variances of s); priors
//     γ̄ = mean(γ̂), τ² = var(γ̂), a = (2v + m²)/v, b = (m v + m³)/v from the mean m and
//     variance v of δ̂² across genes;
//   - the posterior γ*, δ²* are iterated (sva's it.sol) until the largest relative
//     change over all genes, max(|Δγ|/γ_old, |Δδ²|/δ²_old), is at most 1e-4;
//     mean-only: γ* = (τ²γ̂ + γ̄)/(τ² + 1), δ²* = 1;
//   - Y* = (s - γ*_b)/sqrt(δ²*_b) · sqrt(pooled variance) + standardised mean.
//
// Batch levels are taken in sorted order (R sorts factor levels; the result does not
// depend on the order).
//
// Missing values (NaN) follow sva's NA path, which then applies to every gene: the
// coefficients are solved per gene on its observed samples, the pooled variance is
// the sample variance (divisor n-1) of the observed residuals, and the posterior
// uses each gene's observed count; missing values stay NaN.
//
// Errors: infinite values, fewer than two batches, a gene with too few observed
// values to solve for the design, a wrong batch length, an unknown RefBatch, a design confounded with batch
// (sva's messages), and a non-finite convergence measure (where sva stops with
// "missing value where TRUE/FALSE needed").
func ComBat(m *dataset.Matrix, batch []string, opt ComBatOptions) (*dataset.Matrix, error) {
	if m == nil {
		return nil, errors.New("norm: ComBat: nil matrix")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	ns := m.Cols()
	if len(batch) != ns {
		return nil, fmt.Errorf("norm: ComBat: %d batch labels for %d samples", len(batch), ns)
	}
	hasNA := false
	for i, v := range m.Data {
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("norm: ComBat: value of gene %q in sample %q is %v", m.Genes[i/ns], m.Samples[i%ns], v)
		}
		if math.IsNaN(v) {
			hasNA = true
		}
	}
	levels, code := levelsOf(batch)
	nb := len(levels)
	if nb < 2 {
		return nil, errors.New("norm: ComBat: need at least two batches")
	}
	ref := -1
	if opt.RefBatch != "" {
		for b, l := range levels {
			if l == opt.RefBatch {
				ref = b
			}
		}
		if ref < 0 {
			return nil, fmt.Errorf("norm: ComBat: reference level ref.batch %q is not one of the levels of the batch variable", opt.RefBatch)
		}
	}
	members := make([][]int, nb)
	for j, c := range code {
		members[c] = append(members[c], j)
	}
	meanOnly := opt.MeanOnly
	for _, mb := range members {
		if len(mb) == 1 {
			meanOnly = true
		}
	}
	// Genes constant within a batch of size > 1 are not adjusted.
	var keep []int
	for g := 0; g < m.Rows(); g++ {
		row := m.Row(g)
		constant := false
		for _, mb := range members {
			if len(mb) < 2 {
				continue
			}
			same := !math.IsNaN(row[mb[0]])
			for _, j := range mb[1:] {
				if row[j] != row[mb[0]] { // false for NaN: var() is NA, not 0
					same = false
					break
				}
			}
			if same {
				constant = true
				break
			}
		}
		if !constant {
			keep = append(keep, g)
		}
	}
	// Design: batch indicators then covariates, dropping all-one columns.
	var cols [][]float64
	for b := 0; b < nb; b++ {
		c := make([]float64, ns)
		for j := range c {
			if code[j] == b || b == ref {
				c[j] = 1
			}
		}
		cols = append(cols, c)
	}
	dropped := make([]bool, nb)
	for b := range cols {
		dropped[b] = b != ref && allOne(cols[b])
	}
	if opt.Mod != nil {
		if opt.Mod.Rows != ns {
			return nil, fmt.Errorf("norm: ComBat: mod has %d rows for %d samples", opt.Mod.Rows, ns)
		}
		for k := 0; k < opt.Mod.Cols(); k++ {
			c := opt.Mod.Column(k)
			for _, v := range c {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, errors.New("norm: ComBat: mod has missing or infinite values")
				}
			}
			if !allOne(c) {
				cols = append(cols, c)
			}
		}
	}
	for _, d := range dropped {
		if d {
			return nil, errors.New("norm: ComBat: a batch contains every sample")
		}
	}
	p := len(cols)
	X := make([]float64, ns*p)
	for k, c := range cols {
		for j, v := range c {
			X[j*p+k] = v
		}
	}
	if q := design.NewQR(X, ns, p, design.Tol); q.Rank < p {
		if p == nb+1 {
			return nil, errors.New("norm: ComBat: the covariate is confounded with batch! Remove the covariate and rerun ComBat")
		}
		if p > nb+1 {
			cv := make([]float64, ns*(p-nb))
			for j := 0; j < ns; j++ {
				copy(cv[j*(p-nb):(j+1)*(p-nb)], X[j*p+nb:(j+1)*p])
			}
			if qc := design.NewQR(cv, ns, p-nb, design.Tol); qc.Rank < p-nb {
				return nil, errors.New("norm: ComBat: the covariates are confounded! Please remove one or more of the covariates so the design is not confounded")
			}
			return nil, errors.New("norm: ComBat: at least one covariate is confounded with batch! Please remove confounded covariates and rerun ComBat")
		}
		return nil, errors.New("norm: ComBat: the design is not of full rank")
	}
	G := len(keep)
	out := m.SubsetRows(seqInts(m.Rows()))
	out.Kind = dataset.Expression
	if G == 0 {
		return out, nil
	}
	// B.hat = solve(crossprod(D), t(D) %*% t(Y)): p x G; with missing values sva
	// solves per gene on the observed samples (Beta.NA).
	Yt := newDense(ns, G) // samples x genes
	for k, g := range keep {
		row := m.Row(g)
		for j := 0; j < ns; j++ {
			Yt.Set(j, k, row[j])
		}
	}
	Bhat, err := solveNormal(X, ns, p, Yt, hasNA)
	if err != nil {
		return nil, err
	}
	nArr := float64(ns)
	allSamples := seqInts(ns)
	grand := make([]float64, G)
	varPooled := make([]float64, G)
	standMean := make([]float64, G*ns) // gene-major
	sdat := make([]float64, G*ns)
	forSamples(G, opt.Workers, func(k int) {
		if ref >= 0 {
			grand[k] = Bhat.At(ref, k)
		} else {
			var s float64
			for b := 0; b < nb; b++ {
				s += float64(len(members[b])) / nArr * Bhat.At(b, k)
			}
			grand[k] = s
		}
		var vp float64
		resid := func(j int) float64 {
			var fit float64
			for c := 0; c < p; c++ {
				fit += X[j*p+c] * Bhat.At(c, k)
			}
			return Yt.At(j, k) - fit
		}
		pooled := allSamples
		if ref >= 0 {
			pooled = members[ref]
		}
		if hasNA {
			// rowVars(..., na.rm = TRUE): centred, divisor (observed - 1)
			rs := make([]float64, 0, len(pooled))
			for _, j := range pooled {
				if r := resid(j); !math.IsNaN(r) {
					rs = append(rs, r)
				}
			}
			vp = rowVar(rs)
		} else {
			w := 1 / float64(len(pooled))
			for _, j := range pooled {
				r := resid(j)
				vp += r * r * w
			}
		}
		varPooled[k] = vp
		sd := math.Sqrt(vp)
		for j := 0; j < ns; j++ {
			var cov float64
			for c := nb; c < p; c++ {
				cov += X[j*p+c] * Bhat.At(c, k)
			}
			sm := grand[k] + cov
			standMean[k*ns+j] = sm
			sdat[k*ns+j] = (Yt.At(j, k) - sm) / sd
		}
	})
	// gamma.hat = solve(crossprod(batch.design), t(batch.design) %*% t(s)): nb x G.
	bx := make([]float64, ns*nb)
	for j := 0; j < ns; j++ {
		copy(bx[j*nb:(j+1)*nb], X[j*p:j*p+nb])
	}
	st := newDense(ns, G)
	for k := 0; k < G; k++ {
		for j := 0; j < ns; j++ {
			st.Set(j, k, sdat[k*ns+j])
		}
	}
	gammaHat, err := solveNormal(bx, ns, nb, st, hasNA)
	if err != nil {
		return nil, err
	}
	deltaHat := make([][]float64, nb)
	gHat := make([][]float64, nb)
	tmp := make([]float64, 0, ns)
	for b := 0; b < nb; b++ {
		deltaHat[b] = make([]float64, G)
		gHat[b] = make([]float64, G)
		for k := 0; k < G; k++ {
			gHat[b][k] = gammaHat.At(b, k)
			if meanOnly {
				deltaHat[b][k] = 1
				continue
			}
			tmp = tmp[:0]
			for _, j := range members[b] {
				if v := sdat[k*ns+j]; !math.IsNaN(v) {
					tmp = append(tmp, v)
				}
			}
			deltaHat[b][k] = rowVar(tmp)
		}
	}
	gammaStar := make([][]float64, nb)
	deltaStar := make([][]float64, nb)
	for b := 0; b < nb; b++ {
		gbar := sumK(gHat[b]) / float64(G)
		t2 := rowVar(gHat[b])
		if meanOnly {
			gammaStar[b] = make([]float64, G)
			deltaStar[b] = make([]float64, G)
			for k := range gammaStar[b] {
				gammaStar[b][k] = postMean(gHat[b][k], gbar, 1, 1, t2)
				deltaStar[b][k] = 1
			}
		} else {
			mu := meanR(deltaHat[b])
			s2 := varR(deltaHat[b])
			a := (2*s2 + mu*mu) / s2
			bb := (mu*s2 + mu*mu*mu) / s2
			var err error
			gammaStar[b], deltaStar[b], err = itSol(sdat, ns, members[b], gHat[b], deltaHat[b], gbar, t2, a, bb, 1e-4, opt.Workers)
			if err != nil {
				return nil, err
			}
		}
		if b == ref {
			for k := 0; k < G; k++ {
				gammaStar[b][k], deltaStar[b][k] = 0, 1
			}
		}
	}
	forSamples(G, opt.Workers, func(k int) {
		g := keep[k]
		sd := math.Sqrt(varPooled[k])
		dst := out.Data[g*ns : (g+1)*ns]
		for j := 0; j < ns; j++ {
			if ref >= 0 && code[j] == ref {
				continue // the reference batch keeps its data
			}
			var gs float64
			for b := 0; b < nb; b++ {
				gs += X[j*p+b] * gammaStar[b][k]
			}
			v := (sdat[k*ns+j] - gs) / math.Sqrt(deltaStar[code[j]][k])
			dst[j] = v*sd + standMean[k*ns+j]
		}
	})
	return out, nil
}

func allOne(c []float64) bool {
	for _, v := range c {
		if v != 1 {
			return false
		}
	}
	return true
}

func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// dense is a row-major matrix (the few operations ComBat needs; gonum's
// mat uses assembly kernels whose last bits differ between targets).
type dense struct {
	r, c int
	d    []float64
}

func newDense(r, c int) *dense           { return &dense{r: r, c: c, d: make([]float64, r*c)} }
func (m *dense) At(i, j int) float64     { return m.d[i*m.c+j] }
func (m *dense) Set(i, j int, v float64) { m.d[i*m.c+j] = v }
func (m *dense) Dims() (int, int)        { return m.r, m.c }

// luFactor factors the p x p matrix a (row-major, overwritten) as PA = LU
// with partial pivoting, like LAPACK dgetrf (R's solve); it returns the
// pivots and an error when a is singular or its reciprocal condition
// number (1-norm, from the explicit inverse) is below the machine epsilon,
// R's "system is computationally singular".
func luFactor(a []float64, p int) ([]int, error) {
	norm1 := 0.0
	for j := 0; j < p; j++ {
		s := 0.0
		for i := 0; i < p; i++ {
			s += math.Abs(a[i*p+j])
		}
		norm1 = math.Max(norm1, s)
	}
	piv := make([]int, p)
	for k := 0; k < p; k++ {
		mx, at := math.Abs(a[k*p+k]), k
		for i := k + 1; i < p; i++ {
			if v := math.Abs(a[i*p+k]); v > mx {
				mx, at = v, i
			}
		}
		piv[k] = at
		if mx == 0 {
			return nil, errors.New("matrix is singular")
		}
		if at != k {
			for j := 0; j < p; j++ {
				a[k*p+j], a[at*p+j] = a[at*p+j], a[k*p+j]
			}
		}
		for i := k + 1; i < p; i++ {
			l := a[i*p+k] / a[k*p+k]
			a[i*p+k] = l
			for j := k + 1; j < p; j++ {
				a[i*p+j] -= l * a[k*p+j]
			}
		}
	}
	// ||A⁻¹||₁ from the columns of the inverse.
	inv1 := 0.0
	e := make([]float64, p)
	for j := 0; j < p; j++ {
		clear(e)
		e[j] = 1
		luSolve(a, piv, p, e)
		s := 0.0
		for _, v := range e {
			s += math.Abs(v)
		}
		inv1 = math.Max(inv1, s)
	}
	if rc := 1 / (norm1 * inv1); !(rc >= 0x1p-52) {
		return nil, fmt.Errorf("system is computationally singular: reciprocal condition number = %g", rc)
	}
	return piv, nil
}

// luSolve overwrites b with the solution of A x = b for luFactor's LU.
func luSolve(lu []float64, piv []int, p int, b []float64) {
	for k := 0; k < p; k++ {
		if piv[k] != k {
			b[k], b[piv[k]] = b[piv[k]], b[k]
		}
	}
	for i := 1; i < p; i++ {
		s := b[i]
		for j := 0; j < i; j++ {
			s -= lu[i*p+j] * b[j]
		}
		b[i] = s
	}
	for i := p - 1; i >= 0; i-- {
		s := b[i]
		for j := i + 1; j < p; j++ {
			s -= lu[i*p+j] * b[j]
		}
		b[i] = s / lu[i*p+i]
	}
}

// solveNormal returns B = solve(crossprod(X), crossprod(X, Y)) (p x G) for the
// row-major ns x p design X and the ns x G matrix Y. With missing values each gene
// is solved on its observed samples (sva's Beta.NA).
func solveNormal(X []float64, ns, p int, Y *dense, hasNA bool) (*dense, error) {
	_, G := Y.Dims()
	B := newDense(p, G)
	xtx := make([]float64, p*p)
	rhs := make([]float64, p)
	if !hasNA {
		for j := 0; j < ns; j++ {
			for a := 0; a < p; a++ {
				for b := 0; b < p; b++ {
					xtx[a*p+b] += X[j*p+a] * X[j*p+b]
				}
			}
		}
		piv, err := luFactor(xtx, p)
		if err != nil {
			return nil, fmt.Errorf("norm: ComBat: %v", err)
		}
		for k := 0; k < G; k++ {
			clear(rhs)
			for j := 0; j < ns; j++ {
				y := Y.At(j, k)
				for a := 0; a < p; a++ {
					rhs[a] += X[j*p+a] * y
				}
			}
			luSolve(xtx, piv, p, rhs)
			for a := 0; a < p; a++ {
				B.Set(a, k, rhs[a])
			}
		}
		return B, nil
	}
	for k := 0; k < G; k++ {
		clear(xtx)
		clear(rhs)
		for j := 0; j < ns; j++ {
			y := Y.At(j, k)
			if math.IsNaN(y) {
				continue
			}
			for a := 0; a < p; a++ {
				xa := X[j*p+a]
				rhs[a] += xa * y
				for b := 0; b < p; b++ {
					xtx[a*p+b] += xa * X[j*p+b]
				}
			}
		}
		piv, err := luFactor(xtx, p)
		if err != nil {
			return nil, fmt.Errorf("norm: ComBat: gene %d: too few observed values for the design (%v)", k+1, err)
		}
		luSolve(xtx, piv, p, rhs)
		for a := 0; a < p; a++ {
			B.Set(a, k, rhs[a])
		}
	}
	return B, nil
}

// rowVar is genefilter's rowVars for one row: sum((x - mean)²)/(n-1) with a
// single-pass mean; NaN for n <= 1.
func rowVar(x []float64) float64 {
	n := len(x)
	if n <= 1 {
		return math.NaN()
	}
	m := sumK(x) / float64(n)
	var s float64
	for _, v := range x {
		d := v - m
		s += d * d
	}
	return s / float64(n-1)
}

// postMean is sva's postmean: (t2 n ĝ + d ḡ)/(t2 n + d).
func postMean(gHat, gBar, n, d, t2 float64) float64 {
	return (t2*n*gHat + d*gBar) / (t2*n + d)
}

// itSol is sva's it.sol: joint iteration of the posterior batch mean and variance
// over all genes of one batch until the largest relative change is <= conv.
func itSol(sdat []float64, ns int, cols []int, gHat, dHat []float64, gBar, t2, a, b, conv float64, workers int) ([]float64, []float64, error) {
	G := len(gHat)
	nObs := make([]float64, G)
	for k := range nObs {
		for _, j := range cols {
			if !math.IsNaN(sdat[k*ns+j]) {
				nObs[k]++
			}
		}
	}
	gOld := append([]float64(nil), gHat...)
	dOld := append([]float64(nil), dHat...)
	gNew := make([]float64, G)
	dNew := make([]float64, G)
	for iter := 0; ; iter++ {
		change := math.Inf(-1)
		forSamples(G, workers, func(k int) {
			n := nObs[k]
			gNew[k] = postMean(gHat[k], gBar, n, dOld[k], t2)
			var sum2 float64
			for _, j := range cols {
				if r := sdat[k*ns+j] - gNew[k]; !math.IsNaN(r) {
					sum2 += r * r
				}
			}
			dNew[k] = (0.5*sum2 + b) / (n/2 + a - 1)
		})
		nan := false
		for k := 0; k < G; k++ {
			c1 := math.Abs(gNew[k]-gOld[k]) / gOld[k]
			c2 := math.Abs(dNew[k]-dOld[k]) / dOld[k]
			if math.IsNaN(c1) || math.IsNaN(c2) {
				nan = true
			}
			change = math.Max(change, math.Max(c1, c2))
		}
		copy(gOld, gNew)
		copy(dOld, dNew)
		if nan {
			return nil, nil, errors.New("norm: ComBat: the empirical Bayes iteration produced NaN (sva stops here: missing value where TRUE/FALSE needed)")
		}
		if !(change > conv) {
			break
		}
		if iter > 100000 {
			return nil, nil, errors.New("norm: ComBat: the empirical Bayes iteration did not converge")
		}
	}
	return gNew, dNew, nil
}
