package stats

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"sort"

	"github.com/her2het/her2het/core/fmath"
)

// fisherTol is the tolerance, on the log-probability scale, under which a
// table counts as no more probable than the observed one. R's 2x2 code uses a
// relative 1e-7 and FEXACT a log-scale 3.45e-7; tables whose probabilities
// differ from the observed one by such amounts without being mathematically
// equal do not occur for counts of the sizes used here.
const fisherTol = 1e-7

// fisherBudget bounds the work of fisherRxC (past-value updates plus
// enumerated completions): about a second natively. 5 x 4 tables need about
// 4e5 (n = 93) and 6.5e6 (n = 146, which R's default workspace refuses). Beyond it FisherTest returns ErrFisherTooLarge
// rather than running for hours (R's FEXACT stops with a workspace error on
// such tables, e.g. 5 x 4 with n = 300).
const fisherBudget = 10_000_000

// ErrFisherTooLarge is returned by FisherTest when an r x c table is too
// large for the exact network algorithm within the work budget; use
// ChisqTest (or a Monte Carlo p-value) for such tables, as one would in R.
var ErrFisherTooLarge = errors.New("stats: table too large for Fisher's exact test within MaxWork; raise FisherOptions.MaxWork or set Simulate")

func lfact(x int) float64 {
	v, _ := fmath.Lgamma(float64(x) + 1)
	return v
}

// lfTable returns log(i!) for i = 0..n.
func lfTable(n int) []float64 {
	t := make([]float64, n+1)
	for i := range t {
		t[i] = lfact(i)
	}
	return t
}

