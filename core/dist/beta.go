package dist

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
)

// incBeta returns I_x(a, b) on the lower (lower=true) or upper tail, given both
// x and y = 1-x so that neither tail loses precision to 1-x, with log taken
// when logp, by betaCF.
func incBeta(a, b, x, y float64, lower, logp bool) float64 {
	return incBetaL(a, b, x, y, math.NaN(), math.NaN(), lower, logp)
}

// incBetaL is incBeta with optional accurate log x and log y (NaN: computed
// here), which matter for large shapes where a·log x amplifies rounding.
func incBetaL(a, b, x, y, lx, ly float64, lower, logp bool) float64 {
	if x <= 0 {
		return dt0(lower, logp)
	}
	if y <= 0 {
		return dt1(lower, logp)
	}
	if math.IsNaN(lx) {
		lx = fmath.Log(x)
	}
	if math.IsNaN(ly) {
		ly = fmath.Log(y)
	}
	return betaCF(a, b, x, y, lx, ly, lower, logp)
}

// betaCF returns I_x(a, b) (or its upper tail, or their logs) by the
// continued fraction of Numerical Recipes' betacf (modified Lentz), on the
// side x < (a+1)/(a+b+2) where it converges, with the prefactor
// x^a y^b / B(a, b) computed on the log scale from log x, log y and Lbeta
// (Stirling-corrected), so that large shapes keep full accuracy.
func betaCF(a, b, x, y, lx, ly float64, lower, logp bool) float64 {
	swap := x >= (a+1)/(a+b+2)
	if swap {
		a, b, x, y, lx, ly = b, a, y, x, ly, lx
		lower = !lower
	}
	// now the directly computed tail is the lower one of I_x(a, b)
	const fpmin = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < fpmin {
		d = fpmin
	}
	d = 1 / d
	h := d
	for m := 1; m <= 100000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < fpmin {
			d = fpmin
		}
		c = 1 + aa/c
		if math.Abs(c) < fpmin {
			c = fpmin
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < fpmin {
			d = fpmin
		}
		c = 1 + aa/c
		if math.Abs(c) < fpmin {
			c = fpmin
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	logDirect := a*lx + b*ly - Lbeta(a, b) + fmath.Log(h/a)
	if lower {
		if logp {
			return logDirect
		}
		return fmath.Exp(logDirect)
	}
	if logp {
		return log1mexp(logDirect)
	}
	return -math.Expm1(logDirect)
}

// pickTail returns the requested tail given one directly computed tail
// probability: the direct value (or its log), or its complement as
// 0.5 - direct + 0.5 (or log1p(-direct)).
func pickTail(direct float64, directLower, lower, logp bool) float64 {
	if directLower == lower {
		return logIf(direct, logp)
	}
	if logp {
		return math.Log1p(-direct)
	}
	return 0.5 - direct + 0.5
}

func logIf(v float64, logp bool) float64 {
	if logp {
		return fmath.Log(v)
	}
	return v
}

// Pbeta returns the beta distribution function I_x(a, b) (R's pbeta), with
// lower and logp as in R. NaN input, a < 0 or b < 0 gives NaN; x outside
// (0,1) gives 0 or 1.
func Pbeta(x, a, b float64, lower, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(a) || math.IsNaN(b) || a < 0 || b < 0 {
		return math.NaN()
	}
	if x <= 0 {
		return dt0(lower, logp)
	}
	if x >= 1 {
		return dt1(lower, logp)
	}
	if a == 0 || b == 0 || math.IsInf(a, 0) || math.IsInf(b, 0) {
		// limiting point masses, as R's pbeta_raw
		switch {
		case a == 0 && b == 0:
			return logIf(0.5, logp)
		case a == 0 || a/b == 0:
			return dt1(lower, logp)
		case b == 0 || b/a == 0:
			return dt0(lower, logp)
		default: // both infinite: point mass at 1/2
			if x < 0.5 {
				return dt0(lower, logp)
			}
			return dt1(lower, logp)
		}
	}
	return incBeta(a, b, x, 0.5-x+0.5, lower, logp)
}

// Pt returns Student's t distribution function with n degrees of freedom, as
// R's pt (src/nmath/pt.c): through the incomplete beta of n/(n+x²) (or
// x²/(n+x²) when n > x²), and a direct log formula when 1+x²/n overflows. n <= 0 or NaN gives
// NaN.
func Pt(x, n float64, lower, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(n) || n <= 0 {
		return math.NaN()
	}
	if math.IsInf(x, 0) {
		if x < 0 {
			return dt0(lower, logp)
		}
		return dt1(lower, logp)
	}
	if math.IsInf(n, 1) {
		return Pnorm(x, 0, 1, lower, logp)
	}
	nx := 1 + (x/n)*x
	var val float64 // P(|T| > |x|), possibly as a log
	if nx > 1e100 {
		lval := -0.5*n*(2*fmath.Log(math.Abs(x))-fmath.Log(n)) - Lbeta(0.5*n, 0.5) - fmath.Log(0.5*n)
		if logp {
			val = lval
		} else {
			val = fmath.Exp(lval)
		}
	} else if n > x*x {
		xx := x * x
		val = incBetaL(0.5, n/2, xx/(n+xx), n/(n+xx), fmath.Log(xx)-fmath.Log(n+xx), -math.Log1p(xx/n), false, logp)
	} else {
		u := (x / n) * x
		val = incBetaL(n/2, 0.5, 1/nx, u/nx, -math.Log1p(u), fmath.Log(u)-math.Log1p(u), true, logp)
	}
	if x <= 0 {
		lower = !lower
	}
	if logp {
		if lower {
			return math.Log1p(-0.5 * fmath.Exp(val))
		}
		return val - ln2
	}
	val /= 2
	if lower {
		return 0.5 - val + 0.5
	}
	return val
}

// dtLog returns the log density of Student's t with n df at x.
func dtLog(x, n float64) float64 {
	return -Lbeta(0.5, n/2) - 0.5*fmath.Log(n) - (n+1)/2*math.Log1p(x*x/n)
}

// Qt returns the quantile of Student's t with n degrees of freedom: the t with
// Pt(t, n, lower, logp) = p. The start (qtStart) is polished by Newton steps
// safeguarded by bisection on the log upper tail probability of |t| with the
// exact density. n = +Inf (or
// > 1e20) uses Qnorm. Invalid p or n <= 0 gives NaN; the boundaries give ±Inf.
func Qt(p, n float64, lower, logp bool) float64 {
	if math.IsNaN(p) || math.IsNaN(n) || n <= 0 {
		return math.NaN()
	}
	if v, done := qBoundaries(p, math.Inf(-1), math.Inf(1), lower, logp); done {
		return v
	}
	if n > 1e20 {
		return Qnorm(p, 0, 1, lower, logp)
	}
	pl := dtQIv(p, lower, logp)
	pu := dtCIv(p, lower, logp)
	sign := 1.0
	tailP := pu // upper tail probability of the answer's |t|
	if pl < 0.5 || (pl == 0.5 && pu >= 0.5) {
		sign = -1
		tailP = pl
	}
	if logp && tailP == 0 {
		return sign * math.Inf(1)
	}
	if tailP == 0.5 {
		return 0
	}
	// Solve log P(T > t) = log tailP for t > 0 from qtStart.
	start := qtStart(tailP, n)
	lt := fmath.Log(tailP)
	if logp && ((sign > 0 && !lower) || (sign < 0 && lower)) {
		lt = p
	}
	g := func(t float64) (float64, float64) {
		lp := Pt(t, n, false, true)
		return lp - lt, -fmath.Exp(dtLog(t, n) - lp)
	}
	return sign * solveDecreasing(g, 0, start)
}

// qtStart returns a starting t > 0 with P(T > t) near q <= 1/2: exact for
// n = 1 (cot(πq)) and n = 2 ((1-2q)/sqrt(2q(1-q))), otherwise the
// Cornish-Fisher expansion z + (z³+z)/(4n) + (5z⁵+16z³+3z)/(96n²) of the normal
// quantile z (Abramowitz and Stegun 26.7.5).
func qtStart(q, n float64) float64 {
	switch {
	case n == 1:
		return 1 / math.Tan(math.Pi*q)
	case n == 2:
		return (1 - 2*q) / math.Sqrt(2*q*(1-q))
	}
	z := -Qnorm(q, 0, 1, true, false)
	if math.IsInf(z, 0) || math.IsNaN(z) {
		z = math.Sqrt(-2 * fmath.Log(q))
	}
	z2 := z * z
	return z + z*(z2+1)/(4*n) + z*((5*z2+16)*z2+3)/(96*n*n)
}

// solveDecreasing finds the root of the decreasing function g on (lo, +Inf),
// where g(lo+) > 0, by Newton's method safeguarded with bisection inside an
// expanding bracket (rtsafe). g returns the value and the derivative.
func solveDecreasing(g func(float64) (float64, float64), lo, x0 float64) float64 {
	if !(x0 > lo) || math.IsInf(x0, 0) || math.IsNaN(x0) {
		x0 = lo + 1
	}
	hi := x0
	for i := 0; ; i++ {
		v, _ := g(hi)
		if v <= 0 || math.IsNaN(v) {
			if v == 0 {
				return hi
			}
			break
		}
		lo = hi
		hi *= 2
		if i > 2100 {
			return math.Inf(1)
		}
	}
	x := x0
	if !(x > lo && x < hi) {
		x = lo + (hi-lo)/2
	}
	for i := 0; i < 200; i++ {
		v, d := g(x)
		if v == 0 {
			return x
		}
		if v > 0 {
			lo = x
		} else {
			hi = x
		}
		nx := x - v/d
		if !(nx > lo && nx < hi) || d == 0 || math.IsNaN(nx) {
			nx = lo + (hi-lo)/2
		}
		if math.Abs(nx-x) <= 2e-16*math.Abs(nx) || hi-lo <= 2e-16*math.Abs(hi) {
			return nx
		}
		x = nx
	}
	return x
}

// Pf returns the F distribution function with df1 and df2 degrees of freedom,
// as R's pf via the incomplete beta of df2/(df2+df1·x) or df1·x/(df2+df1·x).
// df <= 0 or NaN input gives NaN.
func Pf(x, df1, df2 float64, lower, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(df1) || math.IsNaN(df2) || df1 <= 0 || df2 <= 0 {
		return math.NaN()
	}
	if x <= 0 {
		return dt0(lower, logp)
	}
	if math.IsInf(x, 1) {
		return dt1(lower, logp)
	}
	if math.IsInf(df2, 1) {
		if math.IsInf(df1, 1) {
			if x < 1 {
				return dt0(lower, logp)
			}
			if x == 1 {
				return logIf(0.5, logp)
			}
			return dt1(lower, logp)
		}
		return Pchisq(x*df1, df1, lower, logp)
	}
	if math.IsInf(df1, 1) {
		return Pchisq(df2/x, df2, !lower, logp)
	}
	den := df2 + df1*x
	if df1*x > df2 {
		return incBeta(df2/2, df1/2, df2/den, df1*x/den, !lower, logp)
	}
	return incBeta(df1/2, df2/2, df1*x/den, df2/den, lower, logp)
}
