package deseq

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestUpperBoundSameDecisions runs DESeq() on the bench tool's data (2000
// genes; 285 samples ~ timepoint, 12 samples ~ patient + timepoint) with
// and without the proofs from logPostUpper: the dispersions, their
// iteration counts and the coefficients must be bitwise the same (a proof
// only skips an evaluation whose rejection it has shown).
func TestUpperBoundSameDecisions(t *testing.T) {
	defer func() { useUpperBound = true }()
	for _, n := range []int{285, 12} {
		cm, Xt, ct, Xp, cp := studySim(2000, n)
		X, cols := Xt, ct
		if n == 12 {
			X, cols = Xp, cp
		}
		var fits [2]*Fit
		for k, on := range []bool{false, true} {
			useUpperBound = on
			f, err := Run(cm, X, cols, Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			fits[k] = f
		}
		a, b := fits[0], fits[1]
		for g := range a.DispGeneEst {
			same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
			if !same(a.DispGeneEst[g], b.DispGeneEst[g]) || a.DispGeneIter[g] != b.DispGeneIter[g] ||
				!same(a.DispMAP[g], b.DispMAP[g]) || a.DispIter[g] != b.DispIter[g] ||
				!same(a.Beta[g*a.P+a.P-1], b.Beta[g*b.P+b.P-1]) {
				t.Fatalf("n=%d gene %d: gene-wise %v (%d iter) vs %v (%d), MAP %v (%d) vs %v (%d)", n, g,
					a.DispGeneEst[g], a.DispGeneIter[g], b.DispGeneEst[g], b.DispGeneIter[g],
					a.DispMAP[g], a.DispIter[g], b.DispMAP[g], b.DispIter[g])
			}
		}
	}
}

// TestLogPostUpper checks the bound itself: for simulated genes (zeros, small
// and large counts, 285 samples ~ timepoint and 12 samples ~ patient +
// timepoint) and pairs of points log α_A, log α over [-30, 10], logPost at
// log α never exceeds the bound upperBelow tests (the margin it adds
// included), and the bound is tight enough to be useful (within 1% of |lp|
// at 60% of the points or more).
func TestLogPostUpper(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, n := range []int{285, 12} {
		cm, Xt, _, Xp, _ := studySim(300, n)
		X, p := Xt, 2
		if n == 12 {
			X, p = Xp, len(Xp)/n
		}
		dw := newDispWork(newDesign(X, n, p))
		mu := make([]float64, n)
		tight, total := 0, 0
		for g := 0; g < cm.Rows(); g++ {
			y := cm.Row(g)
			sy, my := sumMax(y)
			if sy == 0 {
				continue
			}
			for j := range mu {
				mu[j] = math.Max(0.5, sy/float64(n)*math.Exp(0.6*rng.NormFloat64()))
			}
			dw.prepare(y, mu)
			for k := 0; k < 40; k++ {
				laA := -30 + 40*rng.Float64()
				la := laA + 4*rng.NormFloat64()
				if k%4 == 0 {
					la = laA + 1e-3*rng.NormFloat64()
				}
				la = math.Max(-30, math.Min(10, la))
				usePrior := k%2 == 1
				pm, pv := -2+rng.NormFloat64(), 0.5+rng.Float64()
				lpA := dw.logPost(laA, y, mu, pm, pv, usePrior)
				crA := dw.lastCR
				lp := dw.logPost(la, y, mu, pm, pv, usePrior)
				// the bound is below lp + tiny only if upperBelow(lp) can say true
				if dw.upperBelow(la, laA, crA, lp, y, mu, pm, pv, usePrior, sy, my, lpA) {
					t.Fatalf("n=%d gene %d: logPost(%v) = %v proved below itself (from %v)", n, g, la, lp, laA)
				}
				total++
				if dw.upperBelow(la, laA, crA, lp+0.01*math.Abs(lp)+1, y, mu, pm, pv, usePrior, sy, my, lpA) {
					tight++
				}
			}
		}
		if tight < total*3/5 {
			t.Errorf("n=%d: the bound is within 1%% of |lp| at only %d of %d points", n, tight, total)
		}
		t.Logf("n=%d: bound within 1%% at %d of %d points", n, tight, total)
	}
}

// TestPsi3Envelope checks the bound on ψ”' logPostUpper uses,
// 2/x³ + 3/x⁴ + 2/x⁵ >= ψ”'(x) (to rounding; the bound takes 5% more), against ψ”'(x) = 6 Σ_k (x+k)⁻⁴ (recurrence
// to x + 40, then its asymptotic series to x⁻¹¹).
func TestPsi3Envelope(t *testing.T) {
	psi3 := func(x float64) float64 {
		var s float64
		for k := 0; k < 40; k++ {
			s += 6 / math.Pow(x+float64(k), 4)
		}
		z := 1 / (x + 40)
		z2 := z * z
		return s + z2*z*(2+z*(3+z*(2+z2*(-1+z2*(4.0/3+z2*(-3))))))
	}
	for x := 0.5; x < 1e7; x *= 1.1 {
		z := 1 / x
		env := z * z * z * (2 + z*(3+2*z))
		if got := psi3(x); !(env >= got*(1-1e-13)) {
			t.Fatalf("x=%v: envelope %v < psi3 %v", x, env, got)
		}
	}
}

// TestLogPostUpperExtreme is TestLogPostUpper on harsher genes: counts up to
// 1e9 (capped at 2e9), mostly zeros, a single outlier, μ spread over
// several octaves (genes beyond the bound's 8 octaves get none), 4, 12 and
// 285 samples, log α over [-30, 10]: the bound never proves logPost below
// itself.
func TestLogPostUpperExtreme(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 13))
	for _, n := range []int{285, 12, 4} {
		g := timepoints(n)
		X, _ := groupDesign(g)
		dw := newDispWork(newDesign(X, n, 2))
		y := make([]float64, n)
		mu := make([]float64, n)
		viol := 0
		for rep := 0; rep < 1000; rep++ {
			scale := math.Pow(10, -1+10*rng.Float64())
			kind := rep % 5
			for j := range y {
				switch kind {
				case 0: // huge counts
					y[j] = math.Floor(scale * rng.ExpFloat64())
				case 1: // mostly zeros
					if rng.Float64() < 0.9 {
						y[j] = 0
					} else {
						y[j] = math.Floor(scale * rng.Float64())
					}
				case 2: // outlier
					y[j] = math.Floor(5 * rng.Float64())
					if j == 0 {
						y[j] = math.Floor(scale)
					}
				default:
					y[j] = math.Floor(scale * math.Exp(rng.NormFloat64()))
				}
				y[j] = math.Min(y[j], 2e9)
				mu[j] = math.Max(0.5, scale*math.Exp(1.5*rng.NormFloat64()))
			}
			sy, my := sumMax(y)
			if sy == 0 {
				continue
			}
			dw.prepare(y, mu)
			for k := 0; k < 20; k++ {
				laA := -30 + 40*rng.Float64()
				la := math.Max(-30, math.Min(10, laA+3*rng.NormFloat64()))
				usePrior := k%2 == 1
				pm, pv := -2+rng.NormFloat64(), 0.25+rng.Float64()
				lpA := dw.logPost(laA, y, mu, pm, pv, usePrior)
				crA := dw.lastCR
				lp := dw.logPost(la, y, mu, pm, pv, usePrior)
				if dw.upperBelow(la, laA, crA, lp, y, mu, pm, pv, usePrior, sy, my, lpA) {
					viol++
					if viol < 5 {
						t.Errorf("n=%d kind %d scale %g: logPost(%v) = %v proved below itself", n, kind, scale, la, lp)
					}
				}
			}
		}
	}
}