// Agreement with R: FEXACT merges partial path values that agree within
// 3.45e-7 (f5xact), an approximation whose effect grows with the table; its
// p-values even change in the 15th digit with the workspace size. Here values
// merge only within 1e-9 (rounding), and the algorithm is checked against
// complete enumeration. Against R 4.2.2: 5 x 3 (n = 129) and 5 x 4 (n = 93)
// agree to 2e-13 (goldens); 5 x 4 with n = 146 to 6e-11 and n = 183 to 3e-9
// (R needs workspace = 2e7 and 4 s / 135 s there).
//
// fisherRxC returns the two-sided Fisher exact p-value of an r x c table
// without empty rows or columns: Σ P(T) over tables T with the observed
// margins and P(T) <= P(observed)·exp(fisherTol), where
// P(T) = Π R_i! Π C_j! / (N! Π T_ij!).
//
// It first meets in the middle (fisherMITM: forward and backward passes over
// the columns without bounds, joined at one column), which is much faster on
// tables with a small p-value, where the bounds below prune little; when its
// lists would grow beyond its budget it falls back to the following.
// The fallback is a network algorithm in the spirit of Mehta & Patel (1983,
// doi:10.1080/01621459.1983.10477989; R's FEXACT): the table is filled one
// column at a time; a node is the multiset of remaining row sums (rows are
// exchangeable for the remaining columns, so nodes reached by permuted paths
// merge); each node carries the distinct values of the partial path
// Σ -log T_ij! with their multiplicities. Bounds on the remaining path
// (relaxing the row or the column constraints, which gives per-line
// water-filling maxima and greedy minima, and a Lagrangian relaxation for the
// maximum, see lagrangeUB) decide whether all completions of
// a past count (then the closed form Σ_completions Π 1/T_ij! =
// N_rem!/(Π r_i! Π c_j!) is added), none does, or the node must be expanded;
// the exact longest and shortest remaining paths (network.exact, a memoised
// pass over the same network) tighten those bounds. A node with two columns
// left, or with few completions compared with its undecided pasts
// (mitmFactor), enumerates its completions once and resolves the pasts by
// binary search (meet in the middle).
func fisherRxC(t [][]float64, budget int) (float64, error) {
	if budget <= 0 {
		budget = fisherBudget
	}
	nr, nc := len(t), len(t[0])
	// Orient so that the node key (rows) is the shorter dimension.
	rows := make([]int, nr)
	cols := make([]int, nc)
	cell := func(i, j int) int { return int(t[i][j]) }
	for i := 0; i < nr; i++ {
		for j := 0; j < nc; j++ {
			rows[i] += cell(i, j)
			cols[j] += cell(i, j)
		}
	}
	if nr > nc {
		rows, cols = cols, rows
	}
	var vobs float64
	total := 0
	for i := 0; i < len(t); i++ {
		for j := 0; j < len(t[i]); j++ {
			vobs -= lfact(cell(i, j))
			total += cell(i, j)
		}
	}
	sort.Ints(cols) // small columns first: fewer early branches
	// constant K: log(Π R! Π C! / N!)
	k := -lfact(total)
	for _, r := range rows {
		k += lfact(r)
	}
	for _, c := range cols {
		k += lfact(c)
	}
	thr := vobs + fisherTol
	// Meet in the middle first (no bounds, balanced lists: 3 x 6 with n = 129
	// in 0.09 s CPU instead of 0.64 s); the pruned network below when its lists
	// grow too long.
	if useMITM {
		if p, ok := fisherMITM(rows, cols, thr, k, lfTable(total), min(mitmBudget, budget)); ok {
			return p, nil
		}
	}
	f := &network{cols: cols, bounds: map[string][3]float64{}, lf: lfTable(total), exactMemo: map[string][3]float64{}}
	// suffix column sums of lfact
	f.colLF = make([]float64, len(cols)+1)
	for j := len(cols) - 1; j >= 0; j-- {
		f.colLF[j] = f.colLF[j+1] + lfact(cols[j])
	}
	start := append([]int(nil), rows...)
	sort.Ints(start)
	stage := map[string]*netNode{key(start): {rows: start, pasts: []past{{v: 0, w: 1}}}}
	var acc Neumaier
	work := 0
	for j := 0; j < len(cols); j++ {
		next := map[string]*netNode{}
		// deterministic order of nodes
		keys := make([]string, 0, len(stage))
		for kk := range stage {
			keys = append(keys, kk)
		}
		sort.Strings(keys)
		for _, kk := range keys {
			nd := stage[kk]
			nd.compact()
			ub, lb, ls := f.bound(nd.rows, j, kk)
			var live []past
			for _, ps := range nd.pasts {
				switch {
				case ps.v+ub <= thr:
					acc.Add(ps.w * fmath.Exp(k+ps.v+ls))
				case ps.v+lb > thr:
				default:
					live = append(live, ps)
				}
			}
			nd.pasts = nil
			if len(live) == 0 || j == len(cols)-1 {
				continue
			}
			var vals []float64
			if j == len(cols)-2 {
				// Two columns left: enumerate the completions once and
				// resolve the undecided pasts by binary search.
				vals = f.completions(nd.rows, cols[j])
			} else if _, _, cnt, ok := f.exact(nd.rows, j, kk); ok && cnt <= mitmFactor*float64(len(live)) && cnt <= 2e6 {
				// Few completions for the pasts to push through them: the
				// same over the remaining columns (meet in the middle).
				vals = f.allCompletions(nd.rows, j, 0, make([]float64, 0, int(cnt)))
				sort.Float64s(vals)
			}
			if vals != nil {
				work += len(vals) + len(live)
				if work > budget {
					return math.NaN(), ErrFisherTooLarge
				}
				vmax := vals[len(vals)-1]
				pre := make([]float64, len(vals)+1)
				var c float64
				for i, v := range vals {
					// compensated prefix sums of exp(v - vmax)
					y := fmath.Exp(v-vmax) - c
					s := pre[i] + y
					c = (s - pre[i]) - y
					pre[i+1] = s
				}
				for _, ps := range live {
					lim := thr - ps.v
					idx := sort.SearchFloat64s(vals, lim)
					for idx < len(vals) && vals[idx] <= lim {
						idx++
					}
					if idx > 0 {
						acc.Add(ps.w * fmath.Exp(k+ps.v+vmax) * pre[idx])
					}
				}
				continue
			}
			sc := make([]int, len(nd.rows))
			kb := make([]byte, 4*len(nd.rows))
			f.expand(nd.rows, cols[j], func(ch []int, dv float64) bool {
				work += len(live)
				if work > budget {
					return false
				}
				copy(sc, ch)
				insertionSort(sc)
				for i, v := range sc {
					binary.LittleEndian.PutUint32(kb[4*i:], uint32(v))
				}
				cn := next[string(kb)]
				if cn == nil {
					cn = &netNode{rows: append([]int(nil), sc...)}
					next[string(kb)] = cn
				}
				for _, ps := range live {
					cn.pasts = append(cn.pasts, past{v: ps.v + dv, w: ps.w})
				}
				if len(cn.pasts) > 2*cn.compacted+4096 {
					cn.compact()
				}
				return true
			})
			if work > budget {
				return math.NaN(), ErrFisherTooLarge
			}
		}
		stage = next
	}
	p := acc.Sum()
	return math.Max(0, math.Min(1, p)), nil
}

