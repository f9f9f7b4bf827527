package geneset

import (
	"math"
	"math/rand/v2"
	"testing"
)

// matrixSums is the code-matrix path (pairCodes + codeSums) on y, for
// comparison with fixedSums.
func matrixSums(y []float64, w *kernelWork) []float64 {
	n := len(y)
	w.grow(n)
	bw := sdLongDouble(y) / 4
	m := w.distinct(y)
	w.pairCodes(m, bw)
	w.codeSums(n, m)
	return append([]float64(nil), w.sums[:m]...)
}

// TestFixedSumsMatrix: the fixed-point kernel gives the code-matrix path's
// sums bit for bit (tolerance 0) on continuous data, log2 counts, heavy
// outliers (blocks of one row, clamped samples on both sides), tight clusters
// far apart, and up to 2000 samples; and it is taken for most such genes.
func TestFixedSumsMatrix(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	gen := map[string]func(n int) []float64{
		"normal": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				y[i] = 6 + 2*r.NormFloat64()
			}
			return y
		},
		"log2 counts": func(n int) []float64 {
			y := make([]float64, n)
			mu := math.Exp(2 + r.NormFloat64())
			for i := range y {
				y[i] = math.Log2(math.Floor(mu*r.ExpFloat64()) + 1)
			}
			return y
		},
		"outliers": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				y[i] = r.NormFloat64()
				if i%5 == 0 {
					y[i] = 30 * r.NormFloat64()
				}
			}
			return y
		},
		"clusters": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				y[i] = float64(r.IntN(3))*50 + 1e-3*r.NormFloat64()
			}
			return y
		},
	}
	var w, v kernelWork
	for name, f := range gen {
		fixed, total := 0, 0
		for _, n := range []int{2, 3, 7, 16, 33, 100, 285, 2000} {
			for rep := 0; rep < 4; rep++ {
				y := f(n)
				if !(plainSD(y) >= 1e-10) {
					continue
				}
				want := matrixSums(y, &v)
				w.grow(n)
				m := w.distinct(y)
				total++
				if !w.fixedSums(n, m, sdLongDouble(y)/4) {
					continue
				}
				fixed++
				for b := 0; b < m; b++ {
					if math.Float64bits(w.sums[b]) != math.Float64bits(want[b]) {
						t.Fatalf("%s n=%d rep %d value %d: fixed %v, matrix %v", name, n, rep, b, w.sums[b], want[b])
					}
				}
			}
		}
		if fixed < total*3/4 {
			t.Errorf("%s: fixed-point path taken for %d of %d genes", name, fixed, total)
		}
	}
}

// TestFixedSumsRefuses: fixedSums declines genes whose pair differences are
// whole table steps (within codeMargin of a boundary) or span more than
// fixedMaxSpan steps, for the bandwidths given, and takes spread ones.
func TestFixedSumsRefuses(t *testing.T) {
	var w kernelWork
	cases := []struct {
		name string
		y    []float64
		bw   float64
		want bool
	}{
		{"grid", []float64{0, 0.25, 0.5, 0.75, 0.25, 0}, 0.25, false},                 // steps of 1000 table steps
		{"near grid", []float64{0, 0.25 + 1e-12, 0.5}, 0.25, false},                   // 1e-9 steps off a boundary
		{"off grid", []float64{0, 0.25 + 1e-6, 0.5 + 3e-6}, 0.25, true},               // 1e-3 steps off
		{"wide", []float64{0, 1, 2, 1e5}, 1, false},                                   // 1e8 table steps
		{"not so wide", []float64{0, 1.1234567, 2.3456789, 1e4 + 0.7654321}, 1, true}, // 1e7 table steps
	}
	for _, c := range cases {
		n := len(c.y)
		w.grow(n)
		m := w.distinct(c.y)
		if got := w.fixedSums(n, m, c.bw); got != c.want {
			t.Errorf("%s: fixedSums = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestFracClear: fractions on the 2^32 circle closer than the margin, also
// across the wrap, are found; spread ones pass.
func TestFracClear(t *testing.T) {
	var count []int32
	cases := []struct {
		f    []uint32
		want bool
	}{
		{[]uint32{5}, true},
		{[]uint32{100, 1000, 1 << 31}, true},
		{[]uint32{100, 1000, 529}, false},
		{[]uint32{1<<32 - 10, 1 << 20, 419}, false}, // 10 + 419 + 1 < 430 across the wrap
		{[]uint32{1<<32 - 10, 1 << 20, 421}, true},
		{[]uint32{7, 7}, false},
	}
	for i, c := range cases {
		tmp := make([]uint32, len(c.f))
		if got := fracClear(append([]uint32(nil), c.f...), tmp, fixedMargin, &count); got != c.want {
			t.Errorf("case %d %v: %v, want %v", i, c.f, got, c.want)
		}
	}
	if fixedMargin != 430 {
		t.Errorf("fixedMargin = %d, want 430", fixedMargin)
	}
}
