package limma

import (
	"math"

	"github.com/her2het/her2het/core/design"
)

// wls is the least-squares step that lm.series (lmGene), gls.series
// (glsGene) and duplicateCorrelation (geneRho) share: a gene's observed
// rows, scaled by sqrt(weight) (lm.wfit) or whitened by the block
// correlation, decomposed by R's dqrdc2 (tolerance 1e-7) with the effects
// Qᵀy formed, and the coefficients and their unscaled standard deviations
// solved from the triangular factor.
type wls struct {
	p    int
	m    int       // rows loaded
	a    []float64 // the scaled design, column-major m x p; the QR factors after decompose
	y    []float64 // the scaled values; the effects Qᵀy after decompose
	rows []int     // the observed samples (load)
	work []float64
	b    []float64
	rinv []float64
	qr   design.QR
}

func newWLS(n, p int) *wls {
	return &wls{p: p, a: make([]float64, n*p), y: make([]float64, n), rows: make([]int, 0, n),
		work: make([]float64, 2*p), b: make([]float64, p), rinv: make([]float64, p*p)}
}

// load keeps the samples whose value is finite and, with weights (w not
// nil), whose weight is positive and finite, and writes sqrt(w)·y and
// sqrt(w)·X of those rows (X row-major n x p). It returns their number.
func (f *wls) load(y, w, X []float64) int {
	p := f.p
	rows := f.rows[:0]
	if w == nil {
		for i, v := range y {
			if v-v == 0 { // finite
				rows = append(rows, i)
			}
		}
	} else {
		w = w[:len(y)]
		for i, v := range y {
			if wi := w[i]; v-v == 0 && wi > 0 && wi-wi == 0 {
				rows = append(rows, i)
			}
		}
	}
	f.rows = rows
	m := len(rows)
	f.m = m
	a := f.a[:m*p]
	yw := f.y[:m]
	if p == 2 {
		a0, a1 := a[:m], a[m:2*m]
		for k, i := range rows {
			sw := 1.0
			if w != nil {
				sw = math.Sqrt(w[i])
			}
			yw[k] = sw * y[i]
			x := X[2*i : 2*i+2]
			a0[k] = sw * x[0]
			a1[k] = sw * x[1]
		}
		return m
	}
	for k, i := range rows {
		sw := 1.0
		if w != nil {
			sw = math.Sqrt(w[i])
		}
		yw[k] = sw * y[i]
		for j, x := range X[i*p : i*p+p] {
			a[j*m+k] = sw * x
		}
	}
	return m
}

// setRows loads, without scaling, the m rows i with obs[i] of the
// row-major design x (n x p) and of the values y, for a caller that
// whitened them itself.
func (f *wls) setRows(obs []bool, m int, x, y []float64) {
	p := f.p
	f.m = m
	a, fy := f.a[:m*p], f.y[:m]
	k := 0
	if p == 2 {
		a0, a1 := a[:m], a[m:2*m]
		for i, o := range obs {
			if o {
				fy[k] = y[i]
				a0[k], a1[k] = x[2*i], x[2*i+1]
				k++
			}
		}
		return
	}
	for i, o := range obs {
		if o {
			fy[k] = y[i]
			for j, xv := range x[i*p : i*p+p] {
				a[j*m+k] = xv
			}
			k++
		}
	}
}

// sumSquares returns Σ y² of the loaded values (before decompose).
func (f *wls) sumSquares() float64 {
	s := 0.0
	for _, v := range f.y[:f.m] {
		s += v * v
	}
	return s
}

// decompose factors the loaded design and turns the values into the
// effects Qᵀy; it returns the rank.
func (f *wls) decompose() int {
	q := &f.qr
	q.Decompose(f.a[:f.m*f.p], f.m, f.p, design.Tol, f.work)
	q.QtY(f.y[:f.m])
	return q.Rank
}

// rss returns the residual sum of squares Σ effects[rank:]² (Q is
// orthogonal; R forms the residuals first, which agrees to rounding).
func (f *wls) rss() float64 {
	ss := 0.0
	for _, e := range f.y[f.qr.Rank:f.m] {
		ss += e * e
	}
	return ss
}

// solve writes, after decompose, the coefficients R⁻¹(Qᵀy)[:rank] and
// their unscaled standard deviations sqrt(diag((RᵀR)⁻¹)) (the squared row
// norms of R⁻¹) to coef and sd at the pivoted columns, NaN for the aliased
// ones.
func (f *wls) solve(coef, sd []float64) {
	q := &f.qr
	r := q.Rank
	b := f.b[:r]
	q.SolveR(f.y[:f.m], b)
	for j := range coef {
		coef[j] = math.NaN()
		sd[j] = math.NaN()
	}
	rinv := f.rinv[:r*r]
	for j := 0; j < r; j++ {
		for i := 0; i < r; i++ {
			rinv[i*r+j] = 0
		}
		rinv[j*r+j] = 1 / q.R(j, j)
		for i := j - 1; i >= 0; i-- {
			t := 0.0
			for k := i + 1; k <= j; k++ {
				t += q.R(i, k) * rinv[k*r+j]
			}
			rinv[i*r+j] = -t / q.R(i, i)
		}
	}
	for k := 0; k < r; k++ {
		ss := 0.0
		for j := k; j < r; j++ {
			ss += rinv[k*r+j] * rinv[k*r+j]
		}
		coef[q.Pivot[k]] = b[k]
		sd[q.Pivot[k]] = math.Sqrt(ss)
	}
}

// designQR decomposes the row-major n x p design X, whitened first by the
// block correlation rho when blocks is not nil (the design-level
// decomposition of lmFit: pivot, rank, cov.coefficients).
func designQR(X []float64, n, p int, blocks *blocking, rho float64) *design.QR {
	xd := X
	if blocks != nil {
		xd = append([]float64(nil), X...)
		blocks.whiten(nil, xd, make([]float64, n), nil, p, rho, allObs(n))
	}
	return design.NewQR(xd, n, p, design.Tol)
}
