package norm

import (
	"math"

	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// This file is the per-sample work of TMM (edgeR 3.40.2 .calcFactorTMM):
//
//	M_g = log2((o_g/nO)/(r_g/nR)),  A_g = (log2(o_g/nO) + log2(r_g/nR))/2,
//	v_g = (nO-o_g)/nO/o_g + (nR-r_g)/nR/r_g
//
// over the genes with finite M and A and A > Acutoff, the genes whose
// average-tie ranks of M and of A fall inside the trims, and
// 2^(sum(M/v)/sum(1/v)) over those.
//
// Speed. One logarithm per gene and sample was most of the cost. Here no
// logarithm is taken per gene in the common case:
//
//   - log2(o/nO) of a whole count o in [1, 2^16) is approximated by
//     L(o) - log2(nO), with L(o) = fmath.Log2(o) from a table filled once per
//     distinct count; other counts get fmath.Log2(o/nO) itself.
//   - M' = lo' - log2(r/nR) and A' = (lo' + log2(r/nR))/2 with lo' that
//     value and log2(r/nR) computed once per gene for all samples.
//
// M' and A' are within delta of the M and A that edgeR's formulas give (see
// tmmDelta), but the trims depend on ranks, and ranks on the last bit (two
// genes with M equal in exact arithmetic are a tie in R only if their
// rounded M are equal). So the trims are decided on exact values wherever
// an approximation could change them (trimWindow): the order statistics at
// the trim positions are found among the approximations, the genes whose
// approximation lies within 4 delta of one of them get their exact M (or A)
// from edgeR's formula, and the window is then exact. Every gene outside
// those bands is at least 3 delta from the window's ends, so its
// approximation is on the same side as its exact value.
//
// The weighted mean uses M' (exact M for the genes in the bands); it
// differs from edgeR's in about the 14th digit (TestTMMMatchesDirect), far
// inside the 1e-10 of the goldens. Everything is a function of the sample,
// the reference and the options, so the factors are bitwise the same on any
// number of workers or pool tasks.

// tmmTab bounds the whole counts whose log2 comes from the table. The
// choice between table and direct formula depends only on the count, never
// on the size of a table, so factors do not depend on which columns a
// worker saw before.
const tmmTab = 1 << 16

// tmmLogLim bounds |log2 nO| and |log2(r/nR)| for the fast path. Then
// |log2(o/nO)| <= tmmLoLim for the table's counts, M' is below 1000 in
// magnitude, p = o/nO, s = r/nR and p/s are normal numbers, and the error
// bound of the approximations holds. A sample or reference outside it
// (library sizes beyond 2^464 or below 2^-464, or counts as odd) is
// computed exactly throughout, as are genes of the direct formula outside
// tmmLoLim.
const (
	tmmLogLim = 480
	tmmLoLim  = 496
)

// tmmRef is the reference sample of TMM, with what every factor needs from
// it, computed once.
type tmmRef struct {
	nR    float64
	s     []float64 // r/nR
	lr    []float64 // log2(r/nR)
	vr    []float64 // (nR-r)/nR/r
	maxLR float64   // largest finite |lr|
}

func newTMMRef(r []float64, nR float64) *tmmRef {
	lr := make([]float64, len(r))
	for k, x := range r {
		lr[k] = fmath.Log2(x / nR)
	}
	return newTMMRefLog(r, lr, nR)
}

// newTMMRefLog is newTMMRef given lr[k] = log2(r[k]/nR) (as the pool
// kernel receives it); lr is kept.
func newTMMRefLog(r, lr []float64, nR float64) *tmmRef {
	K := len(r)
	ref := &tmmRef{nR: nR, s: make([]float64, K), lr: lr, vr: make([]float64, K)}
	for k, x := range r {
		ref.s[k] = x / nR
		ref.vr[k] = (nR - x) / nR / x
		if a := math.Abs(lr[k]); a-a == 0 && a > ref.maxLR {
			ref.maxLR = a
		}
	}
	return ref
}

// tmmScratch holds one worker's buffers for factor (reused across samples).
type tmmScratch struct {
	m, a []float64 // M' and A' of the candidate genes (exact in the bands)
	idx  []int32   // their gene indices
	sel  []float64 // selection scratch
	kept []int32   // gene indices that the last factor kept
	num  []float64
	l2   *[tmmTab]float64 // fmath.Log2(i) for whole i (NaN: not computed yet)
	// band bookkeeping of trimWindow
	b1, b2 []int32
	a2     []float64
	buf    []float64
	v1, v2 []float64 // windowSampled's brackets
	i1, i2 []int32
}

func newTMMScratch(K int) *tmmScratch {
	return &tmmScratch{m: make([]float64, K), a: make([]float64, K), idx: make([]int32, K),
		sel: make([]float64, K), kept: make([]int32, 0, K)}
}

// log2Int computes and stores table entry i.
func (sc *tmmScratch) log2Int(i int) float64 {
	l := fmath.Log2(float64(i))
	sc.l2[i] = l
	return l
}

// candidates fills sc.m, sc.a and sc.idx with M', A' and the gene index of
// every gene with finite M and A and A > acutoff, and returns their number
// and d such that |M' - M| and |A' - A| are at most d (1 + max|M'|).
//
// Error bound (fmath.Log2 within 1 ulp, u = 2^-53): log2(o/nO) is
// approximated by L(o) - log2 nO with |L(o)| <= 16, or is exact; the
// roundings in M' = lo' - log2(r/nR), in M = log2((o/nO)/(r/nR)) and in
// A' and A are each at most 2u times the magnitude of the quantity rounded,
// and there are fewer than ten of them, so each error is below
// 2^-49 (18 + |log2 nO| + 3 max|lo'| + 2 max|log2(r/nR)| + 2 max|M'|).
// d is 2^-44 times that sum without the last term (the caller multiplies
// by 1 + max|M'|, which covers it).
func (sc *tmmScratch) candidates(obs []float64, nO, lnO float64, ref *tmmRef, acutoff float64) (int, float64) {
	m, a, idx := sc.m[:len(obs)], sc.a[:len(obs)], sc.idx[:len(obs)]
	lr := ref.lr[:len(obs)]
	if sc.l2 == nil {
		sc.l2 = new([tmmTab]float64)
		for i := range sc.l2 {
			sc.l2[i] = math.NaN()
		}
	}
	tab := sc.l2
	bound := func(loMax float64) float64 {
		// float64() keeps products from fusing with the sums (FMA), here and
		// for the bands, so that the bands are the same on every target.
		return 0x1p-44 * (20 + math.Abs(lnO) + float64(3*loMax) + float64(2*ref.maxLR))
	}
	direct := 0
	n := 0
	// Branch-free but for the table's misses and the direct formula: zero
	// counts come in random order, and mispredicted branches were most of
	// the cost.
	for k, o := range obs {
		var lo float64
		r := lr[k]
		if i := int(o); o >= 0 && o < tmmTab && float64(i) == o {
			// log2(0/nO) = -Inf = log2(0) - log2(nO) for nO > 0 (and both
			// are not finite for nO = 0: the gene is dropped either way).
			l := tab[uint16(i)]
			if l != l {
				l = sc.log2Int(i)
			}
			lo = l - lnO
		} else {
			lo = fmath.Log2(o / nO)
			direct = 1
			if !(math.Abs(lo) <= tmmLoLim) {
				// Rare: exact M and A decide.
				mv := fmath.Log2((o / nO) / ref.s[k])
				ae := (lo + r) / 2
				m[n], a[n], idx[n] = mv, ae, int32(k)
				n += b2i(mv-mv == 0) & b2i(ae-ae == 0)
				continue
			}
		}
		mv, ae := lo-r, (lo+r)/2
		m[n], a[n], idx[n] = mv, ae, int32(k)
		n += b2i(ae-ae == 0) // o and r positive
	}
	if acutoff > -1e9 {
		// A cutoff (not edgeR's default -1e10, which no finite A reaches):
		// compared on exact A where A' is within the largest possible error.
		acut := float64(bound(tmmLoLim) * (1 + 2*tmmLoLim))
		kept := 0
		for i := 0; i < n; i++ {
			ae := a[i]
			if !(ae > acutoff+acut) {
				k := idx[i]
				ae = (fmath.Log2(obs[k]/nO) + lr[k]) / 2
				if !(ae > acutoff) {
					continue
				}
				m[i], a[i] = fmath.Log2((obs[k]/nO)/ref.s[k]), ae
			}
			m[kept], a[kept], idx[kept] = m[i], a[i], idx[i]
			kept++
		}
		n = kept
	}
	if direct != 0 {
		return n, bound(tmmLoLim)
	}
	return n, bound(16 + math.Abs(lnO))
}

// factor is edgeR's .calcFactorTMM for one sample (counts obs, library size
// nO) against ref; sc.kept is left holding the genes the trims kept.
func (sc *tmmScratch) factor(obs []float64, nO float64, ref *tmmRef, opt NormOptions) float64 {
	sc.kept = sc.kept[:0]
	lnO := fmath.Log2(nO)
	m, a, idx := sc.m[:len(obs)], sc.a[:len(obs)], sc.idx[:len(obs)]
	exactM := func(i int) float64 { k := idx[i]; return fmath.Log2((obs[k] / nO) / ref.s[k]) }
	exactA := func(i int) float64 { k := idx[i]; return (fmath.Log2(obs[k]/nO) + ref.lr[k]) / 2 }
	var n int
	var delta float64
	if math.Abs(lnO) <= tmmLogLim && ref.maxLR <= tmmLogLim {
		n, delta = sc.candidates(obs, nO, lnO, ref, opt.Acutoff)
	} else {
		// Absurd library sizes: M and A of every gene exactly (delta 0).
		for k, o := range obs {
			mv := fmath.Log2((o / nO) / ref.s[k])
			ae := (fmath.Log2(o/nO) + ref.lr[k]) / 2
			m[n], a[n], idx[n] = mv, ae, int32(k)
			n += b2i(mv-mv == 0) & b2i(ae-ae == 0) & b2i(ae > opt.Acutoff)
		}
	}
	if n == 0 {
		return 1
	}
	m, a, idx = m[:n], a[:n], idx[:n]
	maxM := maxAbs(m)
	delta *= 1 + maxM
	deltaM := delta
	// edgeR: if (max(abs(logR)) < 1e-6) return(1).
	if maxM+delta < 1e-6 {
		return 1
	}
	if maxM-delta < 1e-6 {
		maxM = 0
		for i := range m {
			m[i] = exactM(i)
			maxM = max(maxM, math.Abs(m[i]))
		}
		if maxM < 1e-6 {
			return 1
		}
		deltaM = 0
	}
	fn := float64(n)
	loL := math.Floor(fn*opt.LogratioTrim) + 1
	loS := math.Floor(fn*opt.SumTrim) + 1
	wM := sc.trimWindow(m, deltaM, loL, fn+1-loL, exactM)
	wA := sc.trimWindow(a, delta, loS, fn+1-loS, exactA)
	kept := sc.kept[:0]
	if wM.lo <= wM.hi && wA.lo <= wA.hi {
		kept = keepIn(m, a, wM, wA, sc.kept[:n])
	}
	var f float64
	if opt.NoWeighting {
		num := sc.num[:0]
		for _, i := range kept {
			num = append(num, m[i])
		}
		sc.num = num
		f = meanR(num)
	} else {
		if len(kept) == 0 {
			f = math.NaN()
		} else {
			f = weightedM(kept, m, idx, obs, ref.vr, nO)
		}
	}
	for t, i := range kept {
		kept[t] = idx[i]
	}
	sc.kept = kept
	if math.IsNaN(f) {
		f = 0
	}
	return fmath.Pow(2, f)
}

// kahan is sumK as a running sum: Neumaier's compensated sum, and the
// plain sum for when the compensated one is not finite. The rounding error
// of each addition is found by Knuth's TwoSum, which needs no comparison
// of magnitudes (no branch) and gives the same exact error as sumK's
// ordered form.
type kahan struct{ s, c, plain float64 }

func (k *kahan) add(v float64) {
	t := k.s + v
	bp := t - k.s
	k.c += (k.s - (t - bp)) + (v - bp)
	k.s = t
	k.plain += v
}

func (k *kahan) sum() float64 {
	if math.IsInf(k.s, 0) || math.IsNaN(k.s) {
		return k.plain
	}
	return k.s + k.c
}

// maxAbs is max |x| (0 for none).
func maxAbs(x []float64) float64 {
	mx := 0.0
	for _, v := range x {
		if t := math.Abs(v); t > mx {
			mx = t
		}
	}
	return mx
}

// keepIn writes to kept the indices i with m[i] in wM and a[i] in wA (in
// order) and returns that prefix of kept.
func keepIn(m, a []float64, wM, wA window, kept []int32) []int32 {
	a, kept = a[:len(m)], kept[:len(m)]
	nk := 0
	for i, x := range m {
		y := a[i]
		kept[nk] = int32(i)
		nk += b2i(x >= wM.lo) & b2i(x <= wM.hi) & b2i(y >= wA.lo) & b2i(y <= wA.hi)
	}
	return kept[:nk]
}

// weightedM is sum(M/v)/sum(1/v) over the kept genes (compensated sums in
// gene order), v = (nO-o)/nO/o + (nR-r)/nR/r with the reference's part vr.
func weightedM(kept []int32, m []float64, idx []int32, obs, vr []float64, nO float64) float64 {
	var num, den kahan
	for _, i := range kept {
		k := idx[i]
		o := obs[k]
		v := (nO-o)/nO/o + vr[k]
		num.add(m[i] / v)
		den.add(1 / v)
	}
	return num.sum() / den.sum()
}

// b2i is 1 for true and 0 for false (a SETcc, no branch).
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// window is the closed interval [lo, hi] of values a trim keeps; lo > hi
// when it keeps none.
type window struct{ lo, hi float64 }

var emptyWindow = window{1, 0}

// trimWindow returns the values x whose average-tie rank (R's rank(x,
// ties.method = "average")) lies in [loR, hiR], as a window on y, where y
// holds approximations with |y_i - x_i| <= delta and exact(i) returns x_i.
// On return y_i = x_i wherever that matters: every i whose y is inside the
// window is inside it by its exact value, and every other is outside by
// it. loR and hiR are whole numbers (floor(n*trim)+1 and n+1 minus that).
// delta = 0 means y is exact.
//
// The order statistics at positions loR and hiR of y are found by
// selection; the exact ones lie within delta of them. The genes with y
// within 4 delta of either get exact values (the bands); every other gene
// is below or above a band by at least 3 delta in both y and x, so the
// counts below, the tie groups at the two positions and their average
// ranks follow from the bands' exact values. If a check of that reasoning
// fails (it cannot, given the bound), every value is made exact and the
// window found on those.
func (sc *tmmScratch) trimWindow(y []float64, delta, loR, hiR float64, exact func(i int) float64) window {
	n := len(y)
	if n == 0 || loR > hiR || hiR < 1 || loR > float64(n) {
		return emptyWindow
	}
	pl, ph := max(int(loR), 1), min(int(hiR), n)
	k1, k2 := pl-1, ph-1
	if n >= sampledMin {
		if w, ok := sc.windowSampled(y, delta, loR, hiR, k1, k2, exact); ok {
			return w
		}
	}
	s := sc.sel[:n]
	copy(s, y)
	v1a := stats.SelectK(s, k1)
	// SelectK leaves s[k1+1:] >= v1a, so position k2 (>= k1) is among them.
	v2a := v1a
	if k2 > k1 {
		v2a = stats.SelectK(s[k1+1:], k2-k1-1)
	}
	w := float64(4 * delta)
	t := bandLimits{v1a - w, v1a + w, v2a - w, v2a + w}
	// Branch-free: the band lists are written at their ends every time and
	// grow by the comparison.
	if cap(sc.b1) < n {
		sc.b1, sc.b2, sc.a2 = make([]int32, n), make([]int32, n), make([]float64, n)
	}
	b1, b2, a2 := sc.b1[:n], sc.b2[:n], sc.a2[:n]
	c1, c2, nb1, nb2 := 0, 0, 0, 0
	for i, v := range y {
		c1 += b2i(v < t.lo1)
		c2 += b2i(v < t.lo2)
		b1[nb1] = int32(i)
		nb1 += b2i(v >= t.lo1) & b2i(v <= t.hi1)
		b2[nb2] = int32(i)
		a2[nb2] = v
		nb2 += b2i(v >= t.lo2) & b2i(v <= t.hi2)
	}
	if w, ok := sc.finishWindow(y, delta, loR, hiR, k1, k2, t, c1, c2, b1[:nb1], b2[:nb2], a2[:nb2], exact); ok {
		return w
	}
	if delta == 0 {
		// Unreachable: with exact y the bands are the tie groups of the
		// order statistics, which hold positions k1 and k2.
		return emptyWindow
	}
	for i := range y {
		y[i] = exact(i)
	}
	return sc.trimWindow(y, 0, loR, hiR, exact)
}

// bandLimits are the two bands [lo1, hi1] and [lo2, hi2] of trimWindow.
type bandLimits struct{ lo1, hi1, lo2, hi2 float64 }

// finishWindow is the end of trimWindow, given c1 and c2 values of y below
// the bands (all of them), the indices b1 and b2 of the values in them, and
// a2 the values of b2 before any was made exact. ok is false when the
// checks fail.
func (sc *tmmScratch) finishWindow(y []float64, delta, loR, hiR float64, k1, k2 int, t bandLimits, c1, c2 int, b1, b2 []int32, a2 []float64, exact func(i int) float64) (window, bool) {
	if delta > 0 {
		for _, i := range b1 {
			y[i] = exact(int(i))
		}
		for j, i := range b2 {
			if !(a2[j] >= t.lo1 && a2[j] <= t.hi1) {
				y[i] = exact(int(i))
			}
		}
	}
	v1, l1, e1, gt1, _, ok1 := sc.bandStat(y, b1, k1-c1)
	v2, l2, e2, _, lt2, ok2 := sc.bandStat(y, b2, k2-c2)
	if !ok1 || !ok2 || v1 < t.lo1+float64(2*delta) || v1 > t.hi1-float64(2*delta) || v2 < t.lo2+float64(2*delta) || v2 > t.hi2-float64(2*delta) {
		return window{}, false
	}
	lo := v1
	if float64(c1+l1)+float64(e1+1)/2 < loR {
		if c1+len(b1) == len(y) && !gt1 { // no value above v1
			return emptyWindow, true
		}
		lo = math.Nextafter(v1, math.Inf(1))
	}
	hi := v2
	if float64(c2+l2)+float64(e2+1)/2 > hiR {
		if c2 == 0 && !lt2 { // no value below v2
			return emptyWindow, true
		}
		hi = math.Nextafter(v2, math.Inf(-1))
	}
	return window{lo, hi}, true
}

// windowSampled is trimWindow through a sample (Floyd-Rivest style): the
// order statistics k1 and k2 of y are bracketed by values of a sorted
// systematic sample, one pass counts the values below each bracket and
// copies those inside (with their indices), the statistics are selected
// among those, and the bands are found among them too. ok is false when a
// bracket missed its target or does not hold its band (the caller then
// works on all of y).
func (sc *tmmScratch) windowSampled(y []float64, delta, loR, hiR float64, k1, k2 int, exact func(i int) float64) (window, bool) {
	n := len(y)
	var smp [nSample]float64
	for i := range smp {
		smp[i] = y[int(int64(i)*int64(n)/nSample)]
	}
	// The brackets are the sample's order statistics r-g and r+g around
	// each target's rank r in the sample, g about 4 standard deviations of
	// that rank (sampleGapFor: 43 at the 30% trim, 21 at the 5%; selected in
	// increasing order, each among the values right of the previous).
	r1, r2 := int(int64(k1)*nSample/int64(n)), int(int64(k2)*nSample/int64(n))
	g1, g2 := sampleGapFor(k1, n), sampleGapFor(k2, n)
	pos := [4]int{r1 - g1, r1 + g1, r2 - g2, r2 + g2}
	var val [4]float64
	from, prev := 0, 0.0
	for q, p := range pos {
		switch {
		case p < 0:
			val[q] = math.Inf(-1)
		case p >= nSample:
			val[q] = math.Inf(1)
		case p < from: // the same position as the previous one
			val[q] = prev
		default:
			prev = stats.SelectK(smp[from:], p-from)
			val[q], from = prev, p+1
		}
	}
	bracket := func(k int) (float64, float64) {
		if k == k1 {
			return val[0], val[1]
		}
		return val[2], val[3]
	}
	lo1, hi1 := bracket(k1)
	lo2, hi2 := bracket(k2)
	merged := lo2 <= hi1
	if merged {
		hi1, lo2 = hi2, lo1
	}
	if len(sc.v1) < n {
		sc.v1, sc.v2 = make([]float64, n), make([]float64, n)
		sc.i1, sc.i2 = make([]int32, n), make([]int32, n)
	}
	v1s, v2s, i1s, i2s := sc.v1[:n], sc.v2[:n], sc.i1[:n], sc.i2[:n]
	var c1, c2, j1, j2 int
	if merged {
		c1, j1 = bracket1(y, lo1, hi1, v1s, i1s)
		c2, j2, v2s, i2s = c1, j1, v1s, i1s
	} else {
		c1, j1, c2, j2 = bracket2(y, lo1, hi1, lo2, hi2, v1s, i1s, v2s, i2s)
	}
	if k1-c1 < 0 || k1-c1 >= j1 || k2-c2 < 0 || k2-c2 >= j2 {
		return window{}, false
	}
	s := sc.sel[:j1]
	copy(s, v1s[:j1])
	v1a := stats.SelectK(s, k1-c1)
	s = sc.sel[:j2]
	copy(s, v2s[:j2])
	v2a := stats.SelectK(s, k2-c2)
	w := float64(4 * delta)
	t := bandLimits{v1a - w, v1a + w, v2a - w, v2a + w}
	if !(t.lo1 >= lo1 && t.hi1 <= hi1 && t.lo2 >= lo2 && t.hi2 <= hi2) {
		return window{}, false
	}
	b1, b2, a2 := sc.b1[:0], sc.b2[:0], sc.a2[:0]
	for e, v := range v1s[:j1] {
		c1 += b2i(v < t.lo1)
		if b2i(v >= t.lo1)&b2i(v <= t.hi1) != 0 { // rare: predicted
			b1 = append(b1, i1s[e])
		}
	}
	for e, v := range v2s[:j2] {
		c2 += b2i(v < t.lo2)
		if b2i(v >= t.lo2)&b2i(v <= t.hi2) != 0 {
			b2 = append(b2, i2s[e])
			a2 = append(a2, v)
		}
	}
	sc.b1, sc.b2, sc.a2 = b1, b2, a2
	return sc.finishWindow(y, delta, loR, hiR, k1, k2, t, c1, c2, b1, b2, a2, exact)
}

// sampleGapFor is the half-width, in sample ranks, of windowSampled's
// bracket for order statistic k of n values: 3.9 standard deviations of
// the rank of the k-th value in a sample of nSample (binomial, p = k/n),
// plus 3.
func sampleGapFor(k, n int) int {
	p := (float64(k) + 0.5) / float64(n)
	return int(3.9*math.Sqrt(nSample*p*(1-p))) + 3
}

// bracket1 is windowSampled's pass for one bracket [lo, hi]: it returns
// the number of values of y below lo and, having copied those inside to
// vs (their indices to is), their number. Written as conditional moves
// (the values are in random order, branches would mispredict), in a
// function of its own so that its state stays in registers.
func bracket1(y []float64, lo, hi float64, vs []float64, is []int32) (c, j int) {
	vs, is = vs[:len(y)], is[:len(y)]
	for i, v := range y {
		b := b2i(v < lo)
		c += b
		vs[j] = v
		is[j] = int32(i)
		j += b2i(v <= hi) - b
	}
	return c, j
}

// bracket2 is bracket1 for two brackets at once.
func bracket2(y []float64, lo1, hi1, lo2, hi2 float64, v1s []float64, i1s []int32, v2s []float64, i2s []int32) (c1, j1, c2, j2 int) {
	v1s, i1s, v2s, i2s = v1s[:len(y)], i1s[:len(y)], v2s[:len(y)], i2s[:len(y)]
	for i, v := range y {
		b1, b2 := b2i(v < lo1), b2i(v < lo2)
		c1 += b1
		c2 += b2
		v1s[j1] = v
		i1s[j1] = int32(i)
		j1 += b2i(v <= hi1) - b1
		v2s[j2] = v
		i2s[j2] = int32(i)
		j2 += b2i(v <= hi2) - b2
	}
	return c1, j1, c2, j2
}

// bandStat returns the value v at position k of the values y[band], how
// many are below it and equal to it, and whether any is above and below
// it; ok is false when k is not a position of the band.
func (sc *tmmScratch) bandStat(y []float64, band []int32, k int) (v float64, l, e int, above, below, ok bool) {
	if k < 0 || k >= len(band) {
		return 0, 0, 0, false, false, false
	}
	buf := sc.buf[:0]
	for _, i := range band {
		buf = append(buf, y[i])
	}
	sc.buf = buf
	v = stats.SelectK(buf, k)
	for _, x := range buf {
		switch {
		case x < v:
			l++
			below = true
		case x == v:
			e++
		default:
			above = true
		}
	}
	return v, l, e, above, below, true
}
