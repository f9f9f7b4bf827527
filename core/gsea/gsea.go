package gsea

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"

	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
)

// Options configures Run. The zero value is usable: MinSize 1, MaxSize
// len(genes)-1, 1000 permutations, seed 0, gseaParam 1.
type Options struct {
	// MinSize and MaxSize bound the number of a set's genes found in the
	// ranking (fgsea minSize, maxSize); MinSize < 1 means 1, MaxSize <= 0 means
	// len(genes)-1.
	MinSize, MaxSize int
	// NPerm is the number of permutations (fgsea nperm); <= 0 means 1000.
	NPerm int
	// Seed seeds the MT19937 generator of the random gene sets.
	Seed uint32
	// GseaParam is the weight exponent p of |stat|^p (fgsea gseaParam); 0 means 1.
	GseaParam float64
	// Workers is the number of goroutines; <= 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Pool, when set, runs the permutations (kernel gsea.null) instead of
	// Workers goroutines; the multilevel refinement always uses Workers. Results
	// are the same for any pool size.
	Pool pool.Pool
	// Multilevel refines small p-values as fgseaMultilevel does (see
	// refineMultilevel): the NPerm permutations play the role of nPermSimple.
	Multilevel bool
	// SampleSize is the multilevel sample size (fgsea sampleSize); 0 means 101.
	SampleSize int
	// Eps is the smallest multilevel p-value reported (fgsea eps); 0 means 1e-50.
	Eps float64
}

// Result is one gene set's enrichment, with the columns of fgsea's result.
type Result struct {
	Pathway string
	// ES is the enrichment score; NES the ES divided by the mean of the null
	// ES of the same sign; NaN when undefined (no null ES of that sign).
	ES, NES float64
	// PValue is min((1+#null<=ES)/(1+#null<=0), (1+#null>=ES)/(1+#null>=0));
	// PAdj its Benjamini–Hochberg adjustment over all results.
	PValue, PAdj float64
	// NMoreExtreme is #null >= ES if ES > 0, else #null <= ES.
	NMoreExtreme int
	// Size is the number of the set's genes found in the ranking.
	Size int
	// Log2Err is the standard error of log2(PValue) (fgsea log2err); NaN
	// when undefined. Set only with Options.Multilevel, else NaN.
	Log2Err float64
	// LeadingEdge lists the genes before the running-sum peak (ES > 0) or
	// after its trough, from the end (ES < 0), in order of decreasing |stat|.
	LeadingEdge []string
}

// Ranking is a gene-level statistic sorted decreasingly (stable), as fgsea
// does with sort(stats, decreasing=TRUE).
type Ranking struct {
	Genes []string
	Stats []float64
	index map[string]int
}

// NewRanking validates genes and values (same length, at least 2, unique
// non-empty names, finite values) and sorts them by decreasing value, ties kept
// in input order.
func NewRanking(genes []string, values []float64) (*Ranking, error) {
	if len(genes) != len(values) {
		return nil, fmt.Errorf("gsea: %d gene names for %d statistics", len(genes), len(values))
	}
	if len(genes) < 2 {
		return nil, errors.New("gsea: the ranking needs at least two genes")
	}
	index := make(map[string]int, len(genes))
	for i, g := range genes {
		if g == "" {
			return nil, fmt.Errorf("gsea: gene %d has an empty name", i+1)
		}
		if _, dup := index[g]; dup {
			return nil, fmt.Errorf("gsea: gene %q appears more than once in the ranking", g)
		}
		if math.IsNaN(values[i]) || math.IsInf(values[i], 0) {
			return nil, fmt.Errorf("gsea: gene %q has a non-finite statistic", g)
		}
		index[g] = i
	}
	order := stats.Order(values, true)
	r := &Ranking{Genes: make([]string, len(genes)), Stats: make([]float64, len(genes)), index: index}
	for k, i := range order {
		r.Genes[k] = genes[i]
		r.Stats[k] = values[i]
		index[genes[i]] = k
	}
	return r, nil
}

