package geneset

import (
	"math"
	"math/bits"
	"slices"
	"unsafe"
)

// kernelWork is the per-worker scratch space of the GSVA kernel; it grows as
// needed and is reused from gene to gene, so the kernel allocates nothing per
// gene.
type kernelWork struct {
	keys  []uint64  // sort keys of y, then the distinct keys ascending
	u     []float64 // distinct values ascending
	uid   []uint16  // uid[i]: index in u of y[i]
	off   []int32   // packed code index of row a, column 0
	codes []uint64  // kernel codes between distinct values, four rows packed
	sums  []float64 // per distinct value (padded to a multiple of 4): Σ_i Φ̃ in C order
	pvals []float64 // Poisson kernel: m x m ppois values between distinct values

	// fixed-point Gaussian path (fixedSums)
	fix       []int64 // scaled distinct values
	fracTmp   []uint64
	fracCount []int32
	fixY      []int64  // scaled value of each sample
	fixQ      []uint64 // the same, clamped for a block of rows

	// distinctBuckets
	bcount []int32
	bfirst []int32
	bkey   []uint64
	bidx   []uint16
}

func (w *kernelWork) grow(n int) {
	if cap(w.keys) < n {
		w.keys = make([]uint64, n)
		w.u = make([]float64, n)
		w.uid = make([]uint16, n)
		w.off = make([]int32, n)
		w.sums = make([]float64, n+3)
	}
	if g := (n + 3) / 4; cap(w.codes) < g*n {
		w.codes = make([]uint64, g*n)
	}
}

// maxKernelSamples bounds the samples of the distinct-value kernels
// (distinct-value indices are uint16, packed code offsets int32, and the
// m x m code matrix takes 2m² bytes); more samples use the direct path.
const maxKernelSamples = 1 << 15

// distinct sets w.u to the distinct values of y ascending (-0 and +0 are one
// value) and w.uid[i] to the index of y[i] in w.u; it returns len(w.u).
//
// The values are sorted once as single integers: the order-preserving key of
// y[i] with its low bits replaced by i. Values that differ only in those low
// bits (a relative difference below about 2^-40) can come out in index
// order instead of value order; that is detected and repaired with a full
// comparison sort.
func (w *kernelWork) distinct(y []float64) int {
	if m := w.distinctBuckets(y); m > 0 {
		return m
	}
	return w.distinctSort(y)
}

// distinctBuckets is distinct by a bucket sort: the keys of the values are
// spread over len(y) buckets of equal width between the smallest and the
// largest value, each bucket is sorted (an insertion sort, or pdqsort for a
// large one, as for many ties), the sorted keys give the distinct values,
// and each value finds its index among the few distinct values of its
// bucket (distinctSpread does it faster when every bucket holds at most 16
// values). It returns 0, leaving the work to distinctSort, when the range is
// not finite.
func (w *kernelWork) distinctBuckets(y []float64) int {
	n := len(y)
	if n < 2 {
		return 0
	}
	if cap(w.bcount) < n+1 {
		w.bcount = make([]int32, n+1)
		w.bfirst = make([]int32, n+1)
		w.bkey = make([]uint64, n)
	}
	keys := w.keys[:n]
	kmin, kmax := ^uint64(0), uint64(0)
	for i, v := range y {
		k := sortKey(v)
		keys[i] = k
		kmin = min(kmin, k)
		kmax = max(kmax, k)
	}
	lo, hi := keyValue(kmin), keyValue(kmax)
	scale := float64(n) / (hi - lo)
	if !(scale > 0 && scale < math.Inf(1)) {
		return 0
	}
	count := w.bcount[:n+1]
	clear(count)
	bucket := w.off[:n] // scratch: bucket of each value
	for i, v := range y {
		b := int((v - lo) * scale)
		if uint(b) >= uint(n) {
			b = n - 1
		}
		bucket[i] = int32(b)
		count[b+1]++
	}
	crowded := false
	for b := 1; b <= n; b++ {
		crowded = crowded || count[b] > 16
		count[b] += count[b-1]
	}
	if !crowded {
		return w.distinctSpread(n)
	}
	// count[b] is now the start of bucket b; place the keys, then restore
	sk := w.bkey[:n]
	for i, b := range bucket {
		sk[count[b]] = keys[i]
		count[b]++
	}
	for b := n; b > 0; b-- {
		count[b] = count[b-1]
	}
	count[0] = 0
	// sort each bucket, collect the distinct keys (in place in sk) and the
	// index of each bucket's first distinct key
	first := w.bfirst[:n+1]
	u := w.u[:n]
	m := 0
	for b := 0; b < n; b++ {
		first[b] = int32(m)
		seg := sk[count[b]:count[b+1]]
		if len(seg) > 16 {
			slices.Sort(seg)
		} else {
			for i := 1; i < len(seg); i++ {
				k := seg[i]
				j := i
				for j > 0 && seg[j-1] > k {
					seg[j] = seg[j-1]
					j--
				}
				seg[j] = k
			}
		}
		for j, k := range seg {
			if j == 0 || k != seg[j-1] {
				sk[m] = k // m <= count[b] + j: already read
				m++
			}
		}
	}
	first[n] = int32(m)
	for j, k := range sk[:m] {
		u[j] = keyValue(k)
	}
	uid := w.uid[:n]
	for i, k := range keys {
		j := first[bucket[i]]
		for sk[j] != k {
			j++
		}
		uid[i] = uint16(j)
	}
	return m
}

