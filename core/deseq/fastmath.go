package deseq

import (
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// Fast special functions for the per-gene inner loops. They agree with R's
// lgammafn and digamma to about 1e-15 (absolute for values near 0, relative
// otherwise), which is far below the tolerances at which DESeq2's iterations
// make decisions (1e-6 on the log posterior, 1e-8 on the deviance).

// lgammaFast returns log Γ(x) for x > 0: the Stirling series with terms to
// x⁻¹¹ for x >= 10, after the recurrence Γ(x) = Γ(x+k)/(x(x+1)…(x+k-1)).
func lgammaFast(x float64) float64 {
	if x >= 10 {
		return lgammaStirling(x, fastLog(x))
	}
	if !(x > 0) {
		return math.NaN() // not reached by the callers (x > 0)
	}
	prod := 1.0
	for x < 10 {
		prod *= x
		x++
	}
	return lgammaStirling(x, fastLog(x)) - fastLog(prod)
}

// lgammaStirling is the Stirling series for x >= 10 given lx = log(x).
func lgammaStirling(x, lx float64) float64 {
	z := 1 / x
	z2 := z * z
	// Σ B_2k / (2k(2k-1) x^(2k-1)), k = 1..6
	s := z * (1.0/12 + z2*(-1.0/360+z2*(1.0/1260+z2*(-1.0/1680+z2*(1.0/1188+z2*(-691.0/360360))))))
	return (x-0.5)*lx - x + lnSqrt2Pi + s
}

// digammaFast returns ψ(x) for x > 0: recurrence to x >= 10, then the
// asymptotic series log x - 1/(2x) - Σ B_2k/(2k x^2k), k = 1..7.
func digammaFast(x float64) float64 {
	var acc float64
	for x < 10 {
		acc -= 1 / x
		x++
	}
	z := 1 / (x * x)
	s := z * (1.0/12 - z*(1.0/120-z*(1.0/252-z*(1.0/240-z*(1.0/132-z*(691.0/32760-z*(1.0/12)))))))
	return acc + fastLog(x) - 0.5/x - s
}

// logTab holds 1/c, log(c) and c for c = 1 + i/1024, i = 0..1023.
var logTab = func() (t [1024][3]float64) {
	for i := range t {
		c := 1 + float64(i)/1024
		t[i] = [3]float64{1 / c, fmath.Log(c), c}
	}
	return t
}()

const (
	ln2Hi = 6.93147180369123816490e-01 // high bits of log 2 (exact in e*ln2Hi)
	ln2Lo = 1.90821492927058770002e-10
)

// fastLog returns log(x) for finite x > 0 (normal numbers) with an absolute
// error below about 2e-16·max(1, |log x|): x = 2^e·m, m in [1,2), m = c(1+t)
// with c the table point below m and 0 <= t < 1/1024 (logBits). Other
// inputs go to fmath.Log.
func fastLog(x float64) float64 {
	bits := math.Float64bits(x)
	ex := bits >> 52
	if ex-1 >= 0x7fe { // zero, subnormal, negative, Inf or NaN
		return fmath.Log(x)
	}
	return logBits(bits, float64(int64(ex)-1023))
}

// logBits returns e·log 2 + log(m) for the significand m in [1, 2) of the
// float64 with bits bits: m = c(1+t) with c = 1 + i/1024 the table point
// below m (m - c is exact) and 0 <= t < 1/1024, log1p(t) by its Taylor
// series to t⁵ (the next term is below 2e-19). Small enough to inline.
func logBits(bits uint64, e float64) float64 {
	tb := &logTab[bits<<12>>54]
	t := (math.Float64frombits(bits&(1<<52-1)|0x3ff0000000000000) - tb[2]) * tb[0]
	t2 := t * t
	return e*ln2Hi + (tb[1] + (t + t2*(-0.5+t*(1.0/3)) + t2*t2*(-0.25+t*0.2) + e*ln2Lo))
}

// logScaled returns log(x·2^e) for finite x > 0 (normal) and an integer e,
// as fastLog with the extra binary exponent added exactly.
func logScaled(x float64, e int) float64 {
	bits := math.Float64bits(x)
	ex := bits >> 52
	if ex-1 >= 0x7fe {
		return fmath.Log(x) + float64(e)*math.Ln2
	}
	return logBits(bits, float64(int64(ex)-1023+int64(e)))
}

// logIntTab[k] = fastLog(k) for whole k < len(logIntTab) (k = 0: -Inf, unused).
var logIntTab = func() (t [4096]float64) {
	for k := range t {
		t[k] = fastLog(float64(k))
	}
	return t
}()

// logCount returns fastLog(v) for a count v > 0, by table for small whole v
// (the same bits).
func logCount(v float64) float64 {
	if v < float64(len(logIntTab)) {
		if k := int(v); float64(k) == v {
			return logIntTab[k]
		}
	}
	return fastLog(v)
}

// logFactTab[k] = log(k!) for k < len(logFactTab), from R's lgamma.
var logFactTab = func() (t [4096]float64) {
	for k := range t {
		t[k] = dist.Lgamma(float64(k) + 1)
	}
	return t
}()

// logFactorial returns log Γ(y+1) for a whole y >= 0.
func logFactorial(y float64) float64 {
	if y < float64(len(logFactTab)) {
		return logFactTab[int(y)]
	}
	return lgammaFast(y + 1)
}

// medianInPlace returns the median of x (R's median: the mean of the two
// middle values for even n), reordering x; NaN for empty x.
func medianInPlace(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	h := n / 2
	hi := quickselect(x, h)
	if n%2 == 1 {
		return hi
	}
	// the largest value below position h
	lo := x[0]
	for _, v := range x[1:h] {
		if v > lo {
			lo = v
		}
	}
	return (lo + hi) / 2
}

// quickselect partially orders x so that x[k] is the k-th smallest value, with
// x[:k] <= x[k] <= x[k+1:], and returns it.
//
// Ranges of 64 or more values take the pivot from a sorted sample of 15
// values at the rank of k shifted by two sample steps away from the middle,
// so that one partition pass usually leaves only the values between k and
// the nearer end (trimmed means select near the ends); smaller ranges use
// the median of three.
func quickselect(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	var smp [15]float64
	for lo < hi {
		var pivot float64
		if n := hi - lo + 1; n >= 64 {
			for t := range smp {
				smp[t] = x[lo+(2*t+1)*n/30]
			}
			sortSmall(smp[:])
			q := (k - lo) * len(smp) / n
			if 2*(k-lo) < n {
				q += 2
			} else {
				q -= 2
			}
			pivot = smp[min(max(q, 0), len(smp)-1)]
		} else {
			// median of three pivot
			mid := lo + (hi-lo)/2
			if x[mid] < x[lo] {
				x[mid], x[lo] = x[lo], x[mid]
			}
			if x[hi] < x[lo] {
				x[hi], x[lo] = x[lo], x[hi]
			}
			if x[hi] < x[mid] {
				x[hi], x[mid] = x[mid], x[hi]
			}
			pivot = x[mid]
		}
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}

// expTab[i] = 2^(i/1024), i = 0..1023 (fmath.Exp2 is portable and faithfully rounded).
var expTab = func() (t [1024]float64) {
	for i := range t {
		t[i] = fmath.Exp(float64(i) / 1024 * math.Ln2)
	}
	return t
}()

// fastExp returns exp(x) within about 2 ulp: x = (64·1024·q + 1024·e + i)·ln2/1024 + r
// with |r| <= ln2/2048, exp(x) = 2^e·2^(i/1024)·exp(r), exp(r) - 1 by its
// Taylor series to r⁴ (the next term is below 4e-20). Outside [-700, 700]
// (and for NaN) it is fmath.Exp.
func fastExp(x float64) float64 {
	if !(x >= -700 && x <= 700) {
		return fmath.Exp(x)
	}
	const inv = 1024 / math.Ln2
	k := int64(math.Floor(x*inv + 0.5))
	kf := float64(k)
	// ln2Hi/1024 has trailing zero bits, so kf times it is exact
	r := (x - kf*(ln2Hi/1024)) - kf*(ln2Lo/1024)
	r2 := r * r
	p := r + r2*(0.5+r*(1.0/6)) + r2*r2*(1.0/24)
	t := expTab[k&1023]
	y := t + t*p
	// y in [0.99, 2.01): scale by 2^(k>>10) through the exponent bits
	return math.Float64frombits(math.Float64bits(y) + uint64(k>>10)<<52)
}
