package immune

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/pool"
)

func readTable(t testing.TB, path string) (rows, cols []string, data []float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			break
		}
		fs := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
		if cols == nil {
			cols = fs[1:]
			continue
		}
		rows = append(rows, fs[0])
		for _, v := range fs[1:] {
			x := math.NaN()
			if v != "NA" {
				if x, err = strconv.ParseFloat(v, 64); err != nil {
					t.Fatal(err)
				}
			}
			data = append(data, x)
		}
	}
	return rows, cols, data
}

func load(t testing.TB, name string) *dataset.Matrix {
	g, s, d := readTable(t, "testdata/"+name)
	return &dataset.Matrix{Kind: dataset.Expression, Genes: g, Samples: s, Data: d}
}

// TestGolden compares with MCPcounter's appendSignatures and estimate 1.0.13's
// estimateScore loop run in R 4.2.2 by testdata/gen/immune.R.
func TestGolden(t *testing.T) {
	cases := []struct {
		method, expr, golden string
		tolAbs               float64
	}{
		{"mcpcounter", "immune_expr.tsv", "mcpcounter.tsv", 1e-12},
		{"danaher", "immune_expr.tsv", "danaher.tsv", 1e-12},
		{"estimate", "immune_expr_complete.tsv", "estimate.tsv", 1e-8},
		{"estimate", "immune_expr.tsv", "estimate_na.tsv", 1e-8},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			got, err := Estimate(load(t, c.expr), c.method, Options{})
			if err != nil {
				t.Fatal(err)
			}
			sigs, samples, want := readTable(t, "testdata/"+c.golden)
			if len(sigs) != len(got.Signatures) || strings.Join(samples, ",") != strings.Join(got.Samples, ",") {
				t.Fatalf("shape: %v x %v, want %v x %v", got.Signatures, got.Samples, sigs, samples)
			}
			worst := 0.0
			for i, w := range want {
				g := got.Values[i]
				d := math.Abs(g - w)
				if math.IsNaN(g) != math.IsNaN(w) || d > c.tolAbs {
					t.Errorf("%s %s: got %.17g want %.17g", sigs[i/len(samples)], samples[i%len(samples)], g, w)
				}
				if !math.IsNaN(d) {
					worst = max(worst, d)
				}
			}
			t.Logf("max abs diff %.3g", worst)
		})
	}
}

