package progeny

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/refdata"
)

// readTable reads a tab-separated table with a header row and row names.
func readTable(t testing.TB, path string) (rows, cols []string, data []float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	first := true
	for {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			break
		}
		fs := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
		if first {
			cols = fs[1:]
			first = false
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

func loadExpr(t testing.TB) *dataset.Matrix {
	genes, samples, data := readTable(t, "testdata/expr.tsv")
	return &dataset.Matrix{Kind: dataset.Expression, Genes: genes, Samples: samples, Data: data}
}

// TestGolden compares with progeny 1.20 (R 4.2.2), testdata/gen/progeny.R.
func TestGolden(t *testing.T) {
	const tolAbs = 1e-8
	e := loadExpr(t)
	// the NA of gen/progeny.R: first row of a top-100 gene, third sample
	ena := *e
	ena.Data = append([]float64(nil), e.Data...)
	model, err := refdata.Progeny(100)
	if err != nil {
		t.Fatal(err)
	}
	inModel := map[string]bool{}
	for _, g := range model.Genes {
		inModel[g] = true
	}
	for i, g := range e.Genes {
		if inModel[g] {
			ena.Data[i*e.Cols()+2] = math.NaN()
			break
		}
	}
	cases := []struct {
		file string
		opt  Options
		e    *dataset.Matrix
	}{
		{"progeny_top100_scaleTRUE.tsv", Options{100, true}, e},
		{"progeny_top100_scaleFALSE.tsv", Options{100, false}, e},
		{"progeny_top500_scaleTRUE.tsv", Options{500, true}, e},
		{"progeny_top1_scaleTRUE.tsv", Options{1, true}, e},
		{"progeny_top100_single.tsv", Options{100, true}, e.SubsetCols([]int{0})},
		{"progeny_top100_na.tsv", Options{100, true}, &ena},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			samples, pws, want := readTable(t, "testdata/"+c.file)
			got, err := Score(c.e, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.Pathways, ",") != strings.Join(pws, ",") || strings.Join(got.Samples, ",") != strings.Join(samples, ",") {
				t.Fatalf("dimnames %v %v, want %v %v", got.Samples, got.Pathways, samples, pws)
			}
			worst := 0.0
			for i, w := range want {
				d := math.Abs(got.Scores[i] - w)
				if math.IsNaN(w) != math.IsNaN(got.Scores[i]) || d > tolAbs {
					t.Errorf("%s %s: got %.17g want %.17g", samples[i/len(pws)], pws[i%len(pws)], got.Scores[i], w)
				}
				if !math.IsNaN(d) {
					worst = max(worst, d)
				}
			}
			t.Logf("max abs diff %.3g", worst)
		})
	}
}

// TestScaledProperties: each scaled pathway has mean 0 and SD 1 across samples.
func TestScaledProperties(t *testing.T) {
	r, err := Score(loadExpr(t), Defaults())
	if err != nil {
		t.Fatal(err)
	}
	ns, np := len(r.Samples), len(r.Pathways)
	for k := 0; k < np; k++ {
		var s, ss float64
		for i := 0; i < ns; i++ {
			s += r.At(i, k)
		}
		for i := 0; i < ns; i++ {
			d := r.At(i, k) - s/float64(ns)
			ss += d * d
		}
		if math.Abs(s/float64(ns)) > 1e-12 || math.Abs(math.Sqrt(ss/float64(ns-1))-1) > 1e-12 {
			t.Errorf("%s: mean %g sd %g", r.Pathways[k], s/float64(ns), math.Sqrt(ss/float64(ns-1)))
		}
		if r.Used[k] == 0 || r.Used[k] > r.Model[k] || r.Model[k] != 100 {
			t.Errorf("%s: used %d of %d", r.Pathways[k], r.Used[k], r.Model[k])
		}
	}
}

func TestErrors(t *testing.T) {
	m := dataset.NewMatrix(dataset.Expression, []string{"NOPE1", "NOPE2"}, []string{"a", "b"})
	if _, err := Score(m, Defaults()); err == nil || !strings.Contains(err.Error(), "none of the") {
		t.Errorf("no common genes: err %v", err)
	}
	if _, err := Score(loadExpr(t), Options{Top: 0, Scale: true}); err == nil {
		t.Error("top 0 accepted")
	}
	if _, err := Score(nil, Defaults()); err == nil {
		t.Error("nil accepted")
	}
	bad := &dataset.Matrix{Genes: []string{"EGFR"}, Samples: []string{"a"}, Data: nil}
	if _, err := Score(bad, Defaults()); err == nil {
		t.Error("bad dims accepted")
	}
}

// TestEnsemblIDs: identifiers other than the model's symbols are matched
// through the gene map and give the same scores.
func TestEnsemblIDs(t *testing.T) {
	e := loadExpr(t)
	want, err := Score(e, Defaults())
	if err != nil {
		t.Fatal(err)
	}
	// Rename a model gene to its Entrez ID: TMPRSS2 = 7113.
	e2 := *e
	e2.Genes = append([]string(nil), e.Genes...)
	found := false
	for i, g := range e2.Genes {
		if g == "TMPRSS2" {
			e2.Genes[i] = "7113"
			found = true
		}
	}
	if !found {
		t.Skip("TMPRSS2 not in the fixture")
	}
	got, err := Score(&e2, Defaults())
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Scores {
		if math.Abs(want.Scores[i]-got.Scores[i]) > 1e-12 {
			t.Fatalf("score %d: %g vs %g", i, got.Scores[i], want.Scores[i])
		}
	}
}

func BenchmarkScore(b *testing.B) {
	for _, ns := range []int{12, 100, 285} {
		b.Run(fmt.Sprintf("20000x%d", ns), func(b *testing.B) {
			genes := make([]string, 20000)
			for i := range genes {
				genes[i] = fmt.Sprintf("G%d", i)
			}
			// real PROGENy genes in the first rows, the rest unmatched
			e := loadExpr(b)
			copy(genes, e.Genes)
			m := dataset.NewMatrix(dataset.Expression, genes, make([]string, ns))
			for j := range m.Samples {
				m.Samples[j] = fmt.Sprintf("S%d", j)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range m.Data {
				m.Data[i] = rng.NormFloat64()*2 + 6
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Score(m, Defaults()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
