package fmath

import "math"

const (
	ln2Hi   = 6.93147180369123816490e-01  // high 32 bits of ln 2: k ln2Hi is exact for |k| < 2^21
	ln2Lo   = 1.90821492927058770002e-10  // ln 2 - ln2Hi
	expOver = 7.09782712893383973096e+02  // largest x with e^x finite
	expUnd  = -7.45133219101941108420e+02 // below: e^x rounds to 0
)

// Exp returns e^x.
//
// Method (Tang's table-driven exponential, ACM TOMS 15(2) 1989,
// doi:10.1145/63522.214389): x = (64 k + j) ln2/64 + r with |r| <= ln2/128
// (Cody-Waite reduction with a 32-bit high part of ln 2, exact for |k| < 2^21),
// e^x = 2^k 2^(j/64) e^r, e^r - 1 by its Taylor polynomial of degree 6
// (truncation below 2^-64) and 2^(j/64) from a double-double table computed
// with math/big (tables.go). The error is below 1 ulp (tests: below 1 ulp of
// package math's result on millions of arguments).
//
// Special cases as math.Exp: Exp(+Inf) = +Inf, Exp(-Inf) = 0, Exp(NaN) = NaN;
// +Inf above 709.782712893384, 0 below -745.1332191019412; subnormal results
// are rounded once.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > expOver:
		return math.Inf(1)
	case x < expUnd:
		return 0
	}
	return expDD(x, 0)
}

// expDD returns e^(x+xl) for |xl| <= ulp(x) and x in [expUnd, expOver+1].
func expDD(x, xl float64) float64 {
	t := float64(x * (64 / math.Ln2))
	n := int(t + 0.5) // round to nearest: truncation, one down for negative non-integers
	if float64(n) > t+0.5 {
		n--
	}
	k := float64(n)
	r := float64(x-float64(k*(ln2Hi/64))) - float64(k*(ln2Lo/64)) + xl
	// e^r - 1 = r + r^2/2 + ... + r^6/720
	p := float64(float64(float64(float64(float64(r*(1.0/720))+1.0/120)*r+1.0/24)*r+1.0/6)*r + 0.5)
	p = float64(float64(p*r)*r) + r
	j := n & 63
	m := n >> 6 // floor(n/64)
	th, tl := expTab[2*j], expTab[2*j+1]
	v := th + (tl + float64(th*p))
	if m > -1022 && m < 1024 {
		return v * math.Float64frombits(uint64(m+1023)<<52)
	}
	return math.Ldexp(v, m)
}
