package deseq

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

func TestFastSpecialFunctions(t *testing.T) {
	for _, x := range []float64{1e-3, 0.1, 0.5, 1, 1.5, 2, 3.7, 9.99, 10, 10.5, 33, 1e3, 1e6, 1e10} {
		lg, want := lgammaFast(x), dist.Lgamma(x)
		if e := math.Abs(lg - want); e > 4e-15*math.Max(1, math.Abs(want)) {
			t.Errorf("lgammaFast(%v) = %.17g, R's lgamma %.17g (diff %.3g)", x, lg, want, e)
		}
		dg, wd := digammaFast(x), dist.Digamma(x)
		if e := math.Abs(dg - wd); e > 4e-15*math.Max(1, math.Abs(wd)) {
			t.Errorf("digammaFast(%v) = %.17g, R's digamma %.17g (diff %.3g)", x, dg, wd, e)
		}
	}
}

func TestFastLog(t *testing.T) {
	worst := 0.0
	for i := 0; i < 200000; i++ {
		x := fmath.Exp(float64(i)/200000*80-40) * (1 + 1e-7*float64(i%13))
		a, b := fastLog(x), fmath.Log(x)
		e := math.Abs(a-b) / math.Max(1, math.Abs(b))
		worst = math.Max(worst, e)
	}
	for _, x := range []float64{1, 1 + 1e-12, 1 - 1e-12, 2, 0.5, 1e-300, 1e300, math.SmallestNonzeroFloat64} {
		if e := math.Abs(fastLog(x) - fmath.Log(x)); e > 2.5e-16*math.Max(1, math.Abs(fmath.Log(x))) {
			t.Errorf("fastLog(%v) off by %g", x, e)
		}
	}
	if worst > 2.5e-16 {
		t.Errorf("fastLog worst scaled error %g", worst)
	}
}

func TestMedianInPlace(t *testing.T) {
	rng := []float64{5, 3, 9, 1, 7, 7, 2, 8, 3, 3, 0.5}
	for n := 1; n <= len(rng); n++ {
		x := append([]float64(nil), rng[:n]...)
		want := stats.Median(x)
		if got := medianInPlace(x); got != want {
			t.Errorf("n=%d: median %v, stats.Median %v", n, got, want)
		}
	}
	for k := 0; k < 20; k++ {
		if logFactorial(float64(k)) != dist.Lgamma(float64(k)+1) {
			t.Errorf("logFactorial(%d)", k)
		}
	}
}

func TestTrimmedMeanMatchesR(t *testing.T) {
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3}
	buf := make([]float64, len(x))
	for n := 1; n <= len(x); n++ {
		for _, tr := range []float64{0, 0.1, 0.2, 1.0 / 8, 1.0 / 4, 1.0 / 3, 0.5} {
			got, want := trimmedMeanBuf(x[:n], tr, buf), stats.TrimmedMean(x[:n], tr)
			if math.Abs(got-want) > 1e-14*math.Abs(want) {
				t.Errorf("n=%d trim=%v: %v, stats.TrimmedMean %v", n, tr, got, want)
			}
		}
	}
}

// TestFastExp compares fastExp with fmath.Exp (faithfully rounded) over the
// range the GLM uses, and checks its fall-back outside [-700, 700].
func TestFastExp(t *testing.T) {
	worst := 0.0
	for i := 0; i <= 400000; i++ {
		x := -700 + 1400*float64(i)/400000 + 1e-9*float64(i%7)
		a, b := fastExp(x), fmath.Exp(x)
		worst = math.Max(worst, math.Abs(a-b)/b)
	}
	if worst > 4.5e-16 {
		t.Errorf("fastExp worst relative error %g", worst)
	}
	for _, x := range []float64{0, 1, -1, 1e-300, 700, -700, 701, -745, 710, math.Inf(1), math.Inf(-1)} {
		a, b := fastExp(x), fmath.Exp(x)
		if a != b && math.Abs(a-b) > 4.5e-16*b {
			t.Errorf("fastExp(%v) = %v, fmath.Exp %v", x, a, b)
		}
	}
	if !math.IsNaN(fastExp(math.NaN())) {
		t.Error("fastExp(NaN) is not NaN")
	}
}

