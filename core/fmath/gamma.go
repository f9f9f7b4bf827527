package fmath

import "math"

// lg2Terms is the number of Taylor coefficients of lnΓ(2+t) kept (|t| <= 1/2:
// truncation below 2^-62).
const lg2Terms = 34

// lg2 returns lnΓ(2+t) for |t| <= 1/2 by its Taylor series
// (1-γ) t + Σ_{k>=2} (-1)^k (ζ(k)-1) t^k / k (Abramowitz and Stegun 6.1.33
// shifted by one), coefficients from math/big (tables.go).
func lg2(t float64) float64 {
	s := lg2Coef[lg2Terms-1]
	for k := lg2Terms - 2; k >= 0; k-- {
		s = float64(s*t) + lg2Coef[k]
	}
	return float64(s * t)
}

// lnSqrt2Pi is ln(sqrt(2π)).
const lnSqrt2Pi = 0.918938533204672741780329736406

// stirling returns lnΓ(x) for x >= 15: (x - 1/2)(ln x - 1) - 1/2 + ln sqrt(2π)
// + Σ_{k=1..8} B_2k / (2k(2k-1) x^(2k-1)).
func stirling(x float64) float64 {
	c := [...]float64{
		1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
		-691.0 / 360360, 1.0 / 156, -3617.0 / 122400,
	}
	corr := 0.0
	if x < 1e17 {
		x2 := 1 / float64(x*x)
		s := c[len(c)-1]
		for k := len(c) - 2; k >= 0; k-- {
			s = float64(s*x2) + c[k]
		}
		corr = s / x
	}
	return float64((x-0.5)*(Log(x)-1)) + ((lnSqrt2Pi - 0.5) + corr)
}

// sinPi returns sin(πx) with the argument reduced exactly (x mod 2), using the
// portable math.Sin.
func sinPi(x float64) float64 {
	r := math.Mod(x, 2) // exact, sign of x
	if r < 0 {
		r += 2 // exact for |r| < 2 except tiny r, where sin(πr) is tiny anyway
	}
	// now r in [0, 2): sin(πr) = sin(π(1-r)) for r in [0.5, 1.5], -sin(π(2-r))
	switch {
	case r <= 0.5:
		return math.Sin(math.Pi * r)
	case r <= 1.5:
		return math.Sin(math.Pi * (1 - r))
	default:
		return -math.Sin(math.Pi * (2 - r))
	}
}

// Lgamma returns ln|Γ(x)| and the sign of Γ(x) (-1 or +1), like math.Lgamma.
//
// Method: for 0 < x < 1/2, lnΓ(2+x) - ln x - ln(1+x); for 1/2 <= x < 3/2,
// lnΓ(2+t) - log1p(t) with t = x-1 exact; for 3/2 <= x < 15, lnΓ(2+t) with t in
// [-1/2, 1/2) plus the logarithm of the product (x-1)(x-2)... kept as a
// double-double; lnΓ(2+t) by its Taylor series in ζ(k) (coefficients from
// math/big); for x >= 15 Stirling's series with 8 terms; for x < 0 the
// reflection lnΓ(x) = ln(π/|x sin πx|) - lnΓ(-x). The error is a few ulp away
// from the zeros of lnΓ (x near 1 and 2 and negative x near the roots, where
// the absolute error stays near 1e-17); lnΓ(1) = lnΓ(2) = 0 exactly.
//
// Special cases as math.Lgamma: Lgamma(+Inf) = +Inf, Lgamma(±0) = +Inf,
// Lgamma(-integer) = +Inf, Lgamma(-Inf) = -Inf (sign 1 in these cases),
// Lgamma(NaN) = NaN.
func Lgamma(x float64) (lgamma float64, sign int) {
	sign = 1
	switch {
	case x != x:
		return x, 1
	case math.IsInf(x, 1):
		return x, 1
	case math.IsInf(x, -1):
		return x, 1
	case x == 0:
		return math.Inf(1), 1
	case x < 0:
		if x == math.Trunc(x) {
			return math.Inf(1), 1
		}
		if x > -0x1p-70 {
			return -Log(-x), -1
		}
		s := sinPi(x)
		if s < 0 { // the sign of Γ(x) is that of sin(πx)
			s = -s
			sign = -1
		}
		// Γ(x) Γ(-x) = -π/(x sin(πx))
		lg, _ := Lgamma(-x)
		return Log(math.Pi/float64(s*-x)) - lg, sign
	case x < 0x1p-70:
		return -Log(x), 1
	case x < 0.5:
		return lg2(x) - Log(x) - math.Log1p(x), 1
	case x < 1.5:
		t := x - 1
		return lg2(t) - math.Log1p(t), 1
	case x < 2.5:
		return lg2(x - 2), 1
	case x < 15:
		n := int(x - 1.5) // x - n in [1.5, 2.5)
		ph, pl := 1.0, 0.0
		for i := 1; i <= n; i++ {
			p, e := twoProd(ph, x-float64(i))
			ph, pl = fastTwoSum(p, e+float64(pl*(x-float64(i))))
		}
		return Log(ph) + (pl/ph + lg2(x-float64(n)-2)), 1
	}
	return stirling(x), 1
}

