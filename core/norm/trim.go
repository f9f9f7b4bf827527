package norm

import (
	"math"
	"slices"

	"github.com/her2het/her2het/core/stats"
)

// sampledMin is the length from which trimWindow and quantileScratch select
// through a sample.
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
	st.v = stats.SelectK(buf, k-c)
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

// orderStatSampled returns the order statistic k (0-based) of x with its
// neighbours by the sampling of windowSampled (one bracket); ok is
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
