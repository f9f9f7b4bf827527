package edger

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// Goldens: testdata/gen/ql_goldens.R (R 4.2.2, edgeR 3.40.2, limma 3.54.1).
// Tolerances (issue #4): dispersions (common, trended) rel <= 1e-6; logFC
// abs <= 1e-6; F rel <= 1e-6; PValue within 1e-4 on the log10 scale; FDR
// rel <= 1e-6; the same kept genes and NA patterns.
const (
	tolDispRel = 1e-6
	tolLogFC   = 1e-6
	tolFRel    = 1e-6
	tolLog10P  = 1e-4
	tolFDRRel  = 1e-6
)

type goldenCase struct {
	name, formula string
	coef          int       // 0-based, when contrast is nil
	contrast      []float64 //
	robust        bool
}

var goldenCases = []goldenCase{
	{name: "two", formula: "~ group", coef: 1},
	{name: "small", formula: "~ group", coef: 1},
	{name: "three", formula: "~ group", contrast: []float64{0, -1, 1}},
	{name: "paired", formula: "~ patient + timepoint", coef: 6},
	{name: "robust", formula: "~ group", coef: 1, robust: true},
}

func readTSV(t testing.TB, path string) (comments []string, header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			comments = append(comments, line)
			continue
		}
		if header == nil {
			header = strings.Split(line, "\t")
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	s = strings.TrimSpace(s)
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q", s)
	}
	return v
}

func loadCase(t testing.TB, c goldenCase) (*dataset.Matrix, *design.Matrix) {
	_, hdr, rows := readTSV(t, "testdata/"+c.name+"_counts.tsv")
	genes := make([]string, len(rows))
	for g, r := range rows {
		genes[g] = r[0]
	}
	m := dataset.NewMatrix(dataset.Counts, genes, hdr[1:])
	for g, r := range rows {
		for s := 1; s < len(r); s++ {
			m.Set(g, s-1, num(t, r[s]))
		}
	}
	_, sh, srows := readTSV(t, "testdata/"+c.name+"_samples.tsv")
	fr := &design.Frame{Columns: map[string][]string{}}
	for _, r := range srows {
		fr.Samples = append(fr.Samples, r[0])
	}
	for j := 1; j < len(sh); j++ {
		col := make([]string, len(srows))
		for i, r := range srows {
			col[i] = r[j]
		}
		fr.Columns[sh[j]] = col
	}
	X, err := design.ModelMatrix(c.formula, fr)
	if err != nil {
		t.Fatal(err)
	}
	return m, X
}

type rGolden struct {
	common, dfPrior float64
	nf              []float64
	genes           []string
	cols            map[string][]float64
}

func loadGolden(t testing.TB, name string) *rGolden {
	com, hdr, rows := readTSV(t, "testdata/"+name+"_edger.tsv")
	g := &rGolden{cols: map[string][]float64{}}
	for _, c := range com {
		kv := strings.SplitN(strings.TrimPrefix(c, "# "), "=", 2)
		switch kv[0] {
		case "common.dispersion":
			g.common = num(t, kv[1])
		case "df.prior":
			g.dfPrior = num(t, kv[1])
		case "norm.factors":
			for _, s := range strings.Split(kv[1], ",") {
				g.nf = append(g.nf, num(t, s))
			}
		}
	}
	for _, r := range rows {
		g.genes = append(g.genes, r[0])
		for j := 1; j < len(hdr); j++ {
			g.cols[hdr[j]] = append(g.cols[hdr[j]], num(t, r[j]))
		}
	}
	return g
}

// cmp reports the largest error of got against want (relative or absolute)
// and fails above tol; NaN must match NaN.
func cmp(t *testing.T, what string, got, want []float64, tol float64, rel bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	worst, at := 0.0, -1
	for i := range got {
		if math.IsNaN(want[i]) || math.IsNaN(got[i]) {
			if math.IsNaN(want[i]) != math.IsNaN(got[i]) {
				t.Errorf("%s[%d]: got %v want %v (NA pattern)", what, i, got[i], want[i])
			}
			continue
		}
		if math.IsInf(want[i], 0) || math.IsInf(got[i], 0) {
			if got[i] != want[i] {
				t.Errorf("%s[%d]: got %v want %v", what, i, got[i], want[i])
			}
			continue
		}
		e := math.Abs(got[i] - want[i])
		if rel && want[i] != 0 {
			// relative, with a floor of 1e-3 below which values are compared
			// absolutely (F and deviances of genes whose likelihood ratio is
			// at the Levenberg fit's convergence tolerance, ~1e-9)
			e /= math.Max(math.Abs(want[i]), 1e-3)
		}
		if e > worst {
			worst, at = e, i
		}
	}
	t.Logf("%-10s max err %.3g (at %d)", what, worst, at)
	if worst > tol {
		t.Errorf("%s: max error %.3g at %d (got %.17g want %.17g) > %g", what, worst, at, got[at], want[at], tol)
	}
}

