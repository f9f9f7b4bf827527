package limma

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// withSparse runs fn with the sparse least-squares path forced (force) or
// disabled, restoring the defaults afterwards.
func withSparse(force bool, fn func()) {
	minP, f := sparseMinP, sparseForce
	defer func() { sparseMinP, sparseForce = minP, f }()
	if force {
		sparseForce = true
	} else {
		sparseMinP = math.MaxInt
	}
	fn()
}

// The golden ~ patient + timepoint fit, through the sparse path.
func TestGoldenPatientTimepointSparse(t *testing.T) {
	withSparse(true, func() { TestGoldenPatientTimepoint(t) })
}

// ptFrame: npat patients, the first nTwo with pre and post samples, the rest
// pre only.
func ptFrame(npat, nTwo int) *design.Frame {
	fr := pairedFrame(npat, nTwo)
	for i := range fr.Samples {
		tp := "pre"
		if i > 0 && fr.Columns["patient"][i] == fr.Columns["patient"][i-1] {
			tp = "post"
		}
		fr.Columns["timepoint"] = append(fr.Columns["timepoint"], tp)
	}
	fr.Levels = map[string][]string{"timepoint": {"pre", "post"}}
	return fr
}

// Sparse and dense (dqrdc2) fits agree to rounding: weights, NaN
// observations, zero weights, and genes that lose a whole patient (rank
// deficient: the sparse path must give way to the dense one).
func TestSparseMatchesDense(t *testing.T) {
	fr := ptFrame(40, 30)
	n := len(fr.Samples)
	X, err := design.ModelMatrix("~ patient + timepoint", fr)
	if err != nil {
		t.Fatal(err)
	}
	if pl := newSparsePlan(X.X, n, X.Cols()); pl == nil {
		t.Fatal("no sparse plan for ~ patient + timepoint with 41 columns")
	}
	G := 60
	r := rand.New(rand.NewPCG(5, 6))
	y := dataset.NewMatrix(dataset.Expression, make([]string, G), fr.Samples)
	w := make([]float64, G*n)
	for g := 0; g < G; g++ {
		y.Genes[g] = "g"
		for i := 0; i < n; i++ {
			y.Data[g*n+i] = 5 + r.NormFloat64()
			w[g*n+i] = 0.2 + 3*r.Float64()
		}
	}
	pl := newSparsePlan(X.X, n, X.Cols())
	coef, sd := make([]float64, X.Cols()), make([]float64, X.Cols())
	if _, _, ok := pl.fit(newSparseWork(X.Cols()), y.Row(0), w[:n], coef, sd); !ok {
		t.Fatal("sparse path refused a full-rank gene")
	}
	y.Data[3*n+4] = math.NaN()
	w[5*n+7] = 0
	for i := 0; i < n; i++ { // gene 8 loses patient P001 entirely
		if fr.Columns["patient"][i] == "P001" {
			y.Data[8*n+i] = math.NaN()
		}
	}
	for _, wt := range [][]float64{nil, w} {
		var sp, de *Fit
		withSparse(true, func() { sp, err = LmFit(y, X, &LmOptions{Weights: wt, Workers: 1}) })
		if err != nil {
			t.Fatal(err)
		}
		withSparse(false, func() { de, err = LmFit(y, X, &LmOptions{Weights: wt, Workers: 1}) })
		if err != nil {
			t.Fatal(err)
		}
		checkSlice(t, "coefficients", sp.Coefficients, de.Coefficients, tol{1e-11, 1e-11})
		checkSlice(t, "stdev.unscaled", sp.StdevUnscaled, de.StdevUnscaled, tol{1e-12, 1e-11})
		checkSlice(t, "sigma", sp.Sigma, de.Sigma, tol{1e-12, 1e-11})
		checkSlice(t, "df", sp.DfResidual, de.DfResidual, tol{0, 0})
		p := X.Cols()
		if !math.IsNaN(sp.Coefficients[8*p+X.Index("patientP001")]) {
			t.Error("gene without patient P001: its coefficient is not NA")
		}
	}
}

// A design whose columns are nearly collinear is refused by the sparse path.
func TestSparseRankMargin(t *testing.T) {
	n, p := 12, 3
	X := make([]float64, n*p)
	for i := 0; i < n; i++ {
		X[i*p] = 1
		X[i*p+1] = float64(i % 2)
		X[i*p+2] = float64(i%2) + 1e-9*float64(i)
	}
	var pl *sparsePlan
	withSparse(true, func() { pl = newSparsePlan(X, n, p) })
	if pl == nil {
		t.Fatal("no plan")
	}
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(i)
	}
	coef, sd := make([]float64, p), make([]float64, p)
	if _, _, ok := pl.fit(newSparseWork(p), y, nil, coef, sd); ok {
		t.Fatal("sparse path accepted a numerically rank-deficient design")
	}
}

// The shared factorisation of an unweighted design (sparsePlan.shared,
// fitShared) gives bitwise what fit gives gene by gene.
func TestSparseSharedBitwise(t *testing.T) {
	for _, c := range []struct{ npat, nTwo int }{{40, 30}, {12, 12}, {90, 60}} {
		fr := ptFrame(c.npat, c.nTwo)
		n := len(fr.Samples)
		X, err := design.ModelMatrix("~ patient + timepoint", fr)
		if err != nil {
			t.Fatal(err)
		}
		p := X.Cols()
		pl := newSparsePlan(X.X, n, p)
		if pl == nil {
			t.Fatalf("%d patients: no sparse plan", c.npat)
		}
		sh := pl.shared()
		if sh == nil {
			t.Fatalf("%d patients: no shared factorisation", c.npat)
		}
		v, err := Voom(simCounts(300, n, 5), X, nil)
		if err != nil {
			t.Fatal(err)
		}
		ws := newSparseWork(p)
		c1, s1 := make([]float64, p), make([]float64, p)
		c2, s2 := make([]float64, p), make([]float64, p)
		for g := 0; g < v.E.Rows(); g++ {
			y := v.E.Row(g)
			sig1, df1, ok := pl.fit(ws, y, nil, c1, s1)
			if !ok {
				t.Fatalf("gene %d: fit refused", g)
			}
			sig2, df2 := pl.fitShared(sh, ws, y, c2, s2)
			if !sameBits(c1, c2) || !sameBits(s1, s2) || !sameBits([]float64{sig1, df1}, []float64{sig2, df2}) {
				t.Fatalf("%d patients, gene %d: shared factorisation differs", c.npat, g)
			}
		}
	}
}
