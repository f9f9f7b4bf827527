package chart

import (
	"math"
	"strconv"

	"github.com/her2het/her2het/core/fmath"
)

// linear maps a data interval onto a pixel interval.
type linear struct {
	d0, d1, r0, r1 float64
}

func (l linear) at(v float64) float64 {
	if l.d1 == l.d0 {
		return (l.r0 + l.r1) / 2
	}
	return l.r0 + (v-l.d0)/(l.d1-l.d0)*(l.r1-l.r0)
}

// extent returns the finite minimum and maximum of the values (NaN, NaN if none).
func extent(vals ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, vs := range vals {
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo = math.Min(lo, v)
			hi = math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// niceTicks returns about n ticks at 1, 2 or 5 times a power of ten covering
// [lo, hi], and the widened domain they span.
func niceTicks(lo, hi float64, n int) (ticks []float64, d0, d1 float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		lo, hi = 0, 1
	}
	if lo == hi {
		pad := math.Max(math.Abs(lo)*0.1, 1)
		lo, hi = lo-pad, hi+pad
	}
	span := hi - lo
	raw := span / float64(max(n, 1))
	mag := fmath.Pow(10, math.Floor(fmath.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	// Round ticks to the step's decimals so 3*0.2 prints as 0.6.
	decimals := max(0, int(-math.Floor(fmath.Log10(step))))
	clean := func(v float64) float64 {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
		return r
	}
	k0, k1 := math.Floor(lo/step), math.Ceil(hi/step)
	d0, d1 = clean(k0*step), clean(k1*step)
	for k := k0; k <= k1 && k-k0 <= 100; k++ {
		ticks = append(ticks, clean(k*step))
	}
	return ticks, d0, d1
}

// tickLabel prints a tick value without floating-point noise.
func tickLabel(v float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e5 || a < 1e-3 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
