package geneset

import "math"

// The fixed-point Gaussian kernel (fixedSums) computes the same C-order sums
// as pairCodes + codeSums without a code matrix. Each distinct value u_k gets
// the fixed-point number P_k = trunc((u_k - u_0)·(1000/h)·2^32), and the table
// index of a pair (a, b) is the integer part of (P_b - P_a)/2^32. That is
// GSVA's index floor(((u_b-u_a)/h)/10·10000) whenever the fractional part of
// (P_b - P_a)/2^32 is at least codeMargin away from an integer (fixedMaxSpan),
// which fixedSums checks for all pairs at once (fracClear); a gene that fails
// the check, or whose values span more than fixedMaxSpan table steps, takes
// the code-matrix path.

// fixedFracBits is the number of fractional bits of the scaled values.
const fixedFracBits = 32

// fixedMargin is codeMargin in units of 2^-32.
var fixedMargin = uint32(math.Ceil(codeMargin * (1 << fixedFracBits)))

// fixedMaxSpan bounds (u_max - u_min)·1000/h on the fixed-point path. Each
// P_k/2^32 then differs from the exact (u_k - u_0)·1000/h by at most
// 3·2^-53·2^24 + 2^-32 (three roundings and the truncation), a pair's
// difference by less than 1.2e-8, and GSVA's own evaluation of an index below
// 10^4 by less than 5e-12; so when the fractional part is at least codeMargin
// = 1e-7 from an integer, all three have the same integer part. (From
// phiOne on, every index gives 1, and beyond 10^4 GSVA's kernel is 1.)
const fixedMaxSpan = 1 << 24

// phiOne is the first table index whose entry is exactly 1 (pnorm(8.3) rounds
// to 1 in double precision; every later entry is 1 too). Pairs at or beyond
// it add exactly 1, and their mirrors exactly 0.
var phiOne = func() int {
	i := phiResolution + 1
	for i > 0 && phiTable[i-1] == 1 {
		i--
	}
	return i
}()

// fixedExt is the slack of blockTab beyond the saturation points: the rows of
// a block span at most fixedExt table steps, so that one clamping of each
// sample's scaled value serves every row of the block.
const fixedExt = 4096

// fixedBlock is the largest number of rows in a block.
const fixedBlock = 32

// phiOneMax bounds phiOne (checked when blockTab is built).
const phiOneMax = phiResolution + 1

// blockOff is the index of code 0 in blockTab.
const blockOff = phiOneMax + fixedExt + 1

const blockTabBits = 15

// blockTab[c + blockOff] is the kernel of a pair whose scaled difference
// (P_b - P_a)/2^32 has integer part c (floor), for c in
// [-(phiOne+fixedExt+1), phiOne+fixedExt]: 0 below -phiOne (the mirror of a
// saturated pair), 1 - phiTable[-c-1] from -phiOne to -1 (the mirror of the
// pair (b, a), whose code is -c-1 because the fractional part is not 0),
// phiTable[c] from 0, and 1 from phiOne.
var blockTab = func() *[1 << blockTabBits]float64 {
	if phiOne > phiOneMax || blockOff+phiOneMax+fixedExt >= 1<<blockTabBits {
		panic("geneset: block table too small")
	}
	t := new([1 << blockTabBits]float64)
	for c := -phiOne; c < 0; c++ {
		t[c+blockOff] = 1 - phiTable[-c-1]
	}
	for c := 0; c < phiOne; c++ {
		t[c+blockOff] = phiTable[c]
	}
	for c := phiOne; c+blockOff < len(t); c++ {
		t[c+blockOff] = 1
	}
	return t
}()

