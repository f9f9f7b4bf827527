package dist

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
)

const (
	ln2        = math.Ln2
	lnSqrt2Pi  = 0.918938533204672741780329736406 // log(sqrt(2*pi))
	oneSqrt2Pi = 0.398942280401432677939946059934 // 1/sqrt(2*pi)
	sqrt32     = 5.656854249492380195206754896838 // sqrt(32)
	ln2Pi      = 1.837877066409345483560659472811 // log(2*pi)
	dblEps     = 2.220446049250313e-16
	dblMin     = 2.2250738585072014e-308
)

// dt0 and dt1 return R's R_DT_0 and R_DT_1: the probabilities 0 and 1 on the
// requested tail and scale.
func dt0(lower, logp bool) float64 {
	if lower {
		return d0(logp)
	}
	return d1(logp)
}

func dt1(lower, logp bool) float64 {
	if lower {
		return d1(logp)
	}
	return d0(logp)
}

func d0(logp bool) float64 {
	if logp {
		return math.Inf(-1)
	}
	return 0
}

func d1(logp bool) float64 {
	if logp {
		return 0
	}
	return 1
}

// log1mexp returns log(1 - exp(x)) for x <= 0 accurately (R's R_Log1_Exp).
func log1mexp(x float64) float64 {
	if x > -ln2 {
		return fmath.Log(-math.Expm1(x))
	}
	return math.Log1p(-fmath.Exp(x))
}

// Pnorm returns the normal cumulative distribution function P[X <= x] (or
// P[X > x] when lower is false, log of it when logp) for mean mu and standard
// deviation sigma. It is a port of the semantics of R's pnorm5/pnorm_both
// (src/nmath/pnorm.c, R 4.2.2), which evaluates W. J. Cody's rational Chebyshev
// approximations (ACM TOMS 715, 1993) and computes exp(-x²/2) in two pieces for
// accuracy; e.g. Pnorm(-30,0,1,true,false) = 4.906713927148187e-198.
//
// NaN input gives NaN; sigma < 0 gives NaN; sigma == 0 gives the step function.
func Pnorm(x, mu, sigma float64, lower, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(mu) || math.IsNaN(sigma) {
		return math.NaN()
	}
	if sigma < 0 {
		return math.NaN()
	}
	p := (x - mu) / sigma
	if math.IsInf(p, 0) || math.IsNaN(p) {
		if math.IsNaN(p) {
			if x == mu { // sigma == 0 and x == mu
				return dt1(lower, logp)
			}
			return math.NaN()
		}
		if p < 0 {
			return dt0(lower, logp)
		}
		return dt1(lower, logp)
	}
	cum, ccum := pnormBoth(p, lower, logp)
	if lower {
		return cum
	}
	return ccum
}