// positions returns the sorted 0-based ranking positions of the set's genes
// found in r, each once.
func (r *Ranking) positions(set geneset.Set) []int {
	var pos []int
	seen := map[int]bool{}
	for _, g := range set.Genes {
		if p, ok := r.index[g]; ok && !seen[p] {
			seen[p] = true
			pos = append(pos, p)
		}
	}
	sort.Ints(pos)
	return pos
}

// enrichment is fgsea's calcGseaStat (R/fgsea.R, scoreType "std") on sorted
// 0-based positions S of the set in a ranking of weights w = |stat|^p:
//
//	NR = Σ_{i} w[S_i];  cum_i = (w[S_1]+...+w[S_i])/NR   (i/k if NR == 0)
//	top_i = cum_i - (S_i+1 - i)/(N-k);  bottom_i = top_i - w[S_i]/NR   (- 1/k if NR == 0)
//	ES = maxP if maxP > -minP, minP if maxP < -minP, else 0
//
// with maxP = max top, minP = min bottom. It also returns the peak (ES > 0) or
// trough (ES < 0) index into S, or -1.
func enrichment(w []float64, S []int) (es float64, tops, bottoms []float64, edge int) {
	N, k := len(w), len(S)
	nr := 0.0
	for _, p := range S {
		nr += w[p]
	}
	tops = make([]float64, k)
	bottoms = make([]float64, k)
	cum := 0.0
	for i, p := range S {
		cum += w[p]
		var c, step float64
		if nr == 0 {
			c, step = float64(i+1)/float64(k), 1/float64(k)
		} else {
			c, step = cum/nr, w[p]/nr
		}
		tops[i] = c - float64(p+1-(i+1))/float64(N-k)
		bottoms[i] = tops[i] - step
	}
	iMax, iMin := 0, 0
	for i := range tops {
		if tops[i] > tops[iMax] {
			iMax = i
		}
		if bottoms[i] < bottoms[iMin] {
			iMin = i
		}
	}
	maxP, minP := tops[iMax], bottoms[iMin]
	switch {
	case maxP > -minP:
		return maxP, tops, bottoms, iMax
	case maxP < -minP:
		return minP, tops, bottoms, iMin
	}
	return 0, tops, bottoms, -1
}

// nullES is the ES of a random set (sorted 0-based positions S) as fgsea's
// C++ null computation (calcGseaStatCumulative with scoreType "std"): zero
// weights are replaced by statEps = min(1e-5, smallest non-zero weight of the
// set)/1024, ES+ = max(0, max_i (Y_i·(N-k)/NR - X_i))/(N-k) with Y_i the
// cumulative weight through hit i and X_i its number of preceding misses,
// ES- likewise from the end, and ES = ES+ if ES+ > ES-, -ES- if ES+ < ES-,
// else 0.
func nullES(w []float64, S []int) float64 {
	N, k := len(w), len(S)
	statEps := 1e-5
	for _, p := range S {
		if w[p] > 0 {
			statEps = math.Min(statEps, w[p])
		}
	}
	statEps /= 1024
	adj := func(p int) float64 { return math.Max(w[p], statEps) }
	nr := 0.0
	for _, p := range S {
		nr += adj(p)
	}
	coef := float64(N-k) / nr
	var y, pos float64
	for i, p := range S {
		y += adj(p)
		if d := y*coef - float64(p-i); d > pos {
			pos = d
		}
	}
	pos /= float64(N - k)
	y = 0
	neg := 0.0
	for i := k - 1; i >= 0; i-- {
		p := S[i]
		y += adj(p)
		x := float64((N - 1 - p) - (k - 1 - i))
		if d := y*coef - x; d > neg {
			neg = d
		}
	}
	neg /= float64(N - k)
	switch {
	case pos == neg:
		return 0
	case pos < neg:
		return -neg
	}
	return pos
}

