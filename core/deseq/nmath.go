package deseq

import (
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// This file holds the few pieces of R's nmath library that DESeq2 calls and
// core/dist does not provide: dnbinom_mu (with stirlerr, bd0 and dbinom_raw,
// R 4.2.2 src/nmath/dnbinom.c, dbinom.c, stirlerr.c, bd0.c), trigamma and qf.
// They were written from the published algorithms (Loader 2000, "Fast and
// accurate computation of binomial probabilities"), not copied.

const lnSqrt2Pi = 0.918938533204672741780329736406 // log(sqrt(2*pi))
const ln2Pi = 1.837877066409345483560659472811     // log(2*pi)

// sferrHalves[k] is stirlerr(k/2) for k = 0..30, computed once from Lgamma.
var sferrHalves = func() [31]float64 {
	var t [31]float64
	for k := 1; k <= 30; k++ {
		n := float64(k) / 2
		t[k] = dist.Lgamma(n+1) - (n+0.5)*fmath.Log(n) + n - lnSqrt2Pi
	}
	return t
}()

// stirlerr returns log(n!) - log(sqrt(2πn)(n/e)^n), the error of Stirling's
// formula (R's stirlerr).
func stirlerr(n float64) float64 {
	const (
		s0 = 0.083333333333333333333       // 1/12
		s1 = 0.00277777777777777777778     // 1/360
		s2 = 0.00079365079365079365079365  // 1/1260
		s3 = 0.000595238095238095238095238 // 1/1680
		s4 = 0.0008417508417508417508417508
	)
	if n <= 15 {
		nn := n + n
		if nn == math.Trunc(nn) {
			return sferrHalves[int(nn)]
		}
		return dist.Lgamma(n+1) - (n+0.5)*fmath.Log(n) + n - lnSqrt2Pi
	}
	nn := n * n
	switch {
	case n > 500:
		return (s0 - s1/nn) / n
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / n
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / n
	}
	return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / n
}

// bd0 returns the deviance term x log(x/np) + np - x, accurately when x ≈ np.
func bd0(x, np float64) float64 {
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		if math.Abs(s) < math.SmallestNonzeroFloat64*(1<<52) { // DBL_MIN
			return s
		}
		ej := 2 * x * v
		v *= v
		for j := 1; j < 1000; j++ {
			ej *= v
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
	}
	return x*fmath.Log(x/np) + np - x
}

// dbinomRawLog is log dbinom(x; n, p) with q = 1-p given separately.
func dbinomRawLog(x, n, p, q float64) float64 {
	if p == 0 {
		if x == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	if q == 0 {
		if x == n {
			return 0
		}
		return math.Inf(-1)
	}
	if x == 0 {
		if n == 0 {
			return 0
		}
		if p < 0.1 {
			return -bd0(n, n*q) - n*p
		}
		return n * fmath.Log(q)
	}
	if x == n {
		if q < 0.1 {
			return -bd0(n, n*p) - n*q
		}
		return n * fmath.Log(p)
	}
	if x < 0 || x > n {
		return math.Inf(-1)
	}
	lc := stirlerr(n) - stirlerr(x) - stirlerr(n-x) - bd0(x, n*p) - bd0(n-x, n*q)
	lf := ln2Pi + fmath.Log(x) + math.Log1p(-x/n)
	return lc - 0.5*lf
}

// dnbinomMuLog is R's dnbinom(x, size=size, mu=mu, log=TRUE) for a whole
// non-negative count x (R 4.2.2 dnbinom_mu).
func dnbinomMuLog(x, size, mu float64) float64 {
	if math.IsNaN(x) || math.IsNaN(size) || math.IsNaN(mu) {
		return math.NaN()
	}
	if x < 0 || math.IsInf(x, 0) {
		return math.Inf(-1)
	}
	if x == 0 && size == 0 {
		return 0
	}
	if math.IsInf(size, 1) { // Poisson limit
		return -mu + x*fmath.Log(mu) - dist.Lgamma(x+1)
	}
	if x == 0 {
		if size < mu {
			return size * fmath.Log(size/(size+mu))
		}
		return size * math.Log1p(-mu/(size+mu))
	}
	if x < 1e-10*size {
		var p float64
		if size < mu {
			p = fmath.Log(size / (1 + size/mu))
		} else {
			p = fmath.Log(mu / (1 + mu/size))
		}
		return x*p - mu - dist.Lgamma(x+1) + math.Log1p(x*(x-1)/(2*size))
	}
	p := size / (size + x)
	ans := dbinomRawLog(size, x+size, size/(size+mu), mu/(size+mu))
	return fmath.Log(p) + ans
}

// trigamma returns ψ'(x) for x > 0: the recurrence ψ'(x) = ψ'(x+1) + 1/x²
// up to x >= 10, then the asymptotic series 1/x + 1/(2x²) + Σ B_2k/x^(2k+1).
func trigamma(x float64) float64 {
	if math.IsNaN(x) || x <= 0 {
		return math.NaN()
	}
	var acc float64
	for x < 10 {
		acc += 1 / (x * x)
		x++
	}
	z := 1 / (x * x)
	// Bernoulli numbers B2..B14: 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6
	s := z * (1.0/6 + z*(-1.0/30+z*(1.0/42+z*(-1.0/30+z*(5.0/66+z*(-691.0/2730+z*(7.0/6)))))))
	return acc + 1/x + z/2 + s/x
}

// qf returns R's qf(p, df1, df2) (used for the Cook's distance cutoff): the
// beta quantile x with Pbeta(x, df1/2, df2/2) = p by bisection on (0, 1),
// f = x/(1-x)·df2/df1, polished by Newton steps on dist.Pf. NaN for
// non-positive degrees of freedom or p outside (0, 1).
func qf(p, df1, df2 float64) float64 {
	if df1 <= 0 || df2 <= 0 || math.IsNaN(p) || p <= 0 || p >= 1 {
		return math.NaN()
	}
	lo, hi := 0.0, 1.0
	for i := 0; i < 200 && hi-lo > 1e-17; i++ {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if dist.Pbeta(mid, df1/2, df2/2, true, false) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	xb := lo + (hi-lo)/2
	f := xb / (1 - xb) * df2 / df1
	for i := 0; i < 4; i++ {
		d := fDensity(f, df1, df2)
		if d <= 0 || math.IsNaN(d) {
			break
		}
		step := (dist.Pf(f, df1, df2, true, false) - p) / d
		f -= step
		if math.Abs(step) <= 1e-15*math.Abs(f) {
			break
		}
	}
	return f
}

func fDensity(x, d1, d2 float64) float64 {
	if x <= 0 {
		return 0
	}
	lb := dist.Lbeta(d1/2, d2/2)
	return fmath.Exp((d1/2)*fmath.Log(d1/d2) + (d1/2-1)*fmath.Log(x) - ((d1+d2)/2)*math.Log1p(d1*x/d2) - lb)
}
