package limma

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// simCounts makes a seeded negative-binomial-like count matrix (gamma-Poisson)
// with G genes and n samples.
func simCounts(G, n int, seed uint64) *dataset.Matrix {
	r := rand.New(rand.NewPCG(seed, 42))
	genes := make([]string, G)
	samples := make([]string, n)
	for g := range genes {
		genes[g] = fmt.Sprintf("g%05d", g)
	}
	for j := range samples {
		samples[j] = fmt.Sprintf("s%03d", j)
	}
	m := dataset.NewMatrix(dataset.Counts, genes, samples)
	lib := make([]float64, n)
	for j := range lib {
		lib[j] = 0.6 + 0.8*r.Float64()
	}
	for g := 0; g < G; g++ {
		base := math.Exp(r.NormFloat64()*2 + 3)
		for j := 0; j < n; j++ {
			mu := base * lib[j] * math.Exp(0.4*r.NormFloat64())
			m.Data[g*n+j] = float64(poisson(r, mu))
		}
	}
	return m
}

func poisson(r *rand.Rand, mu float64) int {
	if mu > 50 {
		v := math.Round(mu + math.Sqrt(mu)*r.NormFloat64())
		if v < 0 {
			v = 0
		}
		return int(v)
	}
	l, k, p := math.Exp(-mu), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// pairedFrame: npat patients, the first nTwo with two biopsies; HET for
// every fourth patient.
func pairedFrame(npat, nTwo int) *design.Frame {
	fr := &design.Frame{Columns: map[string][]string{}}
	for p := 0; p < npat; p++ {
		k := 1
		if p < nTwo {
			k = 2
		}
		for b := 0; b < k; b++ {
			fr.Samples = append(fr.Samples, fmt.Sprintf("P%03d_%d", p, b))
			fr.Columns["patient"] = append(fr.Columns["patient"], fmt.Sprintf("P%03d", p))
			het := "0"
			if p%4 == 0 {
				het = "1"
			}
			fr.Columns["HET"] = append(fr.Columns["HET"], het)
		}
	}
	return fr
}

func groupFrame(n int) *design.Frame {
	fr := &design.Frame{Columns: map[string][]string{}}
	for j := 0; j < n; j++ {
		fr.Samples = append(fr.Samples, fmt.Sprintf("s%03d", j))
		g := "pre"
		if j%3 == 0 {
			g = "post"
		}
		fr.Columns["timepoint"] = append(fr.Columns["timepoint"], g)
	}
	return fr
}

func BenchmarkVoomLmFitEBayes(b *testing.B) {
	for _, n := range []int{12, 100, 285} {
		b.Run(fmt.Sprintf("20000x%d", n), func(b *testing.B) {
			counts := simCounts(20000, n, 1)
			X, err := design.ModelMatrix("~ timepoint", groupFrame(n))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				v, err := Voom(counts, X, &VoomOptions{Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
				fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := EBayes(fit, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDuplicateCorrelation: 242 pretreatment biopsies of 129 patients
// (113 with two), as in the study; voom weights; ~ HET.
func BenchmarkDuplicateCorrelation(b *testing.B) {
	fr := pairedFrame(129, 113)
	n := len(fr.Samples)
	counts := simCounts(20000, n, 2)
	X, err := design.ModelMatrix("~ HET", fr)
	if err != nil {
		b.Fatal(err)
	}
	v, err := Voom(counts, X, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		if _, err := DuplicateCorrelation(v.E, X, fr.Columns["patient"], &DupCorOptions{Weights: v.Weights, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	c.stop(b)
}

func BenchmarkLmFitBlock(b *testing.B) {
	fr := pairedFrame(129, 113)
	n := len(fr.Samples)
	counts := simCounts(20000, n, 3)
	X, _ := design.ModelMatrix("~ HET", fr)
	v, err := Voom(counts, X, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		if _, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Block: fr.Columns["patient"], Correlation: 0.3, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	c.stop(b)
}
