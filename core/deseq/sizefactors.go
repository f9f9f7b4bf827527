package deseq

import (
	"errors"
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
)

// SizeFactors estimates DESeq2 size factors (estimateSizeFactorsForMatrix,
// DESeq2 1.38.3). Ratio: s_j = exp(median_g(log k_gj - mean_j log k_gj)) over
// genes with no zero count and k_gj > 0, not renormalised; error if every gene
// has a zero. PosCounts: the log geometric mean uses the positive counts
// divided by n (all samples), all-zero genes are skipped, and the factors are
// divided by their geometric mean.
//
// The medians are found in one pass over the count matrix: the log ratios
// of a systematic sample of about 2048 genes bracket each sample's median
// (ranks 1/2 ± 4 standard errors of the sample median), the pass counts the
// values below the bracket and keeps those within it, and the median is
// selected among the kept values. A sample whose median falls outside its
// bracket (or keeps more values than its buffer holds) gathers all its
// values and selects among them. Order statistics do not depend on how they
// are found, so the factors are those of the plain median.
func SizeFactors(counts *dataset.Matrix, t SizeFactorType) ([]float64, error) {
	G, m := counts.Rows(), counts.Cols()
	if G == 0 || m == 0 {
		return nil, errors.New("deseq: empty count matrix")
	}
	rl := make([]float64, m)
	sf := make([]float64, m)
	// samples in blocks whose buffers (the sampled genes' ratios and the
	// kept values, about 9 + 11% of G values each) stay within ~16 MB
	step := max(1, G/2048)
	per := 8 * ((G+step-1)/step + G/8 + 16)
	blk := max(16, min(m, sfBlockBytes/per))
	var bs sfBlock
	for j0 := 0; j0 < m; j0 += blk {
		j1 := min(m, j0+blk)
		finite := bs.run(counts, t, j0, j1, step, rl, sf[j0:j1])
		if finite == 0 {
			return nil, errors.New("deseq: every gene contains at least one zero, cannot compute log geometric means")
		}
	}
	if t == PosCounts {
		var s float64
		for _, v := range sf {
			s += fmath.Log(v)
		}
		gm := fmath.Exp(s / float64(m))
		for j := range sf {
			sf[j] /= gm
		}
	}
	for _, v := range sf {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, errors.New("deseq: a sample has no usable counts for its size factor")
		}
	}
	return sf, nil
}

// sfBlockBytes bounds SizeFactors' buffers (a variable for the tests).
var sfBlockBytes = 16 << 20

// sfBlock holds the buffers of SizeFactors for a block of samples.
type sfBlock struct {
	smp, keep, all            []float64
	nsmp, nkeep, below, total []int
	lo, hi                    []float64
	over                      []bool
}

// run sets sf (samples j0..j1-1) and returns the number of genes with a
// finite log geometric mean.
func (b *sfBlock) run(counts *dataset.Matrix, t SizeFactorType, j0, j1, step int, rl, sf []float64) (finite int) {
	G := counts.Rows()
	nb := j1 - j0
	// the sampled genes' log ratios, per sample
	ns := (G + step - 1) / step
	b.smp = grow(b.smp, nb*ns)
	b.nsmp = growInts(b.nsmp, nb)
	smp, nsmp := b.smp, b.nsmp
	for g := 0; g < G; g += step {
		row := counts.Row(g)
		l := rowLogMean(row, t, rl)
		if math.IsInf(l, 0) {
			continue
		}
		for j, v := range row[j0:j1] {
			if v > 0 {
				smp[j*ns+nsmp[j]] = rl[j0+j] - l
				nsmp[j]++
			}
		}
	}
	// brackets [lo_j, hi_j] and the room to keep the values within them
	b.lo, b.hi = grow(b.lo, nb), grow(b.hi, nb)
	lo, hi := b.lo, b.hi
	room := 16
	for j := range lo {
		s := smp[j*ns : j*ns+nsmp[j]]
		n := len(s)
		if n == 0 {
			lo[j], hi[j] = math.Inf(-1), math.Inf(1)
			room = G
			continue
		}
		// 4 standard errors of the sample median's rank share, 0.5/√n
		d := 2/math.Sqrt(float64(n)) + 4/float64(n)
		r1 := int(math.Floor(float64(n) * (0.5 - d)))
		r2 := int(math.Ceil(float64(n) * (0.5 + d)))
		if r1 <= 0 {
			lo[j] = math.Inf(-1)
		} else {
			lo[j] = quickselect(s, r1)
		}
		if r2 >= n-1 {
			hi[j] = math.Inf(1)
		} else {
			hi[j] = quickselect(s, r2)
		}
		room = max(room, int(float64(G)*(2*d+0.02))+16)
	}
	room = min(room, G)
	// one pass: per sample the count below its bracket and the values within
	b.keep = grow(b.keep, nb*room)
	b.nkeep, b.below, b.total = growInts(b.nkeep, nb), growInts(b.below, nb), growInts(b.total, nb)
	if cap(b.over) < nb {
		b.over = make([]bool, nb)
	}
	b.over = b.over[:nb]
	for j := range b.over {
		b.over[j] = false
	}
	keep, nkeep, below, total := b.keep, b.nkeep, b.below, b.total
	for g := 0; g < G; g++ {
		row := counts.Row(g)
		l := rowLogMean(row, t, rl)
		if math.IsInf(l, 0) {
			continue
		}
		finite++
		keepRatios(row[j0:j1], rl[j0:j1], l, lo, hi, keep, nkeep, below, total, b.over, room)
	}
	if finite == 0 {
		return 0
	}
	for j := range total {
		total[j] += finite
	}
	for j := range sf {
		n := total[j]
		if n == 0 {
			sf[j] = expRounded(math.NaN())
			continue
		}
		h := n / 2
		bl := below[j]
		k := keep[j*room : j*room+nkeep[j]]
		first := h // the smaller rank the median needs
		if n%2 == 0 {
			first = h - 1
		}
		if !b.over[j] && bl <= first && h < bl+len(k) {
			v := quickselect(k, h-bl)
			if n%2 == 0 {
				// the largest value below rank h (h-bl >= 1 as first >= bl)
				w := k[0]
				for _, x := range k[1 : h-bl] {
					if x > w {
						w = x
					}
				}
				v = (w + v) / 2
			}
			sf[j] = expRounded(v)
			continue
		}
		// the bracket missed: all of sample j's values
		b.all = sampleRatios(counts, t, j0+j, rl, b.all[:0])
		sf[j] = expRounded(medianInPlace(b.all))
	}
	return finite
}

