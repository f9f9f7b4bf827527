package deseq

import "math"

// Cook's distances with DESeq2's robust method-of-moments dispersion
// (robustMethodOfMomentsDisp, trimmedCellVariance, trimmedVariance,
// calculateCooksDistance; DESeq2 1.38.3).

// robustCells describes the design cells with 3 or more samples.
type robustCells struct {
	m       int
	any3    bool
	members [][]int // samples of each cell with >= 3 samples, cells in order of first appearance
}

func newRobustCells(X []float64, m, p int) *robustCells {
	rc := &robustCells{m: m}
	cell, nc := cells(X, m, p)
	mem := make([][]int, nc)
	for j, c := range cell {
		mem[c] = append(mem[c], j)
	}
	for _, s := range mem {
		if len(s) >= 3 {
			rc.members = append(rc.members, s)
		}
	}
	rc.any3 = len(rc.members) > 0
	return rc
}

type robustBuf struct{ a, b []float64 }

func newRobustBuf(m int) *robustBuf { return &robustBuf{a: make([]float64, m), b: make([]float64, m)} }

// trimBin returns DESeq2's trim ratio and variance scale for a cell of n samples.
func trimBin(n int) (trim, scale float64) {
	switch {
	case float64(n) <= 3.5:
		return 1.0 / 3, 2.04
	case float64(n) <= 23.5:
		return 1.0 / 4, 1.86
	}
	return 1.0 / 8, 1.51
}

// trimmedMeanBuf is R's mean(x, trim) using buf (len >= len(x)) as scratch:
// the mean of the order statistics lo..hi (1-based), lo = floor(n·trim)+1,
// hi = n+1-lo, found by selection; the median when trim >= 0.5.
func trimmedMeanBuf(x []float64, trim float64, buf []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	s := buf[:n]
	copy(s, x)
	if trim > 0 {
		for _, v := range s {
			if math.IsNaN(v) {
				return math.NaN()
			}
		}
		if trim >= 0.5 {
			return medianInPlace(s)
		}
		lo := int(math.Floor(float64(n)*trim)) + 1
		hi := n + 1 - lo
		if lo > 1 {
			quickselect(s, lo-1)
		}
		if hi < n {
			quickselect(s[lo-1:], hi-lo)
		}
		s = s[lo-1 : hi]
	}
	return rMean(s)
}

// rMean is R's two-pass mean.
func rMean(x []float64) float64 {
	n := float64(len(x))
	var s float64
	for _, v := range x {
		s += v
	}
	s /= n
	if !math.IsInf(s, 0) && !math.IsNaN(s) {
		var t float64
		for _, v := range x {
			t += v - s
		}
		s += t / n
	}
	return s
}

// robustDisp returns max((v - mean)/mean², 0.04) for one gene's normalized counts yn.
func robustDisp(yn []float64, rc *robustCells, buf *robustBuf) float64 {
	var v float64
	if rc.any3 {
		v = math.Inf(-1)
		for _, mem := range rc.members {
			trim, scale := trimBin(len(mem))
			x := buf.b[:len(mem)]
			for i, j := range mem {
				x[i] = yn[j]
			}
			cm := trimmedMeanBuf(x, trim, buf.a)
			for i, j := range mem {
				d := yn[j] - cm
				x[i] = d * d
			}
			ve := scale * trimmedMeanBuf(x, trim, buf.a)
			if ve > v || math.IsNaN(ve) {
				v = ve
			}
		}
	} else {
		rm := trimmedMeanBuf(yn, 1.0/8, buf.a)
		x := buf.b[:len(yn)]
		for i, y := range yn {
			d := y - rm
			x[i] = d * d
		}
		v = 1.51 * trimmedMeanBuf(x, 1.0/8, buf.a)
	}
	var s float64
	for _, y := range yn {
		s += y
	}
	mean := s / float64(len(yn))
	a := (v - mean) / (mean * mean)
	if a < 0.04 {
		a = 0.04
	}
	return a
}

// cooksRow writes D_j = (y_j-μ_j)²/(μ_j+α μ_j²)/p · H_j/(1-H_j)² with the robust α.
func cooksRow(out, y, yn, mu, hat []float64, rc *robustCells, buf *robustBuf, p int) {
	a := robustDisp(yn, rc, buf)
	for j := range out {
		d := y[j] - mu[j]
		v := mu[j] + a*mu[j]*mu[j]
		h := hat[j]
		out[j] = d * d / v / float64(p) * h / ((1 - h) * (1 - h))
	}
}