type past struct {
	v float64 // Σ -log T_ij! along the path
	w float64 // number of paths merged here
}

type netNode struct {
	rows      []int  // remaining row sums, sorted increasingly
	pasts     []past // partial path values reaching this node
	compacted int    // len(pasts) after the last compact
}

// compact sorts the pasts by value and merges values within 1e-9 (equal up to
// rounding: the same partial table reached in another order), adding their
// multiplicities. The result is deterministic.
func (nd *netNode) compact() {
	p := nd.pasts
	slices.SortFunc(p, func(a, b past) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		case a.w < b.w:
			return -1
		case a.w > b.w:
			return 1
		}
		return 0
	})
	out := p[:0]
	for _, q := range p {
		if n := len(out); n > 0 && q.v-out[n-1].v <= 1e-9 {
			out[n-1].w += q.w
			continue
		}
		out = append(out, q)
	}
	nd.pasts = out
	nd.compacted = len(out)
}

type network struct {
	exactMemo map[string][3]float64 // exact longest and shortest remaining paths, number of completions
	exactWork int                   // fillings visited by exact
	cols      []int
	colLF     []float64 // Σ_{j' >= j} log c_j'!
	bounds    map[string][3]float64
	lf        []float64 // log(i!) for i = 0..N
}

func insertionSort(a []int) {
	for i := 1; i < len(a); i++ {
		v := a[i]
		j := i - 1
		for j >= 0 && a[j] > v {
			a[j+1] = a[j]
			j--
		}
		a[j+1] = v
	}
}

