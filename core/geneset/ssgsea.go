package geneset

import (
	"github.com/her2het/her2het/core/fmath"

	"errors"
	"math"
	"sort"
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

// neumaier returns the compensated sum of x (close to the correctly rounded
// sum, as R's long double accumulation is).
type neumaier struct{ s, c float64 }

func (a *neumaier) add(v float64) {
	t := a.s + v
	if math.Abs(a.s) >= math.Abs(v) {
		a.c += (a.s - t) + v
	} else {
		a.c += (v - t) + a.s
	}
	a.s = t
}

func (a *neumaier) sum() float64 { return a.s + a.c }

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

// ssgseaScores fills out with ssGSEA scores as GSVA 1.46's ssgsea() computes
// them (R/gsva.R, .fastRndWalk):
//
//	R_gj = trunc(rank(x_.j, ties="average"))      (mode(R) <- "integer" truncates .5)
//	order genes by decreasing R_.j (stable); pos_g = 1-based position of gene g
//	ES_sj = Σ_{g∈S} R_gj^α (n-pos_g+1) / Σ_{g∈S} R_gj^α  -  (n(n+1)/2 - Σ_{g∈S}(n-pos_g+1)) / (n-k)
//
// and, if normalize, ES / (max ES - min ES) over the whole sets x samples
// matrix. A non-finite or zero range is an error.
func ssgseaScores(x []float64, p, n int, sets [][]int, alpha float64, normalize bool, workers int, out []float64) error {
	parallel(n, workers, func(lo, hi int) {
		col := make([]float64, p)
		order := make([]int, p)
		asc := make([]int, p)
		rk := make([]float64, p)
		pos := make([]int, p)
		ra := make([]float64, p)
		srt := newSorter(p)
		var idx []int
		for j := lo; j < hi; j++ {
			for g := 0; g < p; g++ {
				col[g] = x[g*n+j]
			}
			averageRanks(col, asc, rk, srt)
			for g := range rk {
				rk[g] = math.Trunc(rk[g])
				ra[g] = fmath.Pow(math.Abs(rk[g]), alpha)
			}
			// order(R, decreasing=TRUE) on the truncated ranks: truncation
			// never merges two tie groups (a group at positions i+1..j has
			// trunc((i+1+j)/2) >= i+1), so it is the ascending order with its
			// tie groups taken from the last, each kept in index order.
			descFromAscGroups(asc, rk, order)
			for i, g := range order {
				pos[g] = i + 1
			}
			for s, set := range sets {
				idx = idx[:0]
				for _, g := range set {
					idx = append(idx, pos[g])
				}
				sort.Ints(idx)
				var num, den neumaier
				var walk int64
				for _, ps := range idx {
					g := order[ps-1]
					w := int64(p - ps + 1)
					num.add(ra[g] * float64(w))
					den.add(ra[g])
					walk += w
				}
				k := len(set)
				in := num.sum() / den.sum()
				outStep := float64(int64(p)*int64(p+1)/2-walk) / float64(p-k)
				out[s*n+j] = in - outStep
			}
		}
	})
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
