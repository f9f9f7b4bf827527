package design

import "math"

// Tol is R's default tolerance for rank decisions in lm.fit and qr (1e-7).
const Tol = 1e-7

// QR is a Householder QR decomposition with LINPACK dqrdc2's limited column
// pivoting, the decomposition R's qr() and lm.fit use (R 4.2,
// src/appl/dqrdc2.f): a column whose norm, after removing its projection on the
// columns before it, falls below Tol times its original norm is moved to the
// end, and Rank counts the columns kept in front. Pivot[k] is the original
// index of the k-th column of the decomposition.
//
// The storage is column-major (A[j*N+i]), as in LINPACK.
type QR struct {
	N, P  int
	A     []float64 // Householder vectors below the diagonal, R on and above
	Qraux []float64
	Pivot []int
	Rank  int
}

// NewQR decomposes the row-major n x p matrix x (not modified) with
// tolerance tol (use Tol for R's default). A column of NaN makes the result
// meaningless; callers drop non-finite rows first.
func NewQR(x []float64, n, p int, tol float64) *QR {
	a := make([]float64, n*p)
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			a[j*n+i] = x[i*p+j]
		}
	}
	q := &QR{N: n, P: p, A: a, Qraux: make([]float64, p), Pivot: make([]int, p)}
	q.decompose(tol, make([]float64, 2*p))
	return q
}

// NewQRColMajor decomposes a column-major n x p matrix in place (a is kept and
// overwritten). work must have length >= 2p or be nil.
func NewQRColMajor(a []float64, n, p int, tol float64, work []float64) *QR {
	q := &QR{N: n, P: p, A: a, Qraux: make([]float64, p), Pivot: make([]int, p)}
	if len(work) < 2*p {
		work = make([]float64, 2*p)
	}
	q.decompose(tol, work)
	return q
}

// Decompose re-uses q's storage to decompose the column-major n x p matrix
// a in place, like NewQRColMajor; work must have length >= 2p.
func (q *QR) Decompose(a []float64, n, p int, tol float64, work []float64) {
	q.N, q.P, q.A = n, p, a
	if cap(q.Qraux) < p {
		q.Qraux = make([]float64, p)
		q.Pivot = make([]int, p)
	}
	q.Qraux, q.Pivot = q.Qraux[:p], q.Pivot[:p]
	if len(work) < 2*p {
		work = make([]float64, 2*p)
	}
	q.decompose(tol, work)
}

// dot returns Σ x_i·y_i (len(y) >= len(x)) with four interleaved partial
// sums, which keeps the floating-point pipeline busy; the order of the
// additions depends only on len(x).
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy sets y_i += t·x_i (len(y) >= len(x)).
func axpy(t float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += t * v
	}
}

func nrm2(x []float64) float64 {
	// Plain sum of squares when it neither overflows nor underflows;
	// otherwise the scaled sum of squares of BLAS dnrm2.
	ss := dot(x, x)
	if ss > 1e-280 && ss < 1e280 {
		return math.Sqrt(ss)
	}
	if ss == 0 {
		return 0
	}
	scale, ssq := 0.0, 1.0
	for _, v := range x {
		if v != 0 {
			a := math.Abs(v)
			if scale < a {
				r := scale / a
				ssq = 1 + ssq*r*r
				scale = a
			} else {
				r := a / scale
				ssq += r * r
			}
		}
	}
	return scale * math.Sqrt(ssq)
}

