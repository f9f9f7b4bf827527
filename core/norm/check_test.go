package norm

import (
	"fmt"
	"math"
	"math/rand/v2"
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

// TestFilterByExprThreshold: FilterByExpr's per-sample least count (no
// division per value) keeps exactly the genes that the direct rule
// v*1e6/lib >= cut keeps, on whole and fractional counts, counts at the
// boundary, with the column sums and with odd library sizes.
func TestFilterByExprThreshold(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 1))
	for trial := 0; trial < 200; trial++ {
		G, n := 1+r.IntN(60), 2+r.IntN(10)
		genes, samples := make([]string, G), make([]string, n)
		for g := range genes {
			genes[g] = fmt.Sprintf("g%d", g)
		}
		for j := range samples {
			samples[j] = fmt.Sprintf("s%d", j)
		}
		m := dataset.NewMatrix(dataset.Counts, genes, samples)
		for i := range m.Data {
			m.Data[i] = float64(r.IntN(40))
			if trial%2 == 1 {
				m.Data[i] += r.Float64()
			}
		}
		opt := FilterOptions{MinCount: float64(1 + r.IntN(12)), MinTotalCount: float64(r.IntN(30))}
		lib := colSums(m)
		if trial%3 == 2 {
			for j := range lib {
				lib[j] = 1 + r.Float64()*1e3
			}
			opt.LibSize = lib
		}
		for j := range lib {
			if lib[j] == 0 {
				lib[j] = 1
				opt.LibSize = lib
			}
		}
		// Counts on the boundary of the rule for some samples.
		cut := opt.MinCount / medianR(lib) * 1e6
		for g := 0; g < G; g += 3 {
			j := r.IntN(n)
			m.Data[g*n+j] = cut * lib[j] / 1e6
		}
		if opt.LibSize == nil {
			// The reference uses the column sums FilterByExpr takes.
			lib = colSums(m)
			cut = opt.MinCount / medianR(lib) * 1e6
		}
		got, err := FilterByExpr(m, opt)
		if err != nil {
			t.Fatal(err)
		}
		minSize := float64(n)
		if minSize > 10 {
			minSize = 10 + (minSize-10)*0.7
		}
		for g := 0; g < G; g++ {
			k, tot := 0, 0.0
			for j := 0; j < n; j++ {
				v := m.Data[g*n+j]
				if v*1e6/lib[j] >= cut {
					k++
				}
				tot += v
			}
			want := float64(k) >= minSize-1e-14 && tot >= opt.MinTotalCount-1e-14
			if got[g] != want {
				t.Fatalf("trial %d gene %d: keep %v, direct rule %v", trial, g, got[g], want)
			}
		}
	}
	// The least count itself: ok false below it, true at it.
	for _, l := range []float64{1, 3, 7.5e6, 1e-300, 1.7e308} {
		for _, cut := range []float64{0, 1e-300, 0.5, 3.3, 1e6, math.Inf(1), math.NaN()} {
			ok := func(v float64) bool { return v*1e6/l >= cut }
			v := leastAtOrAbove(ok)
			if math.IsInf(v, 1) {
				if ok(math.MaxFloat64) {
					t.Fatalf("lib %v cut %v: +Inf but MaxFloat64 passes", l, cut)
				}
				continue
			}
			if !ok(v) || (v > 0 && ok(math.Nextafter(v, 0))) {
				t.Fatalf("lib %v cut %v: least %v is not the least", l, cut, v)
			}
		}
	}
}

// BenchmarkFilterByExpr: filterByExpr with the column sums on 20000x285.
func BenchmarkFilterByExpr(b *testing.B) {
	m := simCounts(20000, 285, 7)
	b.ReportAllocs()
	c := startCPU(b)
	for i := 0; i < b.N; i++ {
		if _, err := FilterByExpr(m, FilterOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	c.stop(b)
}