// TestQuickselect: x[k] is the k-th smallest value and x[:k] <= x[k] <=
// x[k+1:], for sizes on both sides of the sampled-pivot threshold (64), ties
// and every k near the ends and the middle.
func TestQuickselect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{1, 2, 3, 10, 63, 64, 65, 100, 242, 285, 1000} {
		for _, levels := range []int{3, 50, 1 << 30} {
			for _, k := range []int{0, 1, n / 8, n / 2, n - n/8 - 1, n - 2, n - 1} {
				if k < 0 || k >= n {
					continue
				}
				x := make([]float64, n)
				for i := range x {
					x[i] = float64(rng.IntN(levels))
				}
				want := append([]float64(nil), x...)
				sort.Float64s(want)
				got := quickselect(x, k)
				if got != want[k] || x[k] != want[k] {
					t.Fatalf("n=%d k=%d: got %v want %v", n, k, got, want[k])
				}
				for i, v := range x {
					if (i < k && v > x[k]) || (i > k && v < x[k]) {
						t.Fatalf("n=%d k=%d: x[%d]=%v on the wrong side of %v", n, k, i, v, x[k])
					}
				}
			}
		}
	}
}

// TestTrimmedMeanFast checks the two-pivot trimmed mean (64+ values)
// against stats.TrimmedMean with many ties (zeros, small integers) and
// continuous values, that it leaves x unchanged, and that it rarely falls
// back to plain selection.
func TestTrimmedMeanFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	buf := make([]float64, 800)
	hits := 0
	for it := 0; it < 3000; it++ {
		n := 64 + rng.IntN(300)
		x := make([]float64, n)
		for i := range x {
			switch it % 3 {
			case 0:
				x[i] = float64(rng.IntN(4)) // heavy ties
			case 1:
				x[i] = rng.ExpFloat64() * 100
			default:
				x[i] = math.Trunc(rng.ExpFloat64()*3) / (0.5 + rng.Float64())
			}
		}
		x0 := append([]float64(nil), x...)
		tr := []float64{1.0 / 8, 0.2, 1.0 / 4, 1.0 / 3}[it%4]
		lo := int(math.Floor(float64(n)*tr)) + 1
		hi := n + 1 - lo
		want := stats.TrimmedMean(x, tr)
		if got, ok := trimmedMeanFast(x, lo-1, hi, buf); ok {
			hits++
			if math.Abs(got-want) > 1e-14*math.Abs(want) {
				t.Errorf("it %d n %d trim %v: fast %v, stats.TrimmedMean %v", it, n, tr, got, want)
			}
		}
		if got := trimmedMeanBuf(x, tr, buf); math.Abs(got-want) > 1e-14*math.Abs(want) {
			t.Errorf("it %d n %d trim %v: %v, stats.TrimmedMean %v", it, n, tr, got, want)
		}
		for i := range x {
			if x[i] != x0[i] {
				t.Fatalf("it %d: x changed", it)
			}
		}
	}
	if hits < 1800 {
		t.Errorf("trimmedMeanFast succeeded only %d of 3000 times", hits)
	}
	// selectBranchless against sorting
	for it := 0; it < 2000; it++ {
		n := 1 + rng.IntN(100)
		x := make([]float64, n)
		for i := range x {
			if it%2 == 0 {
				x[i] = float64(rng.IntN(3))
			} else {
				x[i] = rng.NormFloat64()
			}
		}
		k := rng.IntN(n)
		srt := append([]float64(nil), x...)
		sort.Float64s(srt)
		if got := selectBranchless(x, k); got != srt[k] {
			t.Fatalf("selectBranchless n %d k %d: %v, sorted %v", n, k, got, srt[k])
		}
	}
}
