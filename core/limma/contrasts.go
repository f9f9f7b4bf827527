package limma

import (
	"errors"
	"fmt"
	"math"
)

// ContrastsFit re-expresses a fit in terms of contrasts of its
// coefficients, like limma's contrasts.fit (limma 3.54.1, R/contrasts.R).
// C is ncoef x ncontrasts, row-major; names label the contrasts.
//
//	coefficients'   = coefficients · C
//	cov'            = Cᵀ cov C
//	stdev.unscaled' = sqrt(stdev² · C²)                     if cov is diagonal
//	                = sqrt(colSums((R·diag(stdev_g)·C)²))   otherwise, R = chol(cov2cor(cov))
//
// The correlation is that of the unweighted design (cov.coefficients), so for
// weighted fits with non-orthogonal designs the standard errors are limma's
// documented approximation. Rows of C for non-estimable coefficients must be
// zero; rows that are all zero are dropped; NaN coefficients count as 0 with
// stdev 1e30 and give NaN results where they contribute. Statistics from
// EBayes are cleared. Returns a new Fit.
//
// Errors: wrong dimensions, NaN in C, a contrast of a non-estimable
// coefficient.
func ContrastsFit(f *Fit, C []float64, names []string) (*Fit, error) {
	p := f.NCoef()
	nc := len(names)
	if nc == 0 || len(C) != p*nc {
		return nil, fmt.Errorf("limma: contrast matrix has %d values, want %d coefficients x %d contrasts", len(C), p, nc)
	}
	for _, v := range C {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errors.New("limma: NAs not allowed in contrasts")
		}
	}
	G := f.NGenes()
	r := f.Rank
	// Rows kept: estimable coefficients, in pivot order (the order of cov).
	est := f.Pivot[:r]
	isEst := make([]bool, p)
	for _, j := range est {
		isEst[j] = true
	}
	for j := 0; j < p; j++ {
		if !isEst[j] {
			for k := 0; k < nc; k++ {
				if C[j*nc+k] != 0 {
					return nil, fmt.Errorf("limma: trying to take contrast of non-estimable coefficient %s", f.CoefNames[j])
				}
			}
		}
	}
	cov := f.CovCoefficients
	var keep []int // positions in est order
	for a, j := range est {
		nz := false
		for k := 0; k < nc; k++ {
			if C[j*nc+k] != 0 {
				nz = true
			}
		}
		if nz {
			keep = append(keep, a)
		}
	}
	m := len(keep)
	cv := make([]float64, m*m)
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			cv[a*m+b] = cov[keep[a]*r+keep[b]]
		}
	}
	cc := make([]float64, m*nc) // contrasts restricted to kept rows
	for a, ka := range keep {
		copy(cc[a*nc:(a+1)*nc], C[est[ka]*nc:(est[ka]+1)*nc])
	}
	cor := make([]float64, m*m)
	orthog := true
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			cor[a*m+b] = cv[a*m+b] / math.Sqrt(cv[a*m+a]*cv[b*m+b])
			if b < a && !(math.Abs(cor[a*m+b]) < 1e-14) {
				orthog = false
			}
		}
	}
	out := &Fit{
		Genes: f.Genes, CoefNames: append([]string(nil), names...),
		Sigma: f.Sigma, DfResidual: f.DfResidual, Amean: f.Amean,
		Block: f.Block, Correlation: f.Correlation,
		Coefficients: make([]float64, G*nc), StdevUnscaled: make([]float64, G*nc),
	}
	// New covariance Cᵀ cov C, full rank by construction of the pivot.
	out.CovCoefficients = make([]float64, nc*nc)
	for k := 0; k < nc; k++ {
		for l := 0; l < nc; l++ {
			s := 0.0
			for a := 0; a < m; a++ {
				for b := 0; b < m; b++ {
					s += cc[a*nc+k] * cv[a*m+b] * cc[b*nc+l]
				}
			}
			out.CovCoefficients[k*nc+l] = s
		}
	}
	out.Pivot = make([]int, nc)
	for k := range out.Pivot {
		out.Pivot[k] = k
	}
	out.Rank = nc
	var R []float64
	if !orthog {
		var ok bool
		R, ok = cholUpper(cor, m)
		if !ok {
			return nil, errors.New("limma: the coefficient correlation matrix is not positive definite")
		}
	}
	coef := make([]float64, m)
	sd := make([]float64, m)
	ruc := make([]float64, m)
	for g := 0; g < G; g++ {
		na := false
		for a, ka := range keep {
			j := est[ka]
			coef[a] = f.Coefficients[g*p+j]
			sd[a] = f.StdevUnscaled[g*p+j]
			if math.IsNaN(coef[a]) {
				coef[a], sd[a] = 0, 1e30
				na = true
			}
		}
		for k := 0; k < nc; k++ {
			s := 0.0
			for a := 0; a < m; a++ {
				s += coef[a] * cc[a*nc+k]
			}
			var u float64
			if orthog {
				for a := 0; a < m; a++ {
					u += sd[a] * sd[a] * (cc[a*nc+k] * cc[a*nc+k])
				}
			} else {
				for a := 0; a < m; a++ {
					ruc[a] = sd[a] * cc[a*nc+k]
				}
				for a := 0; a < m; a++ {
					t := 0.0
					for b := a; b < m; b++ {
						t += R[a*m+b] * ruc[b]
					}
					u += t * t
				}
			}
			u = math.Sqrt(u)
			if na && u > 1e20 {
				s, u = math.NaN(), math.NaN()
			}
			out.Coefficients[g*nc+k] = s
			out.StdevUnscaled[g*nc+k] = u
		}
	}
	return out, nil
}

// cholUpper returns U with UᵀU = a (m x m, row-major), or false.
func cholUpper(a []float64, m int) ([]float64, bool) {
	u := make([]float64, m*m)
	for j := 0; j < m; j++ {
		d := a[j*m+j]
		for k := 0; k < j; k++ {
			d -= u[k*m+j] * u[k*m+j]
		}
		if !(d > 0) {
			return nil, false
		}
		d = math.Sqrt(d)
		u[j*m+j] = d
		for i := j + 1; i < m; i++ {
			t := a[j*m+i]
			for k := 0; k < j; k++ {
				t -= u[k*m+j] * u[k*m+i]
			}
			u[j*m+i] = t / d
		}
	}
	return u, true
}
