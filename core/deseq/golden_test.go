package deseq

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
)

// table is a TSV with a header row; the first column is the row name.
type table struct {
	cols []string
	rows []string
	data map[string][]string // column -> values
}

func readTable(t testing.TB, name string) *table {
	t.Helper()
	fh, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var r io.Reader = fh
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	tb := &table{data: map[string][]string{}}
	first := true
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if first {
			tb.cols = f[1:]
			if f[0] != "" && f[0] != "gene" {
				tb.cols = f
			}
			first = false
			continue
		}
		tb.rows = append(tb.rows, f[0])
		vals := f[1:]
		if len(f) == len(tb.cols) { // header names every column including the first
			vals = f
		}
		for i, c := range tb.cols {
			tb.data[c] = append(tb.data[c], vals[i])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tb
}

func (tb *table) num(t testing.TB, col string) []float64 {
	t.Helper()
	s, ok := tb.data[col]
	if !ok {
		t.Fatalf("no column %q", col)
	}
	out := make([]float64, len(s))
	for i, v := range s {
		if v == "NA" {
			out[i] = math.NaN()
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("column %s row %d: %v", col, i, err)
		}
		out[i] = x
	}
	return out
}

func readMeta(t testing.TB, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".meta.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.SplitN(l, "\t", 2)
		m[f[0]] = f[1]
	}
	return m
}

func metaNum(t testing.TB, m map[string]string, k string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(m[k], 64)
	if err != nil {
		t.Fatalf("meta %s: %v", k, err)
	}
	return v
}

type scenario struct {
	name     string
	counts   string // counts file prefix
	factors  []Factor
	priorVar bool // take dispPriorVar from R
	lrt      bool
	fitType  FitType
	calls    map[string]ResultsOptions
	shrink   string
}

func levelsOf(vals []string, levels ...string) Factor { return Factor{Levels: levels, Values: vals} }

func rep(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func cat(a ...[]string) []string {
	var out []string
	for _, x := range a {
		out = append(out, x...)
	}
	return out
}

func named(f Factor, n string) Factor { f.Name = n; return f }

func pats(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("P%02d", i+1)
	}
	return out
}

var scenarios = []scenario{
	{name: "two", counts: "two", factors: []Factor{named(levelsOf(cat(rep("A", 6), rep("B", 6)), "A", "B"), "condition")},
		calls: map[string]ResultsOptions{"default": {}, "noIF": {NoIndependentFiltering: true},
			"rev": {FactorContrast: []string{"condition", "A", "B"}}}, shrink: "condition_B_vs_A"},
	{name: "rep8", counts: "rep8", factors: []Factor{named(levelsOf(cat(rep("ctl", 8), rep("trt", 8)), "ctl", "trt"), "condition")},
		calls: map[string]ResultsOptions{"default": {}, "rev": {FactorContrast: []string{"condition", "ctl", "trt"}}}},
	{name: "twovtwo", counts: "twovtwo", priorVar: true, factors: []Factor{named(levelsOf(cat(rep("A", 2), rep("B", 2)), "A", "B"), "condition")},
		calls: map[string]ResultsOptions{"default": {}}},
	{name: "three", counts: "three", factors: []Factor{named(levelsOf(cat(rep("A", 3), rep("B", 3), rep("C", 3)), "A", "B", "C"), "group")},
		calls: map[string]ResultsOptions{"BvsA": {Name: "group_B_vs_A"}, "CvsB": {FactorContrast: []string{"group", "C", "B"}},
			"num": {Contrast: []float64{0, -1, 1}}}},
	{name: "threeLRT", counts: "three", lrt: true, factors: []Factor{named(levelsOf(cat(rep("A", 3), rep("B", 3), rep("C", 3)), "A", "B", "C"), "group")},
		calls: map[string]ResultsOptions{"default": {}}},
	{name: "paired", counts: "paired", factors: []Factor{
		named(levelsOf(cat([]string{"P1", "P2", "P3", "P4", "P5", "P6"}, []string{"P1", "P2", "P3", "P4", "P5", "P6"}), "P1", "P2", "P3", "P4", "P5", "P6"), "patient"),
		named(levelsOf(cat(rep("pre", 6), rep("post", 6)), "pre", "post"), "timepoint")},
		calls: map[string]ResultsOptions{"default": {}, "contrast": {FactorContrast: []string{"timepoint", "post", "pre"}}}, shrink: "timepoint_post_vs_pre"},
	{name: "paired12", counts: "paired12", factors: []Factor{
		named(levelsOf(cat(pats(12), pats(12)), pats(12)...), "patient"),
		named(levelsOf(cat(rep("pre", 12), rep("post", 12)), "pre", "post"), "timepoint")},
		calls: map[string]ResultsOptions{"default": {}}},
	{name: "unbal", counts: "unbal", factors: []Factor{named(levelsOf(cat(rep("a", 3), rep("b", 9)), "a", "b"), "condition")},
		calls: map[string]ResultsOptions{"default": {}}},
	{name: "nopar", counts: "nopar", factors: []Factor{named(levelsOf(cat(rep("A", 5), rep("B", 5)), "A", "B"), "condition")},
		calls: map[string]ResultsOptions{"default": {}}},
	{name: "nopar_mean", counts: "nopar", fitType: Mean, factors: []Factor{named(levelsOf(cat(rep("A", 5), rep("B", 5)), "A", "B"), "condition")},
		calls: map[string]ResultsOptions{"default": {}}},
}

