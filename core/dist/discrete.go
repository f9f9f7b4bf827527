package dist

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
)

// stirlerrHalves holds stirlerr(n) for n = 0, 0.5, ..., 15 (Loader 2000, as
// tabulated in R's src/nmath/stirlerr.c).
var stirlerrHalves = [31]float64{
	0.0,
	0.1534264097200273452913848, 0.0810614667953272582196702, 0.0548141210519176538961390,
	0.0413406959554092940938221, 0.03316287351993628748511048, 0.02767792568499833914878929,
	0.02374616365629749597132920, 0.02079067210376509311152277, 0.01848845053267318523077934,
	0.01664469118982119216319487, 0.01513497322191737887351255, 0.01387612882307074799874573,
	0.01281046524292022692424986, 0.01189670994589177009505572, 0.01110455975820691732662991,
	0.010411265261972096497478567, 0.009799416126158803298389475, 0.009255462182712732917728637,
	0.008768700134139385462952823, 0.008330563433362871256469318, 0.007934114564314020547248100,
	0.007573675487951840794972024, 0.007244554301320383179543912, 0.006942840107209529865664152,
	0.006665247032707682442354394, 0.006408994188004207068439631, 0.006171712263039457647532867,
	0.005951370112758847735624416, 0.005746216513010115682023589, 0.005554733551962801371038690,
}