// distinctSpread finishes distinctBuckets when no bucket holds more than 16
// values: the keys, with their sample index, are placed bucket by bucket
// (w.bcount holds the bucket starts, w.off each value's bucket), one
// insertion sort over all of them moves keys only within their bucket, and
// the sorted keys give the distinct values and each sample's index directly.
func (w *kernelWork) distinctSpread(n int) int {
	if cap(w.bidx) < n {
		w.bidx = make([]uint16, n)
	}
	count, bucket, keys := w.bcount[:n+1], w.off[:n], w.keys[:n]
	sk, si := w.bkey[:n], w.bidx[:n]
	for i, b := range bucket {
		j := count[b]
		count[b]++
		sk[j], si[j] = keys[i], uint16(i)
	}
	for i := 1; i < n; i++ {
		k, x := sk[i], si[i]
		j := i
		for j > 0 && sk[j-1] > k {
			sk[j], si[j] = sk[j-1], si[j-1]
			j--
		}
		sk[j], si[j] = k, x
	}
	u, uid := w.u[:n], w.uid[:n]
	m := 0
	prev := sk[0]
	u[0] = keyValue(prev)
	for j, k := range sk {
		if k != prev {
			m++
			u[m] = keyValue(k)
			prev = k
		}
		uid[si[j]] = uint16(m)
	}
	return m + 1
}

// distinctSort is distinct by a comparison sort of the keys.
func (w *kernelWork) distinctSort(y []float64) int {
	n := len(y)
	sh := uint(bits.Len(uint(n - 1)))
	low := uint64(1)<<sh - 1
	keys := w.keys[:n]
	for i, v := range y {
		keys[i] = sortKey(v)&^low | uint64(i)
	}
	slices.Sort(keys)
	prev := uint64(0)
	for j, k := range keys {
		fk := sortKey(y[k&low])
		if j > 0 && fk < prev {
			w.distinctSlow(y)
			break
		}
		prev = fk
	}
	u, uid := w.u[:n], w.uid[:n]
	m := 0
	for j, k := range keys {
		i := k & low
		fk := sortKey(y[i])
		if j == 0 || fk != prev {
			u[m] = keyValue(fk)
			m++
			prev = fk
		}
		uid[i] = uint16(m - 1)
	}
	return m
}

// distinctSlow sorts w.keys (index in the low bits, as distinct builds
// them) by full value, then index.
func (w *kernelWork) distinctSlow(y []float64) {
	n := len(y)
	low := uint64(1)<<uint(bits.Len(uint(n-1))) - 1
	slices.SortFunc(w.keys[:n], func(a, b uint64) int {
		ka, kb := sortKey(y[a&low]), sortKey(y[b&low])
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return int(a&low) - int(b&low)
	})
}

