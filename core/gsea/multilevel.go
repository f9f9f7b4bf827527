package gsea

import (
	"math"
	"slices"
	"sort"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// The adaptive multilevel splitting estimate of small GSEA p-values
// (Korotkevich et al. 2021, bioRxiv 060012; fgsea's fgseaMultilevel and its
// EsRuler in src/fgseaMultilevelSupplement.cpp). This is a re-implementation of
// the published algorithm in double precision, not a bit-exact port: fgsea
// ≥ 1.37 compares integer-scaled scores and uses its own chunked sampler, so
// its refined p-values are matched only within their stated log2 error.

// betaMeanLog is E[log B] for B ~ Beta(a, b+1-a): digamma(a) - digamma(b+1).
func betaMeanLog(a, b float64) float64 { return dist.Digamma(a) - dist.Digamma(b+1) }

// varPerLevel is trigamma(a) - trigamma(b+1), the variance of one level's log.
func varPerLevel(a, b float64) float64 { return dist.Trigamma(a) - dist.Trigamma(b+1) }

// mlScore orders random sets by positive ES, then by an XOR hash of their
// genes (fgsea's tie-break, so that equal scores still split).
type mlScore struct {
	es   float64
	hash uint64
}

func (a mlScore) less(b mlScore) bool { return a.es < b.es || (a.es == b.es && a.hash < b.hash) }

type mlLevel struct {
	bound     mlScore
	low, high []mlScore
	lowPos    []bool // signed ES >= 0, per low score
	highPos   []bool
}

// positiveES is max(0, max over hits of cum/NS - misses/(N-k)) on sorted
// positions S; NS = 1 if all weights are 0 (as fgsea's calcPositiveES).
func positiveES(w []float64, S []int) (pos float64, signedNonNeg bool) {
	N, k := len(w), len(S)
	ns := 0.0
	for _, p := range S {
		ns += w[p]
	}
	if ns == 0 {
		ns = 1
	}
	var cum, neg float64
	for i, p := range S {
		miss := float64(p - i)
		if d := cum/ns - miss/float64(N-k); -d > neg {
			neg = -d
		}
		cum += w[p]
		if d := cum/ns - miss/float64(N-k); d > pos {
			pos = d
		}
	}
	return pos, pos >= neg
}

// esRuler is one ladder of levels for sets of size k.
type esRuler struct {
	w          []float64
	k, sample  int
	hashes     []uint64
	levels     []mlLevel
	incomplete bool
}

func (r *esRuler) setHash(S []int) uint64 {
	var h uint64
	for _, p := range S {
		h ^= r.hashes[p]
	}
	return h
}

// extend builds levels until the median bound reaches es (or the accumulated
// log-probability drops below log(eps) when eps > 0).
func (r *esRuler) extend(es float64, seed uint32, eps float64) {
	rng := newMT(seed)
	N := len(r.w)
	r.hashes = make([]uint64, N)
	for i := range r.hashes {
		r.hashes[i] = uint64(rng.next())<<32 | uint64(rng.next())
	}
	used := make([]bool, N)
	cur := make([][]int, r.sample)
	for i := range cur {
		cur[i] = rng.combination(0, N-1, r.k, used, nil)
		slices.Sort(cur[i])
	}
	if !r.resample(&cur, rng) {
		r.incomplete = true
		return
	}
	logP := 0.0
	inSet := make([]bool, N)
	for r.levels[len(r.levels)-1].bound.es < es {
		last := r.levels[len(r.levels)-1]
		logP += betaMeanLog(float64(len(last.high)+1), float64(r.sample))
		if eps != 0 && logP < fmath.Log(eps) {
			break
		}
		need := r.sample * r.k / 2
		accepted, rounds := 0, 0
		for accepted < need {
			for i := range cur {
				accepted += r.perturb(cur[i], last.bound, rng, inSet, max(1, r.k/10))
			}
			rounds++
		}
		for it := 0; it < rounds; it++ {
			for i := range cur {
				r.perturb(cur[i], last.bound, rng, inSet, max(1, r.k/10))
			}
		}
		n := len(r.levels)
		if !r.resample(&cur, rng) {
			r.incomplete = true
		}
		if n == len(r.levels) {
			break
		}
	}
}

// resample sorts the samples by score, records a level split at the median and
// replaces the lower part by copies of random upper samples.
func (r *esRuler) resample(cur *[][]int, rng *mt19937) bool {
	type st struct {
		s   mlScore
		pos bool
		i   int
	}
	stats := make([]st, len(*cur))
	for i, S := range *cur {
		es, pos := positiveES(r.w, S)
		stats[i] = st{mlScore{es, r.setHash(S)}, pos, i}
	}
	sort.SliceStable(stats, func(a, b int) bool { return stats[a].s.less(stats[b].s) })
	n := len(stats)
	central := stats[n/2].s
	start := 0
	for start < n && stats[start].s.less(central) {
		start++
	}
	if start == 0 {
		for start < n && stats[start].s == stats[0].s {
			start++
		}
	}
	if start == n {
		return true // all equal: no further level
	}
	lv := mlLevel{bound: stats[start-1].s}
	for i, x := range stats {
		if i < start {
			lv.low, lv.lowPos = append(lv.low, x.s), append(lv.lowPos, x.pos)
		} else {
			lv.high, lv.highPos = append(lv.high, x.s), append(lv.highPos, x.pos)
		}
	}
	r.levels = append(r.levels, lv)
	next := make([][]int, n)
	for i := 0; i < start; i++ {
		next[i] = slices.Clone((*cur)[stats[start+rng.uniform(0, n-start-1)].i])
	}
	for i := start; i < n; i++ {
		next[i] = slices.Clone((*cur)[stats[i].i])
	}
	*cur = next
	return true
}

// perturb tries iters swaps of a random member of S for a random gene,
// keeping a swap only if the set's (score, hash) stays above bound. It
// returns the number of accepted swaps. As in fgsea's perturbate, the hit at
// which the current set's walk first passes the bound is remembered with the
// weight and misses before it, so most accepted swaps are confirmed in O(1);
// otherwise the walk stops as soon as it passes the bound. The weight total is
// updated incrementally from an exact sum taken at each call.
func (r *esRuler) perturb(S []int, bound mlScore, rng *mt19937, inSet []bool, iters int) int {
	N := len(r.w)
	k := len(S)
	nk := float64(N - k)
	ns := 0.0
	for _, p := range S {
		inSet[p] = true
		ns += r.w[p]
	}
	hasCand := false
	var candVal int   // gene position of the candidate hit
	var candY float64 // weight of the hits up to and including it
	var candX int     // misses before it
	moves := 0
	for it := 0; it < iters; it++ {
		oi := rng.uniform(0, r.k-1)
		nv := rng.uniform(0, N-1)
		if inSet[nv] {
			if nv == S[oi] {
				moves++
			}
			continue
		}
		ov := S[oi]
		replaceSorted(S, oi, nv)
		ns2 := ns - r.w[ov] + r.w[nv]
		if hasCand && ov == candVal {
			hasCand = false
		}
		cy, cx := candY, candX
		if hasCand {
			if ov < candVal {
				cy -= r.w[ov]
				cx++
			}
			if nv < candVal {
				cy += r.w[nv]
				cx--
			}
			if cy/ns2-float64(cx)/nk > bound.es {
				inSet[ov], inSet[nv] = false, true
				ns, candY, candX = ns2, cy, cx
				moves++
				continue
			}
		}
		if ok, cv, y, x := r.above(S, ns2, bound); ok {
			inSet[ov], inSet[nv] = false, true
			ns = ns2
			hasCand = cv >= 0
			candVal, candY, candX = cv, y, x
			moves++
			continue
		}
		replaceSorted(S, slices.Index(S, nv), ov)
	}
	for _, p := range S {
		inSet[p] = false
	}
	return moves
}

// above reports whether (positive ES of S, hash of S) > bound, walking only
// as far as needed; when it stops at a hit it returns that hit's gene
// position, cumulative weight and misses before it (else position -1).
func (r *esRuler) above(S []int, ns float64, bound mlScore) (ok bool, candVal int, y float64, x int) {
	N, k := len(r.w), len(S)
	if ns <= 0 {
		ns = 1
	}
	cum, pos := 0.0, 0.0
	for i, p := range S {
		cum += r.w[p]
		d := cum/ns - float64(p-i)/float64(N-k)
		if d > bound.es {
			return true, p, cum, p - i
		}
		if d > pos {
			pos = d
		}
	}
	return pos == bound.es && r.setHash(S) > bound.hash, -1, 0, 0
}

// replaceSorted replaces S[i] by v and restores increasing order.
func replaceSorted(S []int, i, v int) {
	S[i] = v
	for i > 0 && S[i-1] > S[i] {
		S[i-1], S[i] = S[i], S[i-1]
		i--
	}
	for i+1 < len(S) && S[i+1] < S[i] {
		S[i+1], S[i] = S[i], S[i+1]
		i++
	}
}

// pvalue is Pr[positive ES >= es, signed ES >= 0] from the ruler, with its
// log2 standard error (NaN when undefined), as EsRuler::getPvalue (sign=FALSE).
func (r *esRuler) pvalue(es float64) (p, log2err float64) {
	if r.incomplete || len(r.levels) == 0 {
		return math.NaN(), math.NaN()
	}
	target := mlScore{es, 0}
	logP, v := 0.0, 0.0
	for _, lv := range r.levels {
		if !lv.bound.less(target) { // es <= bound
			cnt := 0
			for i := range lv.high {
				if lv.highPos[i] {
					cnt++
				}
			}
			for i, x := range lv.low {
				if !x.less(target) && lv.lowPos[i] {
					cnt++
				}
			}
			if cnt == 0 {
				logP += betaMeanLog(1, float64(r.sample))
				return clamp01(fmath.Exp(logP)), math.NaN()
			}
			logP += betaMeanLog(float64(cnt), float64(r.sample))
			v += varPerLevel(float64(cnt), float64(r.sample))
			return clamp01(fmath.Exp(logP)), math.Sqrt(v) / math.Ln2
		}
		logP += betaMeanLog(float64(len(lv.high)+1), float64(r.sample))
		v += varPerLevel(float64(len(lv.high)+1), float64(r.sample))
	}
	lv := r.levels[len(r.levels)-1]
	cnt := 0
	for i, x := range lv.high {
		if !x.less(target) && lv.highPos[i] {
			cnt++
		}
	}
	if cnt == 0 {
		logP += betaMeanLog(1, float64(len(lv.high)))
		return clamp01(fmath.Exp(logP)), math.NaN()
	}
	logP += betaMeanLog(float64(cnt), float64(len(lv.high)))
	v += varPerLevel(float64(cnt), float64(len(lv.high)))
	return clamp01(fmath.Exp(logP)), math.Sqrt(v) / math.Ln2
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// qbeta inverts dist.Pbeta by bisection (enough for fgsea's error rule).
func qbeta(p, a, b float64) float64 {
	lo, hi := 0.0, 1.0
	for it := 0; it < 200 && hi-lo > 1e-15*math.Max(lo, 1e-300); it++ {
		mid := (lo + hi) / 2
		if dist.Pbeta(mid, a, b, true, false) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// refineMultilevel applies fgseaMultilevel's rules (R/fgseaMultilevel.R) to
// the simple permutation results res (counts c over nperm permutations):
//
//   - modeFraction = #null >= 0 (ES >= 0) or #null <= 0 (ES < 0); below 10 the
//     p-value, NES and log2err are NaN;
//   - with nME = NMoreExtreme and p0 = (nME+1)/(nperm+1), the simple error
//     0.5·max(log2 p0 - log2 qbeta(.025, nME, nperm-nME+1),
//     log2 qbeta(.975, nME+1, nperm-nME) - log2 p0) is compared with the
//     multilevel error sqrt(floor(-log2 p0 + 1)·(ψ'((s+1)/2) - ψ'(s+1)))/log 2;
//     if the latter is not smaller the simple p-value stays, with log2err =
//     sqrt(ψ'(nME+1) - ψ'(nperm+1))/log 2;
//   - otherwise one ruler per (size, sign) is extended to the largest |ES|
//     (negative ES are scored on the reversed ranking), p = min(1,
//     ruler p / ((modeFraction+1)/(nperm+1))), and p < Eps becomes Eps with
//     log2err NaN.
//
// Ruler seeds are derived from Options.Seed, the size and the sign, so
// results do not depend on Workers.
func refineMultilevel(w []float64, res []Result, c counts, nperm int, opt Options, workers int) {
	s := opt.SampleSize
	if s <= 0 {
		s = 101
	}
	eps := opt.Eps
	if eps <= 0 {
		eps = 1e-50
	}
	type key struct {
		size int
		neg  bool
	}
	groups := map[key][]int{}
	var keys []key
	mode := make([]int, len(res))
	for i := range res {
		rr := &res[i]
		mode[i] = c.geZero[i]
		if rr.ES < 0 {
			mode[i] = c.leZero[i]
		}
		if mode[i] < 10 {
			rr.PValue, rr.NES, rr.Log2Err = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		nME := float64(rr.NMoreExtreme)
		np := float64(nperm)
		p0 := (nME + 1) / (np + 1)
		crude := fmath.Log2(p0)
		simpleErr := 0.5 * math.Max(crude-fmath.Log2(qbeta(0.025, nME, np-nME+1)), fmath.Log2(qbeta(0.975, nME+1, np-nME))-crude)
		multErr := math.Sqrt(math.Floor(-fmath.Log2(p0)+1)*(dist.Trigamma(float64((s+1)/2))-dist.Trigamma(float64(s+1)))) / math.Ln2
		if multErr >= simpleErr {
			rr.Log2Err = math.Sqrt(dist.Trigamma(nME+1)-dist.Trigamma(np+1)) / math.Ln2
			continue
		}
		k := key{rr.Size, rr.ES < 0}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.size != b.size {
			return a.size - b.size
		}
		if a.neg == b.neg {
			return 0
		}
		if a.neg {
			return 1
		}
		return -1
	})
	rev := slices.Clone(w)
	slices.Reverse(rev)
	type out struct{ p, e float64 }
	results := make([][]out, len(keys))
	parallelFor(len(keys), workers, func(g int) {
		k := keys[g]
		ws := w
		if k.neg {
			ws = rev
		}
		target := 0.0
		for _, i := range groups[k] {
			target = math.Max(target, math.Abs(res[i].ES))
		}
		r := &esRuler{w: ws, k: k.size, sample: s}
		r.extend(target, rulerSeed(opt.Seed, k.size, k.neg), eps)
		for _, i := range groups[k] {
			p, e := r.pvalue(math.Abs(res[i].ES))
			results[g] = append(results[g], out{p, e})
		}
	})
	for g, k := range keys {
		for j, i := range groups[k] {
			o := results[g][j]
			denom := float64(mode[i]+1) / float64(nperm+1)
			p := math.Min(1, o.p/denom)
			e := o.e
			if p < eps {
				p, e = eps, math.NaN()
			}
			res[i].PValue, res[i].Log2Err = p, e
		}
	}
}

// rulerSeed mixes the user seed with a group's size and sign (splitmix64).
func rulerSeed(seed uint32, size int, neg bool) uint32 {
	z := uint64(seed)<<32 ^ uint64(size)<<1
	if neg {
		z ^= 1
	}
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return uint32((z ^ (z >> 31)) >> 16)
}

// parallelFor runs f(0..n-1) on up to workers goroutines.
func parallelFor(n, workers int, f func(i int)) {
	if workers <= 1 || n <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	next := make(chan int)
	done := make(chan struct{})
	for w := 0; w < min(workers, n); w++ {
		go func() {
			for i := range next {
				f(i)
			}
			done <- struct{}{}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < min(workers, n); w++ {
		<-done
	}
}

func dist_pbeta(x, a, b float64) float64 { return dist.Pbeta(x, a, b, true, false) }
