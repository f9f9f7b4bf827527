package norm

import (
	"math"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// TestCheckCounts: checkCounts accepts non-negative finite counts (also
// -0 and fractions) and names the first NaN, negative or infinite value in
// row-major order.
func TestCheckCounts(t *testing.T) {
	mk := func(v ...float64) *dataset.Matrix {
		m := dataset.NewMatrix(dataset.Counts, []string{"g1", "g2"}, []string{"s1", "s2", "s3"})
		copy(m.Data, v)
		return m
	}
	negZero := math.Copysign(0, -1)
	cases := []struct {
		data []float64
		want string // "" = no error
	}{
		{[]float64{0, 1, 2, 3, 4, 5}, ""},
		{[]float64{0, negZero, 2.5, 1e300, 4, 0}, ""},
		{[]float64{0, 1, 2, 3, math.NaN(), -1}, `norm: T: count of gene "g2" in sample "s2" is NA`},
		{[]float64{0, 1, -1, 3, math.NaN(), 5}, `norm: T: count of gene "g1" in sample "s3" is -1, counts must be finite and non-negative`},
		{[]float64{0, 1, 2, math.Inf(1), 4, 5}, `norm: T: count of gene "g2" in sample "s1" is +Inf, counts must be finite and non-negative`},
		{[]float64{0, 1, 2, 3, 4, math.Inf(-1)}, `norm: T: count of gene "g2" in sample "s3" is -Inf, counts must be finite and non-negative`},
		{[]float64{0, 1, 2, 3, 4, -math.NaN()}, `norm: T: count of gene "g2" in sample "s3" is NA`},
	}
	for i, c := range cases {
		err := checkCounts(mk(c.data...), "T")
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("case %d: error %q, want %q", i, got, c.want)
		}
	}
}

// BenchmarkCheckCounts: the count check of FilterByExpr, LibSizes, LogCPM...
// on 20000x285.
func BenchmarkCheckCounts(b *testing.B) {
	m := simCounts(20000, 285, 7)
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		if err := checkCounts(m, "B"); err != nil {
			b.Fatal(err)
		}
	}
	c.stop(b)
}
