package deseq_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/deseq"
)

// edgeCounts simulates n genes x len(group) samples of whole counts (log-normal
// means, Poisson-like noise from a seeded generator); group[s] is 0 or 1.
func edgeCounts(seed uint64, n int, group []int) *dataset.Matrix {
	rng := rand.New(rand.NewPCG(seed, 99))
	genes := make([]string, n)
	for i := range genes {
		genes[i] = fmt.Sprintf("g%03d", i)
	}
	samples := make([]string, len(group))
	for i := range samples {
		samples[i] = fmt.Sprintf("s%02d", i)
	}
	m := dataset.NewMatrix(dataset.Counts, genes, samples)
	for g := 0; g < n; g++ {
		mu := math.Exp(2 + 2*rng.Float64())
		for s := range samples {
			lam := mu * math.Exp(0.3*rng.NormFloat64()) * (1 + float64(group[s])*float64(g%3))
			m.Set(g, s, math.Round(lam+math.Sqrt(lam)*rng.NormFloat64()*0.5+0.5*math.Abs(rng.NormFloat64())))
			if m.At(g, s) < 0 {
				m.Set(g, s, 0)
			}
		}
	}
	return m
}

// edgeDesign is ~ group (intercept + indicator), row-major.
func edgeDesign(group []int) []float64 {
	x := make([]float64, 0, 2*len(group))
	for _, g := range group {
		x = append(x, 1, float64(g))
	}
	return x
}

// TestEdgeCases checks DESeq2's documented behaviour on degenerate data: an NA
// (NaN) with DESeq2's reason, or an error naming the problem; never a panic.
func TestEdgeCases(t *testing.T) {
	grp := []int{0, 0, 0, 0, 1, 1, 1, 1}
	cols := []string{"Intercept", "groupB"}
	tests := []struct {
		name    string
		mutate  func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options)
		wantErr string                                             // substring; "" = must fit
		check   func(t *testing.T, f *deseq.Fit, r *deseq.Results) // when it fits
	}{
		{
			name: "all-zero gene: allZero, NA statistics and p-value",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				for s := 0; s < m.Cols(); s++ {
					m.Set(0, s, 0)
				}
				return m, edgeDesign(grp), cols, deseq.Options{Workers: 1}
			},
			check: func(t *testing.T, f *deseq.Fit, r *deseq.Results) {
				if !f.AllZero[0] || f.BaseMean[0] != 0 {
					t.Errorf("gene 0: allZero %v baseMean %v", f.AllZero[0], f.BaseMean[0])
				}
				if !math.IsNaN(r.Pvalue[0]) || !math.IsNaN(r.Padj[0]) || !math.IsNaN(r.Log2FoldChange[0]) {
					t.Errorf("all-zero gene: lfc %v p %v padj %v, want NA", r.Log2FoldChange[0], r.Pvalue[0], r.Padj[0])
				}
				if math.IsNaN(r.Pvalue[1]) {
					t.Errorf("an ordinary gene got an NA p-value")
				}
			},
		},
		{
			name: "sample with zero library size: every gene has a zero, ratio size factors fail",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				for g := 0; g < m.Rows(); g++ {
					m.Set(g, 2, 0)
				}
				return m, edgeDesign(grp), cols, deseq.Options{Workers: 1}
			},
			wantErr: "zero",
		},
		{
			name: "sample with zero library size, poscounts: no usable size factor",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				for g := 0; g < m.Rows(); g++ {
					m.Set(g, 2, 0)
				}
				return m, edgeDesign(grp), cols, deseq.Options{Workers: 1, SizeFactorType: deseq.PosCounts}
			},
			wantErr: "a sample has no usable counts for its size factor",
		},
		{
			name: "singular design (a duplicated column)",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				x := make([]float64, 0, 3*len(grp))
				for _, g := range grp {
					x = append(x, 1, float64(g), float64(g))
				}
				return m, x, []string{"Intercept", "groupB", "groupB2"}, deseq.Options{Workers: 1}
			},
			wantErr: "rank",
		},
		{
			name: "negative count",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				m.Set(3, 1, -1)
				return m, edgeDesign(grp), cols, deseq.Options{Workers: 1}
			},
			wantErr: "negative",
		},
		{
			name: "NaN count",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				m.Set(3, 1, math.NaN())
				return m, edgeDesign(grp), cols, deseq.Options{Workers: 1}
			},
			wantErr: "is NaN; counts must be non-negative whole numbers",
		},
		{
			name: "every gene constant",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				for i := range m.Data {
					m.Data[i] = 7
				}
				return m, edgeDesign(grp), cols, deseq.Options{Workers: 1}
			},
			wantErr: "all genes have equal values for all samples",
		},
		{
			name: "no residual degrees of freedom (2 samples, 2 coefficients)",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				return m.SubsetCols([]int{0, 4}), edgeDesign([]int{0, 1}), cols, deseq.Options{Workers: 1}
			},
			wantErr: "there are no replicates to estimate the dispersion",
		},
		{
			// DESeq2 1.38.3 gives attr(dispersionFunction(dds), "dispPriorVar") = 0.25
			// on these counts (its Monte-Carlo search ends at the floor).
			name: "one sample in a group: residual df 3, prior variance at DESeq2's floor",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				return m.SubsetCols([]int{0, 1, 2, 3, 4}), edgeDesign([]int{0, 0, 0, 0, 1}), cols, deseq.Options{Workers: 1}
			},
			check: func(t *testing.T, f *deseq.Fit, r *deseq.Results) {
				if f.DispPriorVar != 0.25 || !f.DispPriorVarFloor {
					t.Errorf("dispPriorVar %v (floor %v), DESeq2 0.25", f.DispPriorVar, f.DispPriorVarFloor)
				}
			},
		},
		{
			name: "one sample in a group with DispPriorVar: fits, finite p-values",
			mutate: func(m *dataset.Matrix) (*dataset.Matrix, []float64, []string, deseq.Options) {
				return m.SubsetCols([]int{0, 1, 2, 3, 4}), edgeDesign([]int{0, 0, 0, 0, 1}), cols, deseq.Options{Workers: 1, DispPriorVar: 0.25}
			},
			check: func(t *testing.T, f *deseq.Fit, r *deseq.Results) {
				finite := 0
				for _, p := range r.Pvalue {
					if !math.IsNaN(p) {
						finite++
						if p < 0 || p > 1 {
							t.Fatalf("p-value %v outside [0,1]", p)
						}
					}
				}
				if finite == 0 {
					t.Errorf("no gene was tested")
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, x, cn, opt := tc.mutate(edgeCounts(5, 120, grp))
			f, err := deseq.Run(m, x, cn, opt)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r, err := f.Results(deseq.ResultsOptions{Name: f.Coef[len(f.Coef)-1]})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, f, r)
		})
	}
}
