package immune

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
	"github.com/her2het/her2het/core/stats"
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
	pl := pool.Or(opt.Pool, max(1, opt.Workers))
	per := max(1, waveBytes/(8*n))
	for w0 := 0; w0 < ns; w0 += per {
		w1 := min(ns, w0+per)
		ranges := pool.Split(w1-w0, pl.Size())
		tasks := make([][]byte, len(ranges))
		for i, r := range ranges {
			lo, hi := w0+r[0], w0+r[1]
			w := pool.NewWriter(8*n*(hi-lo) + 16*(len(rows[0])+len(rows[1])) + 32)
			w.Int(n)
			w.Ints(rows[0])
			w.Ints(rows[1])
			cols := make([]float64, n*(hi-lo))
			for g := 0; g < n; g++ {
				for s, v := range e.Row(g)[lo:hi] {
					cols[s*n+g] = v
				}
			}
			w.Float64s(cols)
			tasks[i] = w.Bytes()
		}
		out, err := pl.Run(taskEstimate, tasks)
		if err != nil {
			return nil, err
		}
		for i, r := range ranges {
			lo, hi := w0+r[0], w0+r[1]
			rd := pool.NewReader(out[i])
			v := rd.Float64s()
			if err := rd.Done(); err != nil || len(v) != 4*(hi-lo) {
				return nil, fmt.Errorf("immune: estimate: bad task result (%v)", err)
			}
			for k := 0; k < 4; k++ {
				copy(res.Values[k*ns+lo:k*ns+hi], v[k*(hi-lo):(k+1)*(hi-lo)])
			}
		}
	}
	return res, nil
}

// taskEstimate is the core/pool kernel scoring samples with ESTIMATE (issue
// 11): each sample is computed by the same operations whichever task it
// falls in, so the scores do not depend on the number of workers.
const taskEstimate = "immune.estimate"

// waveBytes bounds the encoded input of one Pool.Run call.
var waveBytes = 8 << 20

func init() { pool.Register(taskEstimate, estimateTask) }

// estimateTask: input the stromal and immune signature rows, samples x n
// values; output StromalScore, ImmuneScore, ESTIMATEScore and TumorPurity,
// 4 x samples.
func estimateTask(in []byte) ([]byte, error) {
	r := pool.NewReader(in)
	n := r.Int()
	rows := [2][]int{r.Ints(), r.Ints()}
	cols := r.Float64s()
	if err := r.Done(); err != nil {
		return nil, err
	}
	if n < 1 || len(cols)%n != 0 || len(rows[0])+len(rows[1]) == 0 {
		return nil, errors.New("immune: bad estimate task")
	}
	for _, rs := range rows {
		for _, g := range rs {
			if g < 0 || g >= n {
				return nil, errors.New("immune: estimate task: signature row out of range")
			}
		}
	}
	ns := len(cols) / n
	out := make([]float64, 4*ns)
	tag := make([]bool, n)
	var rs radixScratch
	for s := 0; s < ns; s++ {
		var es [2]float64
		v, ord := rankOrder(cols[s*n:(s+1)*n], &rs)
		for k := 0; k < 2; k++ {
			es[k] = walk(v, ord, rows[k], tag)
		}
		total := es[0] + es[1]
		purity := math.Cos(0.6049872018 + 0.0001467884*total)
		if purity < 0 {
			purity = math.NaN()
		}
		out[0*ns+s], out[1*ns+s], out[2*ns+s], out[3*ns+s] = es[0], es[1], total, purity
	}
	w := pool.NewWriter(8*len(out) + 10)
	w.Float64s(out)
	return w.Bytes(), nil
}

// rankOrder returns v = 10000*rank(x)/n with average ranks (R: 10000*m/Ng
// after rank(ties.method="average"); NaN ranked last, each its own rank, in
// row order) and ord = order(v, decreasing=TRUE), which is stable: tied genes
// keep their row order. rs is scratch space reused across samples.
func rankOrder(x []float64, rs *radixScratch) (v []float64, ord []int) {
	n := len(x)
	idx := rs.order(x)
	v = make([]float64, n)
	ord = make([]int, 0, n)
	// tie groups in ascending order, [i, j] inclusive, walked backwards below
	groups := rs.groups[:0]
	for i := 0; i < n; {
		j := i
		for j+1 < n && x[idx[j+1]] == x[idx[i]] { // NaN != NaN: never tied
			j++
		}
		r := float64(i+j+2) / 2
		for k := i; k <= j; k++ {
			v[idx[k]] = 10000 * r / float64(n)
		}
		groups = append(groups, [2]int32{int32(i), int32(j)})
		i = j + 1
	}
	rs.groups = groups
	for g := len(groups) - 1; g >= 0; g-- {
		for _, i := range idx[groups[g][0] : groups[g][1]+1] {
			ord = append(ord, int(i))
		}
	}
	return v, ord
}

// radixScratch holds the buffers of a stable LSD radix sort.
type radixScratch struct {
	keys, k2  []uint64
	idx, idx2 []int32
	groups    [][2]int32
}

// sortKey maps v to an unsigned integer with the same order (-0 = +0, NaN
// above +Inf).
func sortKey(v float64) uint64 {
	if math.IsNaN(v) {
		return math.MaxUint64
	}
	b := math.Float64bits(v + 0)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// order returns the indices of x in increasing order, ties (and NaNs, last)
// in index order: R's order(x) with na.last=TRUE, by a stable LSD radix sort
// on 8-bit digits that skips the digits every key shares.
func (rs *radixScratch) order(x []float64) []int32 {
	n := len(x)
	if cap(rs.keys) < n {
		rs.keys, rs.k2 = make([]uint64, n), make([]uint64, n)
		rs.idx, rs.idx2 = make([]int32, n), make([]int32, n)
	}
	keys, k2, idx, idx2 := rs.keys[:n], rs.k2[:n], rs.idx[:n], rs.idx2[:n]
	for i, v := range x {
		keys[i] = sortKey(v)
		idx[i] = int32(i)
	}
	if n < 2 {
		return idx
	}
	for shift := uint(0); shift < 64; shift += 8 {
		var c [256]int
		for _, k := range keys {
			c[byte(k>>shift)]++
		}
		if c[byte(keys[0]>>shift)] == n {
			continue
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for i, k := range keys {
			d := byte(k >> shift)
			p := c[d]
			c[d]++
			k2[p] = k
			idx2[p] = idx[i]
		}
		keys, k2 = k2, keys
		idx, idx2 = idx2, idx
	}
	return idx
}

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
	var sumCorrel stats.Neumaier
	for _, g := range ord {
		if tag[g] {
			sumCorrel.Add(fmath.Pow(math.Abs(v[g]), 0.25))
		}
	}
	sc := sumCorrel.Sum()
	var fn, f0, es stats.Neumaier
	// (adding 0 to the other accumulator, as R's cumsum does, changes
	// nothing: both start at +0 and only grow)
	step := 1 / nm
	for _, g := range ord {
		if tag[g] {
			fn.Add(fmath.Pow(math.Abs(v[g]), 0.25) / sc)
		} else {
			f0.Add(step)
		}
		es.Add(fn.Sum() - f0.Sum())
	}
	return es.Sum()
}
