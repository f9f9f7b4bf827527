package fmath

import "math"

// Table of the logarithm: cells of width 1/128 over [logBase, logBase +
// logCells/128) cover the reduced argument m in [sqrt(1/2), sqrt(2)].
const (
	logBase  = 0.703125
	logCells = 92
	near1    = 1.0 / 128 // |x-1| below this: a series in x-1, without the table
)

// reduce returns x = 2^e m with m in [sqrt(1/2), sqrt(2)) for finite x > 0.
func reduce(x float64) (m float64, e int) {
	if x < 0x1p-1022 { // subnormal
		x *= 0x1p54
		e = -54
	}
	b := math.Float64bits(x)
	e += int(b>>52) - 1023
	m = math.Float64frombits(b&(1<<52-1) | 1023<<52)
	if m > math.Sqrt2 {
		m *= 0.5
		e++
	}
	return m, e
}

// log1pSeries returns ln(1+f) - f for |f| < 1/128: -f^2/2 + f^3/3 - ... - f^10/10
// (truncation below 2^-77 |f|).
func log1pSeries(f float64) float64 {
	q := float64(float64(float64(float64(float64(float64(float64(float64(float64(f*(-1.0/10))+1.0/9)*f-1.0/8)*f+1.0/7)*f-1.0/6)*f+1.0/5)*f-0.25)*f+1.0/3)*f - 0.5)
	return float64(float64(f*f) * q)
}

// Log returns the natural logarithm of x.
//
// Method (a table-driven logarithm in the manner of Tang, ACM TOMS 16(4)
// 1990, doi:10.1145/98267.98294): x = 2^e m with m in [sqrt(1/2), sqrt(2));
// for e = 0 and |m-1| < 1/128, ln x = f + (-f^2/2 + ... - f^10/10) with f = m-1
// exact; otherwise c is the centre of m's cell of width 1/128, r = (m-c)/c with
// m-c exact, and ln x = e ln2 + ln c + ln(1+r) with ln c from a double-double
// table (math/big, tables.go), ln(1+r) by its Taylor polynomial of degree 9 and
// the large terms added with their rounding error kept. The error is below
// 1 ulp.
//
// Special cases as math.Log: Log(+Inf) = +Inf, Log(0) = -Inf, Log(x < 0) = NaN,
// Log(NaN) = NaN.
func Log(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case x > math.MaxFloat64:
		return x
	}
	m, e := reduce(x)
	if e == 0 && math.Abs(m-1) < near1 {
		f := m - 1
		return f + log1pSeries(f)
	}
	j := int(float64(m-logBase) * 128)
	c := logBase + (float64(j)+0.5)/128
	r := (m - c) / c
	// ln(1+r) - r = -r^2/2 + r^3/3 - ... + r^9/9
	q := float64(float64(float64(float64(float64(float64(float64(float64(r*(1.0/9))-1.0/8)*r+1.0/7)*r-1.0/6)*r+1.0/5)*r-0.25)*r+1.0/3)*r - 0.5)
	p := r + float64(float64(r*r)*q)
	fe := float64(e)
	lo := p + (float64(fe*ln2Lo) + logTab[2*j+1])
	if e == 0 {
		return logTab[2*j] + lo
	}
	hi, err := fastTwoSum(float64(fe*ln2Hi), logTab[2*j])
	return hi + (err + lo)
}

// logDD returns ln x as a double-double hi + lo with a relative error near
// 2^-68, for finite x > 0 (used by Pow, Log2 and Log10).
func logDD(x float64) (hi, lo float64) {
	m, e := reduce(x)
	if e == 0 && math.Abs(m-1) < near1 {
		f := m - 1
		sh, sl := twoProd(f, f)
		// ln(1+f) = f - f^2/2 + f^3 (1/3 - f/4 + ...)
		rest := float64(float64(sh*f) * float64(1.0/3+float64(f*float64(-0.25+float64(f*float64(0.2+float64(f*float64(-1.0/6+float64(f*float64(1.0/7+float64(f*float64(-0.125+float64(f*(1.0/9))))))))))))))
		s, err := twoSum(f, -0.5*sh)
		return fastTwoSum(s, err+(-0.5*sl+rest))
	}
	j := int(float64(m-logBase) * 128)
	c := logBase + (float64(j)+0.5)/128
	d := m - c
	r := d / c
	ph, pl := twoProd(r, c)
	rl := ((d - ph) - pl) / c // r + rl = d/c to about 2^-106
	sh, sl := twoProd(r, r)
	rest := float64(float64(sh*r) * float64(1.0/3+float64(r*float64(-0.25+float64(r*float64(0.2+float64(r*float64(-1.0/6+float64(r*float64(1.0/7+float64(r*float64(-0.125+float64(r*(1.0/9))))))))))))))
	fe := float64(e)
	s, e1 := twoSum(float64(fe*ln2Hi), logTab[2*j])
	s, e2 := twoSum(s, r)
	s, e3 := twoSum(s, -0.5*sh)
	lo = (e1 + e2 + e3) + (float64(fe*ln2Lo) + logTab[2*j+1]) + (float64(rl*(1-r)) - 0.5*sl + rest)
	return fastTwoSum(s, lo)
}

// Log2 returns the binary logarithm of x, correctly rounded except when
// log2 x lies within about 2^-66 relative of a rounding boundary: e for
// x = 2^e exactly; otherwise ln x as a double-double (relative error near
// 2^-68) times 1/ln 2 as a double-double, rounded once.
//
// Why correctly rounded: R calls the C library's log2 (glibc's is within
// 0.55 ulp and misrounds about 1 argument in 8,000), and ties in values R
// ranks decide results: edgeR's TMM trims genes by the ranks of
// log2(y/L) sums, and mathematically equal sums (counts 1 and 8, 2 and 4) are
// tied in R only when each log2 is rounded as R's is. A faithfully rounded
// log2 (error below 1 ulp, as this function was before) differed from glibc
// on 1.3% of arguments and broke such ties (TestLog2MatchesGlibc).
// Special cases as math.Log2 (those of Log).
func Log2(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case x > math.MaxFloat64:
		return x
	}
	if m, e := reduce(x); m == 1 {
		return float64(e)
	}
	h, l := logDD(x)
	return mulDD(h, l, invLn2Hi, invLn2Lo)
}

// Log10 returns the decimal logarithm of x: ln x as a double-double times
// 1/ln 10 as a double-double (error below 1 ulp; exact powers of ten give
// integers). Special cases as math.Log10 (those of Log).
func Log10(x float64) float64 {
	switch {
	case x != x || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case x > math.MaxFloat64:
		return x
	}
	h, l := logDD(x)
	return mulDD(h, l, invLn10Hi, invLn10Lo)
}

// mulDD returns fl((hi + lo)(bh + bl)).
func mulDD(hi, lo, bh, bl float64) float64 {
	p, e := twoProd(hi, bh)
	return p + (e + float64(hi*bl) + float64(lo*bh))
}
