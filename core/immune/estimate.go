package immune

import (
	"github.com/her2het/her2het/core/fmath"

	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/her2het/her2het/core/dataset"
)

// ESTIMATE returns StromalScore, ImmuneScore, ESTIMATEScore and TumorPurity per
// sample (see the package documentation for the formulas; estimate 1.0.13
// estimateScore with platform="affymetrix"; TumorPurity is only meaningful for
// Affymetrix data). Missing values are ranked above every value, in row order,
// as R's rank(x, na.last=TRUE) ranks them, so they count as the most expressed
// genes of the sample.
// It is an error if neither signature has a gene in the matrix.
func ESTIMATE(e *dataset.Matrix, opt Options) (*Scores, error) {
	if err := check(e); err != nil {
		return nil, err
	}
	if len(opt.Universe) > 0 {
		keep := map[string]bool{}
		for _, g := range opt.Universe {
			keep[g] = true
		}
		var idx []int
		for i, g := range e.Genes {
			if keep[g] {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			return nil, fmt.Errorf("immune: estimate: none of the %d genes of the matrix is in the given universe", e.Rows())
		}
		e = e.SubsetRows(idx)
	}
	sets, rows, miss, err := signatureRows(e, "estimate")
	if err != nil {
		return nil, err
	}
	if len(rows[0])+len(rows[1]) == 0 {
		return nil, fmt.Errorf("immune: estimate: none of the ESTIMATE signature genes was found among the %d genes of the matrix", e.Rows())
	}
	n, ns := e.Rows(), e.Cols()
	res := &Scores{Method: "estimate", Signatures: []string{"StromalScore", "ImmuneScore", "ESTIMATEScore", "TumorPurity"},
		Samples: append([]string(nil), e.Samples...), Values: make([]float64, 4*ns),
		NFound: []int{len(rows[0]), len(rows[1]), 0, 0}, NMarkers: []int{len(sets[0].Symbols), len(sets[1].Symbols), 0, 0},
		Missing: [][]string{miss[0], miss[1], nil, nil}}
	workers := max(1, min(opt.Workers, ns))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			col := make([]float64, n)
			tag := make([]bool, n)
			// samples w, w+workers, ...: each sample's numbers do not depend on the split
			for s := w; s < ns; s += workers {
				for g := 0; g < n; g++ {
					col[g] = e.At(g, s)
				}
				var es [2]float64
				v, ord := rankOrder(col)
				for k := 0; k < 2; k++ {
					es[k] = walk(v, ord, rows[k], tag)
				}
				total := es[0] + es[1]
				purity := math.Cos(0.6049872018 + 0.0001467884*total)
				if purity < 0 {
					purity = math.NaN()
				}
				res.Values[0*ns+s] = es[0]
				res.Values[1*ns+s] = es[1]
				res.Values[2*ns+s] = total
				res.Values[3*ns+s] = purity
			}
		}(w)
	}
	wg.Wait()
	return res, nil
}

// rankOrder returns v = 10000*rank(x)/n with average ranks (R: 10000*m/Ng
// after rank(ties.method="average"); NaN ranked last, each its own rank, in
// row order) and ord = order(v, decreasing=TRUE), which is stable: tied genes
// keep their row order.
func rankOrder(x []float64) (v []float64, ord []int) {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		// cmp.Compare orders NaN first; R's rank puts NA last
		na, nb := math.IsNaN(x[a]), math.IsNaN(x[b])
		switch {
		case na && !nb:
			return 1
		case nb && !na:
			return -1
		case !na:
			if c := cmp.Compare(x[a], x[b]); c != 0 {
				return c
			}
		}
		return a - b
	})
	v = make([]float64, n)
	ord = make([]int, 0, n)
	type group struct{ i, j int }
	var groups []group
	for i := 0; i < n; {
		j := i
		for j+1 < n && x[idx[j+1]] == x[idx[i]] { // NaN != NaN: never tied
			j++
		}
		r := float64(i+j+2) / 2
		for k := i; k <= j; k++ {
			v[idx[k]] = 10000 * r / float64(n)
		}
		groups = append(groups, group{i, j})
		i = j + 1
	}
	for g := len(groups) - 1; g >= 0; g-- {
		ord = append(ord, idx[groups[g].i:groups[g].j+1]...)
	}
	return v, ord
}

// acc is a compensated running sum standing in for R's long-double
// accumulators (cumsum, sum).
type acc struct{ s, c float64 }

func (a *acc) add(v float64) {
	t := a.s + v
	if math.Abs(a.s) >= math.Abs(v) {
		a.c += (a.s - t) + v
	} else {
		a.c += (v - t) + a.s
	}
	a.s = t
}

func (a *acc) value() float64 { return a.s + a.c }

// walk is estimateScore's enrichment score for one sample and one signature:
// the sum over positions of RES = Fn - F0 (see the package documentation).
func walk(v []float64, ord []int, set []int, tag []bool) float64 {
	n := len(v)
	nh := len(set)
	if nh == 0 {
		return math.NaN()
	}
	for _, r := range set {
		tag[r] = true
	}
	defer func() {
		for _, r := range set {
			tag[r] = false
		}
	}()
	nm := float64(n - nh)
	var sumCorrel acc
	for _, g := range ord {
		if tag[g] {
			sumCorrel.add(fmath.Pow(math.Abs(v[g]), 0.25))
		}
	}
	sc := sumCorrel.value()
	var fn, f0, es acc
	for _, g := range ord {
		if tag[g] {
			fn.add(fmath.Pow(math.Abs(v[g]), 0.25) / sc)
			f0.add(0)
		} else {
			fn.add(0)
			f0.add(1 / nm)
		}
		es.add(fn.value() - f0.value())
	}
	return es.value()
}
