package fmath

import "math"

// Pow returns x**y.
//
// Method: y ln|x| as a double-double (ln|x| from a double-double logarithm,
// relative error near 2^-68; the product y ln|x| with its exact rounding
// error), then e^(y ln|x|) by the table-driven exponential of Exp with the low
// part added to the reduced argument. The error is below 1 ulp away from
// overflow and underflow (tests: within 1 ulp of math/big on random arguments).
// y = 2 gives x*x, y = 1/2 math.Sqrt(x), y = -1/2 1/math.Sqrt(x) (correctly
// rounded). The sign is negative for x < 0 and an odd integer y.
//
// Special cases as math.Pow:
//
//	Pow(x, ±0) = 1 for any x
//	Pow(1, y) = 1 for any y
//	Pow(x, 1) = x for any x
//	Pow(NaN, y) = NaN
//	Pow(x, NaN) = NaN
//	Pow(±0, y) = ±Inf for y an odd integer < 0
//	Pow(±0, -Inf) = +Inf
//	Pow(±0, +Inf) = +0
//	Pow(±0, y) = +Inf for finite y < 0 and not an odd integer
//	Pow(±0, y) = ±0 for y an odd integer > 0
//	Pow(±0, y) = +0 for finite y > 0 and not an odd integer
//	Pow(-1, ±Inf) = 1
//	Pow(x, +Inf) = +Inf for |x| > 1
//	Pow(x, -Inf) = +0 for |x| > 1
//	Pow(x, +Inf) = +0 for |x| < 1
//	Pow(x, -Inf) = +Inf for |x| < 1
//	Pow(+Inf, y) = +Inf for y > 0
//	Pow(+Inf, y) = +0 for y < 0
//	Pow(-Inf, y) = Pow(-0, -y)
//	Pow(x, y) = NaN for finite x < 0 and finite non-integer y
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case x != x || y != y:
		return math.NaN()
	case x == 0:
		switch {
		case y < 0:
			if math.Signbit(x) && isOddInt(y) {
				return math.Inf(-1)
			}
			return math.Inf(1)
		case y > 0:
			if math.Signbit(x) && isOddInt(y) {
				return x
			}
			return 0
		}
	case math.IsInf(y, 0):
		switch {
		case x == -1:
			return 1
		case (math.Abs(x) < 1) == math.IsInf(y, 1):
			return 0
		default:
			return math.Inf(1)
		}
	case math.IsInf(x, 0):
		if math.IsInf(x, -1) {
			return Pow(1/x, -y) // Pow(-0, -y)
		}
		if y < 0 {
			return 0
		}
		return math.Inf(1)
	case y == 2:
		return x * x
	case y == 0.5:
		return math.Sqrt(x)
	case y == -0.5:
		return 1 / math.Sqrt(x)
	}
	neg := false
	if x < 0 {
		if y != math.Trunc(y) {
			return math.NaN()
		}
		neg = isOddInt(y)
		x = -x
	}
	if x == 1 { // (-1)^y for integer y (also huge or infinite y)
		if neg {
			return -1
		}
		return 1
	}
	lh, ll := logDD(x)
	zh := y * lh
	var v float64
	switch {
	case zh > expOver+1:
		v = math.Inf(1)
	case zh < expUnd-1:
		v = 0
	default:
		p, e := twoProd(y, lh)
		zl := e + float64(y*ll)
		zh, zl = fastTwoSum(p, zl)
		switch {
		case zh > expOver+1e-9:
			v = math.Inf(1)
		case zh < expUnd-1e-9:
			v = 0
		default:
			v = expDD(zh, zl)
		}
	}
	if neg {
		return -v
	}
	return v
}

// isOddInt reports whether x is an odd integer.
func isOddInt(x float64) bool {
	if math.Abs(x) >= 1<<53 {
		return false // even (or not finite)
	}
	i := int64(x)
	return float64(i) == x && i&1 == 1
}
