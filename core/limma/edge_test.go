package limma

import (
	"math"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// Degenerate inputs return errors or documented NaN, never panic.
func TestDegenerateInputsNoPanic(t *testing.T) {
	mk := func(G, n int, f func(g, j int) float64) *dataset.Matrix {
		m := dataset.NewMatrix(dataset.Counts, make([]string, G), make([]string, n))
		for g := 0; g < G; g++ {
			m.Genes[g] = string(rune('a' + g%26))
			for j := 0; j < n; j++ {
				m.Samples[j] = string(rune('A' + j))
				m.Data[g*n+j] = f(g, j)
			}
		}
		return m
	}
	ones := func(n int) *design.Matrix {
		x := make([]float64, n)
		for i := range x {
			x[i] = 1
		}
		X, _ := design.FromValues([]string{"(Intercept)"}, n, x)
		return X
	}
	empty, _ := design.FromValues(nil, 4, nil)
	cases := []struct {
		name string
		run  func() error
	}{
		{"all zero counts", func() error {
			_, err := Voom(mk(5, 4, func(g, j int) float64 { return 0 }), nil, nil)
			if err == nil {
				t.Error("all-zero counts accepted")
			}
			return err
		}},
		{"one sample", func() error {
			_, err := Voom(mk(5, 1, func(g, j int) float64 { return float64(g) }), nil, nil)
			return err
		}},
		{"no residual df", func() error {
			v, err := Voom(mk(5, 2, func(g, j int) float64 { return float64(g + j) }), nil, nil)
			if err != nil {
				return err
			}
			X, _ := design.FromValues([]string{"a", "b"}, 2, []float64{1, 0, 0, 1})
			f, err := LmFit(v.E, X, nil)
			if err != nil {
				return err
			}
			_, err = EBayes(f, nil)
			return err
		}},
		{"all NaN expression", func() error {
			e := mk(3, 4, func(g, j int) float64 { return math.NaN() })
			f, err := LmFit(e, ones(4), nil)
			if err != nil {
				return err
			}
			_, err = EBayes(f, nil)
			return err
		}},
		{"empty design", func() error {
			_, err := LmFit(mk(3, 4, func(g, j int) float64 { return float64(g * j) }), empty, nil)
			if err == nil {
				t.Error("empty design accepted")
			}
			return err
		}},
		{"dupcor all NaN", func() error {
			e := mk(3, 4, func(g, j int) float64 { return math.NaN() })
			dc, err := DuplicateCorrelation(e, ones(4), []string{"x", "x", "y", "y"}, nil)
			if err == nil && !math.IsNaN(dc.Consensus) {
				t.Errorf("consensus %v from no data", dc.Consensus)
			}
			return err
		}},
		{"infinite weights", func() error {
			e := mk(3, 4, func(g, j int) float64 { return float64(g + j*j) })
			w := make([]float64, 12)
			for i := range w {
				w[i] = math.Inf(1)
			}
			_, err := LmFit(e, ones(4), &LmOptions{Weights: w})
			return err
		}},
		{"squeezeVar empty", func() error {
			_, err := SqueezeVar(nil, []float64{1}, nil, false, [2]float64{})
			return err
		}},
		{"robust two values", func() error {
			_, err := SqueezeVar([]float64{1, 2}, []float64{3}, nil, true, [2]float64{})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			err := c.run()
			t.Logf("err = %v", err)
		})
	}
}
