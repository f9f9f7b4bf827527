package spatial

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
)

// NGeoMean is GeomxTools' ngeoMean(x, thresh) (GeomxTools 3.x, R/utils.R):
// if the smallest value is below thresh, thresh is added to EVERY value
// (thresholdValues), then the geometric mean exp(mean(log x)) of the non-NaN
// values is taken (EnvStats::geoMean(na.rm = TRUE)). GeomxTools' default
// thresh is 0.5. So ngeoMean(c(0, 1, 2, 2)) = geoMean(c(0.5, 1.5, 2.5, 2.5)),
// while ngeoMean(c(1, 2, 4)) = 2 (no shift). Empty or all-NaN input gives NaN;
// a negative value left after the shift gives NaN.
func NGeoMean(x []float64, thresh float64) float64 {
	shift, n := ngeoShift(x, thresh)
	if n == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		if !math.IsNaN(v) {
			if v+shift < 0 {
				return math.NaN()
			}
			s += fmath.Log(v + shift)
		}
	}
	return fmath.Exp(s / float64(n))
}

// NGeoSD is GeomxTools' ngeoSD(x, thresh): the same shift as NGeoMean, then
// EnvStats::geoSD, exp(sd(log x)) with the n−1 denominator. Fewer than two
// non-NaN values give NaN.
func NGeoSD(x []float64, thresh float64) float64 {
	shift, n := ngeoShift(x, thresh)
	if n < 2 {
		return math.NaN()
	}
	m := 0.0
	for _, v := range x {
		if !math.IsNaN(v) {
			if v+shift <= 0 {
				return math.NaN()
			}
			m += fmath.Log(v + shift)
		}
	}
	m /= float64(n)
	ss := 0.0
	for _, v := range x {
		if !math.IsNaN(v) {
			d := fmath.Log(v+shift) - m
			ss += d * d
		}
	}
	return fmath.Exp(math.Sqrt(ss / float64(n-1)))
}

func ngeoShift(x []float64, thresh float64) (float64, int) {
	if !(thresh > 0) {
		thresh = 0.5 // GeomxTools warns and uses 0.5
	}
	mn, n := math.Inf(1), 0
	for _, v := range x {
		if !math.IsNaN(v) {
			n++
			mn = math.Min(mn, v)
		}
	}
	if n > 0 && mn < thresh {
		return thresh, n
	}
	return 0, n
}

// TargetCount is GeomxTools' aggregateCounts rule for one target in one
// segment (GeomxTools 3.x, R/NanoStringGeoMxSet-aggregate.R): a target with a
// single probe keeps that probe's count; a target with several probes gets
// ngeoMean of its probe counts (NGeoMean with thresh 0.5: all counts are
// shifted by +0.5 when any is below 0.5, i.e. zero). Empty input gives NaN.
func TargetCount(probes []float64) float64 {
	switch len(probes) {
	case 0:
		return math.NaN()
	case 1:
		return probes[0]
	}
	return NGeoMean(probes, 0.5)
}
