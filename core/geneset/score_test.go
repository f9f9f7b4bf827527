package geneset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// simulate returns a seeded p x n log-scale matrix and nsets random sets of
// sizes in [lo, hi].
func simulate(p, n, nsets, lo, hi int, seed uint64) (*dataset.Matrix, []Set) {
	r := rand.New(rand.NewPCG(seed, 1))
	genes := make([]string, p)
	for i := range genes {
		genes[i] = fmt.Sprintf("G%05d", i)
	}
	samples := make([]string, n)
	for j := range samples {
		samples[j] = fmt.Sprintf("S%03d", j)
	}
	m := dataset.NewMatrix(dataset.Expression, genes, samples)
	for g := 0; g < p; g++ {
		base := 6 + 2*r.NormFloat64()
		sd := 0.2 + r.Float64()
		for j := 0; j < n; j++ {
			m.Data[g*n+j] = base + sd*r.NormFloat64()
		}
	}
	sets := make([]Set, nsets)
	for s := range sets {
		k := lo + r.IntN(hi-lo+1)
		perm := r.Perm(p)[:k]
		gs := make([]string, k)
		for i, g := range perm {
			gs[i] = genes[g]
		}
		sets[s] = Set{Name: fmt.Sprintf("SET%02d", s), Genes: gs}
	}
	return m, sets
}

// TestKernelSymmetryShortcut: the pairwise Gaussian kernel with the
// antisymmetry shortcut equals a direct evaluation of GSVA's row_d bit for bit.
func TestKernelSymmetryShortcut(t *testing.T) {
	m, _ := simulate(50, 17, 1, 2, 2, 3)
	n := m.Cols()
	// grid-valued rows make d/h land on table boundaries; ties; saturation
	for g := 0; g < 10; g++ {
		for j := 0; j < n; j++ {
			switch g % 3 {
			case 0:
				m.Data[g*n+j] = float64(j % (g + 2))
			case 1:
				m.Data[g*n+j] = float64(j) * 0.25
			case 2:
				m.Data[g*n+j] = float64(j/4) * 1e3
			}
		}
	}
	var w kernelWork
	got := make([]float64, n)
	for g := 0; g < m.Rows(); g++ {
		y := m.Row(g)
		gsvaKernelRow(y, got, Gaussian, &w)
		bw := sdLongDouble(y) / 4
		for j := 0; j < n; j++ {
			lt := 0.0
			for i := 0; i < n; i++ {
				lt += phiTilde(y[j]-y[i], bw)
			}
			lt /= float64(n)
			want := logOdds(lt)
			if got[j] != want {
				t.Fatalf("gene %d sample %d: %v != %v", g, j, got[j], want)
			}
		}
	}
}

// TestSSGSEAClosedForm checks the closed form against the explicit random walk
// Σ_pos (P_hit(pos) - P_miss(pos)) (Barbie et al. 2009) on untied data.
func TestSSGSEAClosedForm(t *testing.T) {
	m, sets := simulate(300, 5, 6, 3, 40, 7)
	opt := DefaultOptions(SSGSEA)
	opt.Normalize = false
	got, err := Score(m, sets, opt)
	if err != nil {
		t.Fatal(err)
	}
	p, n := m.Rows(), m.Cols()
	for s, set := range sets {
		in := map[string]bool{}
		for _, g := range set.Genes {
			in[g] = true
		}
		for j := 0; j < n; j++ {
			c := m.Col(j)
			order := make([]int, p)
			for i := range order {
				order[i] = i
			}
			sort.Slice(order, func(a, b int) bool { return c[order[a]] > c[order[b]] })
			var tot float64
			for i, g := range order {
				if in[m.Genes[g]] {
					tot += math.Pow(float64(p-i), 0.25)
				}
			}
			var hit, miss, es float64
			for i, g := range order {
				if in[m.Genes[g]] {
					hit += math.Pow(float64(p-i), 0.25) / tot
				} else {
					miss += 1 / float64(p-len(set.Genes))
				}
				es += hit - miss
			}
			if d := math.Abs(got.Matrix.At(s, j) - es); d > 1e-9*math.Max(1, math.Abs(es)) {
				t.Errorf("set %d sample %d: closed form %v, walk %v", s, j, got.Matrix.At(s, j), es)
			}
		}
	}
}

// TestGSVAWalkCumsum checks ks_sample's running sum against the cumulative
// form of GSVA >= 2 (cumsum(in)/Σin - cumsum(out)/Σout), abs <= 1e-12.
func TestGSVAWalkCumsum(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	p := 500
	score := make([]float64, p)
	order := r.Perm(p)
	for i, g := range order {
		score[g] = math.Abs(float64(p-i) - float64(p)/2)
	}
	for trial := 0; trial < 20; trial++ {
		k := 1 + r.IntN(60)
		set := r.Perm(p)[:k]
		mask := make([]bool, p)
		for _, g := range set {
			mask[g] = true
		}
		var sumIn float64
		for _, g := range set {
			sumIn += score[g]
		}
		var ci float64
		var co int
		pos, neg := 0.0, 0.0
		for _, g := range order {
			if mask[g] {
				ci += score[g]
			} else {
				co++
			}
			w := ci/sumIn - float64(co)/float64(p-k)
			pos, neg = math.Max(pos, w), math.Min(neg, w)
		}
		for _, tc := range []struct {
			maxDiff, abs bool
			want         float64
		}{{true, false, pos + neg}, {true, true, pos - neg}, {false, false, map[bool]float64{true: pos, false: neg}[pos > -neg]}} {
			got := ksSample(score, order, mask, set, 1, tc.maxDiff, tc.abs)
			if math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("trial %d %+v: %v want %v", trial, tc, got, tc.want)
			}
		}
	}
}

