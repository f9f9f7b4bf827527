package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// benchData is a GeoMx-like study: 1,800 targets, 8 patients (4 HET) x 4 ROIs
// x 2 regions, log-normal counts with patient and region effects.
func benchData(nT int) (*dataset.Matrix, Design) {
	r := rand.New(rand.NewPCG(1, 2))
	const nP, nROI = 8, 4
	var d Design
	d.RegionNames = [2]string{"HER2-high", "HER2-low"}
	var samples []string
	for p := 0; p < nP; p++ {
		for roi := 0; roi < nROI; roi++ {
			for reg := 1; reg >= 0; reg-- {
				samples = append(samples, fmt.Sprintf("P%d|%d|%d", p, roi, reg))
				d.Patient = append(d.Patient, fmt.Sprintf("P%d", p))
				d.Region = append(d.Region, reg)
				d.HET = append(d.HET, p%2)
			}
		}
	}
	genes := make([]string, nT)
	for g := range genes {
		genes[g] = fmt.Sprintf("T%04d", g)
	}
	m := dataset.NewMatrix(dataset.Expression, genes, samples)
	for g := 0; g < nT; g++ {
		base := 3 + 6*r.Float64()
		eff := r.NormFloat64() * 0.5
		pe := make([]float64, nP)
		for p := range pe {
			pe[p] = r.NormFloat64() * 0.6
		}
		for s := range samples {
			p := s / (2 * nROI)
			v := base + pe[p] + eff*float64(d.Region[s]) + r.NormFloat64()*0.4
			m.Set(g, s, math.Round(math.Exp2(v)))
		}
	}
	return m, d
}

func BenchmarkLMMFit1800(b *testing.B) {
	m, d := benchData(1800)
	x := make([][]float64, m.Cols())
	for s := range x {
		x[s] = []float64{1, float64(d.Region[s])}
	}
	lmm, err := NewLMM(x, d.Patient)
	if err != nil {
		b.Fatal(err)
	}
	y := make([][]float64, m.Rows())
	for g := range y {
		y[g] = make([]float64, m.Cols())
		for s := range y[g] {
			y[g][s] = math.Log2(m.At(g, s) + 1)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for g := range y {
			if _, err := lmm.Fit(y[g]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkCompare1800(b *testing.B) {
	m, d := benchData(1800)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Compare(m, d, CompareOptions{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCompareWorkers: any number of workers gives bitwise-identical results.
func TestCompareWorkers(t *testing.T) {
	m, d := benchData(60)
	ref, err := Compare(m, d, CompareOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 7, 100} {
		c, err := Compare(m, d, CompareOptions{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		for i := range ref.Region {
			a, b := ref.Region[i], c.Region[i]
			h1, h2 := ref.HET[i], c.HET[i]
			if math.Float64bits(a.Log2FC) != math.Float64bits(b.Log2FC) || math.Float64bits(a.DF) != math.Float64bits(b.DF) ||
				math.Float64bits(a.FDR) != math.Float64bits(b.FDR) || math.Float64bits(h1.InteractionP) != math.Float64bits(h2.InteractionP) ||
				math.Float64bits(h1.HETDF) != math.Float64bits(h2.HETDF) {
				t.Fatalf("workers %d: target %d differs", w, i)
			}
		}
	}
}
