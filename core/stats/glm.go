package stats

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// GLMFit is a fitted logistic regression, the numbers of R's
// summary(glm(y ~ X, family = binomial)) and confint.default().
type GLMFit struct {
	// Coef, SE, Z, P are per coefficient; index 0 is the intercept, then the
	// columns of X in order. P = 2·Pnorm(-|Z|).
	Coef, SE, Z, P []float64
	// ConfInt holds the Wald intervals Coef ± qnorm(1-(1-level)/2)·SE at
	// ConfLevel 0.95 (R's confint.default).
	ConfInt      [][2]float64
	ConfLevel    float64
	Deviance     float64 // residual deviance
	NullDeviance float64
	AIC          float64
	DFResidual   int
	DFNull       int
	Iter         int  // IRLS iterations (R's fit$iter)
	Converged    bool // R's fit$converged
	Fitted       []float64
	// Warnings holds R's glm.fit warnings: "glm.fit: algorithm did not
	// converge" and "glm.fit: fitted probabilities numerically 0 or 1
	// occurred" (the usual sign of (quasi-)separation).
	Warnings []string
}

const (
	logitThresh  = 30.0
	logitMThresh = -30.0
)

// logitInv is R's binomial()$linkinv (C logit_linkinv): eta is clamped at ±30.
func logitInv(eta float64) float64 {
	var t float64
	switch {
	case eta < logitMThresh:
		t = dblEps
	case eta > logitThresh:
		t = 1 / dblEps
	default:
		t = fmath.Exp(eta)
	}
	return t / (1 + t)
}

// logitMuEta is R's binomial()$mu.eta (C logit_mu_eta).
func logitMuEta(eta float64) float64 {
	if eta > logitThresh || eta < logitMThresh {
		return dblEps
	}
	e := fmath.Exp(eta)
	op := 1 + e
	return e / (op * op)
}

func yLogY(y, mu float64) float64 {
	if y != 0 {
		return y * fmath.Log(y/mu)
	}
	return 0
}

func binomDeviance(y, mu []float64) float64 {
	d := make([]float64, len(y))
	for i := range y {
		d[i] = 2 * (yLogY(y[i], mu[i]) + yLogY(1-y[i], 1-mu[i]))
	}
	return sum(d)
}

