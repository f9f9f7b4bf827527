package stats

import (
	"errors"
	"math"

	"github.com/her2het/her2het/core/dist"
)

// ROCResult is the area under the ROC curve with its DeLong variance and
// confidence interval, as pROC's roc() + ci.auc(method = "delong").
type ROCResult struct {
	// Direction is "<" (controls < cases: higher values indicate a case) or
	// ">" (controls > cases).
	Direction string
	AUC       float64
	// Var is DeLong's variance S10/m + S01/n of the AUC.
	Var float64
	// CI is qnorm((1∓level)/2, AUC, sqrt(Var)) clipped to [0, 1] (pROC's
	// ci.auc.delong); NaN when there is only one case or one control.
	CI        [2]float64
	ConfLevel float64
	NControls int
	NCases    int
	// placements: V10 per case, V01 per control (DeLong et al. 1988).
	caseP, ctrlP []float64
}

// ROC computes the empirical AUC of a predictor that separates controls from
// cases, with pROC's defaults (pROC 1.18.0, roc.default and ci.auc.delong;
// DeLong, DeLong & Clarke-Pearson 1988, doi:10.2307/2531595):
//
// direction = "auto": "<" if median(controls) <= median(cases), else ">".
// With ψ(case, control) = 1 if the case is on the case side of the control
// (greater for "<", smaller for ">"), 1/2 if tied, 0 otherwise:
// AUC = mean ψ; placements V10_i = mean_j ψ(case_i, control_j) and
// V01_j = mean_i ψ(case_i, control_j); Var = var(V10)/m + var(V01)/n with
// m cases, n controls (n-1 denominators); CI at level 0.95 by qnorm around the
// AUC, clipped to [0, 1].
//
// pROC called as roc(response, predictor) takes the first level of the
// response as controls and the second as cases; pass them here in that role.
// NaN values are dropped (pROC na.rm=TRUE). Errors: no control or no case,
// infinite values (pROC returns NaN with a warning).
func ROC(controls, cases []float64) (*ROCResult, error) {
	return ROCDirection(controls, cases, "auto")
}

// ROCDirection is ROC with an explicit direction "<", ">" or "auto".
func ROCDirection(controls, cases []float64, direction string) (*ROCResult, error) {
	controls = dropNaN(controls)
	cases = dropNaN(cases)
	if len(controls) == 0 {
		return nil, errors.New("stats: no control observation")
	}
	if len(cases) == 0 {
		return nil, errors.New("stats: no case observation")
	}
	for _, v := range append(append([]float64(nil), controls...), cases...) {
		if math.IsInf(v, 0) {
			return nil, errors.New("stats: infinite value(s) in predictor")
		}
	}
	switch direction {
	case "auto":
		if Median(controls) <= Median(cases) {
			direction = "<"
		} else {
			direction = ">"
		}
	case "<", ">":
	default:
		return nil, errors.New(`stats: direction must be "auto", "<" or ">"`)
	}
	r := &ROCResult{Direction: direction, ConfLevel: 0.95, NControls: len(controls), NCases: len(cases)}
	m, n := len(cases), len(controls)
	r.caseP = make([]float64, m)
	r.ctrlP = make([]float64, n)
	// Placements from mid-ranks (Sun & Xu 2014, as pROC's C++ code): with
	// ranks in the pooled sample Tz, within cases Tx and within controls Ty,
	// V10_i = (Tz_i - Tx_i)/n and V01_j = 1 - (Tz_j - Ty_j)/m.
	sgn := 1.0
	if direction == ">" {
		sgn = -1
	}
	z := make([]float64, 0, m+n)
	xs := make([]float64, m)
	ys := make([]float64, n)
	for i, v := range cases {
		xs[i] = sgn * v
		z = append(z, sgn*v)
	}
	for j, v := range controls {
		ys[j] = sgn * v
		z = append(z, sgn*v)
	}
	tz := Rank(z, Average)
	tx := Rank(xs, Average)
	ty := Rank(ys, Average)
	for i := 0; i < m; i++ {
		r.caseP[i] = (tz[i] - tx[i]) / float64(n)
	}
	for j := 0; j < n; j++ {
		r.ctrlP[j] = 1 - (tz[m+j]-ty[j])/float64(m)
	}
	r.AUC = sum(r.caseP) / float64(m)
	nan := math.NaN()
	r.CI = [2]float64{nan, nan}
	r.Var = nan
	if m <= 1 || n <= 1 {
		return r, nil
	}
	sx := sqDev(r.caseP, r.AUC) / float64(m-1)
	sy := sqDev(r.ctrlP, r.AUC) / float64(n-1)
	r.Var = sx/float64(m) + sy/float64(n)
	a := (1 - r.ConfLevel) / 2
	sd := math.Sqrt(r.Var)
	r.CI = [2]float64{
		clip01(dist.Qnorm(a, r.AUC, sd, true, false)),
		clip01(dist.Qnorm(1-a, r.AUC, sd, true, false)),
	}
	return r, nil
}

