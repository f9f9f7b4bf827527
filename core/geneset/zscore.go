package geneset

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// standardize returns t(scale(t(x))) for x (p genes x n samples, row-major):
// each gene centred by its mean and divided by its standard deviation
// sqrt(Σ(x-mean)²/(n-1)), with R's long-double sums approximated by
// compensated summation.
func standardize(x []float64, p, n int) []float64 {
	z := make([]float64, len(x))
	for g := 0; g < p; g++ {
		row := x[g*n : (g+1)*n]
		var s neumaier
		for _, v := range row {
			s.add(v)
		}
		mean := s.sum() / float64(n)
		var ss neumaier
		zr := z[g*n : (g+1)*n]
		for j, v := range row {
			zr[j] = v - mean
			ss.add(zr[j] * zr[j])
		}
		sd := math.Sqrt(ss.sum() / float64(max(1, n-1)))
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
			var a neumaier
			for _, g := range set {
				a.add(z[g*n+j])
			}
			out[s*n+j] = a.sum() / sq
		}
	}
}

// plageScores fills out with PLAGE scores (Tomfohr et al. 2005,
// doi:10.1186/1471-2105-6-225), as GSVA 1.46's plage(): the first right
// singular vector of Z[S, ] (|S| x n), unit norm.
//
// The sign of a singular vector is arbitrary (R's LAPACK dgesdd picks one);
// here it is chosen so that the score correlates non-negatively with the
// set's summed z-scores (v · Σ_{g∈S} Z_g. >= 0), so compare with R up to sign.
// For a one-gene set the score is Z_g./||Z_g.|| (R 1.46 recycles a scalar).
func plageScores(z []float64, n int, sets [][]int, workers int, out []float64) error {
	var firstErr error
	errs := make([]error, len(sets))
	parallel(len(sets), workers, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			set := sets[s]
			a := mat.NewDense(len(set), n, nil)
			for i, g := range set {
				a.SetRow(i, z[g*n:(g+1)*n])
			}
			row := out[s*n : (s+1)*n]
			var svd mat.SVD
			if !svd.Factorize(a, mat.SVDThinV) {
				errs[s] = fmt.Errorf("geneset: PLAGE: SVD did not converge for gene set %d", s+1)
				for j := range row {
					row[j] = math.NaN()
				}
				continue
			}
			var v mat.Dense
			svd.VTo(&v)
			dot := 0.0
			for j := 0; j < n; j++ {
				row[j] = v.At(j, 0)
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
	for _, e := range errs {
		if e != nil && firstErr == nil {
			firstErr = e
		}
	}
	return firstErr
}