// GLMBinomial fits the logistic regression of the 0/1 response y on an
// intercept and the columns of X (X[i] is the predictor row of observation
// i; X may be nil for an intercept-only model), as R's glm(y ~ X,
// family = binomial) (stats/R/glm.R glm.fit, R 4.2.2):
//
// IRLS from mustart = (y + 0.5)/2, eta = logit(mustart); each iteration solves
// the weighted least squares of z = eta + (y - mu)/mu.eta(eta) on X with
// weights mu.eta²/(mu(1-mu)) by Householder QR, and stops when
// |dev - devold|/(|dev| + 0.1) < 1e-8 (at most 25 iterations). The standard
// errors come from the QR of the last iteration (dispersion 1), as
// summary.glm; AIC = -2 Σ dbinom(y, 1, mu, log) + 2p.
//
// NaN in y or X rows are dropped (R's na.omit). Errors: y not 0/1, ragged X,
// fewer observations than coefficients, a rank-deficient design (R would
// report NA coefficients), non-finite deviance. Separation is not an error:
// it gives huge coefficients and standard errors with a warning, as in R.
func GLMBinomial(X [][]float64, y []float64) (*GLMFit, error) {
	if X != nil && len(X) != len(y) {
		return nil, errors.New("stats: X and y have different numbers of observations")
	}
	p := 1
	if len(X) > 0 {
		p += len(X[0])
	}
	var rows [][]float64
	var yy []float64
	for i := range y {
		row := make([]float64, p)
		row[0] = 1
		ok := !math.IsNaN(y[i])
		if X != nil {
			if len(X[i]) != p-1 {
				return nil, fmt.Errorf("stats: row %d of X has %d columns, want %d", i+1, len(X[i]), p-1)
			}
			for j, v := range X[i] {
				if math.IsNaN(v) {
					ok = false
				}
				if math.IsInf(v, 0) {
					return nil, errors.New("stats: NA/NaN/Inf in 'x'")
				}
				row[j+1] = v
			}
		}
		if !ok {
			continue
		}
		if y[i] != 0 && y[i] != 1 {
			return nil, errors.New("stats: y values must be 0 or 1")
		}
		rows = append(rows, row)
		yy = append(yy, y[i])
	}
	n := len(yy)
	if n < p {
		return nil, errors.New("stats: fewer observations than coefficients")
	}
	mu := make([]float64, n)
	eta := make([]float64, n)
	for i, v := range yy {
		m := (v + 0.5) / 2
		eta[i] = fmath.Log(m / (1 - m))
		mu[i] = logitInv(eta[i])
	}
	devold := binomDeviance(yy, mu)
	fit := &GLMFit{ConfLevel: 0.95}
	coef := make([]float64, p)
	wx := make([]float64, n*p) // weighted X, then its QR (R in the first p rows)
	wz := make([]float64, n)
	var dev float64
	for iter := 1; iter <= 25; iter++ {
		for i := 0; i < n; i++ {
			me := logitMuEta(eta[i])
			z := eta[i] + (yy[i]-mu[i])/me
			w := math.Sqrt(me * me / (mu[i] * (1 - mu[i])))
			for j := 0; j < p; j++ {
				wx[i*p+j] = rows[i][j] * w
			}
			wz[i] = z * w
		}
		householderQR(wx, n, p, wz)
		maxd := 0.0
		for j := 0; j < p; j++ {
			maxd = math.Max(maxd, math.Abs(wx[j*p+j]))
		}
		for j := 0; j < p; j++ {
			if math.Abs(wx[j*p+j]) <= 1e-7*maxd {
				return nil, errors.New("stats: design matrix is rank deficient")
			}
		}
		// back substitution R coef = (Q'z)[:p]
		for j := p - 1; j >= 0; j-- {
			s := wz[j]
			for k := j + 1; k < p; k++ {
				s -= wx[j*p+k] * coef[k]
			}
			coef[j] = s / wx[j*p+j]
			if math.IsInf(coef[j], 0) || math.IsNaN(coef[j]) {
				return nil, errors.New("stats: non-finite coefficients in IRLS")
			}
		}
		for i := 0; i < n; i++ {
			s := 0.0
			for j := 0; j < p; j++ {
				s += rows[i][j] * coef[j]
			}
			eta[i] = s
			mu[i] = logitInv(s)
		}
		dev = binomDeviance(yy, mu)
		if math.IsInf(dev, 0) || math.IsNaN(dev) {
			return nil, errors.New("stats: no valid set of coefficients has been found")
		}
		fit.Iter = iter
		if math.Abs(dev-devold)/(math.Abs(dev)+0.1) < 1e-8 {
			fit.Converged = true
			break
		}
		devold = dev
	}
	if !fit.Converged {
		fit.Warnings = append(fit.Warnings, "glm.fit: algorithm did not converge")
	}
	eps := 10 * dblEps
	for _, m := range mu {
		if m > 1-eps || m < eps {
			fit.Warnings = append(fit.Warnings, "glm.fit: fitted probabilities numerically 0 or 1 occurred")
			break
		}
	}
	// (R'R)^-1 = R^-1 R^-T from the last QR.
	rinv, err := upperInverse(wx, p)
	if err != nil {
		return nil, errors.New("stats: singular fit")
	}
	fit.Coef = append([]float64(nil), coef...)
	fit.SE = make([]float64, p)
	fit.Z = make([]float64, p)
	fit.P = make([]float64, p)
	fit.ConfInt = make([][2]float64, p)
	q := dist.Qnorm(0.975, 0, 1, true, false)
	for j := 0; j < p; j++ {
		v := 0.0
		for k := j; k < p; k++ {
			v += rinv[j*p+k] * rinv[j*p+k]
		}
		fit.SE[j] = math.Sqrt(v)
		fit.Z[j] = coef[j] / fit.SE[j]
		fit.P[j] = 2 * dist.Pnorm(-math.Abs(fit.Z[j]), 0, 1, true, false)
		fit.ConfInt[j] = [2]float64{coef[j] - q*fit.SE[j], coef[j] + q*fit.SE[j]}
	}
	fit.Deviance = dev
	ybar := Mean(yy)
	wt := make([]float64, n)
	for i := range wt {
		wt[i] = ybar
	}
	fit.NullDeviance = binomDeviance(yy, wt)
	ll := make([]float64, n)
	for i := range yy {
		ll[i] = dist.Dbinom(yy[i], 1, mu[i], true)
	}
	fit.AIC = -2*sum(ll) + 2*float64(p)
	fit.DFResidual = n - p
	fit.DFNull = n - 1
	fit.Fitted = append([]float64(nil), mu...)
	return fit, nil
}
