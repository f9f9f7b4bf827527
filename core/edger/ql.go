package edger

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/limma"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
)

// QLFit is the value of GLMQLFit (edgeR 3.40.2's glmQLFit with
// abundance.trend = TRUE): the negative binomial GLM at the given
// dispersions and the empirical Bayes squeezed quasi-likelihood dispersions.
type QLFit struct {
	NGenes, N, P int
	// Coefficients are glmFit's coefficients shrunk with prior.count 0.125
	// (predFC · log 2; natural log scale), genes x P row-major; Unshrunk are
	// the maximum likelihood coefficients; Fitted the fitted means (genes x N).
	Coefficients, Unshrunk, Fitted []float64
	Deviance                       []float64
	// DfResidualZeros is .residDF: n - p less the fits at zero.
	DfResidualZeros []float64
	DfPrior         []float64 // length 1 (robust = FALSE) or per gene
	VarPrior        []float64 // per gene (abundance trend)
	VarPost         []float64
	Dispersion      []float64
	AveLogCPM       []float64

	y, x, offset []float64
	d            *glmDesign
	workers      int
}

// GLMQLFit fits the quasi-likelihood negative binomial GLM of edgeR 3.40.2
// (glmQLFit.DGEList with the DGEList's trended dispersions and AveLogCPM):
//
//	fit = glmFit(y, design, dispersion, offset, prior.count = 0.125)
//	df  = .residDF(zerofit, design),  zerofit = fitted < 1e-4 & y < 1e-4
//	s2  = deviance / df (0 where df = 0), squeezed by limma's squeezeVar with
//	      covariate AveLogCPM (robust as given, winsor.tail.p c(0.05, 0.1)).
//
// y: genes x n row-major counts; x: n x p row-major design of full rank;
// offset: log(lib.size·norm.factors); dispersion: one per gene.
func GLMQLFit(y []float64, ngenes, n int, x []float64, p int, offset, dispersion, aveLogCPM []float64, robust bool, workers int) (*QLFit, error) {
	if len(y) != ngenes*n || len(x) != n*p || len(offset) != n || len(dispersion) != ngenes || len(aveLogCPM) != ngenes {
		return nil, errors.New("edger: GLMQLFit: mismatched sizes")
	}
	if ngenes == 0 {
		return nil, errors.New("edger: GLMQLFit: no genes")
	}
	for _, v := range dispersion {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, errors.New("edger: GLMQLFit: dispersions must be finite non-negative values")
		}
	}
	f := &QLFit{NGenes: ngenes, N: n, P: p, y: y, x: x, offset: offset, d: newGLMDesign(x, n, p), workers: workers,
		Dispersion: dispersion, AveLogCPM: aveLogCPM}
	f.Coefficients = make([]float64, ngenes*p)
	f.Unshrunk = make([]float64, ngenes*p)
	f.Fitted = make([]float64, ngenes*n)
	f.Deviance = make([]float64, ngenes)
	// predFC's prior: 0.125 scaled by library size, added twice to the libraries.
	pr, poff := addPriorCount(offset, 0.125)
	ln2 := fmath.Log(2)
	patterns := make([]string, ngenes)
	pool.ForRanges(ngenes, workers, minPerRange, func(lo, hi int) {
		w := newGLMWork(n, p)
		yy := make([]float64, n)
		var buf []byte
		for g := lo; g < hi; g++ {
			yg := y[g*n : (g+1)*n]
			mu := f.Fitted[g*n : (g+1)*n]
			f.Deviance[g] = f.d.fit(yg, offset, dispersion[g], nil, f.Unshrunk[g*p:(g+1)*p], mu, w)
			for i := range yy {
				yy[i] = yg[i] + pr[i]
			}
			cf := f.Coefficients[g*p : (g+1)*p]
			f.d.fit(yy, poff, dispersion[g], nil, cf, w.nmu, w)
			for k := range cf {
				cf[k] = cf[k] / ln2 * ln2
			}
			buf = zeroPattern(yg, mu, buf)
			patterns[g] = string(buf)
		}
	})
	f.DfResidualZeros = residDF(patterns, x, n, p)
	s2 := make([]float64, ngenes)
	for g := range s2 {
		df := f.DfResidualZeros[g]
		s2[g] = f.Deviance[g] / df
		if df == 0 {
			s2[g] = 0
		}
		if s2[g] < 0 {
			s2[g] = 0
		}
	}
	sq, err := limma.SqueezeVar(s2, f.DfResidualZeros, aveLogCPM, robust, [2]float64{0.05, 0.1})
	if err != nil {
		return nil, fmt.Errorf("edger: GLMQLFit: %v", err)
	}
	f.DfPrior = sq.DfPrior
	f.VarPrior = make([]float64, ngenes)
	for g := range f.VarPrior {
		f.VarPrior[g] = sq.VarPrior[g%len(sq.VarPrior)]
	}
	f.VarPost = sq.VarPost
	return f, nil
}

