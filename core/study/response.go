package study

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/stats"
)

// ROC is a receiver operating characteristic analysis of one predictor.
type ROC struct {
	// Direction is pROC's: "<" when cases are expected higher than controls.
	Direction string
	AUC       float64
	// CI is the DeLong interval AUC ± qnorm(0.975)·sqrt(var), clipped to [0, 1]
	// (pROC 1.18 ci.auc(method = "delong")).
	CI    [2]float64
	Var   float64
	NCase int
	NCtrl int
	// FPR and TPR are the curve's points from (0, 0) to (1, 1) over the distinct
	// thresholds.
	FPR, TPR []float64
}

// NewROC computes the ROC AUC of x for case (true) vs control with DeLong's
// variance (DeLong, DeLong & Clarke-Pearson 1988, doi:10.2307/2531595) as pROC 1.18
// roc(..., direction = "auto") and ci.auc(method = "delong"): the direction is "<"
// unless median(controls) > median(cases); AUC is the mean of the placement values
// psi(case, control) (1 if the case is higher under the direction, 1/2 on ties);
// var = var(V10)/ncase + var(V01)/nctrl with sample variances. NaN values are
// dropped. It returns an error with no case or no control.
func NewROC(x []float64, isCase []bool) (*ROC, error) {
	var cs, ct []float64
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		if isCase[i] {
			cs = append(cs, v)
		} else {
			ct = append(ct, v)
		}
	}
	if len(cs) == 0 || len(ct) == 0 {
		return nil, fmt.Errorf("ROC needs cases and controls (have %d and %d)", len(cs), len(ct))
	}
	r := &ROC{Direction: "<", NCase: len(cs), NCtrl: len(ct)}
	if stats.Median(ct) > stats.Median(cs) {
		r.Direction = ">"
		for i := range cs {
			cs[i] = -cs[i]
		}
		for i := range ct {
			ct[i] = -ct[i]
		}
	}
	v10 := make([]float64, len(cs))
	v01 := make([]float64, len(ct))
	for i, a := range cs {
		for j, b := range ct {
			var psi float64
			switch {
			case a > b:
				psi = 1
			case a == b:
				psi = 0.5
			}
			v10[i] += psi
			v01[j] += psi
		}
	}
	for i := range v10 {
		v10[i] /= float64(len(ct))
	}
	for j := range v01 {
		v01[j] /= float64(len(cs))
	}
	r.AUC = stats.Mean(v10)
	var s10, s01 float64
	if len(cs) > 1 {
		s10 = stats.Var(v10)
	}
	if len(ct) > 1 {
		s01 = stats.Var(v01)
	}
	r.Var = s10/float64(len(cs)) + s01/float64(len(ct))
	z := dist.Qnorm(0.975, 0, 1, true, false)
	se := math.Sqrt(r.Var)
	r.CI = [2]float64{math.Max(0, r.AUC-z*se), math.Min(1, r.AUC+z*se)}
	// Curve over distinct thresholds, from high to low.
	all := append(append([]float64(nil), cs...), ct...)
	sort.Float64s(all)
	r.FPR, r.TPR = []float64{0}, []float64{0}
	for k := len(all) - 1; k >= 0; k-- {
		if k < len(all)-1 && all[k] == all[k+1] {
			continue
		}
		t := all[k]
		var tp, fp int
		for _, a := range cs {
			if a >= t {
				tp++
			}
		}
		for _, b := range ct {
			if b >= t {
				fp++
			}
		}
		r.FPR = append(r.FPR, float64(fp)/float64(len(ct)))
		r.TPR = append(r.TPR, float64(tp)/float64(len(cs)))
	}
	return r, nil
}

