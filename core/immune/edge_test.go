package immune_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/immune"
	"github.com/her2het/her2het/core/refdata"
)

// edgeMatrix is seeded log-expression over the marker genes of the given
// reference collections plus 200 background genes.
func edgeMatrix(t *testing.T, k int, colls ...string) *dataset.Matrix {
	t.Helper()
	seen := map[string]bool{}
	var genes []string
	for _, c := range colls {
		sets, err := refdata.Sets(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sets {
			for _, g := range s.Genes {
				if !seen[g] {
					seen[g] = true
					genes = append(genes, g)
				}
			}
		}
	}
	for i := 0; i < 200; i++ {
		genes = append(genes, fmt.Sprintf("BG%03d", i))
	}
	samples := make([]string, k)
	for i := range samples {
		samples[i] = fmt.Sprintf("s%02d", i)
	}
	rng := rand.New(rand.NewPCG(5, 43))
	m := dataset.NewMatrix(dataset.Expression, genes, samples)
	for i := range m.Data {
		m.Data[i] = 6 + 2*rng.NormFloat64()
	}
	return m
}

func edgeRow(t *testing.T, s *immune.Scores, name string) []float64 {
	t.Helper()
	for k, n := range s.Signatures {
		if n == name {
			return s.Values[k*len(s.Samples) : (k+1)*len(s.Samples)]
		}
	}
	t.Fatalf("no signature %q in %v", name, s.Signatures)
	return nil
}

// TestEdgeCases checks the immune scores' documented behaviour on missing
// markers, NaN, constant data and matrices without any marker.
func TestEdgeCases(t *testing.T) {
	t.Run("MCP-counter: a population with no marker found is kept as NaN", func(t *testing.T) {
		m := edgeMatrix(t, 5, "mcpcounter")
		sets, _ := refdata.Sets("mcpcounter")
		// Rename every marker of the first population so none is found.
		drop := map[string]bool{}
		for _, g := range sets[0].Genes {
			drop[g] = true
		}
		for i, g := range m.Genes {
			if drop[g] {
				m.Genes[i] = "GONE_" + g
			}
		}
		s, err := immune.MCPCounter(m)
		if err != nil {
			t.Fatal(err)
		}
		nan, finite := 0, 0
		for k := range s.Signatures {
			for j := range s.Samples {
				if math.IsNaN(s.Values[k*len(s.Samples)+j]) {
					nan++
				} else {
					finite++
				}
			}
			if s.NFound[k] == 0 && !math.IsNaN(s.Values[k*len(s.Samples)]) {
				t.Errorf("%s has no marker but a score", s.Signatures[k])
			}
		}
		if nan == 0 || finite == 0 {
			t.Errorf("%d NaN and %d finite scores; want the empty population NaN and the others finite", nan, finite)
		}
	})
	t.Run("MCP-counter: NaN in one sample stays in that sample", func(t *testing.T) {
		m := edgeMatrix(t, 5, "mcpcounter")
		for g := range m.Genes {
			m.Set(g, 1, math.NaN())
		}
		s, err := immune.MCPCounter(m)
		if err != nil {
			t.Fatal(err)
		}
		for k := range s.Signatures {
			for j := range s.Samples {
				if v := s.Values[k*len(s.Samples)+j]; math.IsNaN(v) != (j == 1) {
					t.Fatalf("%s sample %d = %v", s.Signatures[k], j, v)
				}
			}
		}
	})
	t.Run("ESTIMATE: no signature gene is an error", func(t *testing.T) {
		m := dataset.NewMatrix(dataset.Expression, []string{"A", "B", "C"}, []string{"s1", "s2"})
		if _, err := immune.ESTIMATE(m, immune.Options{}); err == nil {
			t.Fatal("ESTIMATE scored a matrix without its genes")
		}
	})
	t.Run("ESTIMATE: constant data gives finite, equal scores across samples", func(t *testing.T) {
		m := edgeMatrix(t, 4, "estimate")
		for i := range m.Data {
			m.Data[i] = 3
		}
		s, err := immune.ESTIMATE(m, immune.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"StromalScore", "ImmuneScore", "ESTIMATEScore"} {
			row := edgeRow(t, s, name)
			for _, v := range row {
				if math.IsNaN(v) || v != row[0] {
					t.Fatalf("%s = %v", name, row)
				}
			}
		}
	})
	t.Run("ESTIMATE: a NaN ranks as the most expressed gene (rank na.last)", func(t *testing.T) {
		m := edgeMatrix(t, 3, "estimate")
		base, err := immune.ESTIMATE(m, immune.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		sets, _ := refdata.Sets("estimate")
		target := sets[0].Genes[0]
		for g, name := range m.Genes {
			if name == target {
				m.Set(g, 0, math.NaN())
			}
		}
		got, err := immune.ESTIMATE(m, immune.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		name := base.Signatures[0]
		b, a := edgeRow(t, base, name), edgeRow(t, got, name)
		if math.IsNaN(a[0]) || a[0] < b[0] {
			t.Errorf("%s of the sample with a NaN marker: %v before, %v after; want finite and not lower", name, b[0], a[0])
		}
		if a[1] != b[1] || a[2] != b[2] {
			t.Errorf("other samples changed: %v -> %v", b, a)
		}
	})
	t.Run("no marker of any population found: error naming the method", func(t *testing.T) {
		m := dataset.NewMatrix(dataset.Expression, []string{"A", "B"}, []string{"s1", "s2"})
		for name, f := range map[string]func(*dataset.Matrix) (*immune.Scores, error){"danaher": immune.Danaher, "mcpcounter": immune.MCPCounter} {
			_, err := f(m)
			if err == nil || !strings.Contains(err.Error(), "immune: "+name+": none of the marker genes was found") {
				t.Errorf("%s: err = %v", name, err)
			}
		}
	})
}
