package plotdata

import "math"

// ClusterOrder orders the rows of x (each a vector of equal length) for a heatmap by
// average-linkage hierarchical clustering on the distance 1 - Pearson correlation
// (UPGMA; Sokal and Michener 1958), reading the leaves of the tree from left to
// right. At each merge the cluster formed earlier goes left; ties are broken by the
// lowest row index, so the order is deterministic. Rows with fewer than two finite
// paired values, or zero variance, are at distance 1 from every other row.
// It is O(n^3) in time and O(n^2) in memory: meant for up to a few thousand rows.
func ClusterOrder(x [][]float64) []int {
	n := len(x)
	if n <= 2 {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := 1 - pearson(x[i], x[j])
			d[i][j], d[j][i] = v, v
		}
	}
	// Active clusters: their leaves in order and their size.
	leaves := make([][]int, n)
	active := make([]bool, n)
	for i := range leaves {
		leaves[i] = []int{i}
		active[i] = true
	}
	for left := n; left > 1; left-- {
		bi, bj, best := -1, -1, math.Inf(1)
		for i := 0; i < n; i++ {
			if !active[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if active[j] && d[i][j] < best {
					bi, bj, best = i, j, d[i][j]
				}
			}
		}
		ni, nj := float64(len(leaves[bi])), float64(len(leaves[bj]))
		for k := 0; k < n; k++ {
			if active[k] && k != bi && k != bj {
				v := (ni*d[bi][k] + nj*d[bj][k]) / (ni + nj)
				d[bi][k], d[k][bi] = v, v
			}
		}
		leaves[bi] = append(leaves[bi], leaves[bj]...)
		active[bj] = false
		leaves[bj] = nil
	}
	for i := range active {
		if active[i] {
			return leaves[i]
		}
	}
	return nil
}

// pearson is the correlation over pairs where both values are finite; NaN-free
// input of zero variance gives 0.
func pearson(a, b []float64) float64 {
	var n, sa, sb float64
	for i := range a {
		if i < len(b) && finite(a[i]) && finite(b[i]) {
			n++
			sa += a[i]
			sb += b[i]
		}
	}
	if n < 2 {
		return 0
	}
	ma, mb := sa/n, sb/n
	var saa, sbb, sab float64
	for i := range a {
		if i < len(b) && finite(a[i]) && finite(b[i]) {
			da, db := a[i]-ma, b[i]-mb
			saa += da * da
			sbb += db * db
			sab += da * db
		}
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
