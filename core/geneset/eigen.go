package geneset

import "math"

// topEigenvector returns a unit eigenvector of the largest eigenvalue of the
// symmetric k x k matrix a (row-major; overwritten), in plain Go so that the
// result is the same on every target (no BLAS kernels):
//
//  1. Householder reduction to tridiagonal form T = Qᵀ a Q (Golub and Van
//     Loan, Matrix Computations, 4th ed., algorithm 8.3.1);
//  2. the largest eigenvalue λ of T by bisection on Sturm sequence counts
//     (ibid. section 8.4.1), to full precision;
//  3. the eigenvector of T by inverse iteration with (T - λI) factorised by
//     Gaussian elimination with partial pivoting (ibid. section 8.2.2), on
//     T/‖T‖, a zero pivot replaced by 2⁻⁵²;
//  4. back-transformation by the Householder reflectors.
//
// Cost about 4k³/3 flops. An eigenvector is defined up to sign, and up to a
// rotation when the largest eigenvalue is repeated. k = 0 gives nil; a NaN in a
// gives NaNs.
func topEigenvector(a []float64, k int) []float64 {
	if k == 0 {
		return nil
	}
	for _, v := range a[:k*k] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			x := make([]float64, k)
			for i := range x {
				x[i] = math.NaN()
			}
			return x
		}
	}
	d := make([]float64, k)    // diagonal of T
	e := make([]float64, k)    // e[i] = T[i+1][i]
	vs := make([]float64, k*k) // reflector j stored in row j, entries j+1..k-1
	betas := make([]float64, k)
	p := make([]float64, k)
	for j := 0; j+2 < k; j++ {
		// x = a[j+1:, j]; v with (I - β v vᵀ) x = α e₁, v[0] = 1
		v := vs[j*k : (j+1)*k]
		sigma := 0.0
		for i := j + 2; i < k; i++ {
			sigma += a[i*k+j] * a[i*k+j]
		}
		x0 := a[(j+1)*k+j]
		v[j+1] = 1
		for i := j + 2; i < k; i++ {
			v[i] = a[i*k+j]
		}
		beta := 0.0
		alpha := x0
		if sigma != 0 {
			mu := math.Sqrt(x0*x0 + sigma)
			var v0 float64
			if x0 <= 0 {
				v0 = x0 - mu
			} else {
				v0 = -sigma / (x0 + mu)
			}
			beta = 2 * v0 * v0 / (sigma + v0*v0)
			for i := j + 2; i < k; i++ {
				v[i] /= v0
			}
			alpha = mu
		}
		betas[j] = beta
		e[j] = alpha
		if beta == 0 {
			continue
		}
		// a[j+1:, j+1:] = H a H with H = I - β v vᵀ:
		// p = β a v, w = p - (β/2)(pᵀv) v, a -= v wᵀ + w vᵀ
		for r := j + 1; r < k; r++ {
			s := 0.0
			row := a[r*k : (r+1)*k]
			for c := j + 1; c < k; c++ {
				s += row[c] * v[c]
			}
			p[r] = beta * s
		}
		pv := 0.0
		for r := j + 1; r < k; r++ {
			pv += p[r] * v[r]
		}
		half := beta / 2 * pv
		for r := j + 1; r < k; r++ {
			p[r] -= half * v[r]
		}
		for r := j + 1; r < k; r++ {
			row := a[r*k : (r+1)*k]
			vr, wr := v[r], p[r]
			for c := j + 1; c < k; c++ {
				row[c] -= vr*p[c] + wr*v[c]
			}
		}
	}
	for i := 0; i < k; i++ {
		d[i] = a[i*k+i]
	}
	if k >= 2 {
		e[k-2] = a[(k-1)*k+k-2]
	}
	// Gershgorin bounds of T
	lo, hi := math.Inf(1), math.Inf(-1)
	norm := 0.0
	for i := 0; i < k; i++ {
		r := 0.0
		if i > 0 {
			r += math.Abs(e[i-1])
		}
		if i+1 < k {
			r += math.Abs(e[i])
		}
		lo = math.Min(lo, d[i]-r)
		hi = math.Max(hi, d[i]+r)
		norm = math.Max(norm, math.Abs(d[i])+r)
	}
	// bisection for the largest eigenvalue: count(x) = #{eigenvalues < x}
	count := func(x float64) int {
		n := 0
		q := 1.0
		for i := 0; i < k; i++ {
			off := 0.0
			if i > 0 {
				off = e[i-1] * e[i-1] / q
			}
			q = d[i] - x - off
			if q == 0 {
				q = -math.SmallestNonzeroFloat64 * 1e16
			}
			if q < 0 {
				n++
			}
		}
		return n
	}
	for it := 0; it < 200; it++ {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if count(mid) >= k {
			hi = mid // all eigenvalues below mid
		} else {
			lo = mid
		}
	}
	lambda := hi
	// inverse iteration on T - λI (tridiagonal, partial pivoting)
	y := make([]float64, k)
	for i := range y {
		y[i] = 1
	}
	// T/‖T‖ - (λ/‖T‖)I has the same null vector and no overflow risk
	if norm > 0 {
		for i := range d {
			d[i] /= norm
			e[i] /= norm
		}
		lambda /= norm
	}
	const tiny = 0x1p-52
	// LU factors: row i of U has u0[i] (diag), u1[i], u2[i] (two superdiagonals)
	u0, u1, u2, l := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	swap := make([]bool, k)
	{
		// current row i holds (b_i, c_i, 0) after elimination of column i-1
		b := d[0] - lambda
		c := 0.0
		if k > 1 {
			c = e[0]
		}
		for i := 0; i < k; i++ {
			if i == k-1 {
				if b == 0 {
					b = tiny
				}
				u0[i], u1[i], u2[i] = b, 0, 0
				break
			}
			sub := e[i]           // T[i+1][i]
			nb := d[i+1] - lambda // T[i+1][i+1]
			nc := 0.0             // T[i+1][i+2]
			if i+2 < k {
				nc = e[i+1]
			}
			if math.Abs(sub) > math.Abs(b) {
				// swap rows i and i+1
				swap[i] = true
				u0[i], u1[i], u2[i] = sub, nb, nc
				m := b / sub
				l[i] = m
				b, c = c-m*nb, -m*nc
			} else {
				if b == 0 {
					b = tiny
				}
				u0[i], u1[i], u2[i] = b, c, 0
				m := sub / b
				l[i] = m
				b, c = nb-m*c, nc
			}
		}
	}
	for it := 0; it < 3; it++ {
		// forward: apply the row swaps and multipliers to y
		for i := 0; i+1 < k; i++ {
			if swap[i] {
				y[i], y[i+1] = y[i+1], y[i]
			}
			y[i+1] -= l[i] * y[i]
		}
		// back substitution
		for i := k - 1; i >= 0; i-- {
			s := y[i]
			if i+1 < k {
				s -= u1[i] * y[i+1]
			}
			if i+2 < k {
				s -= u2[i] * y[i+2]
			}
			y[i] = s / u0[i]
		}
		scaleUnit(y)
	}
	// back-transformation: x = H_0 H_1 ... H_{k-3} y
	for j := k - 3; j >= 0; j-- {
		beta := betas[j]
		if beta == 0 {
			continue
		}
		v := vs[j*k : (j+1)*k]
		s := 0.0
		for i := j + 1; i < k; i++ {
			s += v[i] * y[i]
		}
		s *= beta
		for i := j + 1; i < k; i++ {
			y[i] -= s * v[i]
		}
	}
	scaleUnit(y)
	return y
}

// scaleUnit divides x by its Euclidean norm (scaled to avoid overflow).
func scaleUnit(x []float64) {
	mx := 0.0
	for _, v := range x {
		mx = math.Max(mx, math.Abs(v))
	}
	if mx == 0 || math.IsInf(mx, 0) || math.IsNaN(mx) {
		return
	}
	s := 0.0
	for _, v := range x {
		s += (v / mx) * (v / mx)
	}
	nrm := mx * math.Sqrt(s)
	for i := range x {
		x[i] /= nrm
	}
}
