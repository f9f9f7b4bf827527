package norm

import (
	"math"
	"slices"
)

// rankWindow returns the closed interval [lo, hi] of values whose average-tie rank
// (R's rank(x, ties.method = "average")) lies in [loR, hiR], so that
// loR <= rank(x)_i <= hiR  <=>  lo <= x_i <= hi. ok is false when no value
// qualifies. x must not contain NaN; scratch (len >= len(x)) is overwritten.
//
// Ranks are non-decreasing in the value, so the qualifying values form an interval.
// Its ends are found by selection in O(n) instead of sorting: the value at order
// position loR (1-based) qualifies unless its tie group's average rank falls below
// loR, in which case the next larger value does (its rank is above loR); the upper
// end is symmetric. loR and hiR are whole numbers here (floor(n*trim)+1 and
// n+1-that), which this relies on.
func rankWindow(x []float64, loR, hiR float64, scratch []float64) (lo, hi float64, ok bool) {
	n := len(x)
	if n == 0 || loR > hiR || hiR < 1 || loR > float64(n) {
		return 0, 0, false
	}
	pl := int(loR)
	if pl < 1 {
		pl = 1
	}
	ph := int(hiR)
	if ph > n {
		ph = n
	}
	if n >= sampledMin {
		if lo, hi, ok, done := rankWindowSampled(x, loR, hiR, pl, ph, scratch); done {
			return lo, hi, ok
		}
	}
	s := scratch[:n]
	copy(s, x)
	v1 := selectK(s, pl-1)
	// selectK leaves s[pl:] >= v1 and s[:pl] <= v1, so order position ph
	// (>= pl) is found among s[pl:] alone.
	v2 := v1
	if ph > pl {
		v2 = selectK(s[pl:], ph-pl-1)
	}
	var l1, e1, l2, e2 float64
	next1, prev2 := 0.0, 0.0
	has1, has2 := false, false
	for _, v := range x {
		switch {
		case v < v1:
			l1++
		case v == v1:
			e1++
		default:
			if !has1 || v < next1 {
				next1, has1 = v, true
			}
		}
		switch {
		case v < v2:
			l2++
			if !has2 || v > prev2 {
				prev2, has2 = v, true
			}
		case v == v2:
			e2++
		}
	}
	lo = v1
	if l1+(e1+1)/2 < loR {
		if !has1 {
			return 0, 0, false
		}
		lo = next1
	}
	hi = v2
	if l2+(e2+1)/2 > hiR {
		if !has2 {
			return 0, 0, false
		}
		hi = prev2
	}
	if lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}

// selectK returns the k-th smallest (0-based) value of s, reordering s
// (Hoare's selection with a median-of-three pivot and three-way partitioning).
func selectK(s []float64, k int) float64 {
	lo, hi := 0, len(s)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		a, b, c := s[lo], s[mid], s[hi]
		p := b
		if (a <= b) == (b <= c) {
			p = b
		} else if (b <= a) == (a <= c) {
			p = a
		} else {
			p = c
		}
		// Dutch national flag partition: [lo,lt) < p, [lt,gt] == p, (gt,hi] > p
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case s[i] < p:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case s[i] > p:
				s[i], s[gt] = s[gt], s[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return p
		}
	}
	return s[k]
}

// sampledMin is the length from which rankWindow selects through a sample.
var sampledMin = 2048

const (
	nSample   = 512 // sample size
	sampleGap = 40  // sample ranks each side of the target (about 4 standard deviations)
)

// orderStat describes the k-th smallest value v of x: l values below it, e
// equal, the next larger value and the previous smaller one.
type orderStat struct {
	v, l, e, next, prev float64
	hasNext, hasPrev    bool
}

// statIn finds the order statistic k of x among buf, the values of x in
// [wlo, whi], c of them being below wlo; ok is false when k is not in the
// window. buf is reordered.
func statIn(x, buf []float64, c, k int, wlo, whi float64) (st orderStat, ok bool) {
	if k < c || k >= c+len(buf) {
		return st, false
	}
	st.v = selectK(buf, k-c)
	st.l = float64(c)
	for _, v := range buf {
		switch {
		case v < st.v:
			st.l++
			if !st.hasPrev || v > st.prev {
				st.prev, st.hasPrev = v, true
			}
		case v == st.v:
			st.e++
		default:
			if !st.hasNext || v < st.next {
				st.next, st.hasNext = v, true
			}
		}
	}
	// Neighbours outside the window (rare): one more pass.
	if !st.hasPrev || !st.hasNext {
		for _, v := range x {
			if v < wlo && !st.hasPrev {
				st.prev, st.hasPrev = v, true
			}
			if v < wlo && v > st.prev {
				st.prev = v
			}
			if v > whi && !st.hasNext {
				st.next, st.hasNext = v, true
			}
			if v > whi && v < st.next {
				st.next = v
			}
		}
	}
	return st, true
}

