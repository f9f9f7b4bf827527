package deseq

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
)

// Small dense linear algebra on row-major or column-major float64 slices, sized
// for design matrices (p up to a few hundred). No allocation happens inside the
// per-gene routines: callers pass their scratch buffers.

// thinQR is the Householder QR of an m x p matrix X (row-major) with Q (m x p,
// row-major, orthonormal columns) and R (p x p, upper triangular, row-major)
// formed explicitly, as R's qr.Q/qr.R give them (up to column signs).
type thinQR struct {
	m, p int
	Q    []float64
	R    []float64
	rank int
}

// newThinQR factors X. rank is the number of columns whose |R_kk| exceeds
// 1e-7 times the largest column norm (R's qr default tolerance).
func newThinQR(X []float64, m, p int) *thinQR {
	// column-major working copy
	a := make([]float64, m*p)
	for i := 0; i < m; i++ {
		for j := 0; j < p; j++ {
			a[j*m+i] = X[i*p+j]
		}
	}
	vs := make([][]float64, p)
	beta := make([]float64, p)
	var maxNorm float64
	for j := 0; j < p; j++ {
		var s float64
		for i := 0; i < m; i++ {
			s += a[j*m+i] * a[j*m+i]
		}
		maxNorm = math.Max(maxNorm, math.Sqrt(s))
	}
	for k := 0; k < p && k < m; k++ {
		col := a[k*m : (k+1)*m]
		var s float64
		for i := k; i < m; i++ {
			s += col[i] * col[i]
		}
		nrm := math.Sqrt(s)
		if nrm == 0 {
			vs[k] = nil
			continue
		}
		alpha := -nrm
		if col[k] < 0 {
			alpha = nrm
		}
		v := make([]float64, m)
		copy(v[k:], col[k:])
		v[k] -= alpha
		var vn float64
		for i := k; i < m; i++ {
			vn += v[i] * v[i]
		}
		if vn == 0 {
			continue
		}
		vs[k] = v
		beta[k] = 2 / vn
		for j := k; j < p; j++ {
			c := a[j*m : (j+1)*m]
			var d float64
			for i := k; i < m; i++ {
				d += v[i] * c[i]
			}
			d *= beta[k]
			for i := k; i < m; i++ {
				c[i] -= d * v[i]
			}
		}
	}
	qr := &thinQR{m: m, p: p, Q: make([]float64, m*p), R: make([]float64, p*p)}
	for i := 0; i < p && i < m; i++ {
		for j := i; j < p; j++ {
			qr.R[i*p+j] = a[j*m+i]
		}
		if math.Abs(qr.R[i*p+i]) > 1e-7*maxNorm {
			qr.rank++
		}
	}
	// Q = H_0 H_1 ... H_{p-1} applied to the first p unit vectors.
	e := make([]float64, m)
	for j := 0; j < p; j++ {
		for i := range e {
			e[i] = 0
		}
		if j < m {
			e[j] = 1
		}
		for k := p - 1; k >= 0; k-- {
			v := vs[k]
			if v == nil {
				continue
			}
			var d float64
			for i := k; i < m; i++ {
				d += v[i] * e[i]
			}
			d *= beta[k]
			for i := k; i < m; i++ {
				e[i] -= d * v[i]
			}
		}
		for i := 0; i < m; i++ {
			qr.Q[i*p+j] = e[i]
		}
	}
	return qr
}

// solveUpper solves R x = b in place (R p x p row-major upper triangular).
func solveUpper(R []float64, p int, b []float64) {
	for i := p - 1; i >= 0; i-- {
		s := b[i]
		for j := i + 1; j < p; j++ {
			s -= R[i*p+j] * b[j]
		}
		b[i] = s / R[i*p+i]
	}
}

// cholesky factors the symmetric positive definite p x p matrix a (row-major)
// in place into its lower factor L (upper part left untouched). It reports
// false if a pivot is not positive.
func cholesky(a []float64, p int) bool {
	for j := 0; j < p; j++ {
		s := a[j*p+j]
		for k := 0; k < j; k++ {
			s -= a[j*p+k] * a[j*p+k]
		}
		if !(s > 0) {
			return false
		}
		d := math.Sqrt(s)
		a[j*p+j] = d
		for i := j + 1; i < p; i++ {
			t := a[i*p+j]
			for k := 0; k < j; k++ {
				t -= a[i*p+k] * a[j*p+k]
			}
			a[i*p+j] = t / d
		}
	}
	return true
}

// cholInverse overwrites inv with A^-1 given the Cholesky factor L of A (lower
// part of l). tmp needs p values.
func cholInverse(l []float64, p int, inv, tmp []float64) {
	for c := 0; c < p; c++ {
		// solve L y = e_c
		for i := 0; i < p; i++ {
			s := 0.0
			if i == c {
				s = 1
			}
			for k := 0; k < i; k++ {
				s -= l[i*p+k] * tmp[k]
			}
			tmp[i] = s / l[i*p+i]
		}
		// solve L^T x = y
		for i := p - 1; i >= 0; i-- {
			s := tmp[i]
			for k := i + 1; k < p; k++ {
				s -= l[k*p+i] * tmp[k]
			}
			tmp[i] = s / l[i*p+i]
		}
		for i := 0; i < p; i++ {
			inv[i*p+c] = tmp[i]
		}
	}
}

// luLogDet returns log|det(A)| and the sign for a general p x p matrix by LU
// with partial pivoting (A is overwritten).
func luLogDet(a []float64, p int) (logdet float64, sign float64) {
	sign = 1
	for k := 0; k < p; k++ {
		piv := k
		mx := math.Abs(a[k*p+k])
		for i := k + 1; i < p; i++ {
			if v := math.Abs(a[i*p+k]); v > mx {
				mx, piv = v, i
			}
		}
		if mx == 0 {
			return math.Inf(-1), 0
		}
		if piv != k {
			for j := 0; j < p; j++ {
				a[k*p+j], a[piv*p+j] = a[piv*p+j], a[k*p+j]
			}
			sign = -sign
		}
		d := a[k*p+k]
		if d < 0 {
			sign = -sign
		}
		logdet += fmath.Log(math.Abs(d))
		for i := k + 1; i < p; i++ {
			f := a[i*p+k] / d
			if f == 0 {
				continue
			}
			for j := k + 1; j < p; j++ {
				a[i*p+j] -= f * a[k*p+j]
			}
		}
	}
	return logdet, sign
}
