package deseq

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestProductsBy4Same checks that cellMuSizeLogs gives the same bits (sums,
// μ, floors) with its product pass rescaled every 4 factors (bounded
// factors) as with the per-factor rescaling it uses otherwise (forced here
// by an unbounded largest size factor), over genes with many ties, floored
// μ, extreme dispersions and means.
func TestProductsBy4Same(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for it := 0; it < 400; it++ {
		m := 4 + rng.IntN(300)
		X, _ := groupDesign(timepoints(m))
		g := newGLMWork(newDesign(X, m, 2))
		nf := make([]float64, m)
		for j := range nf {
			nf[j] = math.Exp(rng.Float64() - 0.5)
		}
		g.setLogNF(nf)
		y := make([]float64, m)
		scale := math.Exp(12 * rng.Float64())
		for j := range y {
			y[j] = math.Floor(scale * rng.ExpFloat64() * rng.Float64())
			if it%3 == 0 {
				y[j] = float64(rng.IntN(3))
			}
		}
		g.ct.prepare(y)
		for i, j := range g.ct.perm[:m] {
			g.pnf[i], g.pcell[i] = nf[j], g.d.cell[j]
		}
		beta := []float64{math.Log(scale+0.01) + 3*rng.NormFloat64(), rng.NormFloat64()}
		if it%5 == 0 {
			beta[0] = -8 // most μ floored
		}
		size := math.Exp(18*rng.Float64() - 6)
		ul, l := g.cellMuSizeLogs(nf, beta, minmu, size, y)
		mu := append([]float64(nil), g.mu[:m]...)
		fl := append([]bool(nil), g.fl[:m]...)
		nfl := g.nfl
		saved := g.maxNF
		g.maxNF = math.Inf(1) // per-factor rescaling
		ul2, l2 := g.cellMuSizeLogs(nf, beta, minmu, size, y)
		g.maxNF = saved
		if math.Float64bits(ul) != math.Float64bits(ul2) || math.Float64bits(l) != math.Float64bits(l2) || nfl != g.nfl {
			t.Fatalf("it %d: (%v, %v, %d) by 4, (%v, %v, %d) per factor", it, ul, l, nfl, ul2, l2, g.nfl)
		}
		for j := range mu {
			if math.Float64bits(mu[j]) != math.Float64bits(g.mu[j]) || fl[j] != g.fl[j] {
				t.Fatalf("it %d: μ[%d] %v/%v, floored %v/%v", it, j, mu[j], g.mu[j], fl[j], g.fl[j])
			}
		}
	}
}
