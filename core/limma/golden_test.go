package limma

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// The goldens in testdata were made by testdata/gen/limma.R with R 4.2.2,
// limma 3.54.1, edgeR 3.40.2 and statmod 1.5.0.

func parseF(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

// readLines reads a tab-separated file, or its gzipped form path+".gz".
func readLines(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	var r io.Reader = f
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.Open(path + ".gz")
		if err == nil {
			zr, zerr := gzip.NewReader(f)
			if zerr != nil {
				t.Fatal(zerr)
			}
			r = zr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		out = append(out, strings.Split(sc.Text(), "\t"))
	}
	return out
}

// readMatrix reads a "gene s1 s2 ..." table.
func readMatrix(t testing.TB, path string, kind dataset.Kind) *dataset.Matrix {
	l := readLines(t, path)
	m := &dataset.Matrix{Kind: kind, Samples: l[0][1:]}
	for _, row := range l[1:] {
		m.Genes = append(m.Genes, row[0])
		for _, s := range row[1:] {
			m.Data = append(m.Data, parseF(t, s))
		}
	}
	return m
}

func readSheet(t testing.TB, path string) *design.Frame {
	l := readLines(t, path)
	fr := &design.Frame{Columns: map[string][]string{}}
	for _, row := range l[1:] {
		fr.Samples = append(fr.Samples, row[0])
		for k := 1; k < len(row); k++ {
			fr.Columns[l[0][k]] = append(fr.Columns[l[0][k]], row[k])
		}
	}
	return fr
}

func readHyper(t testing.TB, path string) map[string][]float64 {
	out := map[string][]float64{}
	for _, row := range readLines(t, path) {
		for _, s := range row[1:] {
			out[row[0]] = append(out[row[0]], parseF(t, s))
		}
	}
	return out
}

func readVector(t testing.TB, path string) []float64 {
	var out []float64
	for _, row := range readLines(t, path) {
		out = append(out, parseF(t, row[0]))
	}
	return out
}

type tol struct{ abs, rel float64 }

func close(got, want float64, tl tol) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	d := math.Abs(got - want)
	return d <= tl.abs || d <= tl.rel*math.Abs(want)
}

