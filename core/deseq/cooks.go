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

func newRobustBuf(m int) *robustBuf {
	return &robustBuf{a: make([]float64, 2*m+2), b: make([]float64, m)}
}

// trimmedMeanCooks is mean(x, trim) for Cook's robust dispersion: for 32 or
// more finite values by trimmedMeanOnePass, else (or when its pivots miss)
// by trimmedMeanBuf. buf needs 2·len(x)+2 values.
func trimmedMeanCooks(x []float64, trim float64, buf []float64) float64 {
	n := len(x)
	if n >= 32 && trim > 0 && trim < 0.5 {
		lo := int(math.Floor(float64(n)*trim)) + 1
		hi := n + 1 - lo
		if lo > 1 {
			if m, ok := trimmedMeanOnePass(x, lo-1, hi, buf); ok {
				return m
			}
		}
	}
	return trimmedMeanBuf(x, trim, buf)
}

// trimmedMeanOnePass is the mean of the order statistics k..hi-1 (0-based;
// 0 < k < hi < len(x)) of finite x without reordering it, in one pass: two
// pivots p1 <= p2 (order statistics of a sample of 15 values of x, just
// above rank k and just below rank hi-1) split x into the values <= p1
// (buf[:n+1]) and >= p2 (buf[n+1:]) while the values strictly between them
// are summed; selection within the two small outer parts then leaves the
// ranks k.. of the lower part and ..hi-1 of the upper part at their ends,
// which are added to the sum, divided by hi-k. The same multiset as R's
// sort.int(x, partial)[lo:hi], summed in another order (R sums in long
// double): the mean agrees to rounding. ok is false (buf changed only) when
// the pivots miss, a value is not finite or len(buf) < 2·len(x)+2.
func trimmedMeanOnePass(x []float64, k, hi int, buf []float64) (mean float64, ok bool) {
	n := len(x)
	if len(buf) < 2*n+2 {
		return 0, false
	}
	var smp [15]float64
	for t := range smp {
		smp[t] = x[(2*t+1)*n/30]
	}
	q1 := k*len(smp)/n + 3
	q2 := (hi-1)*len(smp)/n - 3
	if q1 >= q2 || q2 >= len(smp) {
		return 0, false
	}
	sortSmall(smp[:])
	p1, p2 := smp[q1], smp[q2]
	if math.IsInf(p1, 0) || math.IsInf(p2, 0) || math.IsNaN(p1) || math.IsNaN(p2) {
		return 0, false
	}
	left, right := buf[:n+1], buf[n+1:2*n+2]
	l, r := 0, 0
	var mid, fin float64
	for _, v := range x {
		left[l] = v
		right[r] = v
		dl, dr := 0, 0
		if v <= p1 {
			dl = 1
		}
		if v >= p2 {
			dr = 1
		}
		l += dl
		r += dr &^ dl
		mid += maskBetween(v, v, p1, p2)
		fin += v - v // NaN when v is ±Inf or NaN
	}
	// left holds the ranks 0..l-1, right the ranks n-r..n-1
	if fin != 0 || k >= l || hi-1 < n-r {
		return 0, false
	}
	selectBranchless(left[:l], k)
	ir := hi - 1 - (n - r)
	selectBranchless(right[:r], ir)
	s := mid
	for _, v := range left[k:l] {
		s += v
	}
	for _, v := range right[:ir+1] {
		s += v
	}
	return s / float64(hi-k), true
}

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
// hi = n+1-lo, found by selection (by trimmedMeanFast, without reordering,
// for 64+ values when len(buf) >= 2·len(x)); the median when trim >= 0.5.
func trimmedMeanBuf(x []float64, trim float64, buf []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	s := buf[:n]
	if trim > 0 {
		for _, v := range x {
			if math.IsNaN(v) {
				return math.NaN()
			}
		}
		lo := int(math.Floor(float64(n)*trim)) + 1
		hi := n + 1 - lo
		if trim < 0.5 && n >= 64 && lo > 1 {
			if m, ok := trimmedMeanFast(x, lo-1, hi, buf); ok {
				return m
			}
		}
		copy(s, x)
		if trim >= 0.5 {
			return medianInPlace(s)
		}
		if lo > 1 {
			selectBranchless(s, lo-1)
		}
		if hi < n {
			selectBranchless(s[lo-1:], hi-lo)
		}
		s = s[lo-1 : hi]
	} else {
		copy(s, x)
	}
	return rMean(s)
}

