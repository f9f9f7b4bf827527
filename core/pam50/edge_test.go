package pam50_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/pam50"
	"github.com/her2het/her2het/core/refdata"
)

// edgeMatrix is seeded log-expression over the 50 PAM50 symbols (as published).
func edgeMatrix(t *testing.T, k int) *dataset.Matrix {
	t.Helper()
	model, err := refdata.PAM50("pam50.robust")
	if err != nil {
		t.Fatal(err)
	}
	samples := make([]string, k)
	for i := range samples {
		samples[i] = fmt.Sprintf("s%02d", i)
	}
	rng := rand.New(rand.NewPCG(9, 47))
	m := dataset.NewMatrix(dataset.Expression, append([]string(nil), model.Symbols...), samples)
	for i := range m.Data {
		m.Data[i] = 6 + 2*rng.NormFloat64()
	}
	return m
}

// TestEdgeCases checks PAM50's documented behaviour: too few genes is an error,
// NaN stays missing, a sample without any correlation gets the empty call.
func TestEdgeCases(t *testing.T) {
	methods := []string{"", "pam50", "pam50.scale"}
	for _, meth := range methods {
		name := meth
		if name == "" {
			name = "robust"
		}
		t.Run(name+"/fewer genes than MinGenes: error", func(t *testing.T) {
			m := edgeMatrix(t, 4).SubsetRows(seq(10))
			_, err := pam50.Predict(m, pam50.Options{Method: meth})
			if err == nil || !strings.Contains(err.Error(), "only 10 of the 50 PAM50 genes") {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run(name+"/NaN in one cell: every sample still called", func(t *testing.T) {
			m := edgeMatrix(t, 6)
			m.Set(3, 2, math.NaN())
			r, err := pam50.Predict(m, pam50.Options{Method: meth})
			if err != nil {
				t.Fatal(err)
			}
			for s, c := range r.Calls {
				if c == "" {
					t.Errorf("sample %d not called", s)
				}
			}
		})
		t.Run(name+"/a sample entirely NaN gets the empty call and NaN correlations", func(t *testing.T) {
			m := edgeMatrix(t, 6)
			for g := range m.Genes {
				m.Set(g, 4, math.NaN())
			}
			r, err := pam50.Predict(m, pam50.Options{Method: meth})
			if err != nil {
				t.Fatal(err)
			}
			if r.Calls[4] != "" {
				t.Errorf("all-NaN sample called %q", r.Calls[4])
			}
			for _, c := range r.Cor[4] {
				if !math.IsNaN(c) {
					t.Errorf("correlations %v, want NaN", r.Cor[4])
					break
				}
			}
			if r.Calls[0] == "" {
				t.Error("an ordinary sample lost its call")
			}
		})
	}
	t.Run("one sample: standardised methods cannot correlate (empty call), pam50 (none) calls", func(t *testing.T) {
		// With one sample the robust and scale standardisations leave no variation
		// (NaN), so the correlations are NaN and the call is empty; "none" keeps
		// the values and calls the sample.
		for meth, wantCall := range map[string]bool{"": false, "pam50.scale": false, "pam50": true} {
			r, err := pam50.Predict(edgeMatrix(t, 1), pam50.Options{Method: meth})
			if err != nil {
				t.Fatalf("%q: %v", meth, err)
			}
			if (r.Calls[0] != "") != wantCall {
				t.Errorf("%q: call %q, correlations %v", meth, r.Calls[0], r.Cor[0])
			}
		}
	})
	t.Run("robust/constant data: NaN correlations, empty calls", func(t *testing.T) {
		m := edgeMatrix(t, 4)
		for i := range m.Data {
			m.Data[i] = 5
		}
		r, err := pam50.Predict(m, pam50.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for s, c := range r.Calls {
			if c != "" {
				t.Errorf("sample %d called %q from constant data", s, c)
			}
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
