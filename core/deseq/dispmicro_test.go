package deseq

import (
	"math"
	"testing"
)

// BenchmarkDirectLL compares directLL (one loop) with directLLSplit (the
// same operations in three loops, logPost's path) on the genes of
// microSetup that logPost sums with one logarithm per sample (useDirectLogs),
// 64 evaluations per gene, reporting CPU ns per evaluation.
func BenchmarkDirectLL(b *testing.B) {
	dw, ys, mus := microSetup()
	var dy, dm [][]float64
	for k := range ys {
		dw.prepare(ys[k], mus[k])
		if useDirectLogs(len(dw.uniq), len(ys[k])) {
			dy, dm = append(dy, ys[k]), append(dm, mus[k])
		}
	}
	for _, v := range []string{"ref", "split"} {
		b.Run(v, func(b *testing.B) {
			c0 := cpuSeconds()
			n := 0
			for i := 0; i < b.N; i++ {
				k := i % len(dy)
				dw.prepare(dy[k], dm[k])
				for t := 0; t < 64; t++ {
					la := -2.3 + 0.03*float64(t)
					r := 1 / fastExp(la)
					lgr := lgammaFast(r)
					if v == "ref" {
						dw.directLL(r, la, lgr, dy[k], dm[k])
					} else {
						dw.directLLSplit(r, la, lgr, dy[k], dm[k])
					}
					n++
				}
			}
			b.ReportMetric((cpuSeconds()-c0)*1e9/float64(n), "ns/eval")
		})
	}
}

// TestDirectLLSplitSame checks that directLLSplit returns directLL's bits and
// leaves the same 1/(μ_j+r), per-cell sums and Σ log(μ_j+r) behind, on the
// bench data's genes (with some counts set to zero or small, so that both
// of its loops run) at dispersions from 1e-4 to 20.
func TestDirectLLSplitSame(t *testing.T) {
	cm, X, _, _, _ := studySim(600, 285)
	d := newDesign(X, 285, 2)
	dw := newDispWork(d)
	n := 285
	mu := make([]float64, n)
	y := make([]float64, n)
	checked := 0
	for g := 0; g < cm.Rows(); g++ {
		copy(y, cm.Row(g))
		var s float64
		for _, v := range y {
			s += v
		}
		for j := range mu {
			mu[j] = s/float64(n)*(0.6+float64(j%11)/12) + 0.5
		}
		if g%3 == 1 {
			for j := 0; j < n; j += 17 {
				y[j] = float64(j % 3) // zeros, ones and twos
			}
		}
		dw.prepare(y, mu)
		for _, la := range []float64{-9.2, -4, -2.3, -0.7, 0.5, 3} {
			r := 1 / fastExp(la)
			lgr := lgammaFast(r)
			want := dw.directLL(r, la, lgr, y, mu)
			wl := append([]float64(nil), dw.lmr[:n]...)
			wc := append([]float64(nil), dw.cs[:d.ncell]...)
			ws := dw.sumL
			got := dw.directLLSplit(r, la, lgr, y, mu)
			if math.Float64bits(got) != math.Float64bits(want) || math.Float64bits(dw.sumL) != math.Float64bits(ws) {
				t.Fatalf("gene %d la %g: directLLSplit %v sumL %v, directLL %v sumL %v", g, la, got, dw.sumL, want, ws)
			}
			for j := range wl {
				if math.Float64bits(dw.lmr[j]) != math.Float64bits(wl[j]) {
					t.Fatalf("gene %d la %g: 1/(mu+r) at %d differs", g, la, j)
				}
			}
			for c := range wc {
				if math.Float64bits(dw.cs[c]) != math.Float64bits(wc[c]) {
					t.Fatalf("gene %d la %g: cell sum %d differs", g, la, c)
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

// BenchmarkUpperLL is the upper bound of the likelihood (upperLL) at 16
// dispersions per gene of microSetup (after its per-gene setup), CPU ns per bound.
func BenchmarkUpperLL(b *testing.B) {
	dw, ys, mus := microSetup()
	c0 := cpuSeconds()
	n := 0
	for i := 0; i < b.N; i++ {
		k := i % len(ys)
		dw.prepare(ys[k], mus[k])
		if !dw.lb.setup(dw.uniq, dw.n, ys[k], mus[k]) {
			continue
		}
		for t := 0; t < 16; t++ {
			sinkF += dw.lb.upperLL(-2.3 + 0.1*float64(t))
			n++
		}
	}
	if n > 0 {
		b.ReportMetric((cpuSeconds()-c0)*1e9/float64(n), "cpu-ns/bound")
	}
}
