package limma

import (
	"math"
	"testing"

	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/pool"
)

// EBayes with Coefs computes the chosen columns exactly as without it and
// leaves the others NaN.
func TestEBayesCoefs(t *testing.T) {
	fr := ptFrame(12, 9)
	counts := simCounts(400, len(fr.Samples), 21)
	X, err := design.ModelMatrix("~ patient + timepoint", fr)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Voom(counts, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, robust := range []bool{false, true} {
		all, _ := LmFit(v.E, X, &LmOptions{Weights: v.Weights})
		one, _ := LmFit(v.E, X, &LmOptions{Weights: v.Weights})
		if _, err := EBayes(all, &EBayesOptions{Robust: robust}); err != nil {
			t.Fatal(err)
		}
		c := X.Index("timepointpost")
		if _, err := EBayes(one, &EBayesOptions{Robust: robust, Coefs: []int{c}}); err != nil {
			t.Fatal(err)
		}
		p := X.Cols()
		for g := 0; g < all.NGenes(); g++ {
			for j := 0; j < p; j++ {
				k := g*p + j
				if j == c {
					if math.Float64bits(all.T[k]) != math.Float64bits(one.T[k]) || math.Float64bits(all.PValue[k]) != math.Float64bits(one.PValue[k]) ||
						math.Float64bits(all.Lods[k]) != math.Float64bits(one.Lods[k]) {
						t.Fatalf("gene %d: tested column differs", g)
					}
				} else if !math.IsNaN(one.T[k]) || !math.IsNaN(one.PValue[k]) || !math.IsNaN(one.Lods[k]) {
					t.Fatalf("gene %d column %d: not NaN", g, j)
				}
			}
		}
		if one.VarPrior[c] != all.VarPrior[c] || !math.IsNaN(one.VarPrior[0]) {
			t.Fatal("VarPrior")
		}
	}
	f, _ := LmFit(v.E, X, nil)
	if _, err := EBayes(f, &EBayesOptions{Coefs: []int{X.Cols()}}); err == nil {
		t.Fatal("out-of-range coefficient accepted")
	}
}

// LmFit through a pool (1, 2 and 3 parts, and a pool that splits into
// more tasks than workers) gives bitwise the fits of one local worker:
// plain, weighted, blocked, sparse design, missing values.
func TestLmFitPoolBitwise(t *testing.T) {
	fr := ptFrame(20, 15)
	n := len(fr.Samples)
	counts := simCounts(150, n, 31)
	Xh, _ := design.ModelMatrix("~ HET", fr)
	Xpt, _ := design.ModelMatrix("~ patient + timepoint", fr)
	v, err := Voom(counts, Xh, nil)
	if err != nil {
		t.Fatal(err)
	}
	E := v.E
	E.Data[5*n+3] = math.NaN()
	cases := []struct {
		name string
		X    *design.Matrix
		opt  LmOptions
	}{
		{"plain", Xh, LmOptions{}},
		{"weighted", Xh, LmOptions{Weights: v.Weights}},
		{"block", Xh, LmOptions{Weights: v.Weights, Block: fr.Columns["patient"], Correlation: 0.4}},
		{"sparse", Xpt, LmOptions{Weights: v.Weights}},
	}
	same := func(a, b []float64) bool {
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				return false
			}
		}
		return len(a) == len(b)
	}
	for _, c := range cases {
		o := c.opt
		o.Workers = 1
		ref, err := LmFit(E, c.X, &o)
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range []pool.Pool{pool.Local(1), pool.Local(2), pool.Local(3), splitPool{pool.Local(2), 5}} {
			o := c.opt
			o.Pool = pl
			got, err := LmFit(E, c.X, &o)
			if err != nil {
				t.Fatal(err)
			}
			if !same(ref.Coefficients, got.Coefficients) || !same(ref.StdevUnscaled, got.StdevUnscaled) ||
				!same(ref.Sigma, got.Sigma) || !same(ref.DfResidual, got.DfResidual) {
				t.Fatalf("%s, pool of %d: fits differ", c.name, pl.Size())
			}
		}
	}
}

// splitPool reports size parts but runs on p (more tasks than workers).
type splitPool struct {
	p    pool.Pool
	size int
}

func (s splitPool) Size() int                                     { return s.size }
func (s splitPool) Run(name string, t [][]byte) ([][]byte, error) { return s.p.Run(name, t) }

// A malformed lmfit task is an error, not a panic.
func TestLmFitKernelErrors(t *testing.T) {
	for _, in := range [][]byte{nil, {1, 2, 3}, {2, 2, 0}} {
		if _, err := lmFitKernel(in); err == nil {
			t.Errorf("%v: no error", in)
		}
	}
}

// duplicateCorrelation and the whole workflow through a pool equal one
// local worker bitwise.
func TestDupCorAndWorkflowPoolBitwise(t *testing.T) {
	fr := pairedFrame(30, 22)
	n := len(fr.Samples)
	counts := simCounts(200, n, 41)
	counts.Samples = fr.Samples
	X, _ := design.ModelMatrix("~ HET", fr)
	v, err := Voom(counts, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := DuplicateCorrelation(v.E, X, fr.Columns["patient"], &DupCorOptions{Weights: v.Weights, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, pl := range []pool.Pool{pool.Local(1), pool.Local(2), pool.Local(3), splitPool{pool.Local(1), 4}} {
		got, err := DuplicateCorrelation(v.E, X, fr.Columns["patient"], &DupCorOptions{Weights: v.Weights, Pool: pl})
		if err != nil {
			t.Fatal(err)
		}
		if math.Float64bits(got.Consensus) != math.Float64bits(ref.Consensus) {
			t.Fatalf("pool of %d: consensus %v vs %v", pl.Size(), got.Consensus, ref.Consensus)
		}
		for g := range ref.AtanhCorrelations {
			if math.Float64bits(got.AtanhCorrelations[g]) != math.Float64bits(ref.AtanhCorrelations[g]) {
				t.Fatalf("pool of %d: gene %d differs", pl.Size(), g)
			}
		}
	}
	wref, err := VoomWorkflow(counts, fr, "~ HET", "HET,1,0", &WorkflowOptions{Block: "patient", Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, pl := range []pool.Pool{pool.Local(2), pool.Local(3)} {
		w, err := VoomWorkflow(counts, fr, "~ HET", "HET,1,0", &WorkflowOptions{Block: "patient", Pool: pl})
		if err != nil {
			t.Fatal(err)
		}
		for i := range wref.Table {
			if wref.Table[i] != w.Table[i] {
				t.Fatalf("pool of %d: row %d differs", pl.Size(), i)
			}
		}
	}
}

// qf inverts dist.Pf (both tails, log and linear scale).
func TestQfRoundTrip(t *testing.T) {
	for _, c := range []struct{ p, d1, d2 float64 }{{0.5, 3, 10}, {1e-8, 1, 4.5}, {0.999, 7, 30}, {1e-30, 2, 100}, {0.3, 40, 2}} {
		for _, lower := range []bool{true, false} {
			for _, logp := range []bool{false, true} {
				p := c.p
				if logp {
					p = math.Log(c.p)
				}
				f := qf(p, c.d1, c.d2, lower, logp)
				got := dist.Pf(f, c.d1, c.d2, lower, logp)
				if math.Abs(got-p) > 1e-10*math.Abs(p) {
					t.Errorf("qf(%v, %v, %v, %v, %v) = %v: Pf gives %v", p, c.d1, c.d2, lower, logp, f, got)
				}
			}
		}
	}
}