// pnormBoth computes lower (cum) and/or upper (ccum) standard normal
// probabilities following pnorm_both in R.
func pnormBoth(x float64, wantLower, logp bool) (cum, ccum float64) {
	a := [5]float64{2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113}
	b := [4]float64{47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956}
	c := [9]float64{0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8}
	d := [8]float64{22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727}
	p := [6]float64{0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303}
	q := [5]float64{1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5}

	lower := wantLower
	upper := !wantLower
	y := math.Abs(x)
	var temp float64

	// tail evaluates exp(-X²/2)*temp splitting X into a 1/16-grid part and a
	// remainder, then assigns cum (and ccum) before the tail swap.
	tail := func(X float64) {
		xsq := math.Ldexp(math.Trunc(math.Ldexp(X, 4)), -4)
		del := (X - xsq) * (X + xsq)
		if logp {
			cum = (-xsq * math.Ldexp(xsq, -1)) - math.Ldexp(del, -1) + fmath.Log(temp)
			if (lower && x > 0) || (upper && x <= 0) {
				ccum = math.Log1p(-fmath.Exp(-xsq*math.Ldexp(xsq, -1)) * fmath.Exp(-math.Ldexp(del, -1)) * temp)
			}
		} else {
			cum = fmath.Exp(-xsq*math.Ldexp(xsq, -1)) * fmath.Exp(-math.Ldexp(del, -1)) * temp
			ccum = 1.0 - cum
		}
		if x > 0 { // swap
			t := cum
			if lower {
				cum = ccum
			}
			ccum = t
		}
	}

	switch {
	case y <= 0.67448975:
		var xnum, xden float64
		if y > dblEps*0.5 {
			xsq := x * x
			xnum = a[4] * xsq
			xden = xsq
			for i := 0; i < 3; i++ {
				xnum = (xnum + a[i]) * xsq
				xden = (xden + b[i]) * xsq
			}
		}
		temp = x * (xnum + a[3]) / (xden + b[3])
		cum = 0.5 + temp
		ccum = 0.5 - temp
		if logp {
			cum = fmath.Log(cum)
			ccum = fmath.Log(ccum)
		}
	case y <= sqrt32:
		xnum := c[8] * y
		xden := y
		for i := 0; i < 7; i++ {
			xnum = (xnum + c[i]) * y
			xden = (xden + d[i]) * y
		}
		temp = (xnum + c[7]) / (xden + d[7])
		tail(y)
	case (logp && y < 1e170) || (lower && -37.5193 < x && x < 8.2924) || (upper && -8.2924 < x && x < 37.5193):
		xsq := 1.0 / (x * x)
		xnum := p[5] * xsq
		xden := xsq
		for i := 0; i < 4; i++ {
			xnum = (xnum + p[i]) * xsq
			xden = (xden + q[i]) * xsq
		}
		temp = xsq * (xnum + p[4]) / (xden + q[4])
		temp = (oneSqrt2Pi - temp) / y
		tail(x)
	default:
		if x > 0 {
			cum, ccum = d1(logp), d0(logp)
		} else {
			cum, ccum = d0(logp), d1(logp)
		}
	}
	return cum, ccum
}

// Dnorm returns the normal density at x (its log when logp), as R's dnorm4
// (src/nmath/dnorm.c, R 4.2.2), including the split of x for accuracy in the
// tails. NaN input gives NaN; sigma < 0 gives NaN.
func Dnorm(x, mu, sigma float64, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(mu) || math.IsNaN(sigma) {
		return math.NaN()
	}
	if sigma < 0 {
		return math.NaN()
	}
	if math.IsInf(sigma, 0) {
		return d0(logp)
	}
	if math.IsInf(x, 0) && mu == x {
		return math.NaN()
	}
	if sigma == 0 {
		if x == mu {
			return math.Inf(1)
		}
		return d0(logp)
	}
	x = (x - mu) / sigma
	if math.IsInf(x, 0) {
		return d0(logp)
	}
	x = math.Abs(x)
	if x >= 2*math.Sqrt(math.MaxFloat64) {
		return d0(logp)
	}
	if logp {
		return -(lnSqrt2Pi + 0.5*x*x + fmath.Log(sigma))
	}
	if x < 5 {
		return oneSqrt2Pi * fmath.Exp(-0.5*x*x) / sigma
	}
	// underflow boundary: sqrt(-2*log(2)*(DBL_MIN_EXP + 1 - DBL_MANT_DIG))
	if x > math.Sqrt(-2*ln2*float64(-1021+1-53)) {
		return 0
	}
	x1 := math.Ldexp(math.RoundToEven(math.Ldexp(x, 16)), -16)
	x2 := x - x1
	return oneSqrt2Pi / sigma * (fmath.Exp(-0.5*x1*x1) * fmath.Exp((-0.5*x2-x1)*x2))
}

