package pam50

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
)

// readRows reads a tab-separated file with a header into string rows.
func readRows(t testing.TB, path string) (header []string, rows [][]string) {
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
		if header == nil {
			header = fs
			continue
		}
		rows = append(rows, fs)
	}
	return header, rows
}

func num(t testing.TB, s string) float64 {
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fixture returns the simulated matrix of testdata/gen/pam50.R and its annotation.
func fixture(t testing.TB) (*dataset.Matrix, []string) {
	h, rows := readRows(t, "testdata/pam50_expr.tsv")
	m := &dataset.Matrix{Kind: dataset.Expression, Samples: h[1:]}
	for _, r := range rows {
		m.Genes = append(m.Genes, r[0])
		for _, v := range r[1:] {
			m.Data = append(m.Data, num(t, v))
		}
	}
	_, ann := readRows(t, "testdata/pam50_annot.tsv")
	ent := make([]string, len(ann))
	for i, a := range ann {
		if a[0] != m.Genes[i] {
			t.Fatalf("annotation row %d is %s, matrix row %s", i, a[0], m.Genes[i])
		}
		ent[i] = a[1]
	}
	return m, ent
}

// TestGolden compares with genefu's intrinsic.cluster.predict (do.mapping=TRUE)
// and the UNC classifier, run in R 4.2.2 by testdata/gen/pam50.R.
func TestGolden(t *testing.T) {
	const tolAbs = 1e-10
	m, ent := fixture(t)
	for _, c := range []struct{ method, file string }{
		{Robust, "pam50.robust.tsv"}, {None, "pam50.tsv"}, {Scale, "pam50.scale.tsv"}, {UNC, "pam50_unc.tsv"},
	} {
		t.Run(c.method, func(t *testing.T) {
			res, err := Predict(m, Options{Method: c.method, Entrez: ent})
			if err != nil {
				t.Fatal(err)
			}
			h, rows := readRows(t, "testdata/"+c.file)
			if len(rows) != len(res.Samples) {
				t.Fatalf("%d samples, golden %d", len(res.Samples), len(rows))
			}
			worst := 0.0
			for i, r := range rows {
				if r[0] != res.Samples[i] || r[1] != res.Calls[i] {
					t.Errorf("sample %s: call %q, genefu %q", res.Samples[i], res.Calls[i], r[1])
				}
				for j := 2; j < len(r); j++ {
					var got float64
					k := (j - 2) % 5
					if strings.HasPrefix(h[j], "cor.") {
						got = res.Cor[i][k]
					} else {
						got = res.Proba[i][k]
					}
					want := num(t, r[j])
					d := math.Abs(got - want)
					if math.IsNaN(got) != math.IsNaN(want) || d > tolAbs {
						t.Errorf("%s %s: got %.17g want %.17g", r[0], h[j], got, want)
					}
					if !math.IsNaN(d) {
						worst = max(worst, d)
					}
				}
			}
			t.Logf("max abs diff %.3g", worst)
			if len(res.Missing) != 2 || res.NUsed != 48 {
				t.Errorf("missing %v, used %d; want MIA, BAG1 missing", res.Missing, res.NUsed)
			}
		})
	}
}

// TestMapping checks geneid.map's choice of probes against genefu's centroids.map.
func TestMapping(t *testing.T) {
	m, ent := fixture(t)
	res, err := Predict(m, Options{Entrez: ent})
	if err != nil {
		t.Fatal(err)
	}
	_, rows := readRows(t, "testdata/pam50.robust_map.tsv")
	want := map[string]string{}
	for _, r := range rows {
		want[r[1]] = r[0]
	}
	for _, g := range res.Genes {
		if g.Row < 0 {
			if _, ok := want[g.Probe]; ok {
				t.Errorf("%s not mapped; genefu used %s", g.Probe, want[g.Probe])
			}
			continue
		}
		if want[g.Probe] != g.ID {
			t.Errorf("%s mapped to %s, genefu %s", g.Probe, g.ID, want[g.Probe])
		}
	}
}

// TestSymbolsThroughGeneMap: the same data with current or outdated symbols as
// row names (no annotation) give the same result as the Entrez annotation.
func TestSymbolsThroughGeneMap(t *testing.T) {
	m, ent := fixture(t)
	want, err := Predict(m, Options{Entrez: ent})
	if err != nil {
		t.Fatal(err)
	}
	// keep one row per gene (the one genefu chose) and name it by symbol
	var idx []int
	var names []string
	for _, g := range want.Genes {
		if g.Row >= 0 {
			idx = append(idx, g.Row)
			names = append(names, g.Symbol) // CDCA1, KNTC2, ORC6L as published
		}
	}
	sub := m.SubsetRows(idx)
	sub.Genes = names
	got, err := Predict(sub, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Calls {
		if got.Calls[i] != want.Calls[i] {
			t.Errorf("%s: %s vs %s", want.Samples[i], got.Calls[i], want.Calls[i])
		}
		for k := range want.Cor[i] {
			if math.Abs(got.Cor[i][k]-want.Cor[i][k]) > 1e-12 {
				t.Fatalf("%s: cor differs", want.Samples[i])
			}
		}
	}
}

func TestRefuseFewGenes(t *testing.T) {
	m, ent := fixture(t)
	sub := m.SubsetRows([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	_, err := Predict(sub, Options{Entrez: ent[:10]})
	if err == nil || !strings.Contains(err.Error(), "only 10 of the 50 PAM50 genes") || !strings.Contains(err.Error(), "ESR1") {
		t.Errorf("err = %v", err)
	}
	if _, err := Predict(sub, Options{Entrez: ent[:10], MinGenes: 10}); err != nil {
		t.Errorf("MinGenes 10: %v", err)
	}
	if _, err := Predict(m, Options{Method: "bogus", Entrez: ent}); err == nil {
		t.Error("bogus method accepted")
	}
	if _, err := Predict(m, Options{Entrez: ent[:3]}); err == nil {
		t.Error("short Entrez accepted")
	}
}

// TestProperties: probabilities sum to 1, the call has the largest correlation,
// and correlations are invariant to a per-sample monotone change for "none".
func TestProperties(t *testing.T) {
	m, ent := fixture(t)
	res, err := Predict(m, Options{Entrez: ent})
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Samples {
		s := 0.0
		best := 0
		for k := range res.Proba[i] {
			s += res.Proba[i][k]
			if res.Cor[i][k] > res.Cor[i][best] {
				best = k
			}
		}
		if math.Abs(s-1) > 1e-12 || res.Calls[i] != res.Subtypes[best] {
			t.Errorf("%s: proba sum %g, call %s, max %s", res.Samples[i], s, res.Calls[i], res.Subtypes[best])
		}
	}
}

func TestQuantile7(t *testing.T) {
	// R 4.2.2: quantile(c(3,1,4,1,5,9,2,6), c(0.025, 0.975, 0.5))
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6, math.NaN()}
	for _, c := range []struct{ p, want float64 }{{0.025, 1}, {0.975, 8.4750000000000014}, {0.5, 3.5}} {
		if got := quantile7(x, c.p); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("p=%g: %.17g want %.17g", c.p, got, c.want)
		}
	}
}

func TestSwitchTable(t *testing.T) {
	samples := []string{"p1a", "p1b", "p2a", "p2b", "p3a", "p4a", "p4b", "p4r", "p5a", "p5b", "p5r", "x"}
	calls := []string{"Her2", "LumA", "Basal", "Basal", "LumB", "Her2", "LumA", "LumA", "Her2", "Her2", "LumB", "Basal"}
	patient := map[string]string{"p1a": "P1", "p1b": "P1", "p2a": "P2", "p2b": "P2", "p3a": "P3",
		"p4a": "P4", "p4b": "P4", "p4r": "P4", "p5a": "P5", "p5b": "P5", "p5r": "P5"}
	tp := map[string]string{"p1a": "pre", "p1b": "post", "p2a": "pre", "p2b": "post", "p3a": "pre",
		"p4a": "pre", "p4b": "pre", "p4r": "post", "p5a": "pre", "p5b": "pre", "p5r": "post"}
	sw, err := SwitchTable(samples, calls, patient, tp, "pre", "post")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		patient, pre, post string
		disc, switched     bool
	}
	want := []row{
		{"P1", "Her2", "LumA", false, true},
		{"P2", "Basal", "Basal", false, false},
		{"P3", "LumB", "", false, false},
		{"P4", "Her2/LumA", "LumA", true, false}, // residual matches one biopsy
		{"P5", "Her2", "LumB", false, true},      // two concordant biopsies
	}
	if len(sw) != len(want) {
		t.Fatalf("%d patients, want %d: %+v", len(sw), len(want), sw)
	}
	for i, w := range want {
		g := sw[i]
		if g.Patient != w.patient || g.Pre != w.pre || g.Post != w.post || g.PreDiscordant != w.disc || g.Switched != w.switched {
			t.Errorf("got %+v, want %+v", g, w)
		}
	}
	if len(sw[4].PreSamples) != 2 || sw[4].PostSamples[0] != "p5r" {
		t.Errorf("P5 samples %v %v", sw[4].PreSamples, sw[4].PostSamples)
	}
	labels, counts := CrossTab(sw, []string{"Basal", "Her2", "LumA", "LumB", "Normal"})
	// labels: Basal Her2 LumA LumB Normal discordant NA
	if labels[5] != "discordant" || labels[6] != "NA" || counts[1][2] != 1 || counts[0][0] != 1 || counts[3][6] != 1 ||
		counts[5][2] != 1 || counts[1][3] != 1 {
		t.Errorf("crosstab %v %v", labels, counts)
	}
	if _, err := SwitchTable(samples, calls[:3], patient, tp, "pre", "post"); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := SwitchTable(samples, calls, patient, tp, "pre", "pre"); err == nil {
		t.Error("pre == post accepted")
	}
}

func BenchmarkPredict(b *testing.B) {

	for _, ns := range []int{12, 100, 285} {
		b.Run(fmt.Sprintf("20000x%d", ns), func(b *testing.B) {
			genes := make([]string, 20000)
			for i := range genes {
				genes[i] = fmt.Sprintf("G%d", i)
			}
			copy(genes, []string{"ACTR3B", "ANLN", "BAG1", "BCL2", "BIRC5", "BLVRA", "CCNB1", "CCNE1", "CDC20", "CDC6", "CDCA1", "CDH3", "CENPF", "CEP55", "CXXC5", "EGFR", "ERBB2", "ESR1", "EXO1", "FGFR4", "FOXA1", "FOXC1", "GPR160", "GRB7", "KIF2C", "KNTC2", "KRT14", "KRT17", "KRT5", "MAPT", "MDM2", "MELK", "MIA", "MKI67", "MLPH", "MMP11", "MYBL2", "MYC", "NAT1", "ORC6L", "PGR", "PHGDH", "PTTG1", "RRM2", "SFRP1", "SLC39A6", "TMEM45B", "TYMS", "UBE2C", "UBE2T"})
			m := dataset.NewMatrix(dataset.Expression, genes, make([]string, ns))
			for j := range m.Samples {
				m.Samples[j] = fmt.Sprintf("S%d", j)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			for i := range m.Data {
				m.Data[i] = rng.NormFloat64()*2 + 7
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Predict(m, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestEdgeGolden: a constant gene, a two-valued gene (robust rescaling gives
// NaN and +-Inf), a sample with 3 values and one with 5, against genefu
// (testdata/gen/pam50.R). Rows are Entrez IDs resolved through the gene map.
// The one deliberate difference: genefu calls a sample without any correlation
// "Basal" (order(NA..., na.last=TRUE)[1]); Predict gives "".
func TestEdgeGolden(t *testing.T) {
	h, rows := readRows(t, "testdata/pam50_edge_expr.tsv")
	m := &dataset.Matrix{Kind: dataset.Expression, Samples: h[1:]}
	for _, r := range rows {
		m.Genes = append(m.Genes, r[0])
		for _, v := range r[1:] {
			m.Data = append(m.Data, num(t, v))
		}
	}
	for _, c := range []struct{ method, file string }{
		{Robust, "pam50_edge_pam50.robust.tsv"}, {None, "pam50_edge_pam50.tsv"}, {Scale, "pam50_edge_pam50.scale.tsv"},
	} {
		t.Run(c.method, func(t *testing.T) {
			res, err := Predict(m, Options{Method: c.method})
			if err != nil {
				t.Fatal(err)
			}
			hh, want := readRows(t, "testdata/"+c.file)
			for i, r := range want {
				allNaN := true
				for _, v := range res.Cor[i] {
					allNaN = allNaN && math.IsNaN(v)
				}
				wantCall := r[1]
				if allNaN && wantCall == "Basal" {
					wantCall = ""
				}
				if res.Calls[i] != wantCall {
					t.Errorf("%s: call %q, want %q (genefu %q)", r[0], res.Calls[i], wantCall, r[1])
				}
				for j := 2; j < len(r); j++ {
					got := res.Cor[i][(j-2)%5]
					if strings.HasPrefix(hh[j], "proba.") {
						got = res.Proba[i][(j-2)%5]
					}
					w := num(t, r[j])
					if math.IsNaN(got) != math.IsNaN(w) || math.Abs(got-w) > 1e-10 {
						t.Errorf("%s %s: got %.17g want %.17g", r[0], hh[j], got, w)
					}
				}
			}
		})
	}
}