func (q *QR) decompose(tol float64, work []float64) {
	n, p, a := q.N, q.P, q.A
	w1, w2 := work[:p], work[p:2*p]
	for j := 0; j < p; j++ {
		q.Pivot[j] = j
		q.Qraux[j] = nrm2(a[j*n : j*n+n])
		w1[j] = q.Qraux[j]
		w2[j] = q.Qraux[j]
		if w2[j] == 0 {
			w2[j] = 1
		}
	}
	lup := n
	if p < lup {
		lup = p
	}
	k := p // number of columns not moved to the end
	var tmp []float64
	for l := 0; l < lup; l++ {
		// Move negligible columns to the end.
		for l < k && q.Qraux[l] < w2[l]*tol {
			if tmp == nil {
				tmp = make([]float64, n)
			}
			copy(tmp, a[l*n:l*n+n])
			qa, wa, wb, pv := q.Qraux[l], w1[l], w2[l], q.Pivot[l]
			copy(a[l*n:(p-1)*n], a[(l+1)*n:p*n])
			copy(q.Qraux[l:p-1], q.Qraux[l+1:p])
			copy(w1[l:p-1], w1[l+1:p])
			copy(w2[l:p-1], w2[l+1:p])
			copy(q.Pivot[l:p-1], q.Pivot[l+1:p])
			copy(a[(p-1)*n:p*n], tmp)
			q.Qraux[p-1], w1[p-1], w2[p-1], q.Pivot[p-1] = qa, wa, wb, pv
			k--
		}
		if l == n-1 {
			break
		}
		col := a[l*n : l*n+n]
		nrmxl := nrm2(col[l:])
		if nrmxl == 0 {
			continue
		}
		if col[l] != 0 {
			nrmxl = math.Copysign(nrmxl, col[l])
		}
		// dscal(1/nrmxl), as dqrdc2 does.
		inv := 1 / nrmxl
		for i := l; i < n; i++ {
			col[i] *= inv
		}
		col[l] = 1 + col[l]
		for j := l + 1; j < p; j++ {
			cj := a[j*n : j*n+n]
			t := -dot(col[l:], cj[l:]) / col[l]
			axpy(t, col[l:], cj[l:])
			if q.Qraux[j] != 0 {
				r := math.Abs(cj[l]) / q.Qraux[j]
				tt := 1 - r*r
				if tt < 0 {
					tt = 0
				}
				if math.Abs(tt) < 1e-6 {
					q.Qraux[j] = nrm2(cj[l+1:])
					w1[j] = q.Qraux[j]
				} else {
					q.Qraux[j] *= math.Sqrt(tt)
				}
			}
		}
		q.Qraux[l] = col[l]
		col[l] = -nrmxl
	}
	q.Rank = k
	if n < q.Rank {
		q.Rank = n
	}
}

// QtY overwrites y (length N) with Qᵀy, using the first Rank reflections
// (LINPACK dqrsl). The first Rank entries are the coefficients' right-hand
// side, the rest are R's "effects" of the residual space. It does not modify
// the decomposition, so one QR may be shared by goroutines.
func (q *QR) QtY(y []float64) {
	n := q.N
	ju := q.Rank
	if ju > n-1 {
		ju = n - 1
	}
	for j := 0; j < ju; j++ {
		q.reflect(j, y)
	}
}

// QY overwrites y with Qy (the inverse of QtY).
func (q *QR) QY(y []float64) {
	n := q.N
	ju := q.Rank
	if ju > n-1 {
		ju = n - 1
	}
	for j := ju - 1; j >= 0; j-- {
		q.reflect(j, y)
	}
}

// reflect applies Householder reflection j to y, as dqrsl does with the
// diagonal element temporarily replaced by qraux[j].
func (q *QR) reflect(j int, y []float64) {
	qa := q.Qraux[j]
	if qa == 0 {
		return
	}
	n := q.N
	col := q.A[j*n : j*n+n]
	t := -(qa*y[j] + dot(col[j+1:], y[j+1:]))
	t /= qa
	y[j] += t * qa
	axpy(t, col[j+1:], y[j+1:])
}

// R returns element (i, j) of the triangular factor, in pivoted order.
func (q *QR) R(i, j int) float64 { return q.A[j*q.N+i] }

// SolveR solves R[:r,:r] b = qty[:r] by back substitution, with r = Rank; b
// is in pivoted order and has length Rank.
func (q *QR) SolveR(qty, b []float64) {
	r := q.Rank
	for i := r - 1; i >= 0; i-- {
		s := qty[i]
		for j := i + 1; j < r; j++ {
			s -= q.A[j*q.N+i] * b[j]
		}
		b[i] = s / q.A[i*q.N+i]
	}
}

// UnscaledCov returns (RᵀR)⁻¹ for the first Rank pivoted columns as a
// row-major Rank x Rank matrix (R's chol2inv(qr$qr, size = rank)).
func (q *QR) UnscaledCov() []float64 {
	r := q.Rank
	// Rinv upper triangular.
	rinv := make([]float64, r*r)
	for j := 0; j < r; j++ {
		rinv[j*r+j] = 1 / q.A[j*q.N+j]
		for i := j - 1; i >= 0; i-- {
			s := 0.0
			for k := i + 1; k <= j; k++ {
				s += q.A[k*q.N+i] * rinv[k*r+j]
			}
			rinv[i*r+j] = -s / q.A[i*q.N+i]
		}
	}
	out := make([]float64, r*r)
	for i := 0; i < r; i++ {
		for j := i; j < r; j++ {
			s := 0.0
			for k := j; k < r; k++ {
				s += rinv[i*r+k] * rinv[j*r+k]
			}
			out[i*r+j] = s
			out[j*r+i] = s
		}
	}
	return out
}
