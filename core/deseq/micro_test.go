package deseq

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/fmath"
)

// microSetup returns a dispersion workspace and 500 simulated genes of 285
// samples (~ timepoint) with plausible means, for the inner-loop benchmarks.
func microSetup() (*dispWork, [][]float64, [][]float64) {
	g := timepoints(285)
	cm := simCounts(500, g, nil, 5)
	X, _ := groupDesign(g)
	d := newDesign(X, 285, 2)
	dw := newDispWork(d)
	var ys, mus [][]float64
	for i := 0; i < 500; i++ {
		y := cm.Row(i)
		mu := make([]float64, 285)
		var s [2]float64
		var n [2]float64
		for j, v := range y {
			s[g[j]] += v
			n[g[j]]++
		}
		ok := true
		for j := range mu {
			mu[j] = s[g[j]] / n[g[j]] * (0.5 + float64(j%13)/10)
			if mu[j] < 0.5 {
				mu[j] = 0.5
			}
		}
		if s[0]+s[1] == 0 {
			ok = false
		}
		if ok {
			ys = append(ys, y)
			mus = append(mus, mu)
		}
	}
	return dw, ys, mus
}

// BenchmarkMicroLP is prepare plus 16 logPost evaluations per gene (CPU ns/op reported).
func BenchmarkMicroLP(b *testing.B) {
	dw, ys, mus := microSetup()
	b.ResetTimer()
	c0 := cpuSeconds()
	defer func() { b.ReportMetric((cpuSeconds()-c0)*1e9/float64(b.N), "cpu-ns/op") }()
	for i := 0; i < b.N; i++ {
		k := i % len(ys)
		dw.prepare(ys[k], mus[k])
		for t := 0; t < 16; t++ {
			dw.logPost(-2.3+0.03*float64(t), ys[k], mus[k], 0, 1, false)
		}
	}
}

// BenchmarkMicroDLP is prepare plus 16 dlogPost evaluations per gene, without the cache logPost leaves.
func BenchmarkMicroDLP(b *testing.B) {
	dw, ys, mus := microSetup()
	b.ResetTimer()
	c0 := cpuSeconds()
	defer func() { b.ReportMetric((cpuSeconds()-c0)*1e9/float64(b.N), "cpu-ns/op") }()
	for i := 0; i < b.N; i++ {
		k := i % len(ys)
		dw.prepare(ys[k], mus[k])
		for t := 0; t < 16; t++ {
			dw.dlogPost(-2.3+0.03*float64(t), ys[k], mus[k], 0, 1, false)
		}
	}
}

// BenchmarkMicroTrimmed is the trimmed means of Cook's robust dispersion on a
// 242-sample cell (trim 1/8) of simulated normalized counts: "select" is
// trimmedMeanBuf, "quickselect" the two plain selections it replaced.
func BenchmarkMicroTrimmed(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	rows := make([][]float64, 512)
	for g := range rows {
		mean := fmath.Exp(rng.Float64() * 8)
		rows[g] = make([]float64, 242)
		for j := range rows[g] {
			rows[g][j] = math.Trunc(mean*rng.ExpFloat64()) / (0.5 + rng.Float64())
		}
	}
	buf := make([]float64, 2*242)
	b.Run("select", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			trimmedMeanBuf(rows[i%len(rows)], 1.0/8, buf)
		}
	})
	b.Run("quickselect", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s := buf[:242]
			copy(s, rows[i%len(rows)])
			quickselect(s, 30)
			quickselect(s[30:], 181)
			rMean(s[30:212])
		}
	})
}