// keyValue inverts sortKey (giving +0 for a zero).
func keyValue(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// gaussianSums sets sums[j] to GSVA 1.46's Σ_i Φ̃((y_j - y_i)/h), i = 1..n in
// order, h = sd(y)/4 (row_d in src/kernel_estimation.c before the division
// by n), bit-identical to evaluating phiTilde pair by pair, but faster:
//
//   - equal values give equal rows, so sums are computed once per distinct
//     value (bench data of log2(count+1) have about 110 distinct values in
//     285 samples);
//   - Φ̃(-v) = 1 - Φ̃(v) exactly (table entries lie in [0.5, 1], so 1-c is
//     exact) and u_a - u_b = -(u_b - u_a) exactly, so each pair of distinct
//     values is evaluated once, on sorted values where d = u_b - u_a >= 0, as
//     a uint16 code into kernTab; the mirrored codes are filled by a blocked
//     transpose;
//   - the table index floor(((d/h)/10)*10000) is first estimated as
//     q = d*(1000/h); the estimate is used only when no integer lies within
//     1e-7 of q (the two differ by a few ulps of a number <= 10^4, i.e.
//     < 1e-11), otherwise the exact divisions are evaluated; along a sorted
//     row d only grows, so once q exceeds 10^4 + 1e-7 (v > 10 for certain)
//     the rest of the row saturates;
//   - the sums then run over i in order, as GSVA's C code does (the lookup
//     table makes exact ties between genes frequent, so the order matters),
//     gathering each sample's code through its distinct-value index.
//
// len(y) must be at most maxKernelSamples.
func gaussianSums(y, sums []float64, w *kernelWork) {
	w.gaussian(y)
	s := w.sums
	for i, k := range w.uid[:len(y)] {
		sums[i] = s[k]
	}
}

// gaussian sets w.sums[b] to the Gaussian kernel sum of distinct value b
// (see gaussianSums) and returns the number of distinct values.
func (w *kernelWork) gaussian(y []float64) int {
	n := len(y)
	w.grow(n)
	bw := sdLongDouble(y) / 4
	m := w.distinct(y)
	if !w.fixedSums(n, m, bw) {
		w.pairCodes(m, bw)
		w.codeSums(n, m)
	}
	return m
}

// logOddsRow writes to r (len n) GSVA's log-odds of w.sums/n, computed once
// per distinct value (m of them) and scattered through w.uid.
func (w *kernelWork) logOddsRow(r []float64, m int) {
	n := len(r)
	s := w.sums[:m]
	for b, v := range s {
		s[b] = logOdds(v / float64(n))
	}
	for i, k := range w.uid[:n] {
		r[i] = s[k]
	}
}

// packed returns the kernel codes as uint16: the code of row b, column a
// (distinct values u_b, u_a) is at ((b>>2)*m + a)*4 + b&3, four rows
// interleaved so that codeSums reads the codes of four rows at one column
// with one 64-bit load.
func (w *kernelWork) packed(m int) (c64 []uint64, c16 []uint16) {
	c64 = w.codes[:(m+3)/4*m]
	return c64, unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(c64))), 4*len(c64))
}

// pairCodes fills the packed codes of the m distinct values w.u with
// bandwidth bw. Each pair a < b is evaluated once, on d = u_b - u_a > 0; the
// mirrored pair gets the complement code.
func (w *kernelWork) pairCodes(m int, bw float64) {
	u := w.u[:m]
	inv := 1000 / bw
	c64, c16 := w.packed(m)
	m4 := 4 * m
	off := w.off[:m] // packed index of (a, 0)
	for a := range off {
		off[a] = int32((a>>2)*m4 + a&3)
	}
	// lo is the first column of row b that is not saturated:
	// (u_b - u_a)*inv - margin only grows as a decreases or b increases, so
	// lo never moves left.
	lo := 0
	for b := 0; b < m; b++ {
		ub := u[b]
		for lo < b && (ub-u[lo])*inv-codeMargin >= phiResolution {
			lo++
		}
		row := c16[off[b] : off[b]+int32(4*b)+1]
		for a := 0; a < lo; a++ {
			row[4*a] = kernSat
			c16[int(off[a])+4*b] = kernSat + kernComp
		}
		for a := lo; a < b; {
			if a&3 == 0 && a+4 <= b {
				// four rows of one packed group: their mirrored codes at
				// column b fill one uint64
				c0 := pairCode(ub-u[a], inv, bw)
				c1 := pairCode(ub-u[a+1], inv, bw)
				c2 := pairCode(ub-u[a+2], inv, bw)
				c3 := pairCode(ub-u[a+3], inv, bw)
				r := row[4*a : 4*a+13]
				r[0], r[4], r[8], r[12] = c0, c1, c2, c3
				c64[(a>>2)*m+b] = uint64(c0+kernComp) | uint64(c1+kernComp)<<16 | uint64(c2+kernComp)<<32 | uint64(c3+kernComp)<<48
				a += 4
				continue
			}
			c := pairCode(ub-u[a], inv, bw)
			row[4*a] = c
			c16[int(off[a])+4*b] = c + kernComp
			a++
		}
		row[4*b] = 0 // Φ̃(0) = table[0]
	}
}