func key(r []int) string {
	b := make([]byte, 4*len(r))
	for i, v := range r {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return string(b)
}

// bound returns, for remaining rows r and columns cols[j:], an upper and a
// lower bound on Σ -log T! over the completions, and the log of
// Σ_completions Π 1/T!.
func (f *network) bound(r []int, j int, k string) (ub, lb, ls float64) {
	bk := k + string(rune(j))
	if b, ok := f.bounds[bk]; ok {
		return b[0], b[1], b[2]
	}
	cols := f.cols[j:]
	n := 0
	for _, v := range r {
		n += v
		ls -= lfact(v)
	}
	ls += lfact(n) - f.colLF[j]
	var ubC, ubR, lbC, lbR float64
	for _, c := range cols {
		ubC += maxFill(c, r)
		lbC += minFill(c, r)
	}
	for _, v := range r {
		ubR += maxFill(v, cols)
		lbR += minFill(v, cols)
	}
	ub = math.Min(math.Min(ubC, ubR), math.Min(lagrangeUB(r, cols, f.lf), lagrangeUB(cols, r, f.lf)))
	lb = math.Max(lbC, lbR)
	if mx, mn, _, ok := f.exact(r, j, k); ok {
		ub, lb = math.Min(ub, mx), math.Max(lb, mn)
	}
	// guard against rounding making the bounds cross the exact value
	ub += 1e-9
	lb -= 1e-9
	f.bounds[bk] = [3]float64{ub, lb, ls}
	return ub, lb, ls
}

// mitmFactor: a node whose completions number at most mitmFactor times its
// undecided pasts enumerates them (sorted, with prefix sums of their
// probabilities) and resolves every past by binary search instead of
// expanding the pasts column by column (tuned on the example cohort's PAM50
// table, 3 x 6 with n = 129: 1.35 s -> 0.65 s CPU).
const mitmFactor = 128

// exactBudget bounds the fillings visited by network.exact over one test.
const exactBudget = 3_000_000

// exact returns the largest and smallest Σ -log T! over all completions of the
// node with remaining rows r (sorted, key k) and columns cols[j:], and their
// number, by a memoised recursion over the same network (the longest and
// shortest path lengths of Mehta and Patel's network, which FEXACT bounds by
// f3xact and f4xact). ok is false once the work budget is spent (then the
// relaxation bounds are used alone); the exploration order is fixed, so the
// outcome is deterministic.
func (f *network) exact(r []int, j int, k string) (mx, mn, cnt float64, ok bool) {
	bk := k + string(rune(j))
	if b, ok := f.exactMemo[bk]; ok {
		return b[0], b[1], b[2], true
	}
	last := len(f.cols) - 1
	if j == last {
		v := 0.0
		for _, x := range r {
			v -= f.lf[x]
		}
		return v, v, 1, true
	}
	if f.exactWork > exactBudget {
		return 0, 0, 0, false
	}
	mx, mn, ok = math.Inf(-1), math.Inf(1), true
	sc := make([]int, len(r))
	kb := make([]byte, 4*len(r))
	f.expand(r, f.cols[j], func(ch []int, dv float64) bool {
		f.exactWork++
		if j+1 == last {
			for _, x := range ch {
				dv -= f.lf[x]
			}
			mx, mn = math.Max(mx, dv), math.Min(mn, dv)
			cnt++
			return true
		}
		copy(sc, ch)
		insertionSort(sc)
		for i, v := range sc {
			binary.LittleEndian.PutUint32(kb[4*i:], uint32(v))
		}
		cmx, cmn, ccnt, cok := f.exact(append([]int(nil), sc...), j+1, string(kb))
		if !cok {
			ok = false
			return false
		}
		mx, mn = math.Max(mx, dv+cmx), math.Min(mn, dv+cmn)
		cnt += ccnt
		return true
	})
	if !ok {
		return 0, 0, 0, false
	}
	f.exactMemo[bk] = [3]float64{mx, mn, cnt}
	return mx, mn, cnt, true
}

// allCompletions appends to vals off + Σ -log T! for every completion of the
// node with remaining rows r and columns cols[j:] (j <= len(cols)-2), unsorted.
func (f *network) allCompletions(r []int, j int, off float64, vals []float64) []float64 {
	if j == len(f.cols)-2 {
		f.expand(r, f.cols[j], func(child []int, dv float64) bool {
			for _, v := range child {
				dv -= f.lf[v]
			}
			vals = append(vals, off+dv)
			return true
		})
		return vals
	}
	f.expand(r, f.cols[j], func(child []int, dv float64) bool {
		vals = f.allCompletions(append([]int(nil), child...), j+1, off+dv, vals)
		return true
	})
	return vals
}

// maxFill returns max Σ -log x_i! subject to Σ x_i = c and 0 <= x_i <= caps[i]
// (spread as evenly as the caps allow; -log x! is concave).
func maxFill(c int, caps []int) float64 {
	cs := append([]int(nil), caps...)
	sort.Ints(cs)
	v := 0.0
	left := c
	for i, cp := range cs {
		k := len(cs) - i
		share := left / k
		if cp <= share {
			v -= lfact(cp)
			left -= cp
			continue
		}
		// all remaining caps exceed the even share: split evenly
		extra := left % k
		v -= float64(k-extra)*lfact(share) + float64(extra)*lfact(share+1)
		return v
	}
	return v
}

// lagrangeUB returns an upper bound on max Σ -log x_ij! over tables with row
// sums r and column sums c, by Lagrangian relaxation of the row constraints
// with multipliers a_i = -log r_i: for any a,
//
//	max V <= Σ_j max_{Σ_i x_ij = c_j, 0 <= x_ij <= r_i} Σ_i (-log x_ij! - a_i x_ij) + Σ_i a_i r_i,
//
// and each column's maximum of a concave separable function under one sum
// constraint is found greedily by marginal gains log(r_i/(x_i+1)). The
// multipliers steer the columns towards the independence table, which makes
// this much tighter than dropping the row constraints.
func lagrangeUB(r, c []int, lf []float64) float64 {
	k := len(r)
	a := make([]float64, k)
	v := 0.0
	for i, ri := range r {
		if ri > 0 {
			a[i] = -fmath.Log(float64(ri))
			v += a[i] * float64(ri)
		}
	}
	x := make([]int, k)
	for _, cj := range c {
		for i := range x {
			x[i] = 0
		}
		for u := 0; u < cj; u++ {
			best, bg := -1, math.Inf(-1)
			for i := 0; i < k; i++ {
				if x[i] < r[i] {
					if g := -a[i] - fmath.Log(float64(x[i]+1)); g > bg {
						best, bg = i, g
					}
				}
			}
			if best < 0 {
				return math.Inf(1) // infeasible column; no bound
			}
			x[best]++
		}
		for i := 0; i < k; i++ {
			v += -lf[x[i]] - a[i]*float64(x[i])
		}
	}
	return v
}

// minFill returns min Σ -log x_i! subject to Σ x_i = c and 0 <= x_i <=
// caps[i] (fill the largest caps first; log x! is convex and superadditive).
func minFill(c int, caps []int) float64 {
	cs := append([]int(nil), caps...)
	sort.Sort(sort.Reverse(sort.IntSlice(cs)))
	v := 0.0
	left := c
	for _, cp := range cs {
		x := cp
		if left < x {
			x = left
		}
		v -= lfact(x)
		left -= x
		if left == 0 {
			break
		}
	}
	return v
}

// completions returns the sorted values Σ -log T! of all completions of a
// node with remaining rows r and exactly two remaining columns, the first
// with sum c.
func (f *network) completions(r []int, c int) []float64 {
	var vals []float64
	f.expand(r, c, func(child []int, dv float64) bool {
		for _, v := range child {
			dv -= f.lf[v]
		}
		vals = append(vals, dv)
		return true
	})
	sort.Float64s(vals)
	return vals
}

// expand calls fn for every filling x of a column with sum c into rows with
// remaining sums r (0 <= x_i <= r_i), with the child r - x (unsorted; fn must
// not keep it) and Σ -log x_i!; it stops early when fn returns false.
func (f *network) expand(r []int, c int, fn func(child []int, dv float64) bool) {
	k := len(r)
	suffix := make([]int, k+1)
	for i := k - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + r[i]
	}
	x := make([]int, k)
	child := make([]int, k)
	var rec func(i, left int, dv float64) bool
	rec = func(i, left int, dv float64) bool {
		if i == k-1 {
			if left > r[i] {
				return true
			}
			x[i] = left
			for q := 0; q < k; q++ {
				child[q] = r[q] - x[q]
			}
			return fn(child, dv-f.lf[left])
		}
		lo := left - suffix[i+1]
		if lo < 0 {
			lo = 0
		}
		hi := r[i]
		if left < hi {
			hi = left
		}
		for v := lo; v <= hi; v++ {
			x[i] = v
			if !rec(i+1, left-v, dv-f.lf[v]) {
				return false
			}
		}
		return true
	}
	rec(0, c, 0)
}