func TestScoreErrors(t *testing.T) {
	m, sets := simulate(20, 4, 2, 3, 5, 1)
	one := m.SubsetCols([]int{0})
	neg := m.SubsetRows([]int{0, 1, 2})
	neg.Data[0] = -1
	tests := []struct {
		name string
		m    *dataset.Matrix
		sets []Set
		opt  Options
		err  string
	}{
		{"nil matrix", nil, sets, DefaultOptions(GSVA), "no expression matrix"},
		{"no sets", m, nil, DefaultOptions(GSVA), "no gene sets"},
		{"one sample", one, sets, DefaultOptions(GSVA), "at least 2 samples"},
		{"nothing matches", m, []Set{{Name: "x", Genes: []string{"nope"}}}, DefaultOptions(ZScore), "no gene of any gene set"},
		{"size bounds", m, sets, Options{Method: PLAGE, MinSize: 50}, "no gene set has between 50 and Inf"},
		{"negative counts", neg, sets, Options{Method: GSVA, Kernel: Poisson, MaxDiff: true}, "non-negative counts"},
		{"bad dims", &dataset.Matrix{Genes: []string{"a"}, Samples: []string{"s"}}, sets, DefaultOptions(GSVA), "matrix has 0 values"},
		{"constant ssgsea one score", one.SubsetRows([]int{0, 1}), []Set{{Name: "s", Genes: []string{"G00000"}}}, DefaultOptions(SSGSEA), "no finite non-zero range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Score(tc.m, tc.sets, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
		})
	}
}

// TestNaNRowsDropped: a row with NaN is discarded and does not change the
// other genes' scores beyond what removing the gene implies.
func TestNaNRowsDropped(t *testing.T) {
	m, sets := simulate(100, 6, 3, 5, 10, 5)
	withNaN := m.SubsetRows(append([]int{0}, seqInts(0, 100)...))
	withNaN.Genes = append([]string{"NANGENE"}, m.Genes...)
	withNaN.Data[3] = math.NaN()
	sets = append(sets, Set{Name: "nan", Genes: []string{"NANGENE", "G00001"}})
	for _, meth := range []Method{GSVA, SSGSEA, ZScore, PLAGE, Singscore} {
		a, err := Score(m, sets[:3], DefaultOptions(meth))
		if err != nil {
			t.Fatal(err)
		}
		b, err := Score(withNaN, sets, DefaultOptions(meth))
		if err != nil {
			t.Fatal(err)
		}
		if b.Found[3] != 1 || b.GenesUsed != 100 {
			t.Errorf("%v: found %v used %d", meth, b.Found, b.GenesUsed)
		}
		for i := range a.Matrix.Data {
			if meth == SSGSEA {
				break // the normalising range includes the extra set
			}
			if a.Matrix.Data[i] != b.Matrix.Data[i] {
				t.Errorf("%v: score %d changed: %v vs %v", meth, i, a.Matrix.Data[i], b.Matrix.Data[i])
				break
			}
		}
	}
}

func seqInts(lo, hi int) []int {
	s := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}

func TestParse(t *testing.T) {
	for i, n := range methodNames {
		if m, err := ParseMethod(strings.ToUpper(n)); err != nil || int(m) != i || m.String() != n {
			t.Errorf("ParseMethod(%q) = %v, %v", n, m, err)
		}
	}
	if _, err := ParseMethod("gsea"); err == nil {
		t.Error("ParseMethod accepted gsea")
	}
	for i, n := range kernelNames {
		if k, err := ParseKernel(n); err != nil || int(k) != i || k.String() != n {
			t.Errorf("ParseKernel(%q) = %v, %v", n, k, err)
		}
	}
}

func benchScore(b *testing.B, meth Method, n int) {
	m, sets := simulate(20000, n, 50, 150, 200, 42)
	opt := DefaultOptions(meth)
	opt.Workers = 1
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Score(m, sets, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGSVAGaussian: 20k genes x 285 samples, 50 sets of 150-200 genes,
// one worker (R GSVA 1.46: about 70 s on one core).
func BenchmarkGSVAGaussian285(b *testing.B) { benchScore(b, GSVA, 285) }
func BenchmarkGSVAGaussian100(b *testing.B) { benchScore(b, GSVA, 100) }
func BenchmarkGSVAGaussian12(b *testing.B)  { benchScore(b, GSVA, 12) }

// BenchmarkGSVAPoisson100: the Poisson kernel on 2000 genes x 100 samples of
// counts (one worker).
func BenchmarkGSVAPoisson100(b *testing.B) {
	m, sets := simulate(2000, 100, 50, 20, 60, 43)
	for i, v := range m.Data {
		m.Data[i] = math.Floor(math.Exp2(v - 2))
	}
	opt := DefaultOptions(GSVA)
	opt.Kernel = Poisson
	opt.Workers = 1
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Score(m, sets, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSSGSEA285: same shape (R GSVA 1.46 ssgsea: about 18 s).
func BenchmarkSSGSEA285(b *testing.B)    { benchScore(b, SSGSEA, 285) }
func BenchmarkZScore285(b *testing.B)    { benchScore(b, ZScore, 285) }
func BenchmarkPLAGE285(b *testing.B)     { benchScore(b, PLAGE, 285) }
func BenchmarkSingscore285(b *testing.B) { benchScore(b, Singscore, 285) }

// BenchmarkKernel285: the Gaussian kernel of 1000 genes x 285 samples.
func BenchmarkKernel285(b *testing.B) {
	m, _ := simulate(1000, 285, 1, 2, 2, 9)
	n := m.Cols()
	var w kernelWork
	r := make([]float64, n)
	b.ReportAllocs()
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for g := 0; g < m.Rows(); g++ {
			gsvaKernelRow(m.Row(g), r, Gaussian, &w)
		}
	}
}