// rankWindowSampled is rankWindow by Floyd-Rivest style sampling: the
// order statistics at positions pl and ph are bracketed by values of a
// sorted systematic sample, one pass collects the values inside the
// brackets, and only those are selected from. The answer is exact; done is
// false when a bracket missed its target (the caller then selects on all
// of x). scratch must have len >= len(x).
func rankWindowSampled(x []float64, loR, hiR float64, pl, ph int, scratch []float64) (lo, hi float64, ok, done bool) {
	n := len(x)
	var smp [nSample]float64
	for i := range smp {
		smp[i] = x[int(int64(i)*int64(n)/nSample)]
	}
	slices.Sort(smp[:])
	bracket := func(k int) (float64, float64) {
		r := int(int64(k) * nSample / int64(n))
		a, b := math.Inf(-1), math.Inf(1)
		if r-sampleGap >= 0 {
			a = smp[r-sampleGap]
		}
		if r+sampleGap < nSample {
			b = smp[r+sampleGap]
		}
		return a, b
	}
	k1, k2 := pl-1, ph-1
	lo1, hi1 := bracket(k1)
	lo2, hi2 := bracket(k2)
	merged := lo2 <= hi1
	if merged {
		hi1, lo2 = hi2, lo1
	}
	// One pass: counts below each bracket; bracket 1's values fill scratch
	// from the front, bracket 2's from the back (disjoint brackets, so they
	// never meet).
	s := scratch[:n]
	c1, c2, j1, j2 := 0, 0, 0, 0
	// Written as conditional moves (no data-dependent branches: the values
	// are in random order, so branches would mispredict).
	if merged {
		for _, v := range x {
			b1, in1 := 0, 0
			if v < lo1 {
				b1 = 1
			}
			if v <= hi1 {
				in1 = 1
			}
			c1 += b1
			s[j1] = v
			j1 += in1 - b1
		}
		c2 = c1
	} else {
		for _, v := range x {
			b1, in1, b2, in2 := 0, 0, 0, 0
			if v < lo1 {
				b1 = 1
			}
			if v <= hi1 {
				in1 = 1
			}
			if v < lo2 {
				b2 = 1
			}
			if v <= hi2 {
				in2 = 1
			}
			c1 += b1
			c2 += b2
			s[j1] = v
			j1 += in1 - b1
			s[n-1-j2] = v
			j2 += in2 - b2
		}
	}
	buf1 := s[:j1]
	var buf2 []float64
	if merged {
		// Both targets in one bracket: a copy for the second selection.
		if 2*j1 > n {
			return 0, 0, false, false
		}
		buf2 = s[n-j1:]
		copy(buf2, buf1)
		c2 = c1
	} else {
		buf2 = s[n-j2:]
	}
	st1, ok1 := statIn(x, buf1, c1, k1, lo1, hi1)
	if !ok1 {
		return 0, 0, false, false
	}
	st2, ok2 := statIn(x, buf2, c2, k2, lo2, hi2)
	if !ok2 {
		return 0, 0, false, false
	}
	lo = st1.v
	if st1.l+(st1.e+1)/2 < loR {
		if !st1.hasNext {
			return 0, 0, false, true
		}
		lo = st1.next
	}
	hi = st2.v
	if st2.l+(st2.e+1)/2 > hiR {
		if !st2.hasPrev {
			return 0, 0, false, true
		}
		hi = st2.prev
	}
	if lo > hi {
		return 0, 0, false, true
	}
	return lo, hi, true, true
}

// orderStatSampled returns the order statistic k (0-based) of x with its
// neighbours by the sampling of rankWindowSampled (one bracket); ok is
// false when the bracket missed (the caller then selects on all of x).
// scratch must have len >= len(x).
func orderStatSampled(x []float64, k int, scratch []float64) (orderStat, bool) {
	n := len(x)
	var smp [nSample]float64
	for i := range smp {
		smp[i] = x[int(int64(i)*int64(n)/nSample)]
	}
	slices.Sort(smp[:])
	r := int(int64(k) * nSample / int64(n))
	lo, hi := math.Inf(-1), math.Inf(1)
	if r-sampleGap >= 0 {
		lo = smp[r-sampleGap]
	}
	if r+sampleGap < nSample {
		hi = smp[r+sampleGap]
	}
	s := scratch[:n]
	c, j := 0, 0
	for _, v := range x {
		b, in := 0, 0
		if v < lo {
			b = 1
		}
		if v <= hi {
			in = 1
		}
		c += b
		s[j] = v
		j += in - b
	}
	return statIn(x, s[:j], c, k, lo, hi)
}
