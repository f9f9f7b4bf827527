package geneset

import (
	"math"
	"math/rand/v2"
	"testing"
)

// directSums is GSVA 1.46's row_d Gaussian sums evaluated pair by pair in C
// order (the definition the fast kernel must reproduce bit for bit).
func directSums(y []float64) []float64 {
	n := len(y)
	bw := sdLongDouble(y) / 4
	s := make([]float64, n)
	for j := 0; j < n; j++ {
		lt := 0.0
		for i := 0; i < n; i++ {
			lt += phiTilde(y[j]-y[i], bw)
		}
		s[j] = lt
	}
	return s
}

// TestGaussianSumsDirect: gaussianSums equals the pair-by-pair evaluation bit
// for bit (tolerance 0) on continuous data, log2(count+1) data with many ties,
// grid values whose differences land exactly on table boundaries, outliers
// that saturate the kernel, signed zeros, and 2 to 300 samples; one scratch
// space is reused across shapes.
func TestGaussianSumsDirect(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var w kernelWork
	gen := map[string]func(n int) []float64{
		"normal": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				y[i] = 6 + r.NormFloat64()
			}
			return y
		},
		"log2 counts": func(n int) []float64 {
			y := make([]float64, n)
			mu := math.Exp(r.NormFloat64() * 2)
			for i := range y {
				c := math.Floor(mu * r.ExpFloat64())
				y[i] = math.Log2(c + 1)
			}
			return y
		},
		"small integers": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				y[i] = float64(r.IntN(4))
			}
			return y
		},
		"quarter grid": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				y[i] = float64(i%37) * 0.25
			}
			return y
		},
		"outliers": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				y[i] = r.NormFloat64()
				if i%7 == 0 {
					y[i] += 40
				}
			}
			return y
		},
		"ulp neighbours": func(n int) []float64 {
			// values a few ulps apart in random order: their keys differ only
			// in the bits distinct replaces by the index
			y := make([]float64, n)
			for i := range y {
				y[i] = 5
				for k := r.IntN(9); k > 0; k-- {
					y[i] = math.Nextafter(y[i], 6)
				}
				if i%5 == 0 {
					y[i] += 1
				}
			}
			return y
		},
		"signed zeros": func(n int) []float64 {
			y := make([]float64, n)
			for i := range y {
				switch i % 3 {
				case 0:
					y[i] = math.Copysign(0, -1)
				case 1:
					y[i] = 0
				default:
					y[i] = r.NormFloat64()
				}
			}
			return y
		},
	}
	for name, f := range gen {
		for _, n := range []int{2, 3, 5, 12, 17, 64, 285, 300} {
			for rep := 0; rep < 3; rep++ {
				y := f(n)
				if !(plainSD(y) >= 1e-10) {
					continue
				}
				got := make([]float64, n)
				gaussianSums(y, got, &w)
				m := w.distinct(y)
				for i := 1; i < m; i++ {
					if !(w.u[i-1] < w.u[i]) {
						t.Fatalf("%s n=%d: distinct values not increasing at %d", name, n, i)
					}
				}
				for i, v := range y {
					if w.u[w.uid[i]] != v {
						t.Fatalf("%s n=%d: u[uid[%d]] = %v, y = %v", name, n, i, w.u[w.uid[i]], v)
					}
				}
				want := directSums(y)
				for j := range want {
					if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
						t.Fatalf("%s n=%d rep %d sample %d: %v != %v", name, n, rep, j, got[j], want[j])
					}
				}
			}
		}
	}
}

// BenchmarkKernelStages times the Gaussian kernel's stages on 1000 genes x
// 285 samples of continuous data (no ties).
func BenchmarkKernelStages(b *testing.B) {
	m, _ := simulate(1000, 285, 1, 2, 2, 9)
	n := m.Cols()
	var w kernelWork
	w.grow(n)
	b.Run("distinct", func(b *testing.B) {
		for it := 0; it < b.N; it++ {
			for g := 0; g < m.Rows(); g++ {
				w.distinct(m.Row(g))
			}
		}
	})
	b.Run("pairs", func(b *testing.B) {
		w.distinct(m.Row(0))
		for it := 0; it < b.N; it++ {
			for g := 0; g < m.Rows(); g++ {
				w.pairCodes(n, 0.25+float64(g)*1e-4)
			}
		}
	})
	b.Run("sums", func(b *testing.B) {
		w.distinct(m.Row(0))
		w.pairCodes(n, 0.25)
		for it := 0; it < b.N; it++ {
			for g := 0; g < m.Rows(); g++ {
				w.codeSums(n, n)
			}
		}
	})
}

// TestPoissonSumsDirect: poissonSums equals the pair-by-pair evaluation of
// GSVA's Poisson row_d bit for bit (tolerance 0) on counts with many ties,
// small counts (R's ppois table) and large ones (the gamma branch).
func TestPoissonSumsDirect(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	var w kernelWork
	for _, n := range []int{2, 5, 12, 40, 100} {
		for _, scale := range []float64{2, 30, 500} {
			y := make([]float64, n)
			for i := range y {
				y[i] = math.Floor(scale * r.Float64() * r.Float64())
			}
			got := make([]float64, n)
			poissonSums(y, got, &w)
			for j := range y {
				lt := 0.0
				for i := range y {
					lt += ppois(y[j], y[i]+0.5)
				}
				if math.Float64bits(got[j]) != math.Float64bits(lt) {
					t.Fatalf("n=%d scale %v sample %d: %v != %v", n, scale, j, got[j], lt)
				}
			}
		}
	}
}
