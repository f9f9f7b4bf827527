package deseq

import "math"

// rLinearBasis returns, for the full-rank model matrix X (m x p, row-major),
// the matrices Q (m x p) and X·R⁻¹ (m x p) of DESeq2's linearModelMu
// (DESeq2 1.38.3: (y %*% Q) %*% t(x %*% Rinv) with qrx <- qr(x),
// Q <- qr.Q(qrx), Rinv <- solve(qr.R(qrx))) with R's rounding, so that the
// gene-wise means μ, which every later stage reads, have R's bits:
//
//   - qr(x) is LINPACK's dqrdc2 as R 4.2.2 modifies it (src/appl/dqrdc2.f):
//     for each column l the Householder vector is column l scaled by
//     1/±‖x_l‖ (the norm as reference BLAS 3.11's dnrm2, √ of the sequential
//     sum of squares for moderate values), 1 added to its first entry, and
//     the later columns j updated by t = -ddot(v, x_j)/v_1, x_j += t·v (ddot
//     summed in index order as reference BLAS);
//   - qr.Q applies the reflectors, last first (dqrsl with job 10000), to the
//     first p columns of the identity;
//   - solve(R) is LAPACK dgesv on the upper triangular R: its LU leaves R as
//     it is, and dtrsm's back substitution runs over the columns of the
//     identity (B(k) /= R(k,k), then B(i) -= B(k)·R(i,k) for i < k);
//   - x %*% Rinv is reference dgemm: each entry summed over l in order.
//
// ok is false when dqrdc2 would pivot (a column's norm below 1e-7 of its
// original norm): the caller then uses its own QR.
func rLinearBasis(X []float64, m, p int) (Q, XR []float64, ok bool) {
	if m < 2 || p < 1 {
		return nil, nil, false
	}
	// column-major working copy, as LINPACK stores x
	a := make([]float64, m*p)
	for i := 0; i < m; i++ {
		for j := 0; j < p; j++ {
			a[j*m+i] = X[i*p+j]
		}
	}
	nrm2 := func(v []float64) float64 {
		var s float64
		for _, x := range v {
			s += float64(x * x)
		}
		return math.Sqrt(s)
	}
	dot := func(x, y []float64) float64 {
		var s float64
		for i := range x {
			s += float64(x[i] * y[i])
		}
		return s
	}
	orig := make([]float64, p)
	for j := 0; j < p; j++ {
		orig[j] = nrm2(a[j*m : (j+1)*m])
	}
	qraux := make([]float64, p)
	lup := min(m, p)
	for l := 0; l < lup; l++ {
		col := a[l*m : (l+1)*m]
		nrmxl := nrm2(col[l:])
		t := orig[l]
		if t > 0 {
			t = nrmxl / t
		}
		if t < 1e-7 {
			return nil, nil, false // dqrdc2 would move the column to the end
		}
		if l == m-1 {
			break
		}
		if col[l] != 0 {
			nrmxl = math.Copysign(nrmxl, col[l])
		}
		sc := 1.0 / nrmxl
		for i := l; i < m; i++ {
			col[i] = sc * col[i]
		}
		col[l] = 1.0 + col[l]
		for j := l + 1; j < p; j++ {
			cj := a[j*m : (j+1)*m]
			t := -dot(col[l:], cj[l:]) / col[l]
			for i := l; i < m; i++ {
				cj[i] = cj[i] + float64(t*col[i])
			}
		}
		qraux[l] = col[l]
		col[l] = -nrmxl
	}
	// qr.Q: dqrsl (job 10000) on the columns of the identity
	ju := min(p, m-1)
	qc := make([]float64, m)
	Q = make([]float64, m*p)
	for c := 0; c < p; c++ {
		for i := range qc {
			qc[i] = 0
		}
		qc[c] = 1
		for j := ju - 1; j >= 0; j-- {
			if qraux[j] == 0 {
				continue
			}
			col := a[j*m : (j+1)*m]
			temp := col[j]
			col[j] = qraux[j]
			t := -dot(col[j:], qc[j:]) / col[j]
			for i := j; i < m; i++ {
				qc[i] = qc[i] + float64(t*col[i])
			}
			col[j] = temp
		}
		for i := 0; i < m; i++ {
			Q[i*p+c] = qc[i]
		}
	}
	// Rinv by dtrsm's back substitution (column-major p x p)
	rinv := make([]float64, p*p)
	for j := 0; j < p; j++ {
		b := rinv[j*p : (j+1)*p]
		b[j] = 1
		for k := p - 1; k >= 0; k-- {
			if b[k] != 0 {
				b[k] = b[k] / a[k*m+k]
				for i := 0; i < k; i++ {
					b[i] = b[i] - float64(b[k]*a[k*m+i])
				}
			}
		}
	}
	// X %*% Rinv by dgemm
	XR = make([]float64, m*p)
	for i := 0; i < m; i++ {
		for j := 0; j < p; j++ {
			var s float64
			for l := 0; l < p; l++ {
				s = s + float64(rinv[j*p+l]*X[i*p+l])
			}
			XR[i*p+j] = s
		}
	}
	return Q, XR, true
}
