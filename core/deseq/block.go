package deseq

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
)

// Block structure of XᵀWX for designs with many mutually exclusive indicator
// columns (patient, batch): such "sparse" columns are never non-zero on the
// same sample, so XᵀWX = [[D, E], [Eᵀ, F]] with D diagonal over them and a
// small dense block F over the others (intercept, timepoint, ...). Its log
// determinant, solves, inverse and tr(A⁻¹ dA) then cost O(p k²) instead of
// O(p³) through the Schur complement S = F - Eᵀ D⁻¹ E (k = dense columns).
// The results equal the dense computations up to rounding.
type blockStruct struct {
	sparse, dense []int
}

// noBlocks disables the block path (tests compare both paths).
var noBlocks = false

// minBlockP is the number of columns from which the block path is used.
const minBlockP = 12

// detectBlocks returns the block structure of X (m x p) or nil when it does
// not pay: a greedy set of pairwise disjoint columns with zeros, taken when it
// leaves at most 8 dense columns.
func detectBlocks(X []float64, m, p int) *blockStruct {
	if p < minBlockP || noBlocks {
		return nil
	}
	occ := make([]bool, m)
	bs := &blockStruct{}
	for k := 0; k < p; k++ {
		hasZero, ok := false, true
		for j := 0; j < m; j++ {
			v := X[j*p+k]
			if v == 0 {
				hasZero = true
			} else if occ[j] {
				ok = false
			}
		}
		if hasZero && ok {
			for j := 0; j < m; j++ {
				if X[j*p+k] != 0 {
					occ[j] = true
				}
			}
			bs.sparse = append(bs.sparse, k)
		} else {
			bs.dense = append(bs.dense, k)
		}
	}
	if len(bs.dense) > 8 || len(bs.sparse) < minBlockP/2 {
		return nil
	}
	return bs
}

// blockWork is scratch space for the block routines.
type blockWork struct {
	bs   *blockStruct
	p    int
	dinv []float64 // 1/D_i
	G    []float64 // nS x k, D⁻¹E
	S    []float64 // k x k Schur complement, then its Cholesky factor
	Sinv []float64 // k x k
	tk   []float64 // k
	tk2  []float64 // k
	hs   []float64 // nS x k scratch of inverse
}

func newBlockWork(bs *blockStruct, p int) *blockWork {
	ns, k := len(bs.sparse), len(bs.dense)
	return &blockWork{bs: bs, p: p, dinv: make([]float64, ns), G: make([]float64, ns*k),
		S: make([]float64, k*k), Sinv: make([]float64, k*k), tk: make([]float64, k), tk2: make([]float64, k)}
}

// up returns the (i, j) entry of a symmetric matrix from its upper triangle.
func up(A []float64, p, i, j int) float64 {
	if i > j {
		i, j = j, i
	}
	return A[i*p+j]
}

// factor prepares A (p x p symmetric, row-major, upper triangle read) and returns log det A; ok is
// false unless A is positive definite.
func (bw *blockWork) factor(A []float64) (logdet float64, ok bool) {
	p := bw.p
	sp, de := bw.bs.sparse, bw.bs.dense
	k := len(de)
	// log Π d_i by one logarithm of the product (kept as mantissa and exponent)
	pm, pe := 1.0, 0
	for i, si := range sp {
		d := A[si*p+si]
		if !(d > 0) || d > math.MaxFloat64 {
			return math.NaN(), false
		}
		bw.dinv[i] = 1 / d
		if d < 0x1p-500 { // keep the product away from underflow
			logdet += fastLog(d)
			d = 1
		}
		pm *= d
		if pm > 0x1p600 || pm < 0x1p-600 {
			fr, ex := math.Frexp(pm)
			pm, pe = fr, pe+ex
		}
		for c, dc := range de {
			bw.G[i*k+c] = up(A, p, si, dc) * bw.dinv[i]
		}
	}
	if fr, ex := math.Frexp(pm); fr > 0 {
		logdet += logScaled(fr, pe+ex)
	}
	for a, da := range de {
		for c, dc := range de {
			s := up(A, p, da, dc)
			for i, si := range sp {
				s -= up(A, p, si, da) * bw.G[i*k+c]
			}
			bw.S[a*k+c] = s
		}
	}
	if !cholesky(bw.S, k) {
		return math.NaN(), false
	}
	for c := 0; c < k; c++ {
		logdet += 2 * fmath.Log(bw.S[c*k+c])
	}
	cholInverse(bw.S, k, bw.Sinv, bw.tk)
	return logdet, true
}