// Qnorm returns the normal quantile function: the x with Pnorm(x, mu, sigma,
// lower, logp) = p. It is a port of R's qnorm5 (src/nmath/qnorm.c), M. J.
// Wichura's algorithm AS 241 (Appl. Statist. 37, 477-484, 1988), accurate to
// about 1 part in 1e16.
//
// p outside [0,1] (or > 0 when logp) gives NaN; the boundaries give ±Inf.
// NaN input gives NaN; sigma < 0 gives NaN; sigma == 0 gives mu.
func Qnorm(p, mu, sigma float64, lower, logp bool) float64 {
	if math.IsNaN(p) || math.IsNaN(mu) || math.IsNaN(sigma) {
		return math.NaN()
	}
	if v, done := qBoundaries(p, math.Inf(-1), math.Inf(1), lower, logp); done {
		return v
	}
	if sigma < 0 {
		return math.NaN()
	}
	if sigma == 0 {
		return mu
	}
	pLow := dtQIv(p, lower, logp)
	q := pLow - 0.5
	var val, r float64
	if math.Abs(q) <= 0.425 {
		r = 0.180625 - q*q
		val = q * (((((((r*2509.0809287301226727+33430.575583588128105)*r+67265.770927008700853)*r+
			45921.953931549871457)*r+13731.693765509461125)*r+1971.5909503065514427)*r+133.14166789178437745)*r +
			3.387132872796366608) /
			(((((((r*5226.495278852854561+28729.085735721942674)*r+39307.89580009271061)*r+
				21213.794301586595867)*r+5394.1960214247511077)*r+687.1870074920579083)*r+42.313330701600911252)*r + 1.0)
		return mu + sigma*val
	}
	if logp && ((lower && q <= 0) || (!lower && q > 0)) {
		r = p
	} else if q > 0 {
		r = fmath.Log(dtCIv(p, lower, logp))
	} else {
		r = fmath.Log(pLow)
	}
	r = math.Sqrt(-r)
	if r <= 5 {
		r -= 1.6
		val = (((((((r*7.7454501427834140764e-4+0.0227238449892691845833)*r+0.24178072517745061177)*r+
			1.27045825245236838258)*r+3.64784832476320460504)*r+5.7694972214606914055)*r+4.6303378461565452959)*r +
			1.42343711074968357734) /
			(((((((r*1.05075007164441684324e-9+5.475938084995344946e-4)*r+0.0151986665636164571966)*r+
				0.14810397642748007459)*r+0.68976733498510000455)*r+1.6763848301838038494)*r+2.05319162663775882187)*r + 1.0)
	} else {
		r -= 5
		val = (((((((r*2.01033439929228813265e-7+2.71155556874348757815e-5)*r+0.0012426609473880784386)*r+
			0.026532189526576123093)*r+0.29656057182850489123)*r+1.7848265399172913358)*r+5.4637849111641143699)*r +
			6.6579046435011037772) /
			(((((((r*2.04426310338993978564e-15+1.4215117583164458887e-7)*r+1.8463183175100546818e-5)*r+
				7.868691311456132591e-4)*r+0.0148753612908506148525)*r+0.13692988092273580531)*r+0.59983220655588793769)*r + 1.0)
	}
	if q < 0 {
		val = -val
	}
	return mu + sigma*val
}

// qBoundaries implements R's R_Q_P01_boundaries: invalid p gives NaN, the
// boundary probabilities give left or right.
func qBoundaries(p, left, right float64, lower, logp bool) (float64, bool) {
	if logp {
		if p > 0 {
			return math.NaN(), true
		}
		if p == 0 {
			if lower {
				return right, true
			}
			return left, true
		}
		if math.IsInf(p, -1) {
			if lower {
				return left, true
			}
			return right, true
		}
		return 0, false
	}
	if p < 0 || p > 1 {
		return math.NaN(), true
	}
	if p == 0 {
		if lower {
			return left, true
		}
		return right, true
	}
	if p == 1 {
		if lower {
			return right, true
		}
		return left, true
	}
	return 0, false
}

// dtQIv is R's R_DT_qIv: the lower-tail probability on the natural scale.
func dtQIv(p float64, lower, logp bool) float64 {
	if logp {
		if lower {
			return fmath.Exp(p)
		}
		return -math.Expm1(p)
	}
	if lower {
		return p
	}
	return 0.5 - p + 0.5
}

// dtCIv is R's R_DT_CIv: the upper-tail probability on the natural scale.
func dtCIv(p float64, lower, logp bool) float64 {
	if logp {
		if lower {
			return -math.Expm1(p)
		}
		return fmath.Exp(p)
	}
	if lower {
		return 0.5 - p + 0.5
	}
	return p
}
