package deseq

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/stats"
)

// TestTrimmedMeanOnePass compares trimmedMeanOnePass (and trimmedMeanCooks)
// with stats.TrimmedMean (R's mean(x, trim)) on ties, continuous and
// normalized-count-like values of 32 to 400 values, checks that x is left
// unchanged, that the pivots rarely miss at trim 1/8, and that non-finite values fall
// back (NaN gives NaN, as R).
func TestTrimmedMeanOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	hits, tries := 0, 0
	for it := 0; it < 4000; it++ {
		n := 32 + rng.IntN(370)
		x := make([]float64, n)
		for i := range x {
			switch it % 4 {
			case 0:
				x[i] = float64(rng.IntN(4)) // heavy ties
			case 1:
				x[i] = rng.ExpFloat64() * 100
			case 2:
				x[i] = math.Trunc(rng.ExpFloat64()*3) / (0.5 + rng.Float64())
			default:
				d := math.Trunc(rng.ExpFloat64()*40)/(0.5+rng.Float64()) - 30
				x[i] = d * d // squared deviations
			}
		}
		x0 := append([]float64(nil), x...)
		buf := make([]float64, 2*n+2)
		tr := []float64{1.0 / 8, 0.2, 1.0 / 4, 1.0 / 3}[it%4]
		lo := int(math.Floor(float64(n)*tr)) + 1
		hi := n + 1 - lo
		want := stats.TrimmedMean(x, tr)
		if tr == 1.0/8 { // the trim of Cook's cells of 24 or more samples
			tries++
		}
		if got, ok := trimmedMeanOnePass(x, lo-1, hi, buf); ok {
			if tr == 1.0/8 {
				hits++
			}
			if math.Abs(got-want) > 1e-13*math.Abs(want) {
				t.Errorf("it %d n %d trim %v: one pass %v, stats.TrimmedMean %v", it, n, tr, got, want)
			}
		}
		if got := trimmedMeanCooks(x, tr, buf); math.Abs(got-want) > 1e-13*math.Abs(want) {
			t.Errorf("it %d n %d trim %v: %v, stats.TrimmedMean %v", it, n, tr, got, want)
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(x0[i]) {
				t.Fatalf("it %d: x changed", it)
			}
		}
	}
	if hits < tries*9/10 {
		t.Errorf("trimmedMeanOnePass succeeded %d of %d times", hits, tries)
	}
	// non-finite values: Inf in the trimmed tail, Inf in the middle, NaN
	x := make([]float64, 100)
	for i := range x {
		x[i] = float64(i % 17)
	}
	buf := make([]float64, 202)
	x[5] = math.Inf(1)
	if got, want := trimmedMeanCooks(x, 1.0/8, buf), stats.TrimmedMean(x, 1.0/8); got != want && math.Abs(got-want) > 1e-13*want {
		t.Errorf("Inf in the tail: %v, want %v", got, want)
	}
	for i := 0; i < 60; i++ {
		x[i] = math.Inf(1)
	}
	if got := trimmedMeanCooks(x, 1.0/8, buf); !math.IsInf(got, 1) {
		t.Errorf("Inf in the middle: %v, want +Inf", got)
	}
	x[5] = math.NaN()
	if got := trimmedMeanCooks(x, 1.0/8, buf); !math.IsNaN(got) {
		t.Errorf("NaN: %v, want NaN", got)
	}
}