// fixedSums sets w.sums[b] (b < m) to the Gaussian kernel sums of the m
// distinct values w.u (bandwidth bw) over the n samples w.uid in C order,
// bit for bit as pairCodes + codeSums, and reports true; it reports false,
// leaving w.sums undefined, when the gene needs the code-matrix path.
//
// When the values span fewer than wideHalf-1 table steps (nearly always:
// 8 standard deviations), every pair's index lies within wideTab: the
// samples' scaled values are stored once, negated, with 16 integer and 48
// fractional bits, so that the index of row r and sample i is one addition
// and one shift, (A_r + v_i) >> 48, that the compiler knows to be in range,
// and wideSums4 sums the terms of four rows over the samples in order.
//
// Otherwise rows are taken in blocks of up to fixedBlock consecutive values
// spanning at most fixedExt table steps. For a block, samples more than
// phiOne steps above its last value add exactly 0 to every row and are left
// out; the others are raised to at least phiOne+fixedExt steps below its
// last value (a raised sample adds exactly 1 to every row, before and after),
// so that the index of every pair stays within blockTab; the same scheme
// with 15 integer bits and blockSums4 then sums each block.
func (w *kernelWork) fixedSums(n, m int, bw float64) bool {
	u := w.u[:m]
	inv := 1000 / bw
	if !(inv > 0) || !(inv < math.Inf(1)) || !((u[m-1]-u[0])*inv <= fixedMaxSpan) {
		return false
	}
	if cap(w.fix) < m {
		w.fix = make([]int64, m)
		w.fracTmp = make([]uint64, m)
	}
	p := w.fix[:m]
	u0 := u[0]
	for k, v := range u {
		p[k] = int64((v - u0) * inv * (1 << fixedFracBits))
	}
	if !fracClear(p, w.fracTmp[:m], fixedMargin, &w.fracCount) {
		return false
	}
	if cap(w.fixY) < n {
		w.fixY = make([]int64, n)
		w.fixQ = make([]uint64, n)
	}
	q, qall := w.fixY[:n], w.fixQ[:n]
	s := w.sums[:m]
	if p[m-1] < (wideHalf-1)<<fixedFracBits {
		// every pair's index is within wideTab: no clamping
		for i, k := range w.uid[:n] {
			qall[i] = -(uint64(p[k]) << (wideShift - fixedFracBits))
		}
		r := 0
		for ; r+4 <= m; r += 4 {
			a0 := uint64(p[r]+wideHalf<<fixedFracBits) << (wideShift - fixedFracBits)
			a1 := uint64(p[r+1]+wideHalf<<fixedFracBits) << (wideShift - fixedFracBits)
			a2 := uint64(p[r+2]+wideHalf<<fixedFracBits) << (wideShift - fixedFracBits)
			a3 := uint64(p[r+3]+wideHalf<<fixedFracBits) << (wideShift - fixedFracBits)
			s[r], s[r+1], s[r+2], s[r+3] = wideSums4(qall, a0, a1, a2, a3)
		}
		for ; r < m; r++ {
			s[r] = wideSums1(qall, uint64(p[r]+wideHalf<<fixedFracBits)<<(wideShift-fixedFracBits))
		}
		return true
	}
	for i, k := range w.uid[:n] {
		q[i] = p[k]
	}
	const fb = fixedFracBits
	const sh = blockShift
	for b := 0; b < m; {
		e := b + 1
		for e < m && e-b < fixedBlock && p[e]-p[b] <= fixedExt<<fb {
			e++
		}
		qmin := p[e-1] - int64(phiOne+fixedExt)<<fb
		qc := clampBlock(q, qall, qmin, int64(2*phiOne+fixedExt)<<fb)
		// A_r = P_r - qmin + blockOff steps, in the same 49-bit fraction
		base := int64(blockOff)<<fb - qmin
		r := b
		for ; r+4 <= e; r += 4 {
			p0 := uint64(p[r]+base) << (sh - fb)
			p1 := uint64(p[r+1]+base) << (sh - fb)
			p2 := uint64(p[r+2]+base) << (sh - fb)
			p3 := uint64(p[r+3]+base) << (sh - fb)
			s[r], s[r+1], s[r+2], s[r+3] = blockSums4(qc, p0, p1, p2, p3)
		}
		for ; r < e; r++ {
			p0 := uint64(p[r]+base) << (sh - fb)
			s[r] = blockSums1(qc, p0)
		}
		b = e
	}
	return true
}

// wideHalf is the index of code 0 in wideTab, which covers the codes
// [-wideHalf, wideHalf): genes whose values span less than wideHalf-1 table
// steps need no clamping.
const wideHalf = 1 << 15

// wideShift turns a difference of scaled values plus wideHalf steps, with 16
// integer and 48 fractional bits, into its wideTab index.
const wideShift = 48

// wideTab[c + wideHalf] is blockTab's kernel for integer part c, over
// [-wideHalf, wideHalf).
var wideTab = func() *[2 * wideHalf]float64 {
	t := new([2 * wideHalf]float64)
	for c := -phiOne; c < 0; c++ {
		t[c+wideHalf] = 1 - phiTable[-c-1]
	}
	for c := 0; c < phiOne; c++ {
		t[c+wideHalf] = phiTable[c]
	}
	for c := phiOne; c < wideHalf; c++ {
		t[c+wideHalf] = 1
	}
	return t
}()

// wideSums4 is blockSums4 over wideTab: the sums over the negated scaled
// sample values qc (48 fractional bits), in order, of
// wideTab[(a_k + v) >> wideShift] for four rows.
//
//go:noinline
func wideSums4(qc []uint64, a0, a1, a2, a3 uint64) (s0, s1, s2, s3 float64) {
	t := wideTab
	for _, v := range qc {
		s0 += t[(a0+v)>>wideShift]
		s1 += t[(a1+v)>>wideShift]
		s2 += t[(a2+v)>>wideShift]
		s3 += t[(a3+v)>>wideShift]
	}
	return
}

