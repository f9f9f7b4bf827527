package norm_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/norm"
)

// edgeCounts simulates n genes x k samples of whole counts.
func edgeCounts(seed uint64, n, k int) *dataset.Matrix {
	rng := rand.New(rand.NewPCG(seed, 23))
	genes := make([]string, n)
	for i := range genes {
		genes[i] = fmt.Sprintf("g%03d", i)
	}
	samples := make([]string, k)
	for i := range samples {
		samples[i] = fmt.Sprintf("s%02d", i)
	}
	m := dataset.NewMatrix(dataset.Counts, genes, samples)
	for g := 0; g < n; g++ {
		mu := math.Exp(1 + 4*rng.Float64())
		for s := 0; s < k; s++ {
			m.Set(g, s, math.Round(mu*math.Exp(0.4*rng.NormFloat64())))
		}
	}
	return m
}

func edgeZeroRow(m *dataset.Matrix, g int) {
	for s := 0; s < m.Cols(); s++ {
		m.Set(g, s, 0)
	}
}

func edgeZeroCol(m *dataset.Matrix, s int) {
	for g := 0; g < m.Rows(); g++ {
		m.Set(g, s, 0)
	}
}

func edgeErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want one containing %q", err, want)
	}
}

// TestEdgeCases checks the documented behaviour of the normalisations on
// degenerate counts: all-zero genes, a sample with zero library size, NaN,
// constant genes, a batch of one sample.
func TestEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"TMM ignores an all-zero gene", func(t *testing.T) {
			m := edgeCounts(1, 200, 6)
			base, err := norm.NormFactors(m, norm.NormOptions{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			// Append an all-zero gene: edgeR drops genes without a positive count.
			z := dataset.NewMatrix(dataset.Counts, append(append([]string(nil), m.Genes...), "zero"), m.Samples)
			copy(z.Data, m.Data)
			got, err := norm.NormFactors(z, norm.NormOptions{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			for i := range base {
				if got[i] != base[i] {
					t.Fatalf("factor %d: %v with the zero gene, %v without", i, got[i], base[i])
				}
			}
		}},
		{"upper quartile with a zero-library sample: Inf/NaN factors as edgeR", func(t *testing.T) {
			m := edgeCounts(2, 100, 5)
			edgeZeroCol(m, 1)
			f, err := norm.NormFactors(m, norm.NormOptions{Method: norm.UpperQuartile})
			if err != nil {
				t.Fatal(err)
			}
			finite := true
			for _, v := range f {
				finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
			}
			if finite {
				t.Errorf("factors %v: documented Inf/NaN for a zero quantile", f)
			}
		}},
		{"TMM with a zero-library sample: raw factor 1 like the reference (edgeR: no finite M)", func(t *testing.T) {
			m := edgeCounts(14, 100, 5)
			edgeZeroCol(m, 1)
			f, err := norm.NormFactors(m, norm.NormOptions{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			same := 0
			for i, v := range f {
				if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
					t.Fatalf("factor %d = %v", i, v)
				}
				if i != 1 && v == f[1] {
					same++
				}
			}
			// edgeR's calcFactorTMM returns 1 when no gene has a finite M (max of an
			// empty set is -Inf < 1e-6), as for the reference sample itself.
			if same != 1 {
				t.Errorf("factors %v: the empty sample should share the reference's factor", f)
			}
		}},
		{"CPM of a zero-library sample is an error", func(t *testing.T) {
			m := edgeCounts(3, 30, 4)
			edgeZeroCol(m, 2)
			_, err := norm.CPM(m, nil)
			edgeErr(t, err, "library size")
		}},
		{"log-CPM of a zero-library sample is an error", func(t *testing.T) {
			m := edgeCounts(4, 30, 4)
			edgeZeroCol(m, 0)
			_, err := norm.LogCPM(m, nil, 2)
			edgeErr(t, err, "library size")
		}},
		{"NaN count: LibSizes error", func(t *testing.T) {
			m := edgeCounts(5, 30, 4)
			m.Set(2, 2, math.NaN())
			_, err := norm.LibSizes(m)
			if err == nil {
				t.Fatal("NaN count accepted")
			}
		}},
		{"negative count: NormFactors error", func(t *testing.T) {
			m := edgeCounts(6, 30, 4)
			m.Set(2, 2, -1)
			_, err := norm.NormFactors(m, norm.NormOptions{})
			if err == nil {
				t.Fatal("negative count accepted")
			}
		}},
		{"DESeq2 size factors: all genes zero is ErrAllGenesZero", func(t *testing.T) {
			m := edgeCounts(7, 20, 4)
			for i := range m.Data {
				m.Data[i] = 0
			}
			_, err := norm.SizeFactors(m, norm.SizeFactorOptions{})
			if !errors.Is(err, norm.ErrAllGenesZero) {
				t.Fatalf("err = %v, want ErrAllGenesZero", err)
			}
		}},
		{"DESeq2 poscounts: a zero-library sample gets NaN", func(t *testing.T) {
			m := edgeCounts(8, 50, 5)
			edgeZeroCol(m, 3)
			sf, err := norm.SizeFactors(m, norm.SizeFactorOptions{Type: norm.PosCounts})
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !math.IsNaN(sf[3]) {
				t.Errorf("size factor of the empty sample %v, want NaN (R: NA)", sf[3])
			}
		}},
		{"filterByExpr drops an all-zero gene", func(t *testing.T) {
			m := edgeCounts(9, 40, 6)
			edgeZeroRow(m, 5)
			keep, err := norm.FilterByExpr(m, norm.FilterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if keep[5] {
				t.Error("all-zero gene kept")
			}
		}},
		{"ComBat: a gene constant within batches is returned unchanged", func(t *testing.T) {
			m := edgeCounts(10, 60, 6)
			for i := range m.Data {
				m.Data[i] = math.Log2(m.Data[i] + 1)
			}
			for s := 0; s < 6; s++ {
				m.Set(0, s, 3)
			}
			out, err := norm.ComBat(m, []string{"a", "a", "a", "b", "b", "b"}, norm.ComBatOptions{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			for s := 0; s < 6; s++ {
				if out.At(0, s) != 3 {
					t.Fatalf("constant gene changed: %v", out.Row(0))
				}
			}
		}},
		{"ComBat: one batch only is an error", func(t *testing.T) {
			m := edgeCounts(11, 20, 4)
			_, err := norm.ComBat(m, []string{"a", "a", "a", "a"}, norm.ComBatOptions{})
			if err == nil {
				t.Fatal("one batch accepted")
			}
		}},
		{"ComBat: a batch of one sample switches to mean-only, finite output", func(t *testing.T) {
			m := edgeCounts(12, 40, 5)
			for i := range m.Data {
				m.Data[i] = math.Log2(m.Data[i] + 1)
			}
			out, err := norm.ComBat(m, []string{"a", "a", "a", "a", "b"}, norm.ComBatOptions{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range out.Data {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("value %d = %v", i, v)
				}
			}
		}},
		{"ComBat: infinite value is an error", func(t *testing.T) {
			m := edgeCounts(13, 20, 4)
			m.Set(0, 0, math.Inf(1))
			_, err := norm.ComBat(m, []string{"a", "a", "b", "b"}, norm.ComBatOptions{})
			if err == nil {
				t.Fatal("Inf accepted")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.run)
	}
}
