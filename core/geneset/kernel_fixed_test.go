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
// outliers (blocks of one row, clamped samples on both sides), values equal
// up to a few ulps (scaled differences below the margin), tight clusters far
// apart, and up to 2000 samples; and it is taken for most such genes.
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
		"near-equal values": func(n int) []float64 {
			// log-scale values of small counts computed two ways: equal up to
			// a few ulps (as log2 CPM of zero counts in different libraries)
			y := make([]float64, n)
			for i := range y {
				c := float64(r.IntN(4))
				y[i] = math.Log2(c+0.5) - 2
				for k := r.IntN(3); k > 0; k-- {
					y[i] = math.Nextafter(y[i], 10)
				}
				if r.IntN(3) == 0 {
					y[i] += 3 * r.Float64()
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
	wide, clamped := 0, 0
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
				if w.fix[m-1] < (wideHalf-1)<<fixedFracBits {
					wide++
				} else {
					clamped++
				}
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
	if wide == 0 || clamped == 0 {
		t.Errorf("%d genes without clamping, %d with: want both", wide, clamped)
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

// TestFracClear: scaled values whose difference is within the margin of a
// positive whole number of table steps are found, also across the wrap of the
// fractional parts and through a chain of near-equal values; values closer
// than the margin to each other are allowed.
func TestFracClear(t *testing.T) {
	var count []int32
	const s = 1 << 32 // one table step
	cases := []struct {
		name string
		p    []int64
		want bool
	}{
		{"one value", []int64{5}, true},
		{"spread", []int64{100, 3*s + 1000, 7*s + 1<<31}, true},
		{"near a step", []int64{0, 5*s + 100}, false},
		{"near-equal values", []int64{0, 100}, true},
		{"equal scaled values", []int64{7, 7}, true},
		{"across the wrap", []int64{s - 10, 3*s + 419}, false}, // 10 + 419 < 430
		{"just clear of the wrap", []int64{s - 10, 3*s + 421}, true},
		{"chain", []int64{0, 200, 400, 3*s + 600}, false},
		{"chain of near-equal values", []int64{0, 200, 400, 600}, true},
	}
	for _, c := range cases {
		tmp := make([]uint64, len(c.p))
		if got := fracClear(c.p, tmp, fixedMargin, &count); got != c.want {
			t.Errorf("%s %v: %v, want %v", c.name, c.p, got, c.want)
		}
	}
	if fixedMargin != 430 {
		t.Errorf("fixedMargin = %d, want 430", fixedMargin)
	}
}

// TestDistinctPaths: the bucket sort and the comparison sort find the same
// distinct values and indices, on continuous values, many ties, values a few
// ulps apart, signed zeros, a far outlier (one crowded bucket) and an infinite
// range (bucket sort declines).
func TestDistinctPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	var a, b kernelWork
	for rep := 0; rep < 200; rep++ {
		n := 2 + r.IntN(300)
		y := make([]float64, n)
		for i := range y {
			switch rep % 5 {
			case 0:
				y[i] = r.NormFloat64()
			case 1:
				y[i] = float64(r.IntN(3))
			case 2:
				y[i] = 1
				for k := r.IntN(4); k > 0; k-- {
					y[i] = math.Nextafter(y[i], 2)
				}
			case 3:
				y[i] = math.Copysign(0, float64(r.IntN(2))-0.5)
				if i%4 == 0 {
					y[i] = r.NormFloat64()
				}
			case 4:
				y[i] = r.NormFloat64()
				if i == 0 {
					y[i] = 1e9
				}
			}
		}
		a.grow(n)
		b.grow(n)
		ma := a.distinctBuckets(y)
		mb := b.distinctSort(y)
		if ma != mb {
			t.Fatalf("rep %d n=%d: %d distinct values by buckets, %d by sorting", rep, n, ma, mb)
		}
		for j := 0; j < ma; j++ {
			if math.Float64bits(a.u[j]) != math.Float64bits(b.u[j]) {
				t.Fatalf("rep %d: value %d: %v vs %v", rep, j, a.u[j], b.u[j])
			}
		}
		for i := range y {
			if a.uid[i] != b.uid[i] {
				t.Fatalf("rep %d: sample %d: index %d vs %d", rep, i, a.uid[i], b.uid[i])
			}
		}
	}
	a.grow(3)
	if m := a.distinctBuckets([]float64{-math.MaxFloat64, 0, math.MaxFloat64}); m != 0 {
		t.Errorf("infinite range: distinctBuckets = %d, want 0", m)
	}
}
