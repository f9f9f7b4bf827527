package norm

import (
	"math"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/stats"
)

// Sampling of colQuantiles: quantileSample rows, brackets quantileGap
// sample ranks either side of the target (4 standard deviations of the
// target's rank in the sample at p = 0.75), holding about 11% of the
// values; quantileRoom values of room per column.
const (
	quantileSample = 1024
	quantileGap    = 56
)

func quantileRoom(K int) int { return K/6 + quantileSample }

// colQuantiles sets q[j-j0] = quantile(y_j, p) (R's type 7) for the columns
// j0 <= j < j1 of m over the genes rows (len(rows) >= sampledMin), without
// gathering the columns: the rows of a systematic sample bracket the two
// order statistics the quantile needs, one pass over the row segments
// (in memory order) counts each column's values below its bracket and
// copies those inside, and the statistics are selected among those. The
// result is exactly quantile7's. A column whose bracket missed (or
// overflowed its room) is gathered and selected on whole. buf must have
// len >= (j1-j0)*quantileRoom(len(rows)); col and tmp len >= len(rows).
func colQuantiles(m *dataset.Matrix, rows []int, j0, j1 int, p float64, q, buf, col, tmp []float64) {
	n, K, B := m.Cols(), len(rows), j1-j0
	C := quantileRoom(K)
	index := 1 + float64(K-1)*p
	fl := math.Floor(index)
	k := int(fl) - 1 // order statistics k and, when h > 0, k+1 (0-based)
	h := index - fl
	// The sample, column by column in buf (it is used before the pass).
	S := min(quantileSample, K)
	for i := 0; i < S; i++ {
		seg := m.Data[rows[int(int64(i)*int64(K)/int64(S))]*n+j0:]
		for t := 0; t < B; t++ {
			buf[t*C+i] = seg[t]
		}
	}
	// Brackets: the sample's order statistics r-gap and r+1+gap.
	lo := make([]float64, B)
	hi := make([]float64, B)
	r := int(int64(k) * int64(S) / int64(K))
	for t := 0; t < B; t++ {
		smp := buf[t*C : t*C+S]
		lo[t], hi[t] = math.Inf(-1), math.Inf(1)
		from := 0
		if a := r - quantileGap; a >= 0 {
			lo[t] = stats.SelectK(smp, a)
			from = a + 1
		}
		if b := r + 1 + quantileGap; b < S {
			hi[t] = stats.SelectK(smp[from:], b-from)
		}
	}
	c := make([]int, B)
	ln := make([]int, B)
	for _, g := range rows {
		bracketRow(m.Data[g*n+j0:g*n+j1], lo, hi, c, ln, buf, C)
	}
	for t := 0; t < B; t++ {
		s := buf[t*C : t*C+min(ln[t], C)]
		kk := k - c[t]
		if ln[t] <= C && kk >= 0 && kk < len(s) && (h == 0 || kk+1 < len(s)) {
			qs := stats.SelectK(s, kk)
			if h > 0 {
				xh := math.Inf(1)
				for _, v := range s[kk+1:] {
					xh = min(xh, v)
				}
				if xh != qs {
					qs = (1-h)*qs + h*xh
				}
			}
			q[t] = qs
			continue
		}
		gatherCols(m, rows, j0+t, j0+t+1, col)
		q[t] = quantileScratch(col, p, tmp)
	}
}

// bracketRow feeds one row segment to colQuantiles' brackets: column t's
// value is counted in c[t] when below lo[t] and written at its fill mark
// buf[t*C+ln[t]] (clamped to the column's room), which moves when the
// value is in [lo[t], hi[t]]. Branch-free: the values are in random order.
func bracketRow(seg, lo, hi []float64, c, ln []int, buf []float64, C int) {
	last := C - 1
	lo, hi, c, ln = lo[:len(seg)], hi[:len(seg)], c[:len(seg)], ln[:len(seg)]
	for t, v := range seg {
		b := b2i(v < lo[t])
		c[t] += b
		at := ln[t]
		buf[t*C+min(at, last)] = v
		ln[t] = at + b2i(v <= hi[t]) - b
	}
}
