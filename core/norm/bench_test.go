package norm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// simCounts returns a seeded genes x samples matrix of negative binomial counts
// (gamma-Poisson) with log-normal means and dispersion 0.05 + 1/mu.
func simCounts(genes, samples int, seed uint64) *dataset.Matrix {
	r := rand.New(rand.NewPCG(seed, 1))
	g := make([]string, genes)
	s := make([]string, samples)
	for i := range g {
		g[i] = fmt.Sprintf("g%05d", i)
	}
	for j := range s {
		s[j] = fmt.Sprintf("s%03d", j)
	}
	m := dataset.NewMatrix(dataset.Counts, g, s)
	depth := make([]float64, samples)
	for j := range depth {
		depth[j] = 0.5 + 1.5*r.Float64()
	}
	for i := 0; i < genes; i++ {
		mu := math.Exp(4 + 1.8*r.NormFloat64())
		disp := 0.05 + 1/(mu+1)
		for j := 0; j < samples; j++ {
			lam := gammaRand(r, 1/disp) * disp * mu * depth[j]
			m.Data[i*samples+j] = poissonRand(r, lam)
		}
	}
	return m
}

// gammaRand draws Gamma(shape, 1) by Marsaglia & Tsang.
func gammaRand(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaRand(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
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

func poissonRand(r *rand.Rand, lam float64) float64 {
	if lam > 50 {
		v := math.Round(lam + math.Sqrt(lam)*r.NormFloat64())
		return math.Max(v, 0)
	}
	l := math.Exp(-lam)
	k, p := 0.0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

var benchShapes = []int{12, 100, 285}

func BenchmarkTMMLogCPM(b *testing.B) {
	for _, n := range benchShapes {
		m := simCounts(20000, n, 7)
		b.Run(fmt.Sprintf("20000x%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				lib, err := LibSizes(m)
				if err != nil {
					b.Fatal(err)
				}
				nf, err := NormFactors(m, NormOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := LogCPM(m, EffectiveLibSizes(lib, nf), 2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSizeFactors(b *testing.B) {
	for _, n := range benchShapes {
		m := simCounts(20000, n, 8)
		b.Run(fmt.Sprintf("20000x%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := SizeFactors(m, SizeFactorOptions{Type: PosCounts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVSTLocal(b *testing.B) {
	m := simCounts(20000, 100, 9)
	sf, _ := SizeFactors(m, SizeFactorOptions{Type: PosCounts})
	fit := DispersionFit{Type: Local, Func: func(mu float64) float64 { return 0.05 + 1/mu }}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := VST(m, sf, fit); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComBat(b *testing.B) {
	m := simCounts(20000, 100, 10)
	l, _ := LogCPM(m, nil, 2)
	batch := make([]string, 100)
	for j := range batch {
		batch[j] = fmt.Sprint("b", j%3)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ComBat(l, batch, ComBatOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRemoveBatchEffect(b *testing.B) {
	m := simCounts(20000, 100, 11)
	l, _ := LogCPM(m, nil, 2)
	batch := make([]string, 100)
	for j := range batch {
		batch[j] = fmt.Sprint("b", j%3)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := RemoveBatchEffect(l, BatchOptions{Batch: batch}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTMM is calcNormFactors(method = "TMM") alone on 20,000 genes,
// one worker, with the process CPU time per operation.
func BenchmarkTMM(b *testing.B) {
	for _, n := range []int{100, 285} {
		m := simCounts(20000, n, 7)
		b.Run(fmt.Sprintf("20000x%d", n), func(b *testing.B) {
			b.ReportAllocs()
			c := startCPU(b)
			for i := 0; i < b.N; i++ {
				if _, err := NormFactors(m, NormOptions{Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
			c.stop(b)
		})
	}
}
