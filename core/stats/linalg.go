package stats

import (
	"errors"
	"math"

	"github.com/her2het/her2het/core/fmath"
)

// Small dense linear algebra in plain Go loops (no BLAS): the same operations
// in the same order on every target, so that results are bitwise identical
// natively and under wasm (gonum's amd64 assembly kernels sum in another order).

// householderQR factorises the n x p row-major matrix a (n >= p) in place as
// Q R by Householder reflections (Golub and Van Loan, Matrix Computations,
// 4th ed., algorithm 5.2.1) and applies Q' to b in place. On return the upper
// triangle of a's first p rows holds R and b[:p] holds (Q'b)[:p].
func householderQR(a []float64, n, p int, b []float64) {
	v := make([]float64, n)
	for j := 0; j < p; j++ {
		var norm float64
		for i := j; i < n; i++ {
			norm = fmath.Hypot(norm, a[i*p+j])
		}
		if norm == 0 {
			continue // zero column: R[j][j] = 0
		}
		alpha := -norm
		if a[j*p+j] < 0 {
			alpha = norm
		}
		var vv float64
		for i := j; i < n; i++ {
			v[i] = a[i*p+j]
		}
		v[j] -= alpha
		for i := j; i < n; i++ {
			vv += v[i] * v[i]
		}
		if vv == 0 {
			continue
		}
		for k := j; k < p; k++ {
			var s float64
			for i := j; i < n; i++ {
				s += v[i] * a[i*p+k]
			}
			s = 2 * s / vv
			for i := j; i < n; i++ {
				a[i*p+k] -= s * v[i]
			}
		}
		var s float64
		for i := j; i < n; i++ {
			s += v[i] * b[i]
		}
		s = 2 * s / vv
		for i := j; i < n; i++ {
			b[i] -= s * v[i]
		}
		a[j*p+j] = alpha
		for i := j + 1; i < n; i++ {
			a[i*p+j] = 0
		}
	}
}

// upperInverse returns the inverse of the p x p upper triangular matrix held
// in the first p rows of the row-major n x p matrix r, by back substitution,
// as a row-major p x p matrix; an error if a diagonal element is 0.
func upperInverse(r []float64, p int) ([]float64, error) {
	inv := make([]float64, p*p)
	for j := p - 1; j >= 0; j-- {
		d := r[j*p+j]
		if d == 0 {
			return nil, errors.New("stats: singular triangular matrix")
		}
		inv[j*p+j] = 1 / d
		for i := j - 1; i >= 0; i-- {
			var s float64
			for k := i + 1; k <= j; k++ {
				s += r[i*p+k] * inv[k*p+j]
			}
			inv[i*p+j] = -s / r[i*p+i]
		}
	}
	return inv, nil
}

// SymEigen returns the eigenvalues (ascending) and eigenvectors of the n x n
// symmetric matrix a (row-major; only a is read, not changed): vecs is
// row-major n x n with eigenvector c in column c (vecs[i*n+c]).
//
// Method: Householder reduction to tridiagonal form with the transformations
// accumulated, then the QL algorithm with implicit Wilkinson shifts (the
// EISPACK tred2/tql2 procedures; Wilkinson and Reinsch, Handbook for Automatic
// Computation II, 1971), all in plain Go loops so that the result is the same
// on every target. The sign of each eigenvector is arbitrary. It returns an
// error for NaN or infinite input, or if the QL iteration does not converge
// (60 iterations for one eigenvalue). Cost O(n³).
func SymEigen(a []float64, n int) (vals, vecs []float64, err error) {
	if len(a) != n*n {
		return nil, nil, errors.New("stats: SymEigen: matrix is not n x n")
	}
	for _, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, errors.New("stats: SymEigen: NaN or infinite element")
		}
	}
	z := append([]float64(nil), a...)
	d := make([]float64, n)
	e := make([]float64, n)
	tred2(z, n, d, e)
	if err := tql2(z, n, d, e); err != nil {
		return nil, nil, err
	}
	// sort ascending (stable selection, columns swapped with the values)
	for i := 0; i < n-1; i++ {
		k := i
		for j := i + 1; j < n; j++ {
			if d[j] < d[k] {
				k = j
			}
		}
		if k != i {
			d[i], d[k] = d[k], d[i]
			for r := 0; r < n; r++ {
				z[r*n+i], z[r*n+k] = z[r*n+k], z[r*n+i]
			}
		}
	}
	return d, z, nil
}