// trimmedMeanFast is the trimmed mean of the order statistics k..hi-1
// (0-based; 0 < k < hi < len(x), len(x) >= 64, no NaN) of x without
// reordering it, for trimmedMeanBuf: two pivots, order statistics of a sample of 15
// values of x (just above rank k and just below rank hi-1) split x in one
// pass into the values <= p1 (buf[:n]) and >= p2 (buf[n:2n]), with
// conditional index increments instead of branches; selection within these
// small outer parts gives a = x_(k) and b = x_(hi-1). The mean is then R's
// two-pass mean of the values strictly between a and b in the order of x,
// followed by the copies of a and of b within the ranks k..hi-1 (the same
// multiset as the middle of the sorted x). ok is false (and nothing is
// changed but buf) when the pivots miss or len(buf) < 2·len(x).
func trimmedMeanFast(x []float64, k, hi int, buf []float64) (mean float64, ok bool) {
	n := len(x)
	if len(buf) < 2*n {
		return 0, false
	}
	var smp [15]float64
	for t := range smp {
		smp[t] = x[(2*t+1)*n/30]
	}
	q1 := k*len(smp)/n + 3
	q2 := (hi-1)*len(smp)/n - 3
	if q1 >= q2 || q2 >= len(smp) {
		return 0, false
	}
	p1 := selectBranchless(smp[:], q1)
	p2 := selectBranchless(smp[q1+1:], q2-q1-1)
	left, right := buf[:n], buf[n:2*n]
	l, r := 0, 0
	for _, v := range x {
		left[l] = v
		right[r] = v
		dl, dr := 0, 0
		if v <= p1 {
			dl = 1
		}
		if v >= p2 {
			dr = 1
		}
		l += dl
		r += dr &^ dl
		if l == n || r == n {
			return 0, false
		}
	}
	// left holds the ranks 0..l-1, right the ranks n-r..n-1
	if k >= l || hi-1 < n-r {
		return 0, false
	}
	a := selectBranchless(left[:l], k)
	b := selectBranchless(right[:r], hi-1-(n-r))
	cnt := float64(hi - k)
	if a == b {
		return a, true
	}
	// ca copies of a (ranks k..#(v<=a)-1), cb of b (ranks #(v<b)..hi-1)
	var nle, nlt int
	var s float64
	for _, v := range x {
		s += maskBetween(v, v, a, b)
		var c1, c2 int
		if v <= a {
			c1 = 1
		}
		if v < b {
			c2 = 1
		}
		nle += c1
		nlt += c2
	}
	ca, cb := float64(nle-k), float64(hi-nlt)
	if ca > 0 {
		s += ca * a
	}
	if cb > 0 {
		s += cb * b
	}
	s /= cnt
	if !math.IsInf(s, 0) && !math.IsNaN(s) {
		var t float64
		for _, v := range x {
			t += maskBetween(v-s, v, a, b)
		}
		if ca > 0 {
			t += ca * (a - s)
		}
		if cb > 0 {
			t += cb * (b - s)
		}
		s += t / cnt
	}
	return s, true
}

// maskBetween returns d if a < v < b and +0 otherwise (NaN v: +0), without
// branches: the two comparisons become all-ones or all-zero masks on d's
// bits. trimmedMeanFast sums v and v - mean over the values strictly
// between its two cut values with it.
func maskBetween(d, v, a, b float64) float64 {
	var m1, m2 uint64
	if v > a {
		m1 = ^uint64(0)
	}
	if v < b {
		m2 = ^uint64(0)
	}
	return math.Float64frombits(math.Float64bits(d) & m1 & m2)
}

// selectBranchless returns the k-th smallest value of x (0-based; x is
// reordered), as quickselect, with Lomuto partitions around the median of
// three whose swaps and index increments do not branch on the data: values
// below the pivot first, then (when k is not among them) values equal to it,
// so that ties cost one extra pass rather than quadratic time.
func selectBranchless(x []float64, k int) float64 {
	lo, hi := 0, len(x)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		a, b, c := x[lo], x[mid], x[hi-1]
		// median of three
		p := max(min(a, b), min(max(a, b), c))
		st := lo
		for i := lo; i < hi; i++ {
			v := x[i]
			x[i] = x[st]
			x[st] = v
			d := 0
			if v < p {
				d = 1
			}
			st += d
		}
		if k < st {
			hi = st
			continue
		}
		eq := st
		for i := st; i < hi; i++ {
			v := x[i]
			x[i] = x[eq]
			x[eq] = v
			d := 0
			if v <= p {
				d = 1
			}
			eq += d
		}
		if k < eq {
			return p
		}
		lo = eq
	}
	return x[k]
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
			cm := trimmedMeanCooks(x, trim, buf.a)
			for i, j := range mem {
				d := yn[j] - cm
				x[i] = d * d
			}
			ve := scale * trimmedMeanCooks(x, trim, buf.a)
			if ve > v || math.IsNaN(ve) {
				v = ve
			}
		}
	} else {
		rm := trimmedMeanCooks(yn, 1.0/8, buf.a)
		x := buf.b[:len(yn)]
		for i, y := range yn {
			d := y - rm
			x[i] = d * d
		}
		v = 1.51 * trimmedMeanCooks(x, 1.0/8, buf.a)
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
	y, mu, hat = y[:len(out)], mu[:len(out)], hat[:len(out)]
	if p&(p-1) == 0 {
		// x/p = x·(1/p) exactly when p is a power of two
		ip := 1 / float64(p)
		for j := range out {
			d := y[j] - mu[j]
			v := mu[j] + a*mu[j]*mu[j]
			h := hat[j]
			out[j] = d * d / v * ip * h / ((1 - h) * (1 - h))
		}
		return
	}
	for j := range out {
		d := y[j] - mu[j]
		v := mu[j] + a*mu[j]*mu[j]
		h := hat[j]
		out[j] = d * d / v / float64(p) * h / ((1 - h) * (1 - h))
	}
}
