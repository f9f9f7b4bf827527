package fmath

import "math"

// Hypot returns sqrt(p*p + q*q) without undue overflow or underflow, as
// |p| sqrt(1 + (q/p)^2) with |p| >= |q| (the formula of Go's portable
// math.hypot; a few tenths of an ulp above correct rounding at worst).
// Special cases as math.Hypot: Hypot(±Inf, q) = +Inf, Hypot(p, ±Inf) = +Inf,
// Hypot(NaN, q) = NaN, Hypot(p, NaN) = NaN.
func Hypot(p, q float64) float64 {
	p, q = math.Abs(p), math.Abs(q)
	switch {
	case math.IsInf(p, 1) || math.IsInf(q, 1):
		return math.Inf(1)
	case p != p || q != q:
		return math.NaN()
	}
	if p < q {
		p, q = q, p
	}
	if p == 0 {
		return 0
	}
	q = q / p
	return p * math.Sqrt(1+float64(q*q))
}

// sinhCoef[i] = 1/(2i+3)!, i = 0..8.
var sinhCoef = func() (c [9]float64) {
	f := 6.0 // 3!
	for i := range c {
		c[i] = 1 / f
		f *= float64((2*i + 4) * (2*i + 5))
	}
	return c
}()

// Sinh returns the hyperbolic sine (e^x - e^-x)/2: for |x| < 1 by its Taylor
// series to x^21/21!, up to 22 as
// (E - 1/E)/2 with E = Exp(|x|), beyond as Exp(|x|)/2 (or Exp(|x|/2)^2/2 near
// overflow). Special cases as math.Sinh: ±0, ±Inf and NaN return themselves.
func Sinh(x float64) float64 {
	a := math.Abs(x)
	var v float64
	switch {
	case a != a || a == 0 || a > math.MaxFloat64:
		return x
	case a < 0x1p-28:
		return x
	case a < 1:
		// x + x^3/3! + ... + x^21/21! (truncation below 2^-70 x)
		a2 := float64(a * a)
		s := 1.0 / 51090942171709440000 // 1/21!
		for k := 19; k >= 3; k -= 2 {
			s = float64(s*a2) + sinhCoef[(k-3)/2]
		}
		v = a + float64(float64(a*a2)*s)
	case a < 22:
		e := Exp(a)
		v = 0.5 * (e - 1/e)
	case a < expOver:
		v = 0.5 * Exp(a)
	default:
		h := Exp(0.5 * a)
		v = float64(0.5*h) * h
	}
	if x < 0 {
		return -v
	}
	return v
}

// Cosh returns the hyperbolic cosine (e^x + e^-x)/2, as Sinh by ranges.
// Special cases as math.Cosh: Cosh(±0) = 1, Cosh(±Inf) = +Inf, Cosh(NaN) = NaN.
func Cosh(x float64) float64 {
	a := math.Abs(x)
	switch {
	case a != a:
		return x
	case a > math.MaxFloat64:
		return a
	case a < 0x1p-28:
		return 1
	case a < 22:
		e := Exp(a)
		return 0.5 * (e + 1/e)
	case a < expOver:
		return 0.5 * Exp(a)
	default:
		h := Exp(0.5 * a)
		return float64(0.5*h) * h
	}
}

// Tanh returns the hyperbolic tangent: for |x| < 0.55 as -t/(t+2) with
// t = expm1(-2|x|), below 22 as 1 - 2/(expm1(2|x|) + 2), beyond ±1 (math.Expm1
// is portable). Special cases as math.Tanh: ±0 and NaN return themselves,
// Tanh(±Inf) = ±1.
func Tanh(x float64) float64 {
	a := math.Abs(x)
	var v float64
	switch {
	case a != a || a == 0:
		return x
	case a < 0x1p-28:
		return x
	case a < 0.55:
		t := math.Expm1(-2 * a)
		v = -t / (t + 2)
	case a < 22:
		v = 1 - 2/(math.Expm1(2*a)+2)
	default:
		v = 1
	}
	if x < 0 {
		return -v
	}
	return v
}

// Asinh returns the inverse hyperbolic sine ln(x + sqrt(x^2+1)): for |x| <= 2
// as log1p(|x| + x^2/(1 + sqrt(1+x^2))) (math.Log1p is portable), up to 2^28 as
// Log(2|x| + 1/(sqrt(x^2+1) + |x|)), beyond as Log(|x|) + ln 2. Special cases
// as math.Asinh: ±0, ±Inf and NaN return themselves.
func Asinh(x float64) float64 {
	a := math.Abs(x)
	var v float64
	switch {
	case a != a || a == 0 || a > math.MaxFloat64:
		return x
	case a < 0x1p-28:
		return x
	case a <= 2:
		a2 := float64(a * a)
		v = math.Log1p(a + a2/(1+math.Sqrt(1+a2)))
	case a < 0x1p28:
		v = Log(2*a + 1/(math.Sqrt(float64(a*a)+1)+a))
	default:
		v = Log(a) + math.Ln2
	}
	if x < 0 {
		return -v
	}
	return v
}

// Acosh returns the inverse hyperbolic cosine ln(x + sqrt(x^2-1)) for x >= 1:
// below 2 as log1p(t + sqrt(2t + t^2)) with t = x - 1, up to 2^28 as
// Log(2x - 1/(x + sqrt(x^2-1))), beyond as Log(x) + ln 2. Special cases as
// math.Acosh: Acosh(+Inf) = +Inf, Acosh(x < 1) = NaN, Acosh(NaN) = NaN.
func Acosh(x float64) float64 {
	switch {
	case x != x || x < 1:
		return math.NaN()
	case x == 1:
		return 0
	case x > math.MaxFloat64:
		return x
	case x < 2:
		t := x - 1
		return math.Log1p(t + math.Sqrt(float64(2*t)+float64(t*t)))
	case x < 0x1p28:
		return Log(2*x - 1/(x+math.Sqrt(float64(x*x)-1)))
	default:
		return Log(x) + math.Ln2
	}
}
