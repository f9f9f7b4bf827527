package deseq

import (
	"errors"
	"math"
	"sort"

	"github.com/her2het/her2het/core/stats"
)

// FitType selects the dispersion trend, DESeq2's fitType.
type FitType int

const (
	// Parametric is disp = a0 + a1/mean fitted by a Gamma GLM with identity
	// link (DESeq2 parametricDispersionFit); DESeq2's default. When the fit
	// fails (a non-positive coefficient or no convergence) it falls back to
	// Local, as DESeq2 does.
	Parametric FitType = iota
	// Local is the local regression of log dispersion on log mean (DESeq2
	// localDispersionFit, which calls locfit). See Trend for the deviation.
	Local
	// Mean is the 0.001-trimmed mean of the gene-wise estimates above 1e-7.
	Mean
)

func (f FitType) String() string {
	switch f {
	case Parametric:
		return "parametric"
	case Local:
		return "local"
	case Mean:
		return "mean"
	}
	return "unknown"
}

// Trend is a fitted mean-dispersion function.
type Trend struct {
	// Type is the fit actually used (Local after a failed Parametric fit).
	Type FitType
	// Requested is the fit type asked for.
	Requested FitType
	// AsymptDisp and ExtraPois are the parametric coefficients a0, a1.
	AsymptDisp, ExtraPois float64
	// MeanDisp is the Mean fit's constant.
	MeanDisp float64
	// ParametricError says why a requested parametric fit failed.
	ParametricError string

	// local fit data (log mean, log disp, weights) when Type == Local
	lx, ly, lw []float64
}

// Eval returns the trend at mean normalized count q.
func (t *Trend) Eval(q float64) float64 {
	switch t.Type {
	case Parametric:
		return t.AsymptDisp + t.ExtraPois/q
	case Mean:
		return t.MeanDisp
	case Local:
		return math.Exp(localFitAt(t.lx, t.ly, t.lw, math.Log(q)))
	}
	return math.NaN()
}

var errParamFail = errors.New("parametric dispersion fit failed")
var errParamConv = errors.New("dispersion fit did not converge")

// parametricDispersionFit is DESeq2's parametricDispersionFit (1.38.3): starting
// at (0.1, 1), repeatedly refit disps ~ 1/means with glm(family=Gamma(identity))
// on the genes whose residual disp/fit lies in (1e-4, 15), until
// Σ log(coef/old)² < 1e-6 and the GLM converged; error after more than 10
// rounds or for a non-positive coefficient.
func parametricDispersionFit(means, disps []float64) (a0, a1 float64, err error) {
	coefs := [2]float64{0.1, 1}
	iter := 0
	var gy, gx []float64
	for {
		gy, gx = gy[:0], gx[:0]
		for i, d := range disps {
			r := d / (coefs[0] + coefs[1]/means[i])
			if r > 1e-4 && r < 15 {
				gy = append(gy, d)
				gx = append(gx, 1/means[i])
			}
		}
		old := coefs
		c, conv, e := glmGammaIdentity(gy, gx, coefs)
		if e != nil {
			return 0, 0, e
		}
		coefs = c
		if !(coefs[0] > 0 && coefs[1] > 0) {
			return 0, 0, errParamFail
		}
		l0, l1 := math.Log(coefs[0]/old[0]), math.Log(coefs[1]/old[1])
		if l0*l0+l1*l1 < 1e-6 && conv {
			break
		}
		iter++
		if iter > 10 {
			return 0, 0, errParamConv
		}
	}
	return coefs[0], coefs[1], nil
}