// tred2 reduces the symmetric z to tridiagonal form: on return d holds the
// diagonal, e[1:] the subdiagonal (e[0] = 0) and z the orthogonal matrix of
// the accumulated Householder transformations.
func tred2(z []float64, n int, d, e []float64) {
	at := func(i, j int) *float64 { return &z[i*n+j] }
	for i := n - 1; i > 0; i-- {
		l := i - 1
		var h, scale float64
		if l > 0 {
			for k := 0; k <= l; k++ {
				scale += math.Abs(*at(i, k))
			}
			if scale == 0 {
				e[i] = *at(i, l)
			} else {
				for k := 0; k <= l; k++ {
					*at(i, k) /= scale
					h += *at(i, k) * *at(i, k)
				}
				f := *at(i, l)
				g := math.Sqrt(h)
				if f >= 0 {
					g = -g
				}
				e[i] = scale * g
				h -= f * g
				*at(i, l) = f - g
				f = 0
				for j := 0; j <= l; j++ {
					*at(j, i) = *at(i, j) / h
					g = 0
					for k := 0; k <= j; k++ {
						g += *at(j, k) * *at(i, k)
					}
					for k := j + 1; k <= l; k++ {
						g += *at(k, j) * *at(i, k)
					}
					e[j] = g / h
					f += e[j] * *at(i, j)
				}
				hh := f / (h + h)
				for j := 0; j <= l; j++ {
					f = *at(i, j)
					g = e[j] - hh*f
					e[j] = g
					for k := 0; k <= j; k++ {
						*at(j, k) -= f*e[k] + g**at(i, k)
					}
				}
			}
		} else {
			e[i] = *at(i, l)
		}
		d[i] = h
	}
	d[0] = 0
	e[0] = 0
	for i := 0; i < n; i++ {
		l := i - 1
		if d[i] != 0 {
			for j := 0; j <= l; j++ {
				var g float64
				for k := 0; k <= l; k++ {
					g += *at(i, k) * *at(k, j)
				}
				for k := 0; k <= l; k++ {
					*at(k, j) -= g * *at(k, i)
				}
			}
		}
		d[i] = *at(i, i)
		*at(i, i) = 1
		for j := 0; j <= l; j++ {
			*at(j, i) = 0
			*at(i, j) = 0
		}
	}
}

// tql2 diagonalises the tridiagonal matrix (d, e[1:]) by the QL algorithm with
// implicit shifts, accumulating the rotations into z.
func tql2(z []float64, n int, d, e []float64) error {
	for i := 1; i < n; i++ {
		e[i-1] = e[i]
	}
	if n > 0 {
		e[n-1] = 0
	}
	const eps = 0x1p-52
	for l := 0; l < n; l++ {
		for iter := 0; ; iter++ {
			m := l
			for ; m < n-1; m++ {
				dd := math.Abs(d[m]) + math.Abs(d[m+1])
				if math.Abs(e[m]) <= eps*dd {
					break
				}
			}
			if m == l {
				break
			}
			if iter == 60 {
				return errors.New("stats: SymEigen: QL iteration did not converge")
			}
			g := (d[l+1] - d[l]) / (2 * e[l])
			r := fmath.Hypot(g, 1)
			if g >= 0 {
				g = d[m] - d[l] + e[l]/(g+r)
			} else {
				g = d[m] - d[l] + e[l]/(g-r)
			}
			s, c, p := 1.0, 1.0, 0.0
			deflated := false
			for i := m - 1; i >= l; i-- {
				f := s * e[i]
				b := c * e[i]
				r = fmath.Hypot(f, g)
				e[i+1] = r
				if r == 0 {
					d[i+1] -= p
					e[m] = 0
					deflated = true
					break
				}
				s = f / r
				c = g / r
				g = d[i+1] - p
				r = (d[i]-g)*s + 2*c*b
				p = s * r
				d[i+1] = g + p
				g = c*r - b
				for k := 0; k < n; k++ {
					f = z[k*n+i+1]
					z[k*n+i+1] = s*z[k*n+i] + c*f
					z[k*n+i] = c*z[k*n+i] - s*f
				}
			}
			if deflated {
				continue
			}
			d[l] -= p
			e[l] = g
			e[m] = 0
		}
	}
	return nil
}