func log10s(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = math.Log10(v)
	}
	return out
}

func TestGoldenQLWorkflow(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			m, X := loadCase(t, c)
			want := loadGolden(t, c.name)
			res, err := QLWorkflow(m, X, &Options{Coef: c.coef, Contrast: c.contrast, Robust: c.robust, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(res.Genes, ",") != strings.Join(want.genes, ",") {
				t.Fatalf("kept genes differ: %d vs %d", len(res.Genes), len(want.genes))
			}
			cmp(t, "normfac", res.NormFactors, want.nf, 1e-12, true)
			cmp(t, "common", []float64{res.Disp.Common}, []float64{want.common}, tolDispRel, true)
			cmp(t, "AveLogCPM", res.Disp.AveLogCPM, want.cols["AveLogCPM"], 1e-10, false)
			cmp(t, "df.zeros", res.Fit.DfResidualZeros, want.cols["df.zeros"], 0, false)
			check := cmp
			check(t, "trended", res.Disp.Trended, want.cols["trended"], tolDispRel, true)
			check(t, "deviance", res.Fit.Deviance, want.cols["deviance"], 1e-6, true)
			check(t, "var.post", res.Fit.VarPost, want.cols["var.post"], 1e-6, true)
			dfp := make([]float64, len(res.Genes))
			for g := range dfp {
				dfp[g] = res.Fit.DfPrior[g%len(res.Fit.DfPrior)]
			}
			check(t, "df.prior", dfp, want.cols["df.prior"], 1e-6, true)
			check(t, "logFC", res.Table.LogFC, want.cols["logFC"], tolLogFC, false)
			check(t, "F", res.Table.F, want.cols["F"], tolFRel, true)
			check(t, "log10 P", log10s(res.Table.PValue), log10s(want.cols["PValue"]), tolLog10P, false)
			check(t, "FDR", res.Table.FDR, want.cols["FDR"], tolFDRRel, true)
		})
	}
}

// TestGoldenQLGivenTrend isolates glmQLFit/glmQLFTest: it uses R's trended
// dispersions and AveLogCPM.
func TestGoldenQLGivenTrend(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			m, X := loadCase(t, c)
			want := loadGolden(t, c.name)
			res, err := QLWorkflow(m, X, &Options{Coef: c.coef, Contrast: c.contrast, Robust: c.robust})
			if err != nil {
				t.Fatal(err)
			}
			fit, err := GLMQLFit(res.Fit.y, res.Fit.NGenes, res.Fit.N, res.Fit.x, res.Fit.P, res.Fit.offset,
				want.cols["trended"], want.cols["AveLogCPM"], c.robust, 1)
			if err != nil {
				t.Fatal(err)
			}
			var tab *QLResult
			if c.contrast != nil {
				tab, err = fit.TestContrast(c.contrast)
			} else {
				tab, err = fit.TestCoef(c.coef)
			}
			if err != nil {
				t.Fatal(err)
			}
			cmp(t, "deviance", fit.Deviance, want.cols["deviance"], 1e-6, true)
			cmp(t, "df.zeros", fit.DfResidualZeros, want.cols["df.zeros"], 0, false)
			cmp(t, "var.post", fit.VarPost, want.cols["var.post"], 1e-6, true)
			cmp(t, "logFC", tab.LogFC, want.cols["logFC"], tolLogFC, false)
			cmp(t, "F", tab.F, want.cols["F"], tolFRel, true)
			cmp(t, "log10 P", log10s(tab.PValue), log10s(want.cols["PValue"]), tolLog10P, false)
			cmp(t, "FDR", tab.FDR, want.cols["FDR"], tolFDRRel, true)
		})
	}
}
