package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCorMatrix: CorMatrix agrees with Cor on every pair within 1e-13 (random
// rows of 1000 values with different means and scales, a constant row, a NaN
// row, a perfectly correlated and an anti-correlated pair), is symmetric, and
// gives NaN for the constant and the NaN rows.
func TestCorMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m = 1000
	var x [][]float64
	for a := 0; a < 13; a++ {
		r := make([]float64, m)
		mu, sd := 10*rng.Float64()-5, 0.1+5*rng.Float64()
		for k := range r {
			r[k] = mu + sd*(rng.Float64()-0.5)
		}
		x = append(x, r)
	}
	lin := make([]float64, m)
	neg := make([]float64, m)
	for k := range lin {
		lin[k] = 3*x[0][k] + 7
		neg[k] = -0.5 * x[0][k]
	}
	cst := make([]float64, m)
	for k := range cst {
		cst[k] = 2.5
	}
	nan := append([]float64(nil), x[1]...)
	nan[17] = math.NaN()
	x = append(x, lin, neg, cst, nan)
	n := len(x)
	g := CorMatrix(x)
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			got, want := g[a*n+b], Cor(x[a], x[b])
			if got != g[b*n+a] && !(math.IsNaN(got) && math.IsNaN(g[b*n+a])) {
				t.Fatalf("not symmetric at %d,%d", a, b)
			}
			if math.IsNaN(want) != math.IsNaN(got) || math.Abs(got-want) > 1e-13 {
				t.Errorf("r[%d,%d] = %.17g, Cor %.17g", a, b, got, want)
			}
		}
	}
	if v := g[0*n+13]; math.Abs(v-1) > 1e-14 {
		t.Errorf("linear pair: %v", v)
	}
	if v := g[0*n+14]; math.Abs(v+1) > 1e-14 {
		t.Errorf("anti pair: %v", v)
	}
	if len(CorMatrix(nil)) != 0 {
		t.Error("empty input")
	}
}

// TestGramOrder: every entry of Gram is bitwise the plain k-order dot product,
// for sizes around the 4-row blocking.
func TestGramOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 3, 4, 5, 8, 11} {
		x := make([][]float64, n)
		for a := range x {
			x[a] = make([]float64, 37)
			for k := range x[a] {
				x[a][k] = (rng.Float64() - 0.5) * 1e3
			}
		}
		g := Gram(x)
		for a := 0; a < n; a++ {
			for b := 0; b < n; b++ {
				var s float64
				for k := range x[a] {
					s += x[a][k] * x[b][k]
				}
				lo, hi := min(a, b), max(a, b)
				var s2 float64
				for k := range x[a] {
					s2 += x[lo][k] * x[hi][k]
				}
				if g[a*n+b] != s2 {
					t.Fatalf("n=%d G[%d,%d] = %v, plain %v (%v)", n, a, b, g[a*n+b], s2, s)
				}
			}
		}
	}
}

func BenchmarkCorMatrix285x1000(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([][]float64, 285)
	for a := range x {
		x[a] = make([]float64, 1000)
		for k := range x[a] {
			x[a][k] = rng.Float64()
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		CorMatrix(x)
	}
}