func clip01(v float64) float64 {
	if v > 1 {
		return 1
	}
	if v < 0 {
		return 0
	}
	return v
}

func sqDev(x []float64, c float64) float64 {
	d := make([]float64, len(x))
	for i, v := range x {
		d[i] = (v - c) * (v - c)
	}
	return sum(d)
}

func crossDev(x []float64, cx float64, y []float64, cy float64) float64 {
	d := make([]float64, len(x))
	for i := range x {
		d[i] = (x[i] - cx) * (y[i] - cy)
	}
	return sum(d)
}

// DeLongTest compares the AUCs of two ROC curves computed on the same
// subjects (paired), as pROC's roc.test(method = "delong", paired = TRUE)
// (delong.paired.test): z = (AUC1 - AUC2)/sqrt(L S L') with L = (1, -1) and S
// the DeLong covariance of the two AUCs; p = 2·Pnorm(-|z|) (two-sided).
// a and b must come from the same controls and cases in the same order.
// The Result has Statistic z (0 when both the difference and its standard
// error are 0, as pROC), PValue, Estimate = AUC1 - AUC2 with the interval
// Estimate ± qnorm(0.975)·sqrt(L S L') and Method "DeLong's test for two
// correlated ROC curves".
func DeLongTest(a, b *ROCResult) (Result, error) {
	if a == nil || b == nil || a.NCases != b.NCases || a.NControls != b.NControls {
		return Result{}, errors.New("stats: DeLong paired test needs two ROC curves on the same subjects")
	}
	m, n := float64(a.NCases), float64(a.NControls)
	res := newResult("DeLong's test for two correlated ROC curves", "Z")
	res.N = a.NCases + a.NControls
	if a.NCases <= 1 || a.NControls <= 1 {
		return res, nil
	}
	sx11 := sqDev(a.caseP, a.AUC) / (m - 1)
	sx22 := sqDev(b.caseP, b.AUC) / (m - 1)
	sx12 := crossDev(a.caseP, a.AUC, b.caseP, b.AUC) / (m - 1)
	sy11 := sqDev(a.ctrlP, a.AUC) / (n - 1)
	sy22 := sqDev(b.ctrlP, b.AUC) / (n - 1)
	sy12 := crossDev(a.ctrlP, a.AUC, b.ctrlP, b.AUC) / (n - 1)
	s11 := sx11/m + sy11/n
	s22 := sx22/m + sy22/n
	s12 := sx12/m + sy12/n
	sig := math.Sqrt(s11 - s12 - s12 + s22)
	d := a.AUC - b.AUC
	z := d / sig
	if math.IsNaN(z) && d == 0 && sig == 0 {
		z = 0
	}
	res.Statistic = z
	q := dist.Qnorm(0.975, 0, 1, true, false)
	res.ConfInt = [2]float64{d - q*sig, d + q*sig}
	res.ConfLevel = 0.95
	res.Estimate = a.AUC - b.AUC
	res.EstimateName = "difference in AUC"
	res.PValue = 2 * dist.Pnorm(-math.Abs(z), 0, 1, true, false)
	return res, nil
}
