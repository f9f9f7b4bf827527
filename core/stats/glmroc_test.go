package stats

import (
	"strings"
	"testing"
)

// TestGLMAgainstR compares GLMBinomial with R 4.2.2 glm(family=binomial),
// summary() and confint.default() (testdata/glm.tsv from
// testdata/gen/glm_roc.R). Tolerances: coefficients, SE and intervals rel
// 1e-8; z rel 1e-8; p rel 1e-7 (it inherits the coefficient tolerance through
// the normal tail); deviance and AIC rel 1e-10; iterations exact.
func TestGLMAgainstR(t *testing.T) {
	for _, row := range readTSV(t, "glm.tsv") {
		name := row[0]
		var X [][]float64
		if row[1] != "" {
			for _, r := range strings.Split(row[1], "|") {
				X = append(X, parseVec(t, r))
			}
		}
		y := parseVec(t, row[2])
		fit, err := GLMBinomial(X, y)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		vecs := []struct {
			what string
			got  []float64
			col  int
			rel  float64
		}{
			{"coef", fit.Coef, 3, 1e-8}, {"se", fit.SE, 4, 1e-8}, {"z", fit.Z, 5, 1e-8}, {"p", fit.P, 6, 1e-7},
		}
		lo := make([]float64, len(fit.ConfInt))
		hi := make([]float64, len(fit.ConfInt))
		for j, ci := range fit.ConfInt {
			lo[j], hi[j] = ci[0], ci[1]
		}
		vecs = append(vecs, struct {
			what string
			got  []float64
			col  int
			rel  float64
		}{"ci.low", lo, 7, 1e-8}, struct {
			what string
			got  []float64
			col  int
			rel  float64
		}{"ci.high", hi, 8, 1e-8})
		for _, v := range vecs {
			want := parseVec(t, row[v.col])
			for j := range want {
				if !close(v.got[j], want[j], v.rel, 1e-300) {
					t.Errorf("%s %s[%d] = %.17g, R %.17g", name, v.what, j, v.got[j], want[j])
				}
			}
		}
		for _, s := range []struct {
			what      string
			got, want float64
		}{{"deviance", fit.Deviance, parseVec(t, row[9])[0]}, {"null", fit.NullDeviance, parseVec(t, row[10])[0]}, {"aic", fit.AIC, parseVec(t, row[11])[0]}} {
			if !close(s.got, s.want, 1e-10, 1e-12) {
				t.Errorf("%s %s = %.17g, R %.17g", name, s.what, s.got, s.want)
			}
		}
		if it := parseVec(t, row[12])[0]; float64(fit.Iter) != it {
			t.Errorf("%s iter = %d, R %g", name, fit.Iter, it)
		}
		if name == "separated" && len(fit.Warnings) == 0 {
			t.Errorf("separated: no warning")
		}
	}
}

// TestROCAgainstR compares ROC with pROC 1.18.0 roc(controls=, cases=),
// var(method="delong") and ci.auc(method="delong") (testdata/roc.tsv), rel
// 1e-12 (abs 1e-15).
func TestROCAgainstR(t *testing.T) {
	for _, row := range readTSV(t, "roc.tsv") {
		name := row[0]
		r, err := ROC(parseVec(t, row[1]), parseVec(t, row[2]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r.Direction != row[3] {
			t.Errorf("%s: direction %s, pROC %s", name, r.Direction, row[3])
		}
		for _, c := range []struct {
			what      string
			got, want float64
		}{{"auc", r.AUC, parseVec(t, row[4])[0]}, {"var", r.Var, parseVec(t, row[5])[0]}, {"ci.low", r.CI[0], parseVec(t, row[6])[0]}, {"ci.high", r.CI[1], parseVec(t, row[7])[0]}} {
			if !close(c.got, c.want, 1e-12, 1e-15) {
				t.Errorf("%s %s = %.17g, pROC %.17g", name, c.what, c.got, c.want)
			}
		}
	}
	for _, row := range readTSV(t, "roctest.tsv") {
		name := row[0]
		resp := parseVec(t, row[1])
		split := func(p []float64) (ctl, cas []float64) {
			for i, v := range p {
				if resp[i] == 0 {
					ctl = append(ctl, v)
				} else {
					cas = append(cas, v)
				}
			}
			return
		}
		c1, k1 := split(parseVec(t, row[2]))
		c2, k2 := split(parseVec(t, row[3]))
		r1, _ := ROC(c1, k1)
		r2, _ := ROC(c2, k2)
		res, err := DeLongTest(r1, r2)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what      string
			got, want float64
		}{{"z", res.Statistic, parseVec(t, row[4])[0]}, {"p", res.PValue, parseVec(t, row[5])[0]}, {"ci.low", res.ConfInt[0], parseVec(t, row[6])[0]}, {"ci.high", res.ConfInt[1], parseVec(t, row[7])[0]}} {
			if !close(c.got, c.want, 1e-10, 1e-15) {
				t.Errorf("%s %s = %.17g, pROC %.17g", name, c.what, c.got, c.want)
			}
		}
	}
}