func loadInput(t testing.TB, sc scenario) (*dataset.Matrix, []float64, []string) {
	ct := readTable(t, sc.counts+".counts.tsv")
	G, m := len(ct.rows), len(ct.cols)
	cm := dataset.NewMatrix(dataset.Counts, ct.rows, ct.cols)
	for j, c := range ct.cols {
		v := ct.num(t, c)
		for g := 0; g < G; g++ {
			cm.Data[g*m+j] = v[g]
		}
	}
	dt := readTable(t, sc.name+".design.tsv")
	p := len(dt.cols)
	X := make([]float64, m*p)
	for k, c := range dt.cols {
		v := dt.num(t, c)
		for j := 0; j < m; j++ {
			X[j*p+k] = v[j]
		}
	}
	return cm, X, dt.cols
}

func runScenario(t testing.TB, sc scenario, workers int) (*Fit, map[string]string) {
	cm, X, cols := loadInput(t, sc)
	meta := readMeta(t, sc.name)
	opts := Options{Factors: sc.factors, FitType: sc.fitType, Workers: workers}
	if sc.priorVar {
		opts.DispPriorVar = metaNum(t, meta, "dispPriorVar")
	}
	if sc.lrt {
		opts.Test = LRT
		opts.Reduced = make([]float64, cm.Cols())
		for i := range opts.Reduced {
			opts.Reduced[i] = 1
		}
		opts.ReducedColnames = []string{"Intercept"}
	}
	fit, err := Run(cm, X, cols, opts)
	if err != nil {
		t.Fatalf("%s: %v", sc.name, err)
	}
	return fit, meta
}

func relErr(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(b), 1e-300)
}

func checkRel(t *testing.T, what string, genes []string, got, want []float64, tol float64) {
	t.Helper()
	bad := 0
	worst := 0.0
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) {
			if bad < 5 {
				t.Errorf("%s %s: NA mismatch got %v want %v", what, genes[i], got[i], want[i])
			}
			bad++
			continue
		}
		if math.IsNaN(want[i]) {
			continue
		}
		e := relErr(got[i], want[i])
		worst = math.Max(worst, e)
		if e > tol {
			if bad < 5 {
				t.Errorf("%s %s: got %.17g want %.17g (rel %.3g > %g)", what, genes[i], got[i], want[i], e, tol)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d mismatches (worst rel %.3g)", what, bad, worst)
	} else {
		t.Logf("%s: worst rel %.3g", what, worst)
	}
}

