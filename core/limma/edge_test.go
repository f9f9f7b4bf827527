package limma_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/limma"
)

// edgeExpr simulates n genes x len(group) log-expression values; group[s] is 0/1.
func edgeExpr(seed uint64, n int, group []int) *dataset.Matrix {
	rng := rand.New(rand.NewPCG(seed, 17))
	genes := make([]string, n)
	for i := range genes {
		genes[i] = fmt.Sprintf("g%03d", i)
	}
	samples := make([]string, len(group))
	for i := range samples {
		samples[i] = fmt.Sprintf("s%02d", i)
	}
	m := dataset.NewMatrix(dataset.Expression, genes, samples)
	for g := 0; g < n; g++ {
		mu := 4 + 4*rng.Float64()
		for s := range samples {
			m.Set(g, s, mu+0.8*float64(group[s]*(g%2))+0.5*rng.NormFloat64())
		}
	}
	return m
}

// edgeCountsFrom turns expression into whole counts (2^x, rounded).
func edgeCountsFrom(m *dataset.Matrix) *dataset.Matrix {
	c := dataset.NewMatrix(dataset.Counts, m.Genes, m.Samples)
	for i, v := range m.Data {
		c.Data[i] = math.Round(math.Exp2(v))
	}
	return c
}

func edgeGroupDesign(t *testing.T, group []int) *design.Matrix {
	t.Helper()
	x := make([]float64, 0, 2*len(group))
	for _, g := range group {
		x = append(x, 1, float64(g))
	}
	d, err := design.FromValues([]string{"(Intercept)", "groupB"}, len(group), x)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func edgeEBayes(t *testing.T, y *dataset.Matrix, d *design.Matrix) *limma.Fit {
	t.Helper()
	f, err := limma.LmFit(y, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err = limma.EBayes(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestEdgeCases checks limma's documented behaviour on degenerate data.
func TestEdgeCases(t *testing.T) {
	grp := []int{0, 0, 0, 0, 1, 1, 1, 1}
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"NaN in expression: observation dropped, df one less", func(t *testing.T) {
			y := edgeExpr(1, 50, grp)
			y.Set(0, 3, math.NaN())
			f := edgeEBayes(t, y, edgeGroupDesign(t, grp))
			if f.DfResidual[0] != 5 || f.DfResidual[1] != 6 {
				t.Errorf("df %v %v, want 5 (one NaN) and 6", f.DfResidual[0], f.DfResidual[1])
			}
			if math.IsNaN(f.PValue[0*2+1]) {
				t.Errorf("gene with one NaN not tested")
			}
		}},
		{"gene entirely NaN: NaN coefficients, df 0, NA p-value", func(t *testing.T) {
			y := edgeExpr(2, 50, grp)
			for s := 0; s < y.Cols(); s++ {
				y.Set(0, s, math.NaN())
			}
			f := edgeEBayes(t, y, edgeGroupDesign(t, grp))
			if !math.IsNaN(f.Coefficients[1]) || f.DfResidual[0] != 0 || !math.IsNaN(f.PValue[1]) {
				t.Errorf("coef %v df %v p %v, want NaN, 0, NaN", f.Coefficients[1], f.DfResidual[0], f.PValue[1])
			}
			rows, err := limma.TopTable(f, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			if last := rows[len(rows)-1]; last.Gene != "g000" || !math.IsNaN(last.AdjPVal) {
				t.Errorf("NaN gene should sort last with NA adj.P.Val, last row %+v", last)
			}
		}},
		{"singular design: aliased column NaN, rank 2", func(t *testing.T) {
			y := edgeExpr(3, 30, grp)
			x := make([]float64, 0, 3*len(grp))
			for _, g := range grp {
				x = append(x, 1, float64(g), float64(g))
			}
			d, err := design.FromValues([]string{"(Intercept)", "b", "b2"}, len(grp), x)
			if err != nil {
				t.Fatal(err)
			}
			f, err := limma.LmFit(y, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if f.Rank != 2 || !math.IsNaN(f.Coefficients[2]) || math.IsNaN(f.Coefficients[1]) {
				t.Errorf("rank %d coefs %v, want rank 2 and NaN for the aliased third column", f.Rank, f.Coefficients[:3])
			}
		}},
		{"one sample in a group: estimable, finite moderated t", func(t *testing.T) {
			g1 := []int{0, 0, 0, 0, 0, 1}
			f := edgeEBayes(t, edgeExpr(4, 40, g1), edgeGroupDesign(t, g1))
			for g := 0; g < 40; g++ {
				if tt := f.T[g*2+1]; math.IsNaN(tt) || math.IsInf(tt, 0) {
					t.Fatalf("gene %d: t = %v", g, tt)
				}
			}
		}},
		{"constant gene: sigma 0, prior keeps the moderated t finite (0, p = 1)", func(t *testing.T) {
			y := edgeExpr(5, 60, grp)
			for s := 0; s < y.Cols(); s++ {
				y.Set(0, s, 5)
			}
			f := edgeEBayes(t, y, edgeGroupDesign(t, grp))
			if f.Sigma[0] != 0 {
				t.Errorf("sigma %v, want 0", f.Sigma[0])
			}
			if tt, p := f.T[1], f.PValue[1]; math.Abs(tt) > 1e-8 || math.Abs(p-1) > 1e-8 {
				t.Errorf("constant gene t %v p %v, want 0 and 1", tt, p)
			}
		}},
		{"no residual degrees of freedom: EBayes error", func(t *testing.T) {
			g2 := []int{0, 1}
			f, err := limma.LmFit(edgeExpr(6, 20, g2), edgeGroupDesign(t, g2), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err = limma.EBayes(f, nil); err == nil {
				t.Fatal("EBayes accepted a fit without residual df")
			}
		}},
		{"voom: all-zero gene and a zero-library sample keep finite weights", func(t *testing.T) {
			c := edgeCountsFrom(edgeExpr(7, 80, grp))
			for s := 0; s < c.Cols(); s++ {
				c.Set(0, s, 0)
			}
			for g := 0; g < c.Rows(); g++ {
				c.Set(g, 2, 0)
			}
			el, err := limma.Voom(c, edgeGroupDesign(t, grp), nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range el.Weights {
				if math.IsNaN(w) || math.IsInf(w, 0) || w <= 0 {
					t.Fatalf("weight %d = %v", i, w)
				}
			}
		}},
		{"voom: NaN count is an error", func(t *testing.T) {
			c := edgeCountsFrom(edgeExpr(8, 20, grp))
			c.Set(1, 1, math.NaN())
			_, err := limma.Voom(c, edgeGroupDesign(t, grp), nil)
			if err == nil || !strings.Contains(err.Error(), "NA count for gene g001, sample s01") {
				t.Fatalf("err = %v, want one naming the NaN count", err)
			}
		}},
		{"voom: negative count is an error", func(t *testing.T) {
			c := edgeCountsFrom(edgeExpr(9, 20, grp))
			c.Set(1, 1, -3)
			_, err := limma.Voom(c, edgeGroupDesign(t, grp), nil)
			if err == nil || !strings.Contains(err.Error(), "negative") {
				t.Fatalf("err = %v, want one naming the negative count", err)
			}
		}},
		{"design with NaN: error", func(t *testing.T) {
			d := edgeGroupDesign(t, grp)
			d.X[3] = math.NaN()
			if _, err := limma.LmFit(edgeExpr(10, 20, grp), d, nil); err == nil {
				t.Fatal("LmFit accepted a NaN in the design")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.run)
	}
}
