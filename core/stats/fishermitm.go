package stats

import (
	"math"
	"sort"

	"github.com/her2het/her2het/core/fmath"
)

// mitmBudget bounds the partial-path values fisherMITM keeps (both sides
// together, before merging) and its join work / 64. Beyond it fisherRxC
// uses the pruned network algorithm.
const mitmBudget = 4_000_000

// useMITM lets tests run the network algorithm alone.
var useMITM = true

// fisherMITM computes fisherRxC's p-value (Σ P(T) over tables T with P(T) <=
// P(observed)·exp(fisherTol)) by meeting in the middle, without bounds. The
// columns are split into a left block, one middle column and a right block.
// A forward pass over the left columns gives, for every multiset σ of remaining
// row sums, the distinct values v of Σ -log T_ij! over the left block with their
// multiplicities; a backward pass over the right columns gives, for every
// multiset σ of right-block row sums, the values u over the right block. A table
// is a left part, a filling x of the middle column and a right part whose row
// sums are what is left, so
//
//	p = Σ_σ Σ_x (1/d(σ-x)) Σ_{v + dx + u <= thr} w_L(v) w_R(u) exp(K + v + dx + u),
//
// with dx = Σ -log x_i!, d(s) the number of distinct arrangements of the
// multiset s and K = log(Π R_i! Π C_j! / N!). For each (σ, x) the inner sum is
// one merge of the two sorted lists (prefix sums of w_R exp(u) and a pointer
// that moves down as v grows). Each pass extends the side whose next column
// costs less, so the lists stay balanced. Values merge within 1e-9 (rounding)
// as in netNode.compact.
//
// Why 1/d: a pass keyed by sorted row sums accumulates, for a multiset σ, the
// partial tables of every arrangement of σ (transition counts do not depend on
// the row labels), while the right block's value distribution is the same for
// every arrangement of its row sums; a labelled left part and middle column pair
// with the right parts of one arrangement only. The forward pass starts from one
// arrangement (the row sums), so its weights need no such correction.
//
// rows and cols are the margins (rows the shorter dimension, cols sorted), thr
// the log-probability threshold and k the constant K. ok is false when the work
// would exceed budget; then nothing is returned.
func fisherMITM(rows, cols []int, thr, k float64, lf []float64, budget int) (p float64, ok bool) {
	nr := len(rows)
	if len(cols) < 2 {
		return 0, false
	}
	f := &network{cols: cols, lf: lf}
	start := append([]int(nil), rows...)
	sort.Ints(start)
	maxRow := start[nr-1]
	fw := map[string]*netNode{key(start): {rows: start, pasts: []past{{v: 0, w: 1}}}}
	bw := map[string]*netNode{key(make([]int, nr)): {rows: make([]int, nr), pasts: []past{{v: 0, w: 1}}}}
	fj, bj := 0, len(cols) // left block cols[:fj], right block cols[bj:]
	kept := 2
	size := func(st map[string]*netNode) float64 {
		n := 0
		for _, nd := range st {
			n += len(nd.pasts)
		}
		return float64(n)
	}
	sc := make([]int, nr)
	kb := make([]byte, 4*nr)
	keyOf := func(r []int) string { // sorted copy in sc, key in kb
		copy(sc, r)
		insertionSort(sc)
		for i, v := range sc {
			kb[4*i], kb[4*i+1], kb[4*i+2], kb[4*i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
		}
		return string(kb)
	}
	push := func(next map[string]*netNode, r []int, from []past, dv float64) {
		kk := keyOf(r)
		cn := next[kk]
		if cn == nil {
			cn = &netNode{rows: append([]int(nil), sc...)}
			next[kk] = cn
		}
		for _, ps := range from {
			cn.pasts = append(cn.pasts, past{v: ps.v + dv, w: ps.w})
		}
		if len(cn.pasts) > 2*cn.compacted+4096 {
			cn.compact()
		}
	}
	for fj < bj-1 {
		next := map[string]*netNode{}
		forward := size(fw)*fillings(cols[fj], nr) <= size(bw)*fillings(cols[bj-1], nr)
		st := bw
		if forward {
			st = fw
		}
		for _, kk := range sortedNodeKeys(st) {
			nd := st[kk]
			if forward {
				f.expand(nd.rows, cols[fj], func(ch []int, dv float64) bool {
					kept += len(nd.pasts)
					push(next, ch, nd.pasts, dv)
					return kept <= budget
				})
			} else {
				// Right-block row sums grow from zero; every row stays under the
				// largest row sum, and a multiset no arrangement of the row sums
				// can hold (sorted, it must lie under the sorted row sums) is
				// dropped: it meets no left part.
				caps := make([]int, nr)
				for i, v := range nd.rows {
					caps[i] = maxRow - v
				}
				grown := make([]int, nr)
				f.expand(caps, cols[bj-1], func(ch []int, dv float64) bool {
					for i := range grown {
						grown[i] = nd.rows[i] + caps[i] - ch[i]
					}
					copy(sc, grown)
					insertionSort(sc)
					for i, v := range sc {
						if v > start[i] {
							return true
						}
					}
					kept += len(nd.pasts)
					push(next, grown, nd.pasts, dv)
					return kept <= budget
				})
			}
			if kept > budget {
				return 0, false
			}
		}
		for _, nd := range next {
			nd.compact()
		}
		if forward {
			fw, fj = next, fj+1
		} else {
			bw, bj = next, bj-1
		}
	}
	// Right lists: ascending u, prefix sums of w exp(u - umax).
	type right struct {
		u, pre []float64
		umax   float64
		d      float64
	}
	rs := map[string]*right{}
	for kk, nd := range bw {
		if len(nd.pasts) == 0 {
			continue
		}
		r := &right{u: make([]float64, len(nd.pasts)), pre: make([]float64, len(nd.pasts)+1), d: arrangements(nd.rows)}
		r.umax = nd.pasts[len(nd.pasts)-1].v
		var c float64
		for i, ps := range nd.pasts {
			r.u[i] = ps.v
			y := ps.w*fmath.Exp(ps.v-r.umax) - c
			s := r.pre[i] + y
			c = (s - r.pre[i]) - y
			r.pre[i+1] = s
		}
		rs[kk] = r
	}
	var acc Neumaier
	work := 0
	for _, kk := range sortedNodeKeys(fw) {
		nd := fw[kk]
		ls := nd.pasts // ascending v
		if len(ls) == 0 {
			continue
		}
		vmax := ls[len(ls)-1].v
		ev := make([]float64, len(ls))
		for i, ps := range ls {
			ev[i] = ps.w * fmath.Exp(ps.v-vmax)
		}
		f.expand(nd.rows, cols[fj], func(ch []int, dv float64) bool {
			r := rs[keyOf(ch)]
			if r == nil {
				return true
			}
			work += len(ls) + len(r.u)
			if work > 64*budget {
				return false
			}
			// Σ_v ev(v) · pre(#{u <= thr - dv - v}); the count falls as v grows.
			idx := len(r.u)
			var s, c float64
			for i, ps := range ls {
				lim := thr - dv - ps.v
				for idx > 0 && r.u[idx-1] > lim {
					idx--
				}
				if idx == 0 {
					break
				}
				y := ev[i]*r.pre[idx] - c
				t := s + y
				c = (t - s) - y
				s = t
			}
			if s > 0 {
				acc.Add(s * fmath.Exp(k+vmax+dv+r.umax) / r.d)
			}
			return true
		})
		if work > 64*budget {
			return 0, false
		}
	}
	return math.Max(0, math.Min(1, acc.Sum())), true
}

// fillings returns the number of ways to spread c over k rows, C(c+k-1, k-1).
func fillings(c, k int) float64 {
	v := 1.0
	for i := 1; i < k; i++ {
		v = v * float64(c+i) / float64(i)
	}
	return v
}

// arrangements returns the number of distinct orderings of the sorted
// multiset r: len(r)! / Π m_v! over the multiplicities m_v.
func arrangements(r []int) float64 {
	d := 1.0
	run := 1
	for i := 1; i <= len(r); i++ {
		d *= float64(i)
		if i < len(r) && r[i] == r[i-1] {
			run++
			d /= float64(run)
		} else {
			run = 1
		}
	}
	return d
}

func sortedNodeKeys(m map[string]*netNode) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
