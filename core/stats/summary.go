package stats

import (
	"math"
	"sort"
)

// hasNaN reports whether x contains a NaN.
func hasNaN(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) {
			return true
		}
	}
	return false
}

// sum2 returns the Neumaier-compensated sum of x as an unevaluated pair
// hi + lo. R accumulates sums in long double; compensated summation gives the
// same correctly rounded result in all but pathological cases.
func sum2(x []float64) (hi, lo float64) {
	var s, c float64
	for _, v := range x {
		t := s + v
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return t, 0
		}
		if math.Abs(s) >= math.Abs(v) {
			c += (s - t) + v
		} else {
			c += (v - t) + s
		}
		s = t
	}
	return s, c
}

// sum returns the compensated sum of x.
func sum(x []float64) float64 {
	hi, lo := sum2(x)
	return hi + lo
}

// Mean returns the arithmetic mean of x. R's mean() (src/main/summary.c,
// R 4.2.2) sums in long double, divides by n and adds the long-double
// correction Σ(x-m)/n; the result is the correctly rounded mean except for
// data with a large dynamic range. Mean reproduces that: a compensated sum
// hi+lo, m = hi/n, then m += (fma(-m, n, hi) + lo)/n, which is exact up to the
// final rounding.
//
// Mean returns NaN for an empty x or if x contains NaN.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	n := float64(len(x))
	hi, lo := sum2(x)
	m := hi / n
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	r := math.FMA(-m, n, hi) + lo
	return m + r/n
}

// Var returns the sample variance Σ(x-m)²/(n-1) with m = Mean(x), as R's var().
//
// Var returns NaN if len(x) < 2 or x contains NaN.
func Var(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	m := Mean(x)
	if math.IsNaN(m) {
		return math.NaN()
	}
	var s, c float64
	for _, v := range x {
		d := (v - m) * (v - m)
		t := s + d
		if math.IsInf(t, 0) {
			return t
		}
		if s >= d {
			c += (s - t) + d
		} else {
			c += (d - t) + s
		}
		s = t
	}
	return (s + c) / float64(len(x)-1)
}

// SD returns sqrt(Var(x)), as R's sd(). NaN if len(x) < 2 or x contains NaN.
func SD(x []float64) float64 { return math.Sqrt(Var(x)) }

// sorted returns a sorted copy of x (which must not contain NaN).
func sorted(x []float64) []float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return s
}

// Quantile returns the type-7 sample quantile of x at probability p, as R's
// quantile(x, p, type=7): with h = (n-1)p + 1, lo = floor(h), hi = ceil(h),
// Q = x(lo) + (h-lo)(x(hi) - x(lo)) on the sorted sample, written
// (1-γ)x(lo) + γx(hi) like R 4.2.2 (stats/R/quantile.R). When x(hi) == x(lo)
// the value is x(lo) exactly.
//
// x is not modified. Quantile returns NaN if x is empty, contains NaN (R stops
// with an error unless na.rm=TRUE) or p is outside [0, 1] or NaN.
func Quantile(x []float64, p float64) float64 {
	if len(x) == 0 || hasNaN(x) || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return quantileSorted(sorted(x), p)
}

// quantileSorted is Quantile on an already sorted, NaN-free, non-empty slice.
func quantileSorted(s []float64, p float64) float64 {
	n := len(s)
	index := 1 + float64(n-1)*p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	q := s[int(lo)-1]
	xh := s[int(hi)-1]
	if index > lo && xh != q {
		h := index - lo
		q = (1-h)*q + h*xh
	}
	return q
}

// Median returns the sample median, the mean of the two middle values when
// len(x) is even (R's median()). x is not modified. NaN if x is empty or
// contains NaN.
func Median(x []float64) float64 {
	if len(x) == 0 || hasNaN(x) {
		return math.NaN()
	}
	return medianSorted(sorted(x))
}

func medianSorted(s []float64) float64 {
	n := len(s)
	half := (n + 1) / 2
	if n%2 == 1 {
		return s[half-1]
	}
	a, b := s[half-1], s[half]
	m := (a + b) / 2
	if math.IsInf(m, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		m = a/2 + b/2
	}
	return m
}

// MAD returns the median absolute deviation 1.4826 · median(|x - median(x)|),
// R's mad(x) with its default constant and centre. NaN if x is empty or
// contains NaN.
func MAD(x []float64) float64 {
	c := Median(x)
	if math.IsNaN(c) {
		return math.NaN()
	}
	d := make([]float64, len(x))
	for i, v := range x {
		d[i] = math.Abs(v - c)
	}
	return 1.4826 * Median(d)
}

// TrimmedMean returns R's mean(x, trim=trim) (base/R/mean.R, R 4.2.2): if
// trim >= 0.5 the median; otherwise with n = len(x), lo = floor(n·trim)+1 and
// hi = n+1-lo, the Mean of the sorted x[lo..hi]. A trim <= 0 gives Mean(x).
//
// x is not modified. NaN if x is empty, contains NaN or trim is NaN.
func TrimmedMean(x []float64, trim float64) float64 {
	if len(x) == 0 || hasNaN(x) || math.IsNaN(trim) {
		return math.NaN()
	}
	if trim <= 0 {
		return Mean(x)
	}
	if trim >= 0.5 {
		return Median(x)
	}
	n := len(x)
	lo := int(math.Floor(float64(n)*trim)) + 1
	hi := n + 1 - lo
	s := sorted(x)
	return Mean(s[lo-1 : hi])
}