// residDF is edgeR's .residDF: n - p for genes without zero fits, 0 when
// every fit is zero, otherwise the number of non-zero samples less the rank
// (R's qr, tol 1e-7) of the design restricted to them, at least 0.
func residDF(patterns []string, x []float64, n, p int) []float64 {
	out := make([]float64, len(patterns))
	ranks := map[string]int{}
	for g, pat := range patterns {
		nz := 0
		for i := 0; i < len(pat); i++ {
			if pat[i] == 1 {
				nz++
			}
		}
		switch {
		case nz == 0:
			out[g] = float64(n - p)
		case nz == n:
			out[g] = 0
		default:
			r, ok := ranks[pat]
			if !ok {
				sub := make([]float64, 0, (n-nz)*p)
				for i := 0; i < n; i++ {
					if pat[i] == 0 {
						sub = append(sub, x[i*p:(i+1)*p]...)
					}
				}
				r = design.NewQR(sub, n-nz, p, design.Tol).Rank
				ranks[pat] = r
			}
			df := n - nz - r
			if df < 0 {
				df = 0
			}
			out[g] = float64(df)
		}
	}
	return out
}

// QLResult is the table of glmQLFTest + topTags(sort.by = "none"): one row
// per gene in input order.
type QLResult struct {
	LogFC, LogCPM, F, PValue, FDR []float64
	DfTest                        int
	DfTotal                       []float64
}

// TestCoef is glmQLFTest(fit, coef = k+1) (k is 0-based).
func (f *QLFit) TestCoef(k int) (*QLResult, error) {
	if k < 0 || k >= f.P {
		return nil, fmt.Errorf("edger: TestCoef: coefficient %d out of range", k+1)
	}
	if f.P < 2 {
		return nil, errors.New("edger: need at least two columns for design")
	}
	x0 := make([]float64, f.N*(f.P-1))
	for i := 0; i < f.N; i++ {
		c := 0
		for j := 0; j < f.P; j++ {
			if j != k {
				x0[i*(f.P-1)+c] = f.x[i*f.P+j]
				c++
			}
		}
	}
	ln2 := fmath.Log(2)
	logFC := make([]float64, f.NGenes)
	for g := range logFC {
		logFC[g] = f.Coefficients[g*f.P+k] / ln2
	}
	return f.qlTest(logFC, x0)
}

