package stats

import (
	"math"
	"testing"
)

// TestNeumaier: sums whose plain float64 accumulation loses every small term
// come out exact, and the empty sum is 0.
func TestNeumaier(t *testing.T) {
	cases := []struct {
		name  string
		terms []float64
		want  float64
		tol   float64
	}{
		{"empty", nil, 0, 0},
		{"big small big", []float64{1, 1e100, 1, -1e100}, 2, 0},
		{"many tiny", append([]float64{1}, repeat(1e-16, 1000)...), 1 + 1e-13, 1e-28},
		{"cancel", []float64{1e16, 1, -1e16}, 1, 0},
		{"nan", []float64{1, math.NaN()}, math.NaN(), 0},
	}
	for _, c := range cases {
		var a Neumaier
		for _, v := range c.terms {
			a.Add(v)
		}
		got := a.Sum()
		if math.IsNaN(c.want) {
			if !math.IsNaN(got) {
				t.Errorf("%s: sum %v, want NaN", c.name, got)
			}
			continue
		}
		if math.Abs(got-c.want) > c.tol {
			t.Errorf("%s: sum %.17g, want %.17g (tol %g)", c.name, got, c.want, c.tol)
		}
	}
}

func repeat(v float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}