// glmGammaIdentity is R's glm.fit (stats 4.2.2) for y ~ 1 + x with
// family Gamma(link="identity"), prior weights 1, start given, epsilon 1e-8,
// maxit 25, including its step-halving when the deviance is not finite or μ
// leaves (0, ∞).
func glmGammaIdentity(y, x []float64, start [2]float64) (coef [2]float64, conv bool, err error) {
	n := len(y)
	if n < 2 {
		return coef, false, errors.New("glm: too few points")
	}
	for _, v := range y {
		if !(v > 0) {
			return coef, false, errors.New("non-positive values not allowed for the 'Gamma' family")
		}
	}
	eta := make([]float64, n)
	setEta := func(s [2]float64) bool {
		ok := true
		for i := range eta {
			eta[i] = s[0] + x[i]*s[1]
			if !(eta[i] > 0) || math.IsInf(eta[i], 0) {
				ok = false
			}
		}
		return ok
	}
	dev := func() float64 {
		var d float64
		for i, yi := range y {
			mu := eta[i]
			d += -2 * (math.Log(yi/mu) - (yi-mu)/mu)
		}
		return d
	}
	if !setEta(start) {
		return coef, false, errors.New("cannot find valid starting values: please specify some")
	}
	devOld := dev()
	coefOld := start
	coef = start
	X := make([]float64, n*2)
	z := make([]float64, n)
	for iter := 1; iter <= 25; iter++ {
		for i := range y {
			mu := eta[i]
			w := math.Sqrt(1 / (mu * mu))
			z[i] = (eta[i] + (y[i] - mu)) * w
			X[2*i] = w
			X[2*i+1] = x[i] * w
		}
		qr := newThinQR(X, n, 2)
		var qtz [2]float64
		for i := 0; i < n; i++ {
			qtz[0] += qr.Q[2*i] * z[i]
			qtz[1] += qr.Q[2*i+1] * z[i]
		}
		b := qtz[:]
		solveUpper(qr.R, 2, b)
		if math.IsNaN(b[0]) || math.IsNaN(b[1]) || math.IsInf(b[0], 0) || math.IsInf(b[1], 0) {
			conv = false
			break
		}
		s := [2]float64{b[0], b[1]}
		valid := setEta(s)
		d := dev()
		if math.IsNaN(d) || math.IsInf(d, 0) {
			for ii := 1; math.IsNaN(d) || math.IsInf(d, 0); ii++ {
				if ii > 25 {
					return coef, false, errors.New("inner loop 1; cannot correct step size")
				}
				s = [2]float64{(s[0] + coefOld[0]) / 2, (s[1] + coefOld[1]) / 2}
				valid = setEta(s)
				d = dev()
			}
		}
		if !valid {
			for ii := 1; !valid; ii++ {
				if ii > 25 {
					return coef, false, errors.New("inner loop 2; cannot correct step size")
				}
				s = [2]float64{(s[0] + coefOld[0]) / 2, (s[1] + coefOld[1]) / 2}
				valid = setEta(s)
			}
			d = dev()
		}
		if math.Abs(d-devOld)/(math.Abs(d)+0.1) < 1e-8 {
			conv = true
			coef = s
			break
		}
		devOld = d
		coef, coefOld = s, s
	}
	return coef, conv, nil
}

// meanDispersionFit is DESeq2's fitType="mean": mean(disps[disps > 10*minDisp], trim=0.001).
func meanDispersionFit(disps []float64, minDisp float64) float64 {
	var use []float64
	for _, d := range disps {
		if d > 10*minDisp && !math.IsNaN(d) {
			use = append(use, d)
		}
	}
	return stats.TrimmedMean(use, 0.001)
}

// localFitAt evaluates a local quadratic regression of ly on lx with prior
// weights lw, tricube kernel and nearest-neighbour fraction 0.7 at x0: the
// model of locfit(logDisps ~ logMeans, weights = means) (locfit 1.5-9.7
// defaults: deg 2, alpha 0.7). Unlike locfit, the fit is computed directly at
// x0 rather than interpolated from a k-d tree of vertices, so values differ
// from DESeq2's local trend in the third or fourth significant digit.
func localFitAt(lx, ly, lw []float64, x0 float64) float64 {
	n := len(lx)
	if n == 0 {
		return math.NaN()
	}
	dists := make([]float64, n)
	for i, v := range lx {
		dists[i] = math.Abs(v - x0)
	}
	sd := append([]float64(nil), dists...)
	sort.Float64s(sd)
	k := int(math.Floor(0.7 * float64(n)))
	if k < 1 {
		k = 1
	}
	if k > n {
		k = n
	}
	h := sd[k-1]
	if h <= 0 {
		h = 1e-12
	}
	// weighted least squares on [1, u, u²], u = x - x0
	var s [3][3]float64
	var t [3]float64
	for i := 0; i < n; i++ {
		r := dists[i] / h
		if r >= 1 {
			continue
		}
		kw := 1 - r*r*r
		kw = kw * kw * kw * lw[i]
		u := lx[i] - x0
		b := [3]float64{1, u, u * u}
		for a := 0; a < 3; a++ {
			t[a] += kw * b[a] * ly[i]
			for c := 0; c < 3; c++ {
				s[a][c] += kw * b[a] * b[c]
			}
		}
	}
	l := []float64{s[0][0], s[0][1], s[0][2], s[1][0], s[1][1], s[1][2], s[2][0], s[2][1], s[2][2]}
	if !cholesky(l, 3) {
		// fall back to local linear
		l2 := []float64{s[0][0], s[0][1], s[1][0], s[1][1]}
		if !cholesky(l2, 2) {
			return t[0] / s[0][0]
		}
		inv := make([]float64, 4)
		cholInverse(l2, 2, inv, make([]float64, 2))
		return inv[0]*t[0] + inv[1]*t[1]
	}
	inv := make([]float64, 9)
	cholInverse(l, 3, inv, make([]float64, 3))
	return inv[0]*t[0] + inv[1]*t[1] + inv[2]*t[2]
}
