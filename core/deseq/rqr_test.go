package deseq

import (
	"testing"
)

// TestRLinearBasis checks rLinearBasis bit for bit against R's qr.Q(qr(x))
// and x %*% solve(qr.R(qr(x))) for the bench tool's ~ timepoint design with
// 285 samples (testdata/gen/linear_basis.R, R 4.2.2 with reference
// BLAS/LAPACK 3.11), and that a design needing a pivot is refused.
func TestRLinearBasis(t *testing.T) {
	rows := readTSV(t, "testdata/linear_basis.tsv")
	m, p := len(rows), 2
	_, X, _, _, _ := studySim(1, m)
	Q, XR, ok := rLinearBasis(X, m, p)
	if !ok {
		t.Fatal("not ok")
	}
	bad := 0
	for i, r := range rows {
		want := []float64{atof(t, r["Q1"]), atof(t, r["Q2"]), atof(t, r["xr1"]), atof(t, r["xr2"])}
		got := []float64{Q[i*p], Q[i*p+1], XR[i*p], XR[i*p+1]}
		for k := range want {
			if got[k] != want[k] {
				bad++
				if bad <= 3 {
					t.Errorf("row %d col %d: %.17g, R %.17g", i, k, got[k], want[k])
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d entries differ", bad, 4*m)
	}
	// a zero column: dqrdc2 would pivot
	Xz := []float64{1, 0, 1, 0, 1, 0}
	if _, _, ok := rLinearBasis(Xz, 3, 2); ok {
		t.Error("rank-deficient design accepted")
	}
}
