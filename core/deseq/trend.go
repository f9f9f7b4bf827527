package deseq

import (
	"errors"
	"math"
	"sort"

	"github.com/her2het/her2het/core/fmath"
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

	// the local fit when Type == Local
	tree *locfitTree
}

// Eval returns the trend at mean normalized count q.
func (t *Trend) Eval(q float64) float64 {
	switch t.Type {
	case Parametric:
		return t.AsymptDisp + t.ExtraPois/q
	case Mean:
		return t.MeanDisp
	case Local:
		return fmath.Exp(t.tree.eval(fmath.Log(q)))
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
		l0, l1 := fmath.Log(coefs[0]/old[0]), fmath.Log(coefs[1]/old[1])
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
			d += -2 * (fmath.Log(yi/mu) - (yi-mu)/mu)
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

// localFit is the local quadratic regression of ly on lx with prior weights
// lw, tricube kernel and nearest-neighbour fraction 0.7 at x0, the fit that
// locfit(logDisps ~ logMeans, weights = means) (locfit 1.5-9.7 defaults:
// deg 2, alpha 0.7) computes at each vertex of its evaluation tree. It
// returns the fitted value, its slope and the bandwidth h (distance to the
// floor(0.7 n)-th nearest point).
func localFit(lx, ly, lw []float64, x0 float64, dists, sd []float64) (val, slope, h float64) {
	n := len(lx)
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	for i, v := range lx {
		dists[i] = math.Abs(v - x0)
	}
	copy(sd, dists)
	sort.Float64s(sd[:n])
	k := int(math.Floor(0.7*float64(n) + 1e-12))
	if k < 1 {
		k = 1
	}
	if k > n {
		k = n
	}
	h = sd[k-1]
	if h <= 0 {
		return math.NaN(), math.NaN(), h
	}
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
	inv := make([]float64, 9)
	if !cholesky(l, 3) {
		return math.NaN(), math.NaN(), h
	}
	cholInverse(l, 3, inv, make([]float64, 3))
	val = inv[0]*t[0] + inv[1]*t[1] + inv[2]*t[2]
	slope = inv[3]*t[0] + inv[4]*t[1] + inv[5]*t[2]
	return val, slope, h
}

// locfitTree is locfit's default evaluation structure in one dimension
// (ev = rbox(cut = 0.8, type = "tree"); locfit 1.5-9.7 src/ev_atree.c,
// ev_main.c, ev_interp.c, read for semantics): vertices at the ends of the
// data range, cells split at their midpoint while (width / smallest vertex
// bandwidth) > 0.8, the local fit (value and slope) computed at every vertex,
// and predictions by cubic Hermite interpolation within the terminal cell
// (linear extrapolation with the end slope outside the range), all applied to
// the residuals from locfit's global parametric component.
type locfitTree struct {
	x, val, slope, h []float64
	pc               [3]float64 // parametric component c0 + c1 x + c2 x²
	lo, hi           []int
	fl0, fl1         float64
}

const locfitCut = 0.8

// newLocfitTree fits the tree. It fails like locfit when more vertices are
// needed than locfit allocates for alpha 0.7 ("newsplit: out of vertex space").
func newLocfitTree(lx, ly, lw []float64) (*locfitTree, error) {
	n := len(lx)
	if n == 0 {
		return nil, errors.New("locfit: no data")
	}
	mn, mx := lx[0], lx[0]
	for _, v := range lx {
		mn = math.Min(mn, v)
		mx = math.Max(mx, v)
	}
	// atree_guessnv: nvm = (int)((5*a0/cut + 1) * 2) with a0 = 1/alpha
	a0 := 1 / 0.7
	nvm := int((5*a0/locfitCut + 1) * 2)
	t := &locfitTree{fl0: mn, fl1: mx}
	// locfit's parametric component (pcomp.c): the global weighted fit of the
	// same degree, subtracted at the vertices and added back after
	// interpolation; it makes extrapolation quadratic rather than linear.
	{
		var s [3][3]float64
		var r [3]float64
		for i, u := range lx {
			b := [3]float64{1, u, u * u}
			for a := 0; a < 3; a++ {
				r[a] += lw[i] * b[a] * ly[i]
				for c := 0; c < 3; c++ {
					s[a][c] += lw[i] * b[a] * b[c]
				}
			}
		}
		l := []float64{s[0][0], s[0][1], s[0][2], s[1][0], s[1][1], s[1][2], s[2][0], s[2][1], s[2][2]}
		if cholesky(l, 3) {
			inv := make([]float64, 9)
			cholInverse(l, 3, inv, make([]float64, 3))
			for a := 0; a < 3; a++ {
				t.pc[a] = inv[3*a]*r[0] + inv[3*a+1]*r[1] + inv[3*a+2]*r[2]
			}
		}
	}
	dists, sd := make([]float64, n), make([]float64, n)
	add := func(x float64, lo, hi int) (int, error) {
		if len(t.x) == nvm {
			return -1, errors.New("locfit: newsplit: out of vertex space")
		}
		v, s, h := localFit(lx, ly, lw, x, dists, sd)
		v -= t.pc[0] + t.pc[1]*x + t.pc[2]*x*x
		s -= t.pc[1] + 2*t.pc[2]*x
		t.x = append(t.x, x)
		t.val = append(t.val, v)
		t.slope = append(t.slope, s)
		t.h = append(t.h, h)
		t.lo = append(t.lo, lo)
		t.hi = append(t.hi, hi)
		return len(t.x) - 1, nil
	}
	if _, err := add(mn, -1, -1); err != nil {
		return nil, err
	}
	if _, err := add(mx, -1, -1); err != nil {
		return nil, err
	}
	var grow func(c0, c1 int, ll, ur float64) error
	grow = func(c0, c1 int, ll, ur float64) error {
		if !t.split(c0, c1, ll, ur) {
			return nil
		}
		i0, i1 := c1, c0
		if i0 > i1 {
			i0, i1 = i1, i0
		}
		nv := t.find(i0, i1)
		if nv < 0 {
			var err error
			nv, err = add((t.x[i0]+t.x[i1])/2, i0, i1)
			if err != nil {
				return err
			}
		}
		mid := (ur + ll) / 2
		if err := grow(c0, nv, ll, mid); err != nil {
			return err
		}
		return grow(nv, c1, (ll+ur)/2, ur)
	}
	if err := grow(0, 1, mn, mx); err != nil {
		return nil, err
	}
	for _, v := range t.val {
		if math.IsNaN(v) {
			return nil, errors.New("locfit: singular local fit")
		}
	}
	return t, nil
}

func (t *locfitTree) find(i0, i1 int) int {
	for i := i1 + 1; i < len(t.x); i++ {
		if t.lo[i] == i0 && t.hi[i] == i1 {
			return i
		}
	}
	return -1
}

// split is atree_split for d = 1.
func (t *locfitTree) split(c0, c1 int, ll, ur float64) bool {
	hmin := 0.0
	for _, c := range []int{c0, c1} {
		h := t.h[c]
		if h > 0 && (hmin == 0 || h < hmin) {
			hmin = h
		}
	}
	le := ur - ll
	var score float64
	if hmin == 0 {
		score = 2 * le / (t.fl1 - t.fl0)
	} else {
		score = le / hmin
	}
	return locfitCut < score
}

// eval is atree_int followed by rectcell_interp with derivatives (d = 1).
func (t *locfitTree) eval(x float64) float64 {
	c0, c1 := 0, 1
	for {
		ll, ur := t.x[c0], t.x[c1]
		if !t.split(c0, c1, ll, ur) {
			break
		}
		h := ur - ll
		i0, i1 := c0, c1
		if i0 > i1 {
			i0, i1 = i1, i0
		}
		nv := t.find(i0, i1)
		if nv < 0 {
			return math.NaN()
		}
		if 2*(x-ll) < h {
			c1 = nv
		} else {
			c0 = nv
		}
	}
	ll, ur := t.x[c0], t.x[c1]
	z := ur - ll
	var phi [4]float64
	switch hh := (x - ll) / z; {
	case z == 0:
		phi = [4]float64{1, 0, 0, 0}
	case hh < 0:
		phi = [4]float64{1, 0, hh, 0}
	case hh > 1:
		phi = [4]float64{0, 1, 0, hh - 1}
	default:
		phi[1] = hh * hh * (3 - 2*hh)
		phi[0] = 1 - phi[1]
		phi[2] = hh * (1 - hh) * (1 - hh)
		phi[3] = hh * hh * (hh - 1)
	}
	phi[2] *= z
	phi[3] *= z
	f := phi[0]*t.val[c0] + phi[1]*t.val[c1] + phi[2]*t.slope[c0] + phi[3]*t.slope[c1]
	return f + (t.pc[0] + t.pc[1]*x + t.pc[2]*x*x)
}