func TestGoldenSizeFactorsAndDispersions(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			fit, meta := runScenario(t, sc, 1)
			sf := readTable(t, sc.name+".sf.tsv").num(t, "sizeFactor")
			checkRel(t, "sizeFactor", fit.Samples, fit.SizeFactors, sf, 1e-8)
			mc := readTable(t, sc.name+".mcols.tsv.gz")
			checkRel(t, "baseMean", fit.Genes, fit.BaseMean, mc.num(t, "baseMean"), 1e-10)
			// Below 10*minDisp = 1e-7 the gene-wise likelihood is flat to rounding
			// (lgamma of 1/α > 1e7) and DESeq2 itself treats the estimate as zero
			// (no grid refit, not used for the trend, MAP starts from the trend):
			// the digits there are R's rounding noise, so they are compared
			// absolutely to 1e-7.
			geW := mc.num(t, "dispGeneEst")
			geG := append([]float64(nil), fit.DispGeneEst...)
			for i := range geW {
				if geW[i] < 1e-7 && math.Abs(geG[i]-geW[i]) < 1e-7 {
					geG[i] = geW[i]
				}
			}
			checkRel(t, "dispGeneEst", fit.Genes, geG, geW, 1e-5)
			checkRel(t, "dispFit", fit.Genes, fit.DispFit, mc.num(t, "dispFit"), 1e-5)
			checkRel(t, "dispMAP", fit.Genes, fit.DispMAP, mc.num(t, "dispMAP"), 1e-5)
			checkRel(t, "dispersion", fit.Genes, fit.Dispersion, mc.num(t, "dispersion"), 1e-5)
			if v, ok := meta["dispPriorVar"]; ok {
				want, _ := strconv.ParseFloat(v, 64)
				if e := relErr(fit.DispPriorVar, want); e > 1e-6 {
					t.Errorf("dispPriorVar %.17g want %.17g", fit.DispPriorVar, want)
				}
			}
			if ft := meta["fitType"]; ft != fit.Trend.Type.String() {
				t.Errorf("fitType %s want %s", fit.Trend.Type, ft)
			}
			mcg := mc.num(t, "maxCooks")
			checkRel(t, "maxCooks", fit.Genes, fit.MaxCooks, mcg, 1e-4)
			for k, c := range fit.Coef {
				b := make([]float64, len(fit.Genes))
				for g := range b {
					b[g] = fit.Beta[g*fit.P+k]
				}
				checkAbsBM(t, "beta "+c, fit.Genes, b, mc.num(t, c), fit.BaseMean, 1e-5)
			}
		})
	}
}

// checkAbsBM compares absolutely for genes with baseMean >= 1.
func checkAbsBM(t *testing.T, what string, genes []string, got, want, bm []float64, tol float64) {
	t.Helper()
	bad := 0
	worst := 0.0
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) {
			if bad < 5 {
				t.Errorf("%s %s: NA mismatch got %v want %v", what, genes[i], got[i], want[i])
			}
			bad++
			continue
		}
		if math.IsNaN(want[i]) || bm[i] < 1 {
			continue
		}
		e := math.Abs(got[i] - want[i])
		worst = math.Max(worst, e)
		if e > tol {
			if bad < 5 {
				t.Errorf("%s %s: got %.17g want %.17g (abs %.3g > %g)", what, genes[i], got[i], want[i], e, tol)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d mismatches (worst abs %.3g)", what, bad, worst)
	} else {
		t.Logf("%s: worst abs %.3g", what, worst)
	}
}

func checkLog10(t *testing.T, what string, genes []string, got, want []float64, tol float64) {
	t.Helper()
	bad := 0
	worst := 0.0
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) {
			if bad < 5 {
				t.Errorf("%s %s: NA mismatch got %v want %v", what, genes[i], got[i], want[i])
			}
			bad++
			continue
		}
		if math.IsNaN(want[i]) {
			continue
		}
		e := math.Abs(math.Log10(got[i]) - math.Log10(want[i]))
		if want[i] == got[i] {
			e = 0
		}
		worst = math.Max(worst, e)
		if e > tol {
			if bad < 5 {
				t.Errorf("%s %s: got %.17g want %.17g (log10 diff %.3g > %g)", what, genes[i], got[i], want[i], e, tol)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d mismatches (worst %.3g)", what, bad, worst)
	} else {
		t.Logf("%s: worst log10 diff %.3g", what, worst)
	}
}