// TestContrast is glmQLFTest(fit, contrast = c) for one contrast vector:
// logFC = coefficients·c / log 2, and the null design is design·Q[, -1]
// with Q from R's QR of c (qr.Q(complete = TRUE, Dvec)).
func (f *QLFit) TestContrast(c []float64) (*QLResult, error) {
	p := f.P
	if len(c) != p {
		return nil, errors.New("edger: TestContrast: contrast vector of wrong length, should be equal to number of coefficients in the linear model")
	}
	if p < 2 {
		return nil, errors.New("edger: need at least two columns for design")
	}
	nrm := 0.0
	for _, v := range c {
		nrm = fmath.Hypot(nrm, v)
	}
	if nrm == 0 {
		return nil, errors.New("edger: TestContrast: contrasts are all zero")
	}
	if c[0] != 0 {
		nrm = math.Copysign(nrm, c[0])
	}
	u := make([]float64, p)
	for i := range c {
		u[i] = c[i] / nrm
	}
	u[0] = 1 + u[0]
	// Q[:, j] = e_j - (u_j/u_0) u for j >= 1.
	q := make([]float64, p*(p-1)) // row-major p x (p-1)
	for j := 1; j < p; j++ {
		t := -u[j] / u[0]
		for m := 0; m < p; m++ {
			v := t * u[m]
			if m == j {
				v += 1
			}
			q[m*(p-1)+j-1] = v
		}
	}
	x0 := make([]float64, f.N*(p-1))
	for i := 0; i < f.N; i++ {
		for j := 0; j < p-1; j++ {
			s := 0.0
			for m := 0; m < p; m++ {
				s += f.x[i*p+m] * q[m*(p-1)+j]
			}
			x0[i*(p-1)+j] = s
		}
	}
	ln2 := fmath.Log(2)
	logFC := make([]float64, f.NGenes)
	for g := range logFC {
		s := 0.0
		for m := 0; m < p; m++ {
			s += f.Coefficients[g*p+m] * c[m]
		}
		logFC[g] = s / ln2
	}
	return f.qlTest(logFC, x0)
}

func (f *QLFit) qlTest(logFC, x0 []float64) (*QLResult, error) {
	n, p, ng := f.N, f.P, f.NGenes
	d0 := newGLMDesign(x0, n, p-1)
	const dfTest = 1
	res := &QLResult{LogFC: logFC, LogCPM: f.AveLogCPM, F: make([]float64, ng), PValue: make([]float64, ng), DfTest: dfTest,
		DfTotal: make([]float64, ng)}
	maxDf := float64(ng) * float64(n-p)
	pool.ForRanges(ng, f.workers, minPerRange, func(lo, hi int) {
		w := newGLMWork(n, p)
		beta, mu, b1, mu1 := make([]float64, p), make([]float64, n), make([]float64, p), make([]float64, n)
		for g := lo; g < hi; g++ {
			yg := f.y[g*n : (g+1)*n]
			phi := f.Dispersion[g]
			dev0 := d0.fit(yg, f.offset, phi, nil, beta[:p-1], mu, w)
			lr := dev0 - f.Deviance[g]
			fs := lr / dfTest / f.VarPost[g]
			dft := f.DfPrior[g%len(f.DfPrior)] + f.DfResidualZeros[g]
			if dft > maxDf {
				dft = maxDf
			}
			pv := dist.Pf(fs, dfTest, dft, false, false)
			// Poisson bound: s2·(1 + phi·mu_i) < 1 for some sample.
			below := false
			for i := 0; i < n; i++ {
				if f.VarPost[g]*(1+phi*f.Fitted[g*n+i]) < 1 {
					below = true
					break
				}
			}
			if below {
				dev1 := f.d.fit(yg, f.offset, 0, f.Unshrunk[g*p:(g+1)*p], b1, mu1, w)
				dev10 := d0.fit(yg, f.offset, 0, nil, beta[:p-1], mu, w)
				pp := dist.Pchisq(dev10-dev1, dfTest, false, false)
				if math.IsNaN(pp) || pp > pv { // pmax(F.pvalue, pois)
					pv = pp
				}
			}
			res.F[g] = fs
			res.PValue[g] = pv
			res.DfTotal[g] = dft
		}
	})
	res.FDR = stats.PAdjust(res.PValue, stats.BH)
	return res, nil
}