// stirlerr returns log(n!) - log(sqrt(2πn)(n/e)^n), as R 4.2's stirlerr.
func stirlerr(n float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n <= 15 {
		nn := n + n
		if nn == math.Trunc(nn) {
			return stirlerrHalves[int(nn)]
		}
		return Lgamma(n+1) - (n+0.5)*fmath.Log(n) + n - lnSqrt2Pi
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

// bd0 returns the deviance term x log(x/np) + np - x, accurately for x ≈ np
// (Loader 2000; R 4.2's bd0).
func bd0(x, np float64) float64 {
	if math.IsInf(x, 0) || math.IsInf(np, 0) || math.IsNaN(x) || math.IsNaN(np) || np == 0 {
		return math.NaN()
	}
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		if math.Abs(s) < dblMin {
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

func dExp(x float64, logp bool) float64 {
	if logp {
		return x
	}
	return fmath.Exp(x)
}

// dbinomRaw is Loader's saddle-point binomial density (R's dbinom_raw), with
// q = 1-p given separately.
func dbinomRaw(x, n, p, q float64, logp bool) float64 {
	if p == 0 {
		if x == 0 {
			return d1(logp)
		}
		return d0(logp)
	}
	if q == 0 {
		if x == n {
			return d1(logp)
		}
		return d0(logp)
	}
	var lc float64
	if x == 0 {
		if n == 0 {
			return d1(logp)
		}
		if p < 0.1 {
			lc = -bd0(n, n*q) - n*p
		} else {
			lc = n * fmath.Log(q)
		}
		return dExp(lc, logp)
	}
	if x == n {
		if q < 0.1 {
			lc = -bd0(n, n*p) - n*q
		} else {
			lc = n * fmath.Log(p)
		}
		return dExp(lc, logp)
	}
	if x < 0 || x > n {
		return d0(logp)
	}
	lc = stirlerr(n) - stirlerr(x) - stirlerr(n-x) - bd0(x, n*p) - bd0(n-x, n*q)
	lf := ln2Pi + fmath.Log(x) + math.Log1p(-x/n)
	return dExp(lc-0.5*lf, logp)
}

// nonInt reports R's R_nonint: x is not within 1e-7·max(1,|x|) of an integer.
func nonInt(x float64) bool { return !isInt(x) }

// Dbinom returns the binomial probability P[X = x] for size n and probability
// p (its log when logp), by Loader's saddle-point algorithm as R's dbinom
// (src/nmath/dbinom.c; Loader 2000). Non-integer x gives 0 (R warns); p
// outside [0,1], negative or non-integer n, or NaN give NaN.
func Dbinom(x, n, p float64, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(n) || math.IsNaN(p) {
		return math.NaN()
	}
	if p < 0 || p > 1 || n < 0 || nonInt(n) {
		return math.NaN()
	}
	if nonInt(x) || x < 0 || math.IsInf(x, 0) {
		return d0(logp)
	}
	n = math.RoundToEven(n)
	x = math.RoundToEven(x)
	return dbinomRaw(x, n, p, 1-p, logp)
}

// Pbinom returns the binomial distribution function P[X <= x], as R's pbinom:
// Pbeta(p, x+1, n-x, !lower, logp) after x = floor(x + 1e-7).
// Invalid n or p gives NaN.
func Pbinom(x, n, p float64, lower, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(n) || math.IsNaN(p) {
		return math.NaN()
	}
	if math.IsInf(n, 0) || math.IsInf(p, 0) || nonInt(n) || n < 0 || p < 0 || p > 1 {
		return math.NaN()
	}
	n = math.RoundToEven(n)
	if x < 0 {
		return dt0(lower, logp)
	}
	x = math.Floor(x + 1e-7)
	if n <= x {
		return dt1(lower, logp)
	}
	return Pbeta(p, x+1, n-x, !lower, logp)
}

// Dhyper returns the hypergeometric probability of drawing x white balls in a
// sample of k from an urn with m white and n black balls (R's dhyper(x, m, n,
// k)), as a ratio of three saddle-point binomial densities like R's dhyper.c.
// Invalid (negative or non-integer) parameters give NaN; impossible x gives 0.
func Dhyper(x, m, n, k float64, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(m) || math.IsNaN(n) || math.IsNaN(k) {
		return math.NaN()
	}
	if m < 0 || nonInt(m) || n < 0 || nonInt(n) || k < 0 || nonInt(k) || k > m+n {
		return math.NaN()
	}
	if x < 0 || nonInt(x) {
		return d0(logp)
	}
	x = math.RoundToEven(x)
	m = math.RoundToEven(m)
	n = math.RoundToEven(n)
	k = math.RoundToEven(k)
	if k < x || m < x || k-x > n {
		return d0(logp)
	}
	if k == 0 {
		if x == 0 {
			return d1(logp)
		}
		return d0(logp)
	}
	p := k / (m + n)
	q := (m + n - k) / (m + n)
	p1 := dbinomRaw(x, m, p, q, logp)
	p2 := dbinomRaw(k-x, n, p, q, logp)
	p3 := dbinomRaw(k, m+n, p, q, logp)
	if logp {
		return p1 + p2 - p3
	}
	return p1 * p2 / p3
}

// pdhyper returns Σ_{y<x} dhyper(y)/dhyper(x) (+1 included), R's pdhyper.
func pdhyper(x, nr, nb, n float64, logp bool) float64 {
	sum, term := 0.0, 1.0
	for x > 0 && term >= dblEps*sum {
		term *= x * (nb - n + x) / (n + 1 - x) / (nr + 1 - x)
		sum += term
		x--
	}
	if logp {
		return math.Log1p(sum)
	}
	return 1 + sum
}

// Phyper returns the hypergeometric distribution function P[X <= x] (R's
// phyper(x, m, n, k)): the smaller tail is computed as dhyper(x) times the
// series Σ dhyper(y)/dhyper(x) (R's pdhyper), swapping colours when that tail
// is the upper one. Invalid parameters give NaN.
func Phyper(x, m, n, k float64, lower, logp bool) float64 {
	if math.IsNaN(x) || math.IsNaN(m) || math.IsNaN(n) || math.IsNaN(k) {
		return math.NaN()
	}
	x = math.Floor(x + 1e-7)
	nr := math.RoundToEven(m)
	nb := math.RoundToEven(n)
	k = math.RoundToEven(k)
	if nr < 0 || nb < 0 || math.IsInf(nr+nb, 0) || k < 0 || k > nr+nb {
		return math.NaN()
	}
	if x*(nr+nb) > k*nr {
		nr, nb = nb, nr
		x = k - x - 1
		lower = !lower
	}
	if x < 0 || x < k-nb {
		return dt0(lower, logp)
	}
	if x >= nr || x >= k {
		return dt1(lower, logp)
	}
	d := Dhyper(x, nr, nb, k, logp)
	if (!logp && d == 0) || (logp && math.IsInf(d, -1)) {
		return dt0(lower, logp)
	}
	pd := pdhyper(x, nr, nb, k, logp)
	if logp {
		v := d + pd
		if lower {
			return v
		}
		return log1mexp(v)
	}
	v := d * pd
	if lower {
		return v
	}
	return 0.5 - v + 0.5
}
