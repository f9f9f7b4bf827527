package stats

import (
	"errors"
	"math"
)

// PairwiseWilcoxTest performs R's pairwise.wilcox.test(x, g,
// p.adjust.method = m) (stats/R/pairwise.R, R 4.2.2) for the samples in
// groups, with the WilcoxTest options o (R passes ... to wilcox.test; its
// defaults are Correct: true).
//
// P[i][j] for i > j holds the adjusted p-value of WilcoxTest(groups[i],
// groups[j], o); entries with i <= j are NaN, as the upper triangle R leaves
// out. The adjustment runs over all k(k-1)/2 p-values together (NaN excluded).
// Errors: fewer than 2 groups, or any error of WilcoxTest on a pair.
func PairwiseWilcoxTest(groups [][]float64, m AdjustMethod, o WilcoxOptions) ([][]float64, error) {
	k := len(groups)
	if k < 2 {
		return nil, errors.New("stats: need at least 2 groups")
	}
	P := make([][]float64, k)
	for i := range P {
		P[i] = make([]float64, k)
		for j := range P[i] {
			P[i][j] = math.NaN()
		}
	}
	// R's lower.tri order is column-major: j outer, i inner.
	var raw []float64
	var pos [][2]int
	for j := 0; j < k-1; j++ {
		for i := j + 1; i < k; i++ {
			r, err := WilcoxTest(groups[i], groups[j], o)
			if err != nil {
				return nil, err
			}
			raw = append(raw, r.PValue)
			pos = append(pos, [2]int{i, j})
		}
	}
	adj := PAdjust(raw, m)
	for n, ij := range pos {
		P[ij[0]][ij[1]] = adj[n]
	}
	return P, nil
}
