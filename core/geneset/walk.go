package geneset

import (
	"math"
	"math/bits"

	"github.com/her2het/her2het/core/fmath"
)

// subRepeat returns c after r steps of c = c - dec in float64 arithmetic
// (round to nearest, ties to even), bit for bit what the loop
//
//	for ; r > 0; r-- { c -= dec }
//
// returns, but in a few operations per binade crossed instead of r: within
// the binade [2^e, 2^(e+1)) of |c| every representable number is a multiple
// of u = ulp(c), c is one, so c - dec rounds to c - D with D = dec rounded to
// a multiple of u, as long as the exact difference stays inside the binade
// and dec/u is not exactly half-way between two integers (then the rounding
// would depend on the parity of c, and the step is taken one at a time).
// dec must be positive and finite; a NaN or infinite c is stepped directly.
func subRepeat(c, dec float64, r int) float64 {
	for r > 0 {
		b := math.Float64bits(c)
		exp := int(b>>52) & 0x7ff
		if exp <= 53 || exp >= 0x7ff || r < 4 {
			// zero, tiny or non-finite c, or a short run: step directly
			for ; r > 0; r-- {
				c -= dec
				if math.Float64bits(c)>>52&0x7ff != uint64(exp) {
					r--
					break // left the binade: back to the closed form
				}
			}
			continue
		}
		// dec in units of u = 2^(exp-1075): exact (a power-of-two scaling
		// of a normal number that stays normal).
		f := dec * math.Float64frombits(uint64(2098-exp)<<52)
		if !(f < 1<<52) {
			c -= dec // dec >= 2^52 u > |c|/2: leaves the binade
			r--
			continue
		}
		fi := uint64(f)
		fr := f - float64(fi)
		if fr == 0.5 {
			c -= dec // half-way: parity-dependent rounding
			r--
			continue
		}
		dn := fi
		if fr > 0.5 {
			dn++
		}
		up := uint64(0) // 1 if dec is not a multiple of u
		if fr > 0 {
			up = 1
		}
		m := b&(1<<52-1) | 1<<52 // |c| = m u, 2^52 <= m < 2^53
		var s uint64             // steps that stay inside the binade
		if b>>63 == 0 {
			// c > 0 decreases: step t (0-based) stays if m - t dn - f >= 2^52,
			// i.e. t dn <= m - 2^52 - fi - up.
			a := m - 1<<52
			if a < fi+up {
				c -= dec
				r--
				continue
			}
			s = binadeSteps(a-fi-up, dn, r)
			m -= s * dn
		} else {
			// c < 0 grows in size: step t stays if m + t dn + f <= 2^53.
			if m+fi+up > 1<<53 {
				c -= dec
				r--
				continue
			}
			s = binadeSteps(1<<53-m-fi-up, dn, r)
			m += s * dn
		}
		// m <= 2^53 and u a power of two: exact
		u := math.Float64frombits(uint64(exp-52) << 52)
		c = math.Copysign(float64(m)*u, c)
		r -= int(s)
	}
	return c
}

// binadeSteps is the number of steps t = 0, 1, ... < r with t*dn <= lim.
func binadeSteps(lim, dn uint64, r int) uint64 {
	if dn == 0 {
		return uint64(r)
	}
	if hi, lo := bits.Mul64(uint64(r-1), dn); hi == 0 && lo <= lim {
		return uint64(r)
	}
	return lim/dn + 1
}

// walkWork is the per-worker scratch space of the sparse GSVA walk.
type walkWork struct {
	order  []int
	pos    []int32 // pos[g]: 0-based position of gene g in the decreasing order
	bm     []uint64
	srt    *sorter
	tau    float64
	powTab []float64 // powTab[i] = rankScore(i, p)^tau when tau != 1
}

func newWalkWork(p int) *walkWork {
	return &walkWork{order: make([]int, p), pos: make([]int32, p), bm: make([]uint64, (p+63)/64), srt: newSorter(p)}
}

// rankScore is GSVA's rank score of the gene at 0-based position i of the
// decreasing order of p genes: |p - i - p/2| (compute.geneset.es, with
// positions 1..p).
func rankScore(i, p int) float64 { return math.Abs(float64(p-i) - float64(p)/2) }

// rank sets w.pos to the positions of the genes in the stable decreasing
// order of col (R's order(decreasing=TRUE)).
func (w *walkWork) rank(col []float64) {
	orderInto(col, true, w.order, w.srt)
	for i, g := range w.order {
		w.pos[g] = int32(i)
	}
}

// ksSparse is GSVA 1.46's ks_sample (src/ks_test.c) for one sample whose gene
// positions are in w.pos, computed from the positions of the set's genes
// only: the walk adds s_g^tau/Σ_S s^tau at each set gene and subtracts
// 1/(p-k) at every other gene, and between two set genes the running sum
// only decreases, so its minimum is at the end of each run of decrements
// and its maximum right after a set gene. The runs of decrements are
// evaluated by subRepeat, so every intermediate value is the one of the
// sequential loop, bit for bit.
func (w *walkWork) ksSparse(set []int, tau float64, maxDiff, absRank bool) float64 {
	p, k := len(w.pos), len(set)
	dec := 1.0 / float64(p-k)
	if tau != 1 && (w.tau != tau || w.powTab == nil) {
		// s^tau once per position
		w.tau = tau
		w.powTab = make([]float64, p)
		for i := range w.powTab {
			w.powTab[i] = fmath.Pow(rankScore(i, p), tau)
		}
	}
	pw := func(ps int) float64 {
		if tau == 1 {
			return rankScore(ps, p)
		}
		return w.powTab[ps]
	}
	sumSet := 0.0
	bm := w.bm
	for _, g := range set {
		ps := int(w.pos[g])
		sumSet += pw(ps)
		bm[ps>>6] |= 1 << (ps & 63)
	}
	var cum, mxPos, mxNeg float64
	next := 0 // position of the next step
	for wi, word := range bm {
		if word == 0 {
			continue
		}
		bm[wi] = 0
		for word != 0 {
			ps := wi<<6 + bits.TrailingZeros64(word)
			word &= word - 1
			if run := ps - next; run > 0 {
				cum = subRepeat(cum, dec, run)
				mxNeg = min(mxNeg, cum)
			}
			cum += pw(ps) / sumSet
			mxPos = max(mxPos, cum)
			next = ps + 1
		}
	}
	if run := p - next; run > 0 {
		cum = subRepeat(cum, dec, run)
		mxNeg = min(mxNeg, cum)
	}
	return combineES(mxPos, mxNeg, maxDiff, absRank)
}
