package stats

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkWilcoxTest2x50(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := randVec(r, 50, false), randVec(r, 50, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WilcoxTest(x, y, WilcoxOptions{Correct: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWilcoxTestExact2x49(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y := randVec(r, 49, false), randVec(r, 49, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WilcoxTest(x, y, WilcoxOptions{Correct: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFisherRxC5x3n129(b *testing.B) {
	tab := [][]float64{{20, 15, 10}, {10, 12, 12}, {8, 10, 8}, {5, 4, 5}, {3, 4, 3}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FisherTest(tab, FisherOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFisher2x2(b *testing.B) {
	tab := [][]float64{{12, 5}, {3, 17}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FisherTest(tab, FisherOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPAdjustBH20k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 3))
	p := make([]float64, 20000)
	for i := range p {
		p[i] = r.Float64()
	}
	b.ReportAllocs()
	for b.Loop() {
		PAdjust(p, BH)
	}
}

func BenchmarkLowess20k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 4))
	x, y := randVec(r, 20000, false), randVec(r, 20000, false)
	d := LowessDelta(x)
	b.ReportAllocs()
	for b.Loop() {
		Lowess(x, y, 0.2, 3, d)
	}
}

func BenchmarkRank20k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 5))
	x := randVec(r, 20000, false)
	b.ReportAllocs()
	for b.Loop() {
		Rank(x, Average)
	}
}

func BenchmarkGLMBinomial300x3(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 6))
	X := make([][]float64, 300)
	y := make([]float64, 300)
	for i := range X {
		X[i] = []float64{r.NormFloat64(), r.NormFloat64(), float64(r.IntN(2))}
		if r.Float64() < 0.4+0.1*X[i][0] {
			y[i] = 1
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GLMBinomial(X, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkROC300(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 7))
	ctl, cas := randVec(r, 150, false), randVec(r, 150, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ROC(ctl, cas); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFisherRxC3x6n129 is the example cohort's PAM50 composition by
// group (subtypes and discordant x three groups, 129 patients).
func BenchmarkFisherRxC3x6n129(b *testing.B) {
	tab := [][]float64{{4, 24, 8, 6, 3, 19}, {2, 9, 9, 8, 1, 22}, {10, 0, 0, 0, 1, 3}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FisherTest(tab, FisherOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