// grow returns s resliced to n values (reallocated if too short; contents
// not kept).
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// growInts returns s resliced to n zeros (reallocated if too short).
func growInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	s = s[:n]
	for i := range s {
		s[i] = 0
	}
	return s
}

// rowLogMean returns a gene's log geometric mean, R's rowMeans(log(k)) (Ratio:
// -Inf if a count is 0) or the sum of the logs of the positive counts over m
// (PosCounts: -Inf if all are 0), and sets rl[j] = log k_j for k_j > 0.
// R's rowMeans sums in long double: a double-double sum, divided by m and
// rounded once, gives the same double but in rare ties.
func rowLogMean(row []float64, t SizeFactorType, rl []float64) float64 {
	m := len(row)
	rl = rl[:m]
	var s, e float64
	all0 := true
	for j, v := range row {
		if v > 0 {
			l := logCountR(v)
			rl[j] = l
			hi := s + l
			bb := hi - s
			e += (s - (hi - bb)) + (l - bb)
			s = hi
			all0 = false
		} else if t == Ratio {
			return math.Inf(-1)
		}
	}
	if all0 {
		return math.Inf(-1)
	}
	mf := float64(m)
	q := s / mf
	rem := math.FMA(-q, mf, s) + e
	return q + rem/mf
}

// keepRatios adds one gene's log ratios r_j = rl[j] - l (positive counts) to
// the per-sample tallies: below counts r_j < lo[j], total is decremented for
// a zero count (the caller adds the number of genes), and r_j is kept in
// keep[j·room:] when lo[j] <= r_j <= hi[j] (over[j] set when the room is
// full). The comparisons set flags rather than branch (the values are finite).
func keepRatios(row, rl []float64, l float64, lo, hi, keep []float64, nkeep, below, total []int, over []bool, room int) {
	rl = rl[:len(row)]
	lo, hi = lo[:len(row)], hi[:len(row)]
	nkeep, below, total, over = nkeep[:len(row)], below[:len(row)], total[:len(row)], over[:len(row)]
	for j, v := range row {
		if !(v > 0) {
			total[j]--
			continue
		}
		r := rl[j] - l
		ge, le := 0, 0
		if r >= lo[j] {
			ge = 1
		}
		if r <= hi[j] {
			le = 1
		}
		in := ge & le
		below[j] += 1 - ge
		k := nkeep[j]
		if k == room {
			over[j] = over[j] || in == 1
			continue
		}
		keep[j*room+k] = r
		nkeep[j] = k + in
	}
}

// sampleRatios appends sample j's log ratios over the genes with a finite log
// geometric mean, in gene order, to out.
func sampleRatios(counts *dataset.Matrix, t SizeFactorType, j int, rl, out []float64) []float64 {
	for g := 0; g < counts.Rows(); g++ {
		row := counts.Row(g)
		if !(row[j] > 0) {
			continue
		}
		l := rowLogMean(row, t, rl)
		if math.IsInf(l, 0) {
			continue
		}
		out = append(out, rl[j]-l)
	}
	return out
}
