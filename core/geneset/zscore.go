package geneset

import (
	"math"

	"github.com/her2het/her2het/core/stats"
)

// standardize returns t(scale(t(x))) for x (p genes x n samples, row-major):
// each gene centred by its mean and divided by its standard deviation
// sqrt(Σ(x-mean)²/(n-1)), with R's long-double sums approximated by
// compensated summation.
func standardize(x []float64, p, n int) []float64 {
	z := make([]float64, len(x))
	for g := 0; g < p; g++ {
		row := x[g*n : (g+1)*n]
		var s stats.Neumaier
		for _, v := range row {
			s.Add(v)
		}
		mean := s.Sum() / float64(n)
		var ss stats.Neumaier
		zr := z[g*n : (g+1)*n]
		for j, v := range row {
			zr[j] = v - mean
			ss.Add(zr[j] * zr[j])
		}
		sd := math.Sqrt(ss.Sum() / float64(max(1, n-1)))
		for j := range zr {
			zr[j] /= sd
		}
	}
	return z
}

// zscoreScores fills out with combined z-scores (Lee et al. 2008,
// doi:10.1371/journal.pcbi.1000217), as GSVA 1.46's zscore()/combinez():
//
//	score_sj = Σ_{g∈S} Z_gj / sqrt(|S|),  Z = t(scale(t(X))).
func zscoreScores(z []float64, n int, sets [][]int, out []float64) {
	for s, set := range sets {
		sq := math.Sqrt(float64(len(set)))
		for j := 0; j < n; j++ {
			var a stats.Neumaier
			for _, g := range set {
				a.Add(z[g*n+j])
			}
			out[s*n+j] = a.Sum() / sq
		}
	}
}

// plageScores fills out with PLAGE scores (Tomfohr et al. 2005,
// doi:10.1186/1471-2105-6-225), as GSVA 1.46's plage(): the first right
// singular vector of Z[S, ] (|S| x n), unit norm.
//
// It is computed in plain Go (same bits on every target) as the top
// eigenvector of the smaller Gram matrix: v itself from Z[S,]ᵀZ[S,] (n x n)
// when |S| > n, else v ∝ Z[S,]ᵀ e with e the top eigenvector of
// Z[S,] Z[S,]ᵀ (|S| x |S|); see topEigenvector.
//
// The sign of a singular vector is arbitrary (R's LAPACK dgesdd picks one);
// here it is chosen so that the score correlates non-negatively with the
// set's summed z-scores (v · Σ_{g∈S} Z_g. >= 0), so compare with R up to sign.
// For a one-gene set the score is Z_g./||Z_g.|| (R 1.46 recycles a scalar).
func plageScores(z []float64, n int, sets [][]int, workers int, out []float64) error {
	parallel(len(sets), workers, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			set := sets[s]
			k := len(set)
			row := out[s*n : (s+1)*n]
			if k > n {
				g := make([]float64, n*n)
				for _, gi := range set {
					zr := z[gi*n : (gi+1)*n]
					for i, zi := range zr {
						gr := g[i*n : i*n+i+1]
						for j := range gr {
							gr[j] += zi * zr[j]
						}
					}
				}
				for i := 0; i < n; i++ {
					for j := 0; j < i; j++ {
						g[j*n+i] = g[i*n+j]
					}
				}
				copy(row, topEigenvector(g, n))
			} else {
				g := make([]float64, k*k)
				for a, ga := range set {
					za := z[ga*n : (ga+1)*n]
					for b := 0; b <= a; b++ {
						zb := z[set[b]*n : (set[b]+1)*n][:len(za)]
						dot := 0.0
						for j, v := range za {
							dot += v * zb[j]
						}
						g[a*k+b], g[b*k+a] = dot, dot
					}
				}
				e := topEigenvector(g, k)
				for j := range row {
					row[j] = 0
				}
				for a, ga := range set {
					ea := e[a]
					for j, v := range z[ga*n : (ga+1)*n] {
						row[j] += ea * v
					}
				}
				scaleUnit(row)
			}
			dot := 0.0
			for j := 0; j < n; j++ {
				colSum := 0.0
				for _, g := range set {
					colSum += z[g*n+j]
				}
				dot += row[j] * colSum
			}
			if dot < 0 {
				for j := range row {
					row[j] = -row[j]
				}
			}
		}
	})
	return nil
}