// wideSums1 is wideSums4 for one row.
func wideSums1(qc []uint64, a0 uint64) (s0 float64) {
	t := wideTab
	for _, v := range qc {
		s0 += t[(a0+v)>>wideShift]
	}
	return
}

// clampBlock writes to qc, in order, the values v of q that are at most
// qmin + top (the others add 0 to every row of the block), as
// -(max(v, qmin) - qmin) << (blockShift - fixedFracBits): raised to qmin,
// relative to it with 49 fractional bits, and negated. It returns them.
func clampBlock(q []int64, qc []uint64, qmin, top int64) []uint64 {
	k := 0
	qc = qc[:len(q)]
	for _, v := range q {
		d := v - qmin
		d &^= d >> 63 // max(d, 0)
		qc[k] = -(uint64(d) << (blockShift - fixedFracBits))
		k += int(uint64(top-d)>>63 ^ 1) // keep d <= top
	}
	return qc[:k]
}

// blockShift turns a relative difference (15 integer bits, 49 fractional)
// into its blockTab index.
const blockShift = 64 - blockTabBits

// blockSums4 returns the sums over the negated clamped relative sample values
// qc, in order, of blockTab[(a_k + v) >> blockShift] (mod 2^64, a_k minus the
// sample's value) for four rows a_0..a_3. It is a function of its own so that
// the loop keeps everything in registers.
//
//go:noinline
func blockSums4(qc []uint64, a0, a1, a2, a3 uint64) (s0, s1, s2, s3 float64) {
	t := blockTab
	for _, v := range qc {
		s0 += t[(a0+v)>>blockShift]
		s1 += t[(a1+v)>>blockShift]
		s2 += t[(a2+v)>>blockShift]
		s3 += t[(a3+v)>>blockShift]
	}
	return
}

// blockSums1 is blockSums4 for one row.
func blockSums1(qc []uint64, a0 uint64) (s0 float64) {
	t := blockTab
	for _, v := range qc {
		s0 += t[(a0+v)>>blockShift]
	}
	return
}

// fracClear reports whether the scaled values p (ascending, 32 fractional
// bits) are safe for the fixed-point path: no two of them differ by a number
// of table steps within margin·2^-32 of a positive integer. A pair closer than
// that in their fractional parts is allowed only when the values themselves
// are that close (integer part 0 of a difference below 1e-7 steps: index 0,
// as GSVA's, whatever the rounding).
//
// The fractional parts (with the value's index in the low bits) are sorted by
// bucket on the top bits (a bucket is wider than margin, so close pairs end
// up adjacent or in neighbouring buckets), finished by an insertion sort, and
// neighbours are compared, the last with the first across 2^32; if two
// fractional parts within margin belong to values that are not within margin,
// some neighbouring pair between them is such a pair as well. tmp (len(p))
// and count are scratch space. It also reports false when the insertion sort
// would need more than 4 moves per value, so that its cost stays linear.
func fracClear(p []int64, tmp []uint64, margin uint32, count *[]int32) bool {
	m := len(p)
	if m < 2 {
		return true
	}
	bits := 1
	for 1<<bits < 2*m && bits < 16 {
		bits++
	}
	nb := 1 << bits
	if cap(*count) < nb+1 {
		*count = make([]int32, nb+1)
	}
	c := (*count)[:nb+1]
	clear(c)
	sh := 64 - bits
	for _, v := range p {
		c[uint64(v)<<32>>sh+1]++
	}
	for i := 1; i <= nb; i++ {
		c[i] += c[i-1]
	}
	for k, v := range p {
		key := uint64(v)<<32 | uint64(k)
		b := key >> sh
		tmp[c[b]] = key
		c[b]++
	}
	moves := 0
	for i := 1; i < m; i++ {
		v := tmp[i]
		j := i
		for j > 0 && tmp[j-1] > v {
			tmp[j] = tmp[j-1]
			j--
		}
		tmp[j] = v
		if moves += i - j; moves > 4*m {
			return false
		}
	}
	close := func(a, b uint64) bool {
		// fractional parts within margin (b after a on the circle), and the
		// values not within margin of each other
		if uint32((b>>32)-(a>>32)) >= margin {
			return false
		}
		d := p[uint32(b)] - p[uint32(a)]
		return d >= int64(margin) || d <= -int64(margin)
	}
	for i := 1; i < m; i++ {
		if close(tmp[i-1], tmp[i]) {
			return false
		}
	}
	return !close(tmp[m-1], tmp[0])
}