// traceInvTimes returns tr(A⁻¹ dA) after factor(A), for dA with the same
// block structure.
func (bw *blockWork) traceInvTimes(dA []float64) float64 {
	p := bw.p
	sp, de := bw.bs.sparse, bw.bs.dense
	k := len(de)
	var tr float64
	for i, si := range sp {
		g := bw.G[i*k : (i+1)*k]
		// (G S⁻¹)_i
		for c := 0; c < k; c++ {
			var s float64
			for l := 0; l < k; l++ {
				s += g[l] * bw.Sinv[l*k+c]
			}
			bw.tk[c] = s
		}
		var q float64
		for c := 0; c < k; c++ {
			q += bw.tk[c] * g[c]
		}
		tr += (bw.dinv[i] + q) * dA[si*p+si]
		for c, dc := range de {
			tr -= 2 * bw.tk[c] * up(dA, p, si, dc)
		}
	}
	for a, da := range de {
		for c, dc := range de {
			tr += bw.Sinv[a*k+c] * up(dA, p, dc, da)
		}
	}
	return tr
}

// solve overwrites b (length p) with A⁻¹ b after factor(A).
func (bw *blockWork) solve(A, b []float64) {
	p := bw.p
	sp, de := bw.bs.sparse, bw.bs.dense
	k := len(de)
	_ = p
	// r2 = b2 - Gᵀ b1
	for c, dc := range de {
		s := b[dc]
		for i, si := range sp {
			s -= bw.G[i*k+c] * b[si]
		}
		bw.tk[c] = s
	}
	// x2 = S⁻¹ r2
	for c := 0; c < k; c++ {
		var s float64
		for l := 0; l < k; l++ {
			s += bw.Sinv[c*k+l] * bw.tk[l]
		}
		bw.tk2[c] = s
	}
	for i, si := range sp {
		s := b[si] * bw.dinv[i]
		for c := 0; c < k; c++ {
			s -= bw.G[i*k+c] * bw.tk2[c]
		}
		b[si] = s
	}
	for c, dc := range de {
		b[dc] = bw.tk2[c]
	}
}

// inverse writes A⁻¹ (p x p, both triangles) into inv after factor(A).
func (bw *blockWork) inverse(inv []float64) {
	p := bw.p
	sp, de := bw.bs.sparse, bw.bs.dense
	k := len(de)
	for i := range inv[:p*p] {
		inv[i] = 0
	}
	// H = G S⁻¹ (nS x k)
	if cap(bw.hs) < len(sp)*k {
		bw.hs = make([]float64, len(sp)*k)
	}
	hs := bw.hs[:len(sp)*k]
	for i := range sp {
		for c := 0; c < k; c++ {
			var s float64
			for l := 0; l < k; l++ {
				s += bw.G[i*k+l] * bw.Sinv[l*k+c]
			}
			hs[i*k+c] = s
		}
	}
	for i, si := range sp {
		for i2, si2 := range sp {
			var s float64
			for c := 0; c < k; c++ {
				s += hs[i*k+c] * bw.G[i2*k+c]
			}
			if i == i2 {
				s += bw.dinv[i]
			}
			inv[si*p+si2] = s
		}
		for c, dc := range de {
			inv[si*p+dc] = -hs[i*k+c]
			inv[dc*p+si] = -hs[i*k+c]
		}
	}
	for a, da := range de {
		for c, dc := range de {
			inv[da*p+dc] = bw.Sinv[a*k+c]
		}
	}
}