func checkSlice(t *testing.T, what string, got, want []float64, tl tol) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range want {
		if !close(got[i], want[i], tl) {
			if bad < 5 {
				t.Errorf("%s[%d] = %.17g, want %.17g", what, i, got[i], want[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d outside tolerance %+v", what, bad, len(want), tl)
	}
}

// Acceptance tolerances of issue 4.
var (
	tolWeights = tol{0, 1e-8}
	tolLogFC   = tol{1e-8, 0}
	tolT       = tol{1e-8, 0}
	tolAdjP    = tol{0, 1e-6}
	tolDupCor  = tol{1e-6, 0}
	tolTight   = tol{1e-10, 1e-9} // sigma, s2.post, stdev.unscaled, df
)

// checkTop compares a topTable(sort.by = "none", number = Inf) golden.
func checkTop(t *testing.T, path string, f *Fit, coef int) {
	t.Helper()
	rows, err := TopTable(f, coef, &TopTableOptions{SortBy: "none"})
	if err != nil {
		t.Fatal(err)
	}
	l := readLines(t, path)
	hdr := l[0]
	col := map[string]int{}
	for i, h := range hdr {
		col[h] = i
	}
	want := map[string][]float64{}
	var genes []string
	for _, r := range l[1:] {
		genes = append(genes, r[0])
		for _, h := range hdr[1:] {
			want[h] = append(want[h], parseF(t, r[col[h]]))
		}
	}
	if len(rows) != len(genes) {
		t.Fatalf("%d rows, want %d", len(rows), len(genes))
	}
	got := map[string][]float64{}
	p := f.NCoef()
	for i, r := range rows {
		if r.Gene != genes[i] {
			t.Fatalf("row %d gene %s want %s", i, r.Gene, genes[i])
		}
		got["logFC"] = append(got["logFC"], r.LogFC)
		got["AveExpr"] = append(got["AveExpr"], r.AveExpr)
		got["t"] = append(got["t"], r.T)
		got["P.Value"] = append(got["P.Value"], r.PValue)
		got["adj.P.Val"] = append(got["adj.P.Val"], r.AdjPVal)
		got["B"] = append(got["B"], r.B)
		g := r.Index
		got["sigma"] = append(got["sigma"], f.Sigma[g])
		got["s2.post"] = append(got["s2.post"], f.S2Post[g])
		got["df.total"] = append(got["df.total"], f.DfTotal[g])
		got["stdev.unscaled"] = append(got["stdev.unscaled"], f.StdevUnscaled[g*p+coef])
	}
	checkSlice(t, "logFC", got["logFC"], want["logFC"], tolLogFC)
	checkSlice(t, "t", got["t"], want["t"], tolT)
	checkSlice(t, "adj.P.Val", got["adj.P.Val"], want["adj.P.Val"], tolAdjP)
	checkSlice(t, "P.Value", got["P.Value"], want["P.Value"], tol{0, 1e-6})
	checkSlice(t, "AveExpr", got["AveExpr"], want["AveExpr"], tol{1e-12, 1e-12})
	checkSlice(t, "B", got["B"], want["B"], tol{1e-6, 1e-6})
	for _, k := range []string{"sigma", "s2.post", "df.total", "stdev.unscaled"} {
		checkSlice(t, k, got[k], want[k], tolTight)
	}
}

func mustDesign(t testing.TB, formula string, fr *design.Frame) *design.Matrix {
	t.Helper()
	m, err := design.ModelMatrix(formula, fr)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGoldenTwoGroups(t *testing.T) {
	counts := readMatrix(t, "testdata/two_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/two_samples.tsv")
	lib := make([]float64, len(fr.Samples))
	for i, s := range fr.Columns["efflib"] {
		lib[i] = parseF(t, s)
	}
	X := mustDesign(t, "~ group", fr)
	v, err := Voom(counts, X, &VoomOptions{LibSize: lib})
	if err != nil {
		t.Fatal(err)
	}
	w := readMatrix(t, "testdata/two_weights.tsv", dataset.Expression)
	checkSlice(t, "weights", v.Weights, w.Data, tolWeights)
	fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(fit, nil); err != nil {
		t.Fatal(err)
	}
	h := readHyper(t, "testdata/two_hyper.tsv")
	checkSlice(t, "df.prior", fit.DfPrior, h["df.prior"], tolTight)
	checkSlice(t, "s2.prior", fit.S2Prior, h["s2.prior"], tolTight)
	checkSlice(t, "var.prior", fit.VarPrior, h["var.prior"], tol{1e-6, 1e-6})
	checkTop(t, "testdata/two_top.tsv", fit, 1)
}

func TestGoldenThreeGroupsContrast(t *testing.T) {
	counts := readMatrix(t, "testdata/three_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/three_samples.tsv")
	X := mustDesign(t, "~ group", fr)
	v, err := Voom(counts, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := readMatrix(t, "testdata/three_weights.tsv", dataset.Expression)
	checkSlice(t, "weights", v.Weights, w.Data, tolWeights)
	fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights})
	if err != nil {
		t.Fatal(err)
	}
	c, err := design.ContrastVector(X, "group,c,b")
	if err != nil {
		t.Fatal(err)
	}
	cf, err := ContrastsFit(fit, c, []string{"cVSb"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(cf, nil); err != nil {
		t.Fatal(err)
	}
	h := readHyper(t, "testdata/three_hyper.tsv")
	checkSlice(t, "df.prior", cf.DfPrior, h["df.prior"], tolTight)
	checkSlice(t, "var.prior", cf.VarPrior, h["var.prior"], tol{1e-6, 1e-6})
	checkTop(t, "testdata/three_top.tsv", cf, 0)
}

func TestGoldenPairedDupCor(t *testing.T) {
	counts := readMatrix(t, "testdata/paired_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/paired_samples.tsv")
	X := mustDesign(t, "~ HET", fr)
	v, err := Voom(counts, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := readMatrix(t, "testdata/paired_weights.tsv", dataset.Expression)
	checkSlice(t, "weights", v.Weights, w.Data, tolWeights)
	block := fr.Columns["patient"]
	dc, err := DuplicateCorrelation(v.E, X, block, &DupCorOptions{Weights: v.Weights})
	if err != nil {
		t.Fatal(err)
	}
	h := readHyper(t, "testdata/paired_hyper.tsv")
	checkSlice(t, "consensus", []float64{dc.Consensus}, h["consensus"], tolDupCor)
	checkSlice(t, "atanh", dc.AtanhCorrelations, readVector(t, "testdata/paired_atanh.tsv"), tol{1e-6, 1e-6})
	fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Block: block, Correlation: h["consensus"][0]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(fit, nil); err != nil {
		t.Fatal(err)
	}
	checkSlice(t, "df.prior", fit.DfPrior, h["df.prior"], tolTight)
	checkSlice(t, "s2.prior", fit.S2Prior, h["s2.prior"], tolTight)
	checkTop(t, "testdata/paired_top.tsv", fit, 1)
}

func TestGoldenTrendBlockUnweighted(t *testing.T) {
	lc := readMatrix(t, "testdata/trend_logcpm.tsv", dataset.Expression)
	fr := readSheet(t, "testdata/paired_samples.tsv")
	X := mustDesign(t, "~ HET", fr)
	block := fr.Columns["patient"]
	dc, err := DuplicateCorrelation(lc, X, block, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := readHyper(t, "testdata/trend_hyper.tsv")
	checkSlice(t, "consensus", []float64{dc.Consensus}, h["consensus"], tolDupCor)
	checkSlice(t, "atanh", dc.AtanhCorrelations, readVector(t, "testdata/trend_atanh.tsv"), tol{1e-6, 1e-6})
	fit, err := LmFit(lc, X, &LmOptions{Block: block, Correlation: h["consensus"][0]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(fit, &EBayesOptions{Trend: true}); err != nil {
		t.Fatal(err)
	}
	checkSlice(t, "df.prior", fit.DfPrior, h["df.prior"], tolTight)
	checkSlice(t, "s2.prior", fit.S2Prior, readVector(t, "testdata/trend_s2prior.tsv"), tolTight)
	checkTop(t, "testdata/trend_top.tsv", fit, 1)
}

func TestGoldenPatientTimepoint(t *testing.T) {
	counts := readMatrix(t, "testdata/pt_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/pt_samples.tsv")
	fr.Levels = map[string][]string{"timepoint": {"pre", "post"}}
	X := mustDesign(t, "~ patient + timepoint", fr)
	if err := X.CheckRank(); err != nil {
		t.Fatal(err)
	}
	v, err := Voom(counts, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := readMatrix(t, "testdata/pt_weights.tsv", dataset.Expression)
	checkSlice(t, "weights", v.Weights, w.Data, tolWeights)
	fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(fit, nil); err != nil {
		t.Fatal(err)
	}
	h := readHyper(t, "testdata/pt_hyper.tsv")
	checkSlice(t, "df.prior", fit.DfPrior, h["df.prior"], tolTight)
	checkSlice(t, "s2.prior", fit.S2Prior, h["s2.prior"], tolTight)
	checkTop(t, "testdata/pt_top.tsv", fit, X.Index("timepointpost"))
}

func TestGoldenSqueezeVar(t *testing.T) {
	h := readHyper(t, "testdata/squeeze.tsv")
	cases := []struct {
		name   string
		v, df  []float64
		cov    []float64
		prefix string
	}{
		{"scalar df", []float64{0.5, 1.3, 7.8, 0.02, 2.2}, []float64{3}, nil, "sv1"},
		{"covariate", []float64{.5, .5, 1.3, 1.3, 7.8, 7.8, 0.1, 3}, []float64{20}, []float64{1, 2, 3, 4, 5, 6, 2.5, 4.5}, "sv2"},
		{"df zero", []float64{0.5, 1.3, 7.8, 0, 2.2, 1.1}, []float64{3, 3, 2, 0, 4, 3}, nil, "sv3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := SqueezeVar(c.v, c.df, c.cov, false, [2]float64{})
			if err != nil {
				t.Fatal(err)
			}
			checkSlice(t, "df.prior", r.DfPrior, h[c.prefix+".df"], tol{1e-12, 1e-10})
			checkSlice(t, "var.prior", r.VarPrior, h[c.prefix+".prior"], tol{1e-12, 1e-10})
			checkSlice(t, "var.post", r.VarPost, h[c.prefix+".post"], tol{1e-12, 1e-10})
		})
	}
}

func TestGoldenMissingAndRobust(t *testing.T) {
	E := readMatrix(t, "testdata/na_E.tsv", dataset.Expression)
	W := readMatrix(t, "testdata/two_weights.tsv", dataset.Expression)
	fr := readSheet(t, "testdata/two_samples.tsv")
	X := mustDesign(t, "~ group", fr)
	fitFor := func() *Fit {
		f, err := LmFit(E, X, &LmOptions{Weights: W.Data})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	cases := []struct {
		name string
		opt  *EBayesOptions
		file string
	}{
		{"plain", nil, "testdata/na_top.tsv"},
		{"robust", &EBayesOptions{Robust: true}, "testdata/na_robust_top.tsv"},
		{"trend robust", &EBayesOptions{Robust: true, Trend: true}, "testdata/na_trendrobust_top.tsv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := fitFor()
			if _, err := EBayes(f, c.opt); err != nil {
				t.Fatal(err)
			}
			checkTop(t, c.file, f, 1)
			if c.name == "robust" {
				checkSlice(t, "df.prior", f.DfPrior, readHyper(t, "testdata/na_robust_dfprior.tsv")["df.prior"], tol{1e-8, 1e-7})
			}
		})
	}
}

func TestGoldenRobustComplete(t *testing.T) {
	counts := readMatrix(t, "testdata/three_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/three_samples.tsv")
	X := mustDesign(t, "~ group", fr)
	v, err := Voom(counts, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	fit, err := LmFit(v.E, X, &LmOptions{Weights: v.Weights})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := design.ContrastVector(X, "group,c,b")
	cf, err := ContrastsFit(fit, c, []string{"cVSb"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EBayes(cf, &EBayesOptions{Robust: true}); err != nil {
		t.Fatal(err)
	}
	checkTop(t, "testdata/three_robust_top.tsv", cf, 0)
}