// Run computes fgseaSimple-style preranked GSEA of sets against ranking r.
// Sets whose found size is outside [MinSize, MaxSize] are left out (a set
// containing every gene is always left out: its ES is undefined). Results are
// in the order of sets. It is an error if no set remains.
func Run(r *Ranking, sets []geneset.Set, opt Options) ([]Result, error) {
	if r == nil {
		return nil, errors.New("gsea: no ranking")
	}
	N := len(r.Stats)
	p := opt.GseaParam
	if p == 0 {
		p = 1
	}
	w := make([]float64, N)
	for i, s := range r.Stats {
		w[i] = fmath.Pow(math.Abs(s), p)
	}
	minSz, maxSz := max(opt.MinSize, 1), opt.MaxSize
	if maxSz <= 0 || maxSz > N-1 {
		maxSz = N - 1
	}
	nperm := opt.NPerm
	if nperm <= 0 {
		nperm = 1000
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var res []Result
	var pos [][]int
	for _, s := range sets {
		ps := r.positions(s)
		if len(ps) < minSz || len(ps) > maxSz {
			continue
		}
		es, _, _, edge := enrichment(w, ps)
		var le []string
		switch {
		case es > 0:
			for _, q := range ps[:edge+1] {
				le = append(le, r.Genes[q])
			}
		case es < 0:
			for i := len(ps) - 1; i >= edge; i-- {
				le = append(le, r.Genes[ps[i]])
			}
		}
		res = append(res, Result{Pathway: s.Name, ES: es, Size: len(ps), LeadingEdge: le})
		pos = append(pos, ps)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("gsea: no gene set has between %d and %d genes in the ranking", minSz, maxSz)
	}
	m := len(res)
	sizes := make([]int, m)
	scores := make([]float64, m)
	for i, rr := range res {
		sizes[i], scores[i] = rr.Size, rr.ES
	}
	c, err := nullCounts(w, scores, sizes, nperm, opt.Seed, pool.Or(opt.Pool, workers))
	if err != nil {
		return nil, err
	}
	leEs, geEs, leZero, geZero, leSum, geSum := c.leEs, c.geEs, c.leZero, c.geZero, c.leSum, c.geSum
	pv := make([]float64, m)
	for i := range res {
		rr := &res[i]
		rr.PValue = math.Min(float64(1+leEs[i])/float64(1+leZero[i]), float64(1+geEs[i])/float64(1+geZero[i]))
		pv[i] = rr.PValue
		leMean := leSum[i] / float64(leZero[i])
		geMean := geSum[i] / float64(geZero[i])
		rr.NES = math.NaN()
		if (rr.ES > 0 && geMean != 0) || (rr.ES <= 0 && leMean == 0) {
			rr.NES = rr.ES / geMean
		}
		if (rr.ES < 0 && leMean != 0) || (rr.ES >= 0 && geMean == 0) {
			rr.NES = rr.ES / math.Abs(leMean)
		}
		if rr.ES > 0 {
			rr.NMoreExtreme = geEs[i]
		} else {
			rr.NMoreExtreme = leEs[i]
		}
	}
	if opt.Multilevel {
		refineMultilevel(w, res, c, nperm, opt, workers)
		for i := range res {
			pv[i] = res[i].PValue
		}
	} else {
		for i := range res {
			res[i].Log2Err = math.NaN()
		}
	}
	adj := stats.PAdjust(pv, stats.BH)
	for i := range res {
		res[i].PAdj = adj[i]
	}
	return res, nil
}

// counts are fgsea's permutation accumulators per pathway.
type counts struct {
	leEs, geEs, leZero, geZero []int
	leSum, geSum               []float64
}

// nullCounts runs nperm permutations as fgsea's calcGseaStatCumulativeBatch:
// per permutation one random combination of max(sizes) positions is drawn
// from MT19937(seed), and the null ES of its prefix of each size is compared
// with the pathway scores of that size.
//
// The null ES are computed by the gsea.null kernel on p: the permutations of a
// block are split into contiguous ranges, each task starting from the generator
// state its range begins with (the caller draws sequentially to find those
// states); the counts and sums are then accumulated here in permutation order,
// so the result is bitwise the same for any pool size.
func nullCounts(w, scores []float64, sizes []int, nperm int, seed uint32, p pool.Pool) (counts, error) {
	N, m := len(w), len(sizes)
	distinct := slices.Clone(sizes)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	K := distinct[len(distinct)-1]
	nd := len(distinct)
	sizeIdx := make([]int, m)
	for i, k := range sizes {
		sizeIdx[i], _ = slices.BinarySearch(distinct, k)
	}
	c := counts{make([]int, m), make([]int, m), make([]int, m), make([]int, m), make([]float64, m), make([]float64, m)}
	rng := newMT(seed)
	used := make([]bool, N)
	var scratch []int
	// Blocks bound the memory of the returned null ES (block x distinct sizes).
	block := max(1024, 4096*p.Size())
	for done := 0; done < nperm; done += block {
		nb := min(block, nperm-done)
		parts := pool.Split(nb, p.Size())
		tasks := make([][]byte, len(parts))
		for i, r := range parts {
			state := *rng
			tasks[i] = (&nullTask{w: w, distinct: distinct, nb: r[1] - r[0], rng: &state}).encode()
			scratch = rng.skip(N, K, r[1]-r[0], used, scratch)
		}
		outs, err := p.Run(kernelNull, tasks)
		if err != nil {
			return c, err
		}
		for i, r := range parts {
			rd := pool.NewReader(outs[i])
			nulls := rd.Float64s()
			if err := rd.Done(); err != nil || len(nulls) != (r[1]-r[0])*nd {
				return c, fmt.Errorf("gsea: malformed permutation results from a worker (%d values for %d permutations)", len(nulls), r[1]-r[0])
			}
			for b := 0; b < r[1]-r[0]; b++ {
				row := nulls[b*nd : (b+1)*nd]
				for i, es := range scores {
					e := row[sizeIdx[i]]
					if e <= es {
						c.leEs[i]++
					}
					if e >= es {
						c.geEs[i]++
					}
					if e <= 0 {
						c.leZero[i]++
						c.leSum[i] += e
					}
					if e >= 0 {
						c.geZero[i]++
						c.geSum[i] += e
					}
				}
			}
		}
	}
	return c, nil
}

// Point is a point of a running-sum (enrichment) curve: X is the 0-based
// position in the ranking (0..N+1 as fgsea's plotEnrichment), Y the running sum.
type Point struct {
	X int
	Y float64
}

// Curve returns the enrichment curve of set in r, as fgsea's plotEnrichment
// draws it: (0,0), then for each hit at 1-based position s the points
// (s-1, bottom) and (s, top), then (N+1, 0). It returns nil if no gene of the
// set is in the ranking or the set holds every gene.
func Curve(r *Ranking, set geneset.Set, gseaParam float64) []Point {
	if gseaParam == 0 {
		gseaParam = 1
	}
	ps := r.positions(set)
	N := len(r.Stats)
	if len(ps) == 0 || len(ps) == N {
		return nil
	}
	w := make([]float64, N)
	for i, s := range r.Stats {
		w[i] = fmath.Pow(math.Abs(s), gseaParam)
	}
	_, tops, bottoms, _ := enrichment(w, ps)
	pts := make([]Point, 0, 2*len(ps)+2)
	pts = append(pts, Point{0, 0})
	for i, p := range ps {
		pts = append(pts, Point{p, bottoms[i]}, Point{p + 1, tops[i]})
	}
	return append(pts, Point{N + 1, 0})
}
