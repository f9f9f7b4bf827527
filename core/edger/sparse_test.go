package edger

import (
	"math"
	"testing"
)

// TestSparsePathGoldens forces the sparse XᵀWX / Cholesky path on every
// design (sparseMinP = 2) and checks the paired (~ patient + timepoint,
// Levenberg) and three-group goldens with the tolerances.
func TestSparsePathGoldens(t *testing.T) {
	old := sparseMinP
	sparseMinP = 2
	defer func() { sparseMinP = old }()
	for _, c := range goldenCases {
		if c.name != "paired" && c.name != "three" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			m, X := loadCase(t, c)
			want := loadGolden(t, c.name)
			res, err := QLWorkflow(m, X, &Options{Coef: c.coef, Contrast: c.contrast, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			cmp(t, "common", []float64{res.Disp.Common}, []float64{want.common}, tolDispRel, true)
			cmp(t, "trended", res.Disp.Trended, want.cols["trended"], tolDispRel, true)
			cmp(t, "logFC", res.Table.LogFC, want.cols["logFC"], tolLogFC, false)
			cmp(t, "F", res.Table.F, want.cols["F"], tolFRel, true)
			cmp(t, "log10 P", log10s(res.Table.PValue), log10s(want.cols["PValue"]), tolLog10P, false)
			cmp(t, "FDR", res.Table.FDR, want.cols["FDR"], tolFDRRel, true)
		})
	}
}

// TestSparseCholesky: the sparse factorisation solves an arrowhead system
// like the dense one (1e-12).
func TestSparseCholesky(t *testing.T) {
	// ~ patient + timepoint with 5 patients x 2 timepoints
	n, p := 10, 6
	x := make([]float64, n*p)
	for i := 0; i < n; i++ {
		x[i*p] = 1
		if pt := i % 5; pt > 0 {
			x[i*p+pt] = 1
		}
		if i >= 5 {
			x[i*p+5] = 1
		}
	}
	s := newSparseDesign(x, n, p)
	w := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	a := make([]float64, p*p)
	s.xtwx(w, a)
	// dense XᵀWX in permuted order for comparison
	dense := make([]float64, p*p)
	for i := 0; i < n; i++ {
		for ka := 0; ka < p; ka++ {
			for kb := 0; kb < p; kb++ {
				dense[ka*p+kb] += x[i*p+s.perm[ka]] * x[i*p+s.perm[kb]] * w[i]
			}
		}
	}
	b := []float64{1, -2, 3, 0.5, 4, -1}
	want := append([]float64(nil), b...)
	if !cholesky(dense, p) {
		t.Fatal("dense cholesky failed")
	}
	cholSolve(dense, want, p)
	if !s.chol(a) {
		t.Fatal("sparse cholesky failed")
	}
	got := append([]float64(nil), b...)
	s.solve(a, got)
	for k := range got {
		if math.Abs(got[k]-want[k]) > 1e-12*math.Max(1, math.Abs(want[k])) {
			t.Errorf("x[%d] = %v, dense %v", k, got[k], want[k])
		}
	}
}