// response fits, for each predictor, the logistic regression of pCR on the
// predictor adjusted for HR status (when known for every patient, not constant and
// not predicting pCR perfectly), with Wald intervals, and the ROC AUC with the
// DeLong interval. A predictor whose coefficient has no maximum-likelihood
// estimate because of separation (separation.go) gets NA for the odds ratio, its
// interval, z and p, and a warning that starts with R's "glm.fit: fitted
// probabilities numerically 0 or 1 occurred" and says why; it enters no test.
func (r *runner) response() *Section {
	const id, title = "response", "Response modelling"
	if s := r.needGroups(id, title); s != nil {
		return s
	}
	units := r.c.preUnits(false)
	var y []float64
	var hr []float64
	hrOK := true
	var keep []unit
	for _, u := range units {
		switch u.Patient.PCR {
		case "yes":
			y = append(y, 1)
		case "no":
			y = append(y, 0)
		default:
			continue
		}
		keep = append(keep, u)
		switch u.Patient.HR {
		case "pos":
			hr = append(hr, 1)
		case "neg":
			hr = append(hr, 0)
		default:
			hr = append(hr, math.NaN())
			hrOK = false
		}
	}
	if len(keep) < 4 {
		return skipped(id, title, "fewer than 4 patients with a known pCR status")
	}
	if hrOK {
		s := 0.0
		for _, v := range hr {
			s += v
		}
		if s == 0 || s == float64(len(hr)) {
			hrOK = false
		}
	}
	hrSeparates := false
	if hrOK {
		// HR status that predicts pCR perfectly leaves nothing to adjust with
		// (separation.go): the models are then not adjusted for it.
		hx := make([][]float64, len(hr))
		for i := range hr {
			hx[i] = []float64{hr[i]}
		}
		if k, _ := separation(hx, y); k == sepComplete {
			hrOK, hrSeparates = false, true
		}
	}
	sec := &Section{ID: id, Title: title}
	adj := "unadjusted"
	if hrOK {
		adj = "adjusted for HR status"
	} else if hrSeparates {
		sec.Notes = append(sec.Notes, "HR status predicts pCR perfectly (complete separation; R: glm.fit: fitted probabilities numerically 0 or 1 occurred): models are not adjusted for HR")
	} else {
		sec.Notes = append(sec.Notes, "HR status missing or constant: models are not adjusted for HR")
	}
	type pred struct {
		name string
		x    []float64
	}
	var preds []pred
	perSample := func(x []float64) []float64 { return unitValues(keep, x) }
	if gi, ok := r.geneIdx["ERBB2"]; ok {
		preds = append(preds, pred{"ERBB2 mRNA", perSample(r.logE.Row(gi))})
	}
	het := make([]float64, len(keep))
	hetAny := false
	for i, u := range keep {
		switch u.Patient.HET {
		case "1":
			het[i] = 1
			hetAny = true
		case "0":
			het[i] = 0
			hetAny = true
		default:
			het[i] = math.NaN()
		}
	}
	if hetAny {
		preds = append(preds, pred{"HET", het})
	}
	if r.computeScores() == nil {
		for _, k := range r.p.KeySets {
			if x, ok := r.scores.row(k); ok {
				preds = append(preds, pred{r.scores.Method + ":" + k, perSample(x)})
			}
		}
		for _, k := range sortedKeys(r.progeny) {
			if keyProgeny[k] {
				preds = append(preds, pred{"progeny:" + k, perSample(r.progeny[k])})
			}
		}
	}
	isCase := make([]bool, len(y))
	for i := range y {
		isCase[i] = y[i] == 1
	}
	tab := plotdata.Table{ID: "response-models", Title: "Logistic regression of pCR (" + adj + ") and ROC AUC",
		Columns: []string{"predictor", "n", "odds_ratio", "or_lower", "or_upper", "z", "pvalue", "auc", "auc_lower", "auc_upper", "direction", "warnings"}}
	var omni []int
	var best string
	bestAUC := 0.0
	for _, p := range preds {
		X := make([][]float64, len(keep))
		for i := range keep {
			if hrOK {
				X[i] = []float64{p.x[i], hr[i]}
			} else {
				X[i] = []float64{p.x[i]}
			}
		}
		row := []string{p.name}
		fit, err := stats.GLMBinomial(X, y)
		n := 0
		for i := range keep {
			if !math.IsNaN(p.x[i]) {
				n++
			}
		}
		row = append(row, fmtInt(n))
		var sepWarn string
		if err == nil {
			sepWarn = separationWarning(X, y, p.name, hrOK)
		}
		switch {
		case err != nil:
			row = append(row, "NA", "NA", "NA", "NA", "NA")
			sec.Notes = append(sec.Notes, p.name+": "+err.Error())
		case sepWarn != "":
			// No maximum-likelihood estimate: the odds ratio, its interval and
			// its test are NA, not the huge numbers IRLS stopped at.
			row = append(row, "NA", "NA", "NA", "NA", "NA")
			sec.Notes = append(sec.Notes, p.name+": "+sepWarn)
		default:
			row = append(row, fmtNum(fmath.Exp(fit.Coef[1])), fmtNum(fmath.Exp(fit.ConfInt[1][0])), fmtNum(fmath.Exp(fit.ConfInt[1][1])),
				fmtNum(fit.Z[1]), fmtNum(fit.P[1]))
			omni = append(omni, len(sec.Tests))
			sec.Tests = append(sec.Tests, TestRow{"response", p.name, "pCR ~ " + p.name + map[bool]string{true: " + HR", false: ""}[hrOK],
				"logistic regression (Wald z)", fit.Z[1], fit.P[1], math.NaN(), n})
		}
		roc, err := NewROC(p.x, isCase)
		if err != nil {
			row = append(row, "NA", "NA", "NA", "NA")
		} else {
			row = append(row, fmtNum(roc.AUC), fmtNum(roc.CI[0]), fmtNum(roc.CI[1]), roc.Direction)
			if roc.AUC > bestAUC {
				bestAUC, best = roc.AUC, p.name
			}
			if p.name == "ERBB2 mRNA" || p.name == "HET" {
				f := r.figure("response-roc-"+slug(p.name), "ROC of "+p.name+" for pCR", plotdata.KindCurve,
					"AUC", fmt.Sprintf("%.3f (DeLong 95%% CI %.3f-%.3f)", roc.AUC, roc.CI[0], roc.CI[1]))
				f.XLabel, f.YLabel = "1 - specificity", "sensitivity"
				f.Lines = &plotdata.Lines{Series: []plotdata.Series{{Name: p.name, X: plotdata.Floats(roc.FPR), Y: plotdata.Floats(roc.TPR)}},
					Rules: []plotdata.Rule{{Axis: "xy", Value: 0, Slope: 1}}}
				sec.Figures = append(sec.Figures, f)
			}
		}
		var ws []string
		if fit != nil {
			for _, w := range fit.Warnings {
				if sepWarn == "" || !strings.HasPrefix(sepWarn, w) { // sepWarn starts with R's text
					ws = append(ws, w)
				}
			}
		}
		if sepWarn != "" {
			ws = append(ws, sepWarn)
		}
		row = append(row, strings.Join(ws, "; "))
		tab.Rows = append(tab.Rows, row)
	}
	adjustOmnibus(sec.Tests, omni)
	sec.Tables = append(sec.Tables, tab)
	sec.Summary = fmt.Sprintf("%d patients (%d pCR), %d predictors, %s; %s", len(keep), countTrue(isCase), len(preds), adj, describeSignificant(sec.Tests, 5))
	if best != "" {
		sec.Summary += fmt.Sprintf("; highest AUC %s (%.2f)", best, bestAUC)
	}
	sec.Summary += "."
	return sec
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}
