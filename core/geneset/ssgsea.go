package geneset

import (
	"errors"
	"math"
	"sort"

	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
)

// averageRanks returns R's rank(x, ties.method="average") (1-based).
func averageRanks(x []float64, order []int, r []float64, s *sorter) {
	orderInto(x, false, order, s)
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && x[order[j]] == x[order[i]] {
			j++
		}
		avg := float64(i+1+j) / 2 // mean of ranks i+1..j
		for t := i; t < j; t++ {
			r[order[t]] = avg
		}
		i = j
	}
}

// minRanksInto returns R's rank(x, ties.method="min") (1-based).
func minRanksInto(x []float64, order []int, r []float64, s *sorter) {
	orderInto(x, false, order, s)
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && x[order[j]] == x[order[i]] {
			j++
		}
		for t := i; t < j; t++ {
			r[order[t]] = float64(i + 1)
		}
		i = j
	}
}

// descFromAscGroups writes to order the groups of equal r (contiguous in the
// ascending order asc, each in index order) from the last group to the first.
func descFromAscGroups(asc []int, r []float64, order []int) {
	k := 0
	for j := len(asc); j > 0; {
		i := j - 1
		for i > 0 && r[asc[i-1]] == r[asc[j-1]] {
			i--
		}
		k += copy(order[k:], asc[i:j])
		j = i
	}
}

// ssgseaWork is the per-task scratch space of ssGSEA.
type ssgseaWork struct {
	order, asc []int
	rk, ra     []float64
	pos        []int
	idx        []int
	srt        *sorter
	alpha      float64
	powTab     []float64 // powTab[r] = r^alpha
}

func newSSGSEAWork(p int) *ssgseaWork {
	return &ssgseaWork{order: make([]int, p), asc: make([]int, p), rk: make([]float64, p), ra: make([]float64, p),
		pos: make([]int, p), srt: newSorter(p)}
}

// sample writes the unnormalised ssGSEA score of every set for one sample
// (col, p values) to out[s*stride].
func (w *ssgseaWork) sample(col []float64, sets [][]int, alpha float64, out []float64, stride int) {
	p := len(col)
	order, asc, rk, ra, pos := w.order, w.asc, w.rk, w.ra, w.pos
	averageRanks(col, asc, rk, w.srt)
	if w.alpha != alpha || len(w.powTab) != p+1 {
		// truncated ranks are the integers 1..p: |r|^alpha once per rank
		w.alpha = alpha
		w.powTab = make([]float64, p+1)
		for r := range w.powTab {
			w.powTab[r] = fmath.Pow(float64(r), alpha)
		}
	}
	for g := range rk {
		rk[g] = math.Trunc(rk[g])
		ra[g] = w.powTab[int(rk[g])]
	}
	// order(R, decreasing=TRUE) on the truncated ranks: truncation never
	// merges two tie groups (a group at positions i+1..j has
	// trunc((i+1+j)/2) >= i+1), so it is the ascending order with its tie
	// groups taken from the last, each kept in index order.
	descFromAscGroups(asc, rk, order)
	for i, g := range order {
		pos[g] = i + 1
	}
	for s, set := range sets {
		idx := w.idx[:0]
		for _, g := range set {
			idx = append(idx, pos[g])
		}
		sort.Ints(idx)
		w.idx = idx
		var num, den stats.Neumaier
		var walk int64
		for _, ps := range idx {
			g := order[ps-1]
			wt := int64(p - ps + 1)
			num.Add(ra[g] * float64(wt))
			den.Add(ra[g])
			walk += wt
		}
		k := len(set)
		in := num.Sum() / den.Sum()
		outStep := float64(int64(p)*int64(p+1)/2-walk) / float64(p-k)
		out[s*stride] = in - outStep
	}
}

// ssgseaScores fills out with ssGSEA scores as GSVA 1.46's ssgsea() computes
// them (R/gsva.R, .fastRndWalk):
//
//	R_gj = trunc(rank(x_.j, ties="average"))      (mode(R) <- "integer" truncates .5)
//	order genes by decreasing R_.j (stable); pos_g = 1-based position of gene g
//	ES_sj = Σ_{g∈S} R_gj^α (n-pos_g+1) / Σ_{g∈S} R_gj^α  -  (n(n+1)/2 - Σ_{g∈S}(n-pos_g+1)) / (n-k)
//
// and, if normalize, ES / (max ES - min ES) over the whole sets x samples
// matrix. A non-finite or zero range is an error.
func ssgseaScores(pl pool.Pool, x []float64, p, n int, sets [][]int, alpha float64, normalize bool, out []float64) error {
	ns := len(sets)
	err := runWaves(pl, taskSSGSEA, n, 8*p, 4, func(lo, hi int) []byte {
		w := pool.NewWriter(8*p*(hi-lo) + 64)
		w.Int(p)
		w.Float64(alpha)
		writeSets(w, sets)
		// the columns, written value by value in Float64s' layout
		w.Uvarint(uint64(p * (hi - lo)))
		for j := lo; j < hi; j++ {
			for g := 0; g < p; g++ {
				w.Float64(x[g*n+j])
			}
		}
		return w.Bytes()
	}, func(lo, hi int, res []byte) error {
		v, err := decodeFloats(res, ns*(hi-lo))
		if err != nil {
			return err
		}
		for s := 0; s < ns; s++ {
			copy(out[s*n+lo:s*n+hi], v[s*(hi-lo):(s+1)*(hi-lo)])
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !normalize {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range out {
		if math.IsNaN(v) {
			return errors.New("geneset: ssGSEA scores contain NaN; cannot normalise by their range")
		}
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	rng := hi - lo
	if !(rng > 0) || math.IsInf(rng, 0) {
		return errors.New("geneset: ssGSEA scores have no finite non-zero range to normalise by; use Normalize=false")
	}
	for i := range out {
		out[i] /= rng
	}
	return nil
}
