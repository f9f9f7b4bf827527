package edger

import (
	"math"
	"sort"

	"github.com/her2het/her2het/core/fmath"
)

// sparseMinP is the number of design columns from which the Levenberg fits
// and the Cox-Reid log-determinants use the sparse path below (a variable so
// tests can force it on small designs).
var sparseMinP = 12

// sparseDesign exploits the zeros of a design with many indicator columns
// (~ patient + timepoint): XᵀWX is accumulated from each sample's non-zero
// columns only, and factorised as UᵀU by a Cholesky decomposition restricted
// to its symbolic structure, with the columns reordered so the dense ones
// (intercept, timepoint) come last and cause no fill-in. The iterates are
// edgeR's (same Levenberg damping, same steps up to rounding); only the
// linear algebra is cheaper: O(n·k² + p·d²) per iteration for k non-zeros
// per sample and d dense columns, instead of O(n·p² + p³).
type sparseDesign struct {
	p    int
	perm []int // perm[k]: original column at position k
	inv  []int
	// per sample: non-zero positions (permuted) and values
	rowIdx [][]int32
	rowVal [][]float64
	// per sample: the upper-triangle cells of XᵀWX it touches and x_a·x_b
	cellIdx [][]int32
	cellVal [][]float64
	// symbolic Cholesky structure (permuted): colList[j] = {k < j : U[k][j] ≠ 0},
	// rowList[j] = {i > j : U[j][i] ≠ 0}; cells lists every structural cell.
	colList, rowList [][]int32
	cells            []int32
	// rowK[j][t]: the k in colList[j] with U[k][rowList[j][t]] structural
	// (only structural cells are ever read, so buffers shared with other
	// designs need no clearing).
	rowK [][][]int32
}

func newSparseDesign(x []float64, n, p int) *sparseDesign {
	nnz := make([]int, p)
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			if x[i*p+j] != 0 {
				nnz[j]++
			}
		}
	}
	s := &sparseDesign{p: p, perm: make([]int, p), inv: make([]int, p)}
	for j := range s.perm {
		s.perm[j] = j
	}
	sort.SliceStable(s.perm, func(a, b int) bool { return nnz[s.perm[a]] < nnz[s.perm[b]] })
	for k, j := range s.perm {
		s.inv[j] = k
	}
	s.rowIdx = make([][]int32, n)
	s.rowVal = make([][]float64, n)
	s.cellIdx = make([][]int32, n)
	s.cellVal = make([][]float64, n)
	st := make([]bool, p*p)
	for i := 0; i < n; i++ {
		for k := 0; k < p; k++ {
			if v := x[i*p+s.perm[k]]; v != 0 {
				s.rowIdx[i] = append(s.rowIdx[i], int32(k))
				s.rowVal[i] = append(s.rowVal[i], v)
			}
		}
		for a, ka := range s.rowIdx[i] {
			for b := a; b < len(s.rowIdx[i]); b++ {
				kb := s.rowIdx[i][b]
				s.cellIdx[i] = append(s.cellIdx[i], ka*int32(p)+kb)
				s.cellVal[i] = append(s.cellVal[i], s.rowVal[i][a]*s.rowVal[i][b])
				st[int(ka)*p+int(kb)] = true
			}
		}
	}
	for j := 0; j < p; j++ {
		st[j*p+j] = true
	}
	// symbolic factorisation: U[j][i] ≠ 0 if A[j][i] ≠ 0 or U[k][j]·U[k][i] ≠ 0 for some k < j
	s.colList = make([][]int32, p)
	s.rowList = make([][]int32, p)
	for j := 0; j < p; j++ {
		for k := 0; k < j; k++ {
			if st[k*p+j] {
				s.colList[j] = append(s.colList[j], int32(k))
			}
		}
		for i := j + 1; i < p; i++ {
			if !st[j*p+i] {
				for _, k := range s.colList[j] {
					if st[int(k)*p+i] {
						st[j*p+i] = true
						break
					}
				}
			}
			if st[j*p+i] {
				s.rowList[j] = append(s.rowList[j], int32(i))
			}
		}
	}
	for c, on := range st {
		if on {
			s.cells = append(s.cells, int32(c))
		}
	}
	s.rowK = make([][][]int32, p)
	for j := 0; j < p; j++ {
		s.rowK[j] = make([][]int32, len(s.rowList[j]))
		for t, i := range s.rowList[j] {
			for _, k := range s.colList[j] {
				if st[int(k)*p+int(i)] {
					s.rowK[j][t] = append(s.rowK[j][t], k)
				}
			}
		}
	}
	return s
}

// xtwx accumulates the permuted upper triangle of XᵀWX into a (p*p, its
// structural cells zeroed first).
func (s *sparseDesign) xtwx(w, a []float64) {
	for _, c := range s.cells {
		a[c] = 0
	}
	for i, cells := range s.cellIdx {
		wi := w[i]
		vals := s.cellVal[i]
		for t, c := range cells {
			a[c] += vals[t] * wi
		}
	}
}

// chol factors the permuted upper triangle in a in place as UᵀU over the
// symbolic structure; false when a pivot is not positive.
func (s *sparseDesign) chol(a []float64) bool {
	p := s.p
	for j := 0; j < p; j++ {
		d := a[j*p+j]
		for _, k := range s.colList[j] {
			u := a[int(k)*p+j]
			d -= u * u
		}
		if !(d > 0) {
			return false
		}
		d = math.Sqrt(d)
		a[j*p+j] = d
		for q, i := range s.rowList[j] {
			t := a[j*p+int(i)]
			for _, k := range s.rowK[j][q] {
				t -= a[int(k)*p+j] * a[int(k)*p+int(i)]
			}
			a[j*p+int(i)] = t / d
		}
	}
	return true
}

// solve solves UᵀU x = b in place (b in permuted order).
func (s *sparseDesign) solve(u, b []float64) {
	p := s.p
	for i := 0; i < p; i++ {
		t := b[i]
		for _, k := range s.colList[i] {
			t -= u[int(k)*p+i] * b[k]
		}
		b[i] = t / u[i*p+i]
	}
	for i := p - 1; i >= 0; i-- {
		t := b[i]
		for _, k := range s.rowList[i] {
			t -= u[i*p+int(k)] * b[k]
		}
		b[i] = t / u[i*p+i]
	}
}

// copyCells copies the structural cells of src to dst and adds lambda on the diagonal.
func (s *sparseDesign) copyCells(dst, src []float64, lambda float64) {
	for _, c := range s.cells {
		dst[c] = src[c]
	}
	for j := 0; j < s.p; j++ {
		dst[j*s.p+j] += lambda
	}
}

// linPred sets mu = exp(off + X b) (b in original order).
func (s *sparseDesign) linPred(b, off, mu []float64) {
	for i := range mu {
		t := off[i]
		for k, c := range s.rowIdx[i] {
			t += s.rowVal[i][k] * b[s.perm[c]]
		}
		mu[i] = fmath.Exp(t)
	}
}

// halfLogDet returns ½ log det(XᵀWX) from the sparse Cholesky factor, and
// false when the factorisation fails or a pivot² falls below 1e-9 (where
// edgeR's 1e-10 floor on LDLᵀ pivots could matter: the caller then uses
// the dense path).
func (s *sparseDesign) halfLogDet(w, a []float64) (float64, bool) {
	s.xtwx(w, a)
	if !s.chol(a) {
		return 0, false
	}
	sum := 0.0
	for j := 0; j < s.p; j++ {
		u := a[j*s.p+j]
		if u*u < 1e-9 {
			return 0, false
		}
		sum += fmath.Log(u)
	}
	return sum, true
}