// Gamma returns Γ(x).
//
// Method: integers 1..23 exactly from a table of factorials; for other
// 0 < x < 171.7 Γ(2+t) = e^(lnΓ(2+t)) with t in [-1/2, 1/2) (the Taylor series of
// Lgamma) times or divided by the product of the shifts kept as a
// double-double (error a few ulp); for x < 0 the reflection
// Γ(x) = π/(sin(πx) Γ(1-x)).
//
// Special cases as math.Gamma: Gamma(+Inf) = +Inf, Gamma(+0) = +Inf,
// Gamma(-0) = -Inf, Gamma(x) = NaN for integer x < 0, Gamma(-Inf) = NaN,
// Gamma(NaN) = NaN; +Inf above 171.62.
func Gamma(x float64) float64 {
	switch {
	case x != x:
		return x
	case math.IsInf(x, 1):
		return x
	case math.IsInf(x, -1):
		return math.NaN()
	case x == 0:
		return 1 / x // ±Inf
	case x < 0:
		if x == math.Trunc(x) {
			return math.NaN()
		}
		if x > -0x1p-70 {
			return 1 / x
		}
		g := Gamma(1 - x)
		return math.Pi / (sinPi(x) * g)
	case x > 171.62434:
		return math.Inf(1)
	case x == math.Trunc(x) && x <= 23:
		return factorial[int(x)-1]
	case x < 0x1p-70:
		return 1 / x
	}
	switch {
	case x < 0.5: // Γ(x) = Γ(2+x)/(x (x+1))
		return Exp(lg2(x)) / float64(x*(x+1))
	case x < 1.5: // Γ(x) = Γ(2+t)/x, t = x-1 exact
		return Exp(lg2(x-1)) / x
	}
	// Γ(x) = Γ(x-n) (x-1)(x-2)...(x-n) with x-n in [1.5, 2.5) (exact), the
	// product as a double-double scaled by 2^-scale to stay below 2^600.
	ph, pl := 1.0, 0.0
	scale := 0
	t := x
	for t >= 2.5 {
		t--
		p, e := twoProd(ph, t)
		ph, pl = fastTwoSum(p, e+float64(pl*t))
		if ph > 0x1p600 {
			ph, pl = ph*0x1p-600, pl*0x1p-600
			scale += 600
		}
	}
	v := Exp(lg2(t - 2))
	return math.Ldexp(float64(v*ph)+float64(v*pl), scale)
}

// factorial[n-1] = (n-1)! for n = 1..23 (exact below 23!: computed in integers).
var factorial = func() (f [23]float64) {
	v := uint64(1)
	for n := 1; n <= 21; n++ {
		f[n-1] = float64(v)
		v *= uint64(n)
	}
	f[21] = 51090942171709440000   // 21!
	f[22] = 1124000727777607680000 // 22!
	return f
}()