func TestGoldenResults(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			fit, meta := runScenario(t, sc, 1)
			rt := readTable(t, sc.name+".res.tsv.gz")
			calls := rt.data["call"]
			G := len(fit.Genes)
			for call, ro := range sc.calls {
				start := -1
				for i, c := range calls {
					if c == call {
						start = i
						break
					}
				}
				if start < 0 {
					t.Fatalf("call %s not in golden", call)
				}
				sub := func(col string) []float64 { return rt.num(t, col)[start : start+G] }
				res, err := fit.Results(ro)
				if err != nil {
					t.Fatalf("%s: %v", call, err)
				}
				checkRel(t, call+" baseMean", fit.Genes, res.BaseMean, sub("baseMean"), 1e-10)
				checkAbsBM(t, call+" log2FoldChange", fit.Genes, res.Log2FoldChange, sub("log2FoldChange"), res.BaseMean, 1e-5)
				checkAbsBM(t, call+" lfcSE", fit.Genes, res.LfcSE, sub("lfcSE"), res.BaseMean, 1e-5)
				checkLog10(t, call+" pvalue", fit.Genes, res.Pvalue, sub("pvalue"), 1e-4)
				checkLog10(t, call+" padj", fit.Genes, res.Padj, sub("padj"), 1e-4)
				if v, ok := meta[call+".filterTheta"]; ok {
					want, _ := strconv.ParseFloat(v, 64)
					if relErr(res.FilterTheta, want) > 1e-12 {
						t.Errorf("%s filterTheta %v want %v", call, res.FilterTheta, want)
					}
				}
			}
		})
	}
}

func TestGoldenShrinkNormal(t *testing.T) {
	for _, sc := range scenarios {
		if sc.shrink == "" {
			continue
		}
		t.Run(sc.name, func(t *testing.T) {
			fit, meta := runScenario(t, sc, 1)
			res, prior, err := fit.ShrinkNormal(sc.shrink, ResultsOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var want []float64
			for _, s := range strings.Split(meta["shrinkBetaPriorVar"], ",") {
				v, _ := strconv.ParseFloat(s, 64)
				want = append(want, v)
			}
			checkRel(t, "betaPriorVar", fit.Coef, prior, want, 1e-8)
			rt := readTable(t, sc.name+".res.tsv.gz")
			calls := rt.data["call"]
			G := len(fit.Genes)
			start := -1
			for i, c := range calls {
				if c == "shrink:"+sc.shrink {
					start = i
					break
				}
			}
			if start < 0 {
				t.Fatal("no shrink call in golden")
			}
			sub := func(col string) []float64 { return rt.num(t, col)[start : start+G] }
			checkAbsBM(t, "shrunken log2FoldChange", fit.Genes, res.Log2FoldChange, sub("log2FoldChange"), res.BaseMean, 1e-5)
			checkAbsBM(t, "shrunken lfcSE", fit.Genes, res.LfcSE, sub("lfcSE"), res.BaseMean, 1e-5)
			checkLog10(t, "pvalue", fit.Genes, res.Pvalue, sub("pvalue"), 1e-4)
			checkLog10(t, "padj", fit.Genes, res.Padj, sub("padj"), 1e-4)
		})
	}
}

// TestGoldenLFCThreshold: results(dds, lfcThreshold = 0.5, altHypothesis = ...)
// for the four alternatives (DESeq2 1.38.3, testdata/gen/make_threshold.R).
func TestGoldenLFCThreshold(t *testing.T) {
	fit, _ := runScenario(t, scenarios[0], 1)
	gt := readTable(t, "two.threshold.tsv.gz")
	calls := gt.data["call"]
	G := len(fit.Genes)
	for _, c := range []struct {
		name string
		alt  AltHypothesis
	}{{"greaterAbs", GreaterAbs}, {"lessAbs", LessAbs}, {"greater", Greater}, {"less", Less}} {
		start := -1
		for i, v := range calls {
			if v == c.name {
				start = i
				break
			}
		}
		if start < 0 {
			t.Fatalf("no %s rows", c.name)
		}
		res, err := fit.Results(ResultsOptions{LFCThreshold: 0.5, AltHypothesis: c.alt})
		if err != nil {
			t.Fatal(err)
		}
		sub := func(col string) []float64 { return gt.num(t, col)[start : start+G] }
		want := sub("stat")
		got := append([]float64(nil), res.Stat...)
		for i := range got {
			if math.Abs(got[i]-want[i]) < 1e-12 {
				got[i] = want[i] // exact zeros
			}
		}
		checkRel(t, c.name+" stat", fit.Genes, got, want, 1e-8)
		checkLog10(t, c.name+" pvalue", fit.Genes, res.Pvalue, sub("pvalue"), 1e-4)
		checkLog10(t, c.name+" padj", fit.Genes, res.Padj, sub("padj"), 1e-4)
	}
}
