package study

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/stats"
)

// readExpected reads testdata/patient_expected.tsv (made by
// testdata/gen/patient_level.R with R 4.2.2 and pROC 1.18.0).
func readExpected(t *testing.T) map[string]float64 {
	t.Helper()
	f, err := os.Open("testdata/patient_expected.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("bad line %q", sc.Text())
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("bad value in %q", sc.Text())
		}
		m[k] = x
	}
	return m
}

func closeTo(got, want, rel, abs float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}

// TestPatientLevelGolden joins the golden sample sheet into a cohort, averages the
// pretreatment biopsies per patient and runs the group tests, the logistic model and
// the ROC exactly as Run does, and compares with R on the same patient-level values.
// Tolerances: patient means rel 1e-15 (R's long-double mean is reproduced);
// statistics and p-values rel 1e-12; glm rel 1e-9 (IRLS convergence); ROC rel 1e-12.
func TestPatientLevelGolden(t *testing.T) {
	want := readExpected(t)
	f, err := os.Open("testdata/patient_samples.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, _, err := ingest.ReadSampleSheet("patient_samples.tsv", f, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := newCohort(sheet.Samples, sheet)
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string][]float64{}
	for _, v := range []string{"v1", "v2", "v3"} {
		col := sheet.ByName(v)
		for _, raw := range col.Raw {
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				t.Fatal(err)
			}
			vals[v] = append(vals[v], x)
		}
	}
	r := &runner{p: DefaultParams(), c: c}
	r.units = c.preUnits(false)
	vars := []string{"v1", "v2", "v3"}
	levels := []string{GroupNonHETpCR, GroupNonHETnopCR, GroupHETnopCR}
	sec := &Section{}
	r.compare(sec, comparison{analysis: "golden", vars: vars, values: func(k int) []float64 { return vals[vars[k]] },
		label: byGroupLabel, levels: levels, column: func(n string) string { return n }})
	pcr := &Section{}
	r.compare(pcr, comparison{analysis: "golden pCR", vars: vars, values: func(k int) []float64 { return vals[vars[k]] },
		label: byPCRLabel, levels: []string{"pCR", "no pCR"}})
	check := func(key string, got float64, rel float64) {
		t.Helper()
		w, ok := want[key]
		if !ok {
			t.Fatalf("no expected value %q", key)
		}
		if !closeTo(got, w, rel, 0) {
			t.Errorf("%s = %.17g, R %.17g (rel tol %g)", key, got, w, rel)
		}
	}
	if len(r.units) != 30 {
		t.Fatalf("%d patients, want 30", len(r.units))
	}
	for _, u := range r.units {
		for _, v := range vars {
			check("mean "+u.Patient.ID+" "+v, r.pt.vals[v][u.Patient.ID], 1e-15)
		}
	}
	find := func(s *Section, v, groups string) TestRow {
		for _, tr := range s.Tests {
			if tr.Variable == v && (tr.Groups == groups || groups == "" && tr.Test == "Kruskal-Wallis") {
				return tr
			}
		}
		t.Fatalf("no test %s %s", v, groups)
		return TestRow{}
	}
	for _, v := range vars {
		kw := find(sec, v, "")
		check("kw "+v+" statistic", kw.Statistic, 1e-12)
		check("kw "+v+" p", kw.PValue, 1e-12)
		for a := 0; a < 3; a++ {
			for b := a + 1; b < 3; b++ {
				g := levels[a] + " vs " + levels[b]
				tr := find(sec, v, g)
				key := "wilcox " + v + " " + g
				check(key+" W", tr.Statistic, 1e-12)
				check(key+" p", tr.PValue, 1e-12)
				check(key+" padj", tr.PAdj, 1e-12)
			}
		}
		tr := find(pcr, v, "pCR vs no pCR")
		check("bypcr "+v+" W", tr.Statistic, 1e-12)
		check("bypcr "+v+" p", tr.PValue, 1e-12)
	}
	// Logistic regression of pCR on v2 + HR and ROC, on the patient means.
	var y, hr []float64
	var isCase []bool
	v1, v2 := make([]float64, 0, 30), make([]float64, 0, 30)
	var X [][]float64
	for _, u := range r.units {
		yy := 0.0
		if u.Patient.PCR == "yes" {
			yy = 1
		}
		h := 0.0
		if u.Patient.HR == "pos" {
			h = 1
		}
		y = append(y, yy)
		hr = append(hr, h)
		isCase = append(isCase, yy == 1)
		v1 = append(v1, r.pt.vals["v1"][u.Patient.ID])
		v2 = append(v2, r.pt.vals["v2"][u.Patient.ID])
		X = append(X, []float64{v2[len(v2)-1], h})
	}
	fit, err := stats.GLMBinomial(X, y)
	if err != nil {
		t.Fatal(err)
	}
	check("glm v2 coef", fit.Coef[1], 1e-9)
	check("glm v2 z", fit.Z[1], 1e-9)
	check("glm v2 p", fit.P[1], 1e-9)
	check("glm v2 lower", fit.ConfInt[1][0], 1e-9)
	check("glm v2 upper", fit.ConfInt[1][1], 1e-9)
	for v, x := range map[string][]float64{"v1": v1, "v2": v2} {
		roc, err := NewROC(x, isCase)
		if err != nil {
			t.Fatal(err)
		}
		check("roc "+v+" auc", roc.AUC, 1e-12)
		check("roc "+v+" lower", roc.CI[0], 1e-12)
		check("roc "+v+" upper", roc.CI[1], 1e-12)
		dir := 1.0
		if roc.Direction == ">" {
			dir = -1
		}
		check("roc "+v+" direction", dir, 0)
	}
	_ = hr
}

// TestROCProperties checks NewROC on hand-made cases: perfect separation, reversed
// direction, ties, and missing classes.
func TestROCProperties(t *testing.T) {
	cases := []struct {
		name string
		x    []float64
		c    []bool
		auc  float64
		dir  string
		err  bool
	}{
		{"perfect", []float64{1, 2, 3, 4}, []bool{false, false, true, true}, 1, "<", false},
		{"reversed", []float64{4, 3, 2, 1}, []bool{false, false, true, true}, 1, ">", false},
		{"all tied", []float64{1, 1, 1, 1}, []bool{false, true, false, true}, 0.5, "<", false},
		{"NaN dropped", []float64{1, math.NaN(), 3}, []bool{false, true, true}, 1, "<", false},
		{"no controls", []float64{1, 2}, []bool{true, true}, 0, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewROC(c.x, c.c)
			if c.err {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(r.AUC-c.auc) > 1e-15 || r.Direction != c.dir {
				t.Fatalf("AUC %g dir %s, want %g %s", r.AUC, r.Direction, c.auc, c.dir)
			}
			if !(r.CI[0] <= r.AUC && r.AUC <= r.CI[1]) {
				t.Fatalf("CI %v does not contain AUC %g", r.CI, r.AUC)
			}
			if n := len(r.FPR); n < 2 || r.FPR[n-1] != 1 || r.TPR[n-1] != 1 {
				t.Fatalf("curve does not end at (1,1): %v %v", r.FPR, r.TPR)
			}
		})
	}
}
