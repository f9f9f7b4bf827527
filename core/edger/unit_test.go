package edger

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// TestUnitDevianceBranches checks the three branches of edgeR's unit
// deviance against direct formulas (tolerance 1e-12 relative).
func TestUnitDevianceBranches(t *testing.T) {
	cases := []struct{ y, mu, phi, want float64 }{
		// Poisson side (phi < 1e-4): 2(y log(y/mu) - (y-mu) - ½(y-mu)²phi(1 - phi y))
		{5, 3, 1e-5, 0},
		// NB
		{5, 3, 0.2, 0},
		{0, 3, 0.2, 0},
		// gamma side (mu·phi > 1e6)
		{5e6, 3e6, 1, 0},
	}
	for _, c := range cases {
		y, mu := c.y+1e-8, c.mu+1e-8
		var want float64
		switch {
		case c.phi < 1e-4:
			r := y - mu
			want = 2 * (y*math.Log(y/mu) - r - 0.5*r*r*c.phi*(1-c.phi*y))
		case mu*c.phi > 1e6:
			want = 2 * ((y-mu)/mu - math.Log(y/mu)) * mu / (1 + mu*c.phi)
		default:
			want = 2 * (y*math.Log(y/mu) + (y+1/c.phi)*math.Log((mu+1/c.phi)/(y+1/c.phi)))
		}
		got := unitDeviance(c.y, c.mu, c.phi)
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("unitDeviance(%v,%v,%v) = %v, want %v", c.y, c.mu, c.phi, got, want)
		}
	}
}

// TestMaximizeInterpolant compares with edgeR 3.40.2's
// maximizeInterpolant(-10:10, y) for cubics -(x-t)² ∓ 0.01(x-t)³ (which the
// fmm spline reproduces) and -|x-t|^1.5 (tolerance 1e-12).
func TestMaximizeInterpolant(t *testing.T) {
	pts, _ := gridPoints()
	want := [][4]float64{ // top, R for the three curves
		{-3.2999999999999998, -3.3000000000000043, -3.3000000000000043, -3.2444917146830301},
		{0.25, 0.25000000000000711, 0.25, 0.1924378534184934},
		{7.7999999999999998, 7.7999999999999972, 7.8000000000000043, 7.8600147035429178},
		{-9.5, -9.5, -9.4999999999999929, -9.5181412783532444},
	}
	sc := make([]float64, 3*len(pts))
	for _, w := range want {
		top := w[0]
		curves := []func(float64) float64{
			func(x float64) float64 { return -(x-top)*(x-top) - 0.01*(x-top)*(x-top)*(x-top) },
			func(x float64) float64 { return -(x-top)*(x-top) + 0.01*(x-top)*(x-top)*(x-top) },
			func(x float64) float64 { return -math.Pow(math.Abs(x-top), 1.5) },
		}
		for k, f := range curves {
			y := make([]float64, len(pts))
			for i, x := range pts {
				y[i] = f(x)
			}
			if got := maximizeInterpolant(pts, y, sc); math.Abs(got-w[k+1]) > 1e-12 {
				t.Errorf("top %v curve %d: got %.17g, R %.17g", top, k, got, w[k+1])
			}
		}
	}
}

// TestLogDetLDL: the log-determinant of a positive definite matrix (1e-12).
func TestLogDetLDL(t *testing.T) {
	a := []float64{4, 2, 1, 2, 5, 3, 1, 3, 6}
	// det = 4(30-9) - 2(12-3) + 1(6-5) = 84 - 18 + 1 = 67
	if got := logDetLDL(append([]float64(nil), a...), 3); math.Abs(got-math.Log(67)) > 1e-12 {
		t.Errorf("log det = %v, want %v", got, math.Log(67))
	}
}

func simCounts(seed uint64, ng, n int, groups []int) *dataset.Matrix {
	r := rand.New(rand.NewPCG(seed, 1))
	genes := make([]string, ng)
	samples := make([]string, n)
	for s := range samples {
		samples[s] = "s" + string(rune('a'+s%26)) + string(rune('a'+s/26))
	}
	m := dataset.NewMatrix(dataset.Counts, genes, samples)
	for g := 0; g < ng; g++ {
		genes[g] = "g" + string(rune('a'+g%26)) + string(rune('a'+(g/26)%26)) + string(rune('a'+g/676))
		base := math.Exp(r.NormFloat64()*1.5 + 3)
		fc := 1.0
		if g%10 == 0 {
			fc = math.Exp(r.NormFloat64())
		}
		for s := 0; s < n; s++ {
			mu := base
			if groups[s] == 1 {
				mu *= fc
			}
			// gamma-Poisson with dispersion 0.2 by a Poisson of a gamma mean
			shape := 5.0
			lam := mu * gammaRand(r, shape) / shape
			m.Data[g*n+s] = float64(poissonRand(r, lam))
		}
	}
	return m
}