func TestFoundAndMissing(t *testing.T) {
	r, err := MCPCounter(load(t, "immune_expr.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Signatures[1] != "CD8 T cells" || r.NFound[1] != 0 || len(r.Missing[1]) != 1 || r.Missing[1][0] != "CD8B" {
		t.Errorf("CD8 T cells: found %d missing %v", r.NFound[1], r.Missing[1])
	}
	for k := range r.Signatures {
		if r.NFound[k]+len(r.Missing[k]) != r.NMarkers[k] {
			t.Errorf("%s: %d found + %d missing != %d", r.Signatures[k], r.NFound[k], len(r.Missing[k]), r.NMarkers[k])
		}
	}
}

// TestESTIMATEProperties: ESTIMATEScore is the sum of the two scores, purity in
// (0, 1]; a uniform shift of a sample changes nothing (rank-based).
func TestESTIMATEProperties(t *testing.T) {
	e := load(t, "immune_expr_complete.tsv")
	r, err := ESTIMATE(e, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ns := len(r.Samples)
	for s := 0; s < ns; s++ {
		if math.Abs(r.At(0, s)+r.At(1, s)-r.At(2, s)) > 1e-9 || !(r.At(3, s) > 0 && r.At(3, s) <= 1) {
			t.Errorf("sample %d: %v %v %v %v", s, r.At(0, s), r.At(1, s), r.At(2, s), r.At(3, s))
		}
	}
	e2 := *e
	e2.Data = append([]float64(nil), e.Data...)
	for i := range e2.Data {
		e2.Data[i] = 3*e2.Data[i] + 10
	}
	r2, _ := ESTIMATE(&e2, Options{})
	for i := range r.Values {
		if r.Values[i] != r2.Values[i] {
			t.Fatalf("monotone change altered score %d: %v vs %v", i, r.Values[i], r2.Values[i])
		}
	}
	// a missing value changes only its own sample
	na := load(t, "immune_expr.tsv")
	rn, err := ESTIMATE(na, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rn.At(1, 2) == r.At(1, 2) || rn.At(1, 1) != r.At(1, 1) {
		t.Errorf("NaN handling: %v %v", rn.At(1, 2), rn.At(1, 1))
	}
	// universe restriction
	ru, err := ESTIMATE(e, Options{Universe: e.Genes[:500]})
	if err != nil || ru.NFound[0] > r.NFound[0] {
		t.Errorf("universe: %v", err)
	}
}

func TestErrors(t *testing.T) {
	m := dataset.NewMatrix(dataset.Expression, []string{"NOPE"}, []string{"a"})
	for _, method := range Methods {
		if _, err := Estimate(m, method, Options{}); err == nil {
			t.Errorf("%s: no error without markers", method)
		}
	}
	if _, err := Estimate(m, "cibersort", Options{}); err == nil {
		t.Error("unknown method accepted")
	}
	if _, err := Estimate(nil, "mcpcounter", Options{}); err == nil {
		t.Error("nil accepted")
	}
}

func BenchmarkEstimate(b *testing.B) {
	e0 := load(b, "immune_expr_complete.tsv")
	for _, ns := range []int{12, 100} {
		for _, method := range Methods {
			b.Run(fmt.Sprintf("%s/20000x%d", method, ns), func(b *testing.B) {
				genes := make([]string, 20000)
				for i := range genes {
					genes[i] = fmt.Sprintf("G%d", i)
				}
				copy(genes, e0.Genes)
				m := dataset.NewMatrix(dataset.Expression, genes, make([]string, ns))
				for j := range m.Samples {
					m.Samples[j] = fmt.Sprintf("S%d", j)
				}
				rng := rand.New(rand.NewPCG(5, 6))
				for i := range m.Data {
					m.Data[i] = rng.NormFloat64()*2 + 6
				}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if _, err := Estimate(m, method, Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestRadixOrder: the radix order equals a stable sort with NaN last (R's
// order(x, na.last=TRUE)), with ties, signed zeros, infinities and NaN.
func TestRadixOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var rs radixScratch
	for _, n := range []int{0, 1, 2, 7, 300, 5000} {
		x := make([]float64, n)
		for i := range x {
			switch r.IntN(7) {
			case 0:
				x[i] = math.Copysign(0, -1)
			case 1:
				x[i] = 0
			case 2:
				x[i] = float64(r.IntN(5) - 2)
			case 3:
				x[i] = math.Inf(1 - 2*r.IntN(2))
			case 4:
				x[i] = math.NaN()
			default:
				x[i] = (r.Float64() - 0.5) * 1e3
			}
		}
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		sort.SliceStable(want, func(a, b int) bool {
			xa, xb := x[want[a]], x[want[b]]
			if math.IsNaN(xa) || math.IsNaN(xb) {
				return !math.IsNaN(xa) && math.IsNaN(xb)
			}
			return xa < xb
		})
		got := rs.order(x)
		for i := range want {
			if int(got[i]) != want[i] {
				t.Fatalf("n=%d: position %d: %d, want %d", n, i, got[i], want[i])
			}
		}
	}
}

// TestEstimatePool: ESTIMATE gives bit-identical scores (tolerance 0) with
// one worker, with Workers 2 and 3, and with pools of 2 and 3 workers also
// when the waves are tiny (one sample per Pool.Run); malformed task inputs
// are errors, not panics.
func TestEstimatePool(t *testing.T) {
	e := load(t, "immune_expr_complete.tsv")
	ref, err := ESTIMATE(e, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func(w int) { waveBytes = w }(waveBytes)
	for _, wb := range []int{8 << 20, 1} {
		waveBytes = wb
		for _, opt := range []Options{{Workers: 2}, {Workers: 3}, {Pool: pool.Local(2)}, {Pool: pool.Local(3)}} {
			got, err := ESTIMATE(e, opt)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range ref.Values {
				if math.Float64bits(got.Values[i]) != math.Float64bits(v) {
					t.Fatalf("waves %d %+v: value %d = %v, one worker %v", wb, opt, i, got.Values[i], v)
				}
			}
		}
	}
	if _, ok := pool.Lookup(taskEstimate); !ok {
		t.Error("kernel not registered")
	}
	w := pool.NewWriter(0)
	w.Int(3)
	w.Ints([]int{0, 5})
	w.Ints(nil)
	w.Float64s(make([]float64, 6))
	for _, in := range [][]byte{nil, {7}, w.Bytes()} {
		if _, err := estimateTask(in); err == nil {
			t.Errorf("task input %v accepted", in)
		}
	}
}