// codeMargin is the distance from an integer below which pairCode's fast
// estimate of the table index is not trusted.
const codeMargin = 1e-7

// pairCode is the kernel code of d/bw for d > 0 (phiCode), with inv =
// 1000/bw: the index floor(((d/bw)/10)*10000) is estimated as q = d*inv,
// which is used when no integer lies within codeMargin of q; otherwise the
// exact divisions decide. q >= 10^4 + codeMargin is excluded by the caller.
func pairCode(d, inv, bw float64) uint16 {
	q := d * inv
	c := int(q - codeMargin)
	if c != int(q+codeMargin) {
		return phiCode(d, bw)
	}
	return uint16(c)
}

// codeSums sets w.sums[b] = Σ_i kernTab[code(b, uid_i)] for the m distinct
// values, i = 1..n in order, eight distinct values (two packed groups) at a
// time.
func (w *kernelWork) codeSums(n, m int) {
	c64, _ := w.packed(m)
	groups := (m + 3) / 4
	t := kernTab
	uid := w.uid[:n]
	s := w.sums[:4*groups]
	g := 0
	for ; g+2 <= groups; g += 2 {
		ga := c64[g*m : (g+1)*m]
		gb := c64[(g+1)*m : (g+2)*m][:len(ga)]
		var l0, l1, l2, l3, l4, l5, l6, l7 float64
		for _, k := range uid {
			x, y := ga[k], gb[k]
			l0 += t[uint16(x)]
			l1 += t[uint16(x>>16)]
			l2 += t[uint16(x>>32)]
			l3 += t[uint16(x>>48)]
			l4 += t[uint16(y)]
			l5 += t[uint16(y>>16)]
			l6 += t[uint16(y>>32)]
			l7 += t[uint16(y>>48)]
		}
		s[4*g], s[4*g+1], s[4*g+2], s[4*g+3] = l0, l1, l2, l3
		s[4*g+4], s[4*g+5], s[4*g+6], s[4*g+7] = l4, l5, l6, l7
	}
	for ; g < groups; g++ {
		ga := c64[g*m : (g+1)*m]
		var l0, l1, l2, l3 float64
		for _, k := range uid {
			x := ga[k]
			l0 += t[uint16(x)]
			l1 += t[uint16(x>>16)]
			l2 += t[uint16(x>>32)]
			l3 += t[uint16(x>>48)]
		}
		s[4*g], s[4*g+1], s[4*g+2], s[4*g+3] = l0, l1, l2, l3
	}
}

// poissonSums sets sums[j] to GSVA 1.46's Σ_i ppois(y_j, y_i + 0.5), i = 1..n
// in order (row_d with the Poisson kernel, before the division by n), bit for
// bit, evaluating ppois once per pair of distinct values (counts repeat a
// lot) and summing in C order through the distinct-value indices.
func poissonSums(y, sums []float64, w *kernelWork) {
	w.poisson(y)
	s := w.sums
	for i, k := range w.uid[:len(y)] {
		sums[i] = s[k]
	}
}

// poisson sets w.sums[b] to the Poisson kernel sum of distinct value b (see
// poissonSums) and returns the number of distinct values.
func (w *kernelWork) poisson(y []float64) int {
	n := len(y)
	w.grow(n)
	m := w.distinct(y)
	if cap(w.pvals) < m*m {
		w.pvals = make([]float64, m*m)
	}
	u, vals := w.u[:m], w.pvals[:m*m]
	for b, ub := range u {
		row := vals[b*m : (b+1)*m]
		for a, ua := range u {
			row[a] = ppois(ub, ua+0.5)
		}
	}
	uid := w.uid[:n]
	s := w.sums[:m]
	for b := range s {
		row := vals[b*m : (b+1)*m]
		lt := 0.0
		for _, k := range uid {
			lt += row[k]
		}
		s[b] = lt
	}
	return m
}
