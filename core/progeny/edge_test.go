package progeny_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/progeny"
	"github.com/her2het/her2het/core/refdata"
)

// edgeMatrix is a seeded log-expression matrix over the PROGENy top-100 genes.
func edgeMatrix(t *testing.T, k int) *dataset.Matrix {
	t.Helper()
	model, err := refdata.Progeny(100)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 41))
	samples := make([]string, k)
	for i := range samples {
		samples[i] = fmt.Sprintf("s%02d", i)
	}
	m := dataset.NewMatrix(dataset.Expression, append([]string(nil), model.Genes...), samples)
	for i := range m.Data {
		m.Data[i] = 6 + 2*rng.NormFloat64()
	}
	return m
}

// TestEdgeCases checks PROGENy's documented NaN rules and errors.
func TestEdgeCases(t *testing.T) {
	t.Run("NaN in one sample: that sample's unscaled scores are NaN only where the gene has weight", func(t *testing.T) {
		m := edgeMatrix(t, 6)
		m.Set(0, 2, math.NaN())
		r, err := progeny.Score(m, progeny.Options{Top: 100})
		if err != nil {
			t.Fatal(err)
		}
		nP := len(r.Pathways)
		nanOther, nanHere := 0, 0
		for s := 0; s < 6; s++ {
			for k := 0; k < nP; k++ {
				if math.IsNaN(r.Scores[s*nP+k]) {
					if s == 2 {
						nanHere++
					} else {
						nanOther++
					}
				}
			}
		}
		if nanOther != 0 || nanHere == 0 {
			t.Errorf("NaN scores: %d in the sample with the NaN, %d in others; want some and none", nanHere, nanOther)
		}
	})
	t.Run("NaN with scaling: the NaN stays, the other samples are scaled without it (R's scale)", func(t *testing.T) {
		// R's scale() centres with colMeans(x, na.rm = TRUE) and divides by the
		// root mean square of the non-missing values (progeny.go follows it). The
		// package comment of Score says instead that the whole pathway becomes NaN;
		// this test pins the R behaviour the code implements.
		m := edgeMatrix(t, 6)
		m.Set(0, 2, math.NaN())
		raw, err := progeny.Score(m, progeny.Options{Top: 100})
		if err != nil {
			t.Fatal(err)
		}
		r, err := progeny.Score(m, progeny.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		nP := len(r.Pathways)
		affected := 0
		for k := 0; k < nP; k++ {
			hit := math.IsNaN(raw.Scores[2*nP+k])
			if hit {
				affected++
			}
			for s := 0; s < 6; s++ {
				want := hit && s == 2
				if got := math.IsNaN(r.Scores[s*nP+k]); got != want {
					t.Fatalf("pathway %s sample %d: NaN %v, want %v", r.Pathways[k], s, got, want)
				}
			}
		}
		if affected == 0 {
			t.Fatal("the NaN reached no pathway")
		}
	})
	t.Run("constant data with scaling: NaN (0/0) like R's scale", func(t *testing.T) {
		m := edgeMatrix(t, 4)
		for i := range m.Data {
			m.Data[i] = 5
		}
		r, err := progeny.Score(m, progeny.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range r.Scores {
			if !math.IsNaN(v) {
				t.Fatalf("score %d = %v, want NaN", i, v)
			}
		}
	})
	t.Run("one sample: not scaled, finite scores", func(t *testing.T) {
		r, err := progeny.Score(edgeMatrix(t, 1), progeny.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		if r.Scaled {
			t.Error("one sample reported as scaled")
		}
		for _, v := range r.Scores {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("score %v", v)
			}
		}
	})
	t.Run("no model gene found: error", func(t *testing.T) {
		m := dataset.NewMatrix(dataset.Expression, []string{"NOTAGENE1", "NOTAGENE2"}, []string{"a", "b"})
		if _, err := progeny.Score(m, progeny.Defaults()); err == nil {
			t.Fatal("scored without any model gene")
		}
	})
	t.Run("no samples: error", func(t *testing.T) {
		m := dataset.NewMatrix(dataset.Expression, []string{"EGFR"}, nil)
		if _, err := progeny.Score(m, progeny.Defaults()); err == nil {
			t.Fatal("scored a matrix without samples")
		}
	})
	t.Run("top out of range: error", func(t *testing.T) {
		if _, err := progeny.Score(edgeMatrix(t, 3), progeny.Options{Top: 0, Scale: true}); err == nil {
			t.Fatal("accepted top = 0")
		}
	})
}