func gammaRand(r *rand.Rand, a float64) float64 {
	// Marsaglia-Tsang, a >= 1
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func poissonRand(r *rand.Rand, lam float64) int {
	if lam > 500 {
		return int(math.Max(0, math.Round(lam+math.Sqrt(lam)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lam), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func groupDesign(t testing.TB, groups []int) *design.Matrix {
	n := len(groups)
	x := make([]float64, 2*n)
	for i, g := range groups {
		x[2*i] = 1
		x[2*i+1] = float64(g)
	}
	X, err := design.FromValues([]string{"(Intercept)", "groupB"}, n, x)
	if err != nil {
		t.Fatal(err)
	}
	return X
}

// TestWorkersBitwise: any number of workers gives the same bits.
func TestWorkersBitwise(t *testing.T) {
	groups := []int{0, 0, 0, 0, 1, 1, 1, 1}
	m := simCounts(7, 900, len(groups), groups)
	X := groupDesign(t, groups)
	var ref *Result
	for _, w := range []int{1, 2, 3, 7} {
		res, err := QLWorkflow(m, X, &Options{Coef: -1, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = res
			continue
		}
		same := func(what string, a, b []float64) {
			for i := range a {
				if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
					t.Fatalf("workers=%d: %s[%d] %v != %v", w, what, i, a[i], b[i])
				}
			}
		}
		same("trended", ref.Disp.Trended, res.Disp.Trended)
		same("F", ref.Table.F, res.Table.F)
		same("PValue", ref.Table.PValue, res.Table.PValue)
		same("logFC", ref.Table.LogFC, res.Table.LogFC)
	}
}

// TestErrors: user data problems are errors, never panics.
func TestErrors(t *testing.T) {
	groups := []int{0, 0, 1, 1}
	m := simCounts(3, 100, 4, groups)
	X := groupDesign(t, groups)

	bad := *m
	bad.Data = append([]float64(nil), m.Data...)
	bad.Data[5] = math.NaN()
	if _, err := QLWorkflow(&bad, X, nil); err == nil {
		t.Error("NaN count: no error")
	}
	bad.Data[5] = -1
	if _, err := QLWorkflow(&bad, X, nil); err == nil {
		t.Error("negative count: no error")
	}
	zero := *m
	zero.Data = make([]float64, len(m.Data))
	if _, err := QLWorkflow(&zero, X, nil); err == nil {
		t.Error("all-zero counts: no error")
	}
	// as many coefficients as samples
	sat, _ := design.FromValues([]string{"a", "b", "c", "d"}, 4, []float64{1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1})
	if _, err := QLWorkflow(m, sat, nil); err == nil {
		t.Error("saturated design: no error")
	}
	// design of the wrong size
	X3 := groupDesign(t, []int{0, 0, 1})
	if _, err := QLWorkflow(m, X3, nil); err == nil {
		t.Error("wrong design size: no error")
	}
	// contrast of the wrong length, coefficient out of range
	if _, err := QLWorkflow(m, X, &Options{Contrast: []float64{0, 1, -1}}); err == nil {
		t.Error("bad contrast: no error")
	}
	if _, err := QLWorkflow(m, X, &Options{Coef: 5}); err == nil {
		t.Error("bad coefficient: no error")
	}
	if _, err := GLMQLFit(m.Data[:8], 2, 4, X.X, 2, []float64{1, 1, 1, 1}, []float64{-1, 0.1}, []float64{1, 1}, false, 1); err == nil {
		t.Error("negative dispersion: no error")
	}
	if _, err := EstimateDisp(nil, 0, 4, X.X, 2, []float64{1, 1, 1, 1}, 1); err == nil {
		t.Error("no genes: no error")
	}
}

// TestAveLogCPM: edgeR 3.40.2's aveLogCPM(y, lib.size, dispersion = 0.1)
// for a small matrix (tolerance 1e-12 absolute), and the all-zero case.
func TestAveLogCPM(t *testing.T) {
	y := []float64{0, 5, 10, 100, 200, 150, 0, 0, 1}
	lib := []float64{1000, 2000, 1500}
	want := []float64{12.161406064838241, 16.624907231090123, 10.601750998688832}
	got := AveLogCPM(y, 3, 3, lib, 0.1, 2)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("AveLogCPM[%d] = %.17g, want %.17g", i, got[i], want[i])
		}
	}
	z := AveLogCPM(make([]float64, 6), 2, 3, []float64{0, 0, 0}, 0.1, 2)
	if w := math.Log2(1e6 / 2); math.Abs(z[0]-w) > 1e-12 || math.Abs(z[1]-w) > 1e-12 {
		t.Errorf("all zero: %v, want %v", z, w)
	}
}

// TestTinyInputs: very few genes or samples give results or errors, never
// panics.
func TestTinyInputs(t *testing.T) {
	for _, ng := range []int{1, 2, 3, 60} {
		for _, groups := range [][]int{{0, 0, 1}, {0, 1, 0, 1}, {0, 0, 0, 1, 1, 1}} {
			m := simCounts(uint64(ng), ng, len(groups), groups)
			for g := 0; g < ng; g++ {
				m.Data[g*len(groups)] += 200 // keep every gene through filterByExpr
			}
			X := groupDesign(t, groups)
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%d genes, %d samples: panic %v", ng, len(groups), r)
					}
				}()
				res, err := QLWorkflow(m, X, nil)
				t.Logf("%d genes, %d samples: err %v", ng, len(groups), err)
				if err == nil && len(res.Table.F) != len(res.Genes) {
					t.Errorf("%d genes: table has %d rows", len(res.Genes), len(res.Table.F))
				}
			}()
		}
	}
}
