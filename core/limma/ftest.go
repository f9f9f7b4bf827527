package limma

import (
	"errors"
	"fmt"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/stats"
)

// FTest returns the moderated F-statistic testing the coefficients coefs
// (indices into the fit's columns) jointly, like limma's classifyTestsF(fit,
// fstat.only = TRUE) on fit[, coefs] (limma 3.54.1, R/decidetests.R): with
// the correlation R = cov2cor(cov.coefficients[coefs, coefs]) =
// V diag(λ) Vᵀ, λ decreasing, r = #{λ/λ₁ > 1e-8} and
// Q = V[, 1:r] diag(1/sqrt(λ[1:r]))/sqrt(r),
//
//	F = ‖tᵀQ‖²,  df1 = r,  df2 = df.prior + df.residual
//	p = pf(F, r, df2, lower = FALSE)   (pchisq(r·F, r) when df2 > 1e6)
//
// A single coefficient gives F = t². Genes with a NaN t get NaN.
//
// Errors: no EBayes statistics, empty or out-of-range coefs, a non-estimable
// coefficient.
func FTest(f *Fit, coefs []int) (F, p []float64, df1 int, err error) {
	if f.T == nil {
		return nil, nil, 0, errors.New("limma: need to run EBayes first")
	}
	nc := f.NCoef()
	if len(coefs) == 0 {
		return nil, nil, 0, errors.New("limma: no coefficients to test")
	}
	// Position of each coefficient in the covariance (pivot order).
	pos := make([]int, nc)
	for j := range pos {
		pos[j] = -1
	}
	for k := 0; k < f.Rank; k++ {
		pos[f.Pivot[k]] = k
	}
	for _, j := range coefs {
		if j < 0 || j >= nc {
			return nil, nil, 0, fmt.Errorf("limma: coefficient %d out of range", j)
		}
		if pos[j] < 0 {
			return nil, nil, 0, fmt.Errorf("limma: coefficient %s is not estimable", f.CoefNames[j])
		}
	}
	m := len(coefs)
	G := f.NGenes()
	F = make([]float64, G)
	p = make([]float64, G)
	var Q []float64 // m x r
	r := m
	if m == 1 {
		Q = []float64{1}
	} else {
		cov := make([]float64, m*m)
		for a, ja := range coefs {
			for b, jb := range coefs {
				cov[a*m+b] = f.CovCoefficients[pos[ja]*f.Rank+pos[jb]]
			}
		}
		for a := 0; a < m; a++ {
			if cov[a*m+a] == 0 {
				cov[a*m+a] = 1
			}
		}
		cor := make([]float64, m*m)
		for a := 0; a < m; a++ {
			for b := 0; b < m; b++ {
				cor[a*m+b] = cov[a*m+b] / math.Sqrt(cov[a*m+a]*cov[b*m+b])
			}
		}
		lam, vec := jacobiEigen(cor, m)
		ord := stats.Order(lam, true)
		r = 0
		for _, k := range ord {
			if lam[k]/lam[ord[0]] > 1e-8 {
				r++
			}
		}
		Q = make([]float64, m*r)
		for c := 0; c < r; c++ {
			k := ord[c]
			s := 1 / math.Sqrt(lam[k]) / math.Sqrt(float64(r))
			for a := 0; a < m; a++ {
				Q[a*r+c] = vec[a*m+k] * s
			}
		}
	}
	for g := 0; g < G; g++ {
		fs := 0.0
		for c := 0; c < r; c++ {
			s := 0.0
			for a, j := range coefs {
				s += f.T[g*nc+j] * Q[a*r+c]
			}
			fs += s * s
		}
		F[g] = fs
		d0 := f.DfPrior[0]
		if len(f.DfPrior) > 1 {
			d0 = f.DfPrior[g]
		}
		df2 := d0 + f.DfResidual[g]
		if df2 > 1e6 {
			p[g] = dist.Pchisq(float64(r)*fs, float64(r), false, false)
		} else {
			p[g] = dist.Pf(fs, float64(r), df2, false, false)
		}
	}
	return F, p, r, nil
}

// TopRowF is one row of an F-test top table.
type TopRowF struct {
	Gene    string
	Index   int
	Coef    []float64 // the tested coefficients
	AveExpr float64
	F       float64
	PValue  float64
	AdjPVal float64
}

// TopTableF ranks genes by the moderated F-test of coefs, like limma's
// topTable(fit, coef = coefs) with several coefficients (.topTableF): BH over
// all genes, sorted by p-value (stable) unless sortBy is "none". coefs nil
// means every column except "(Intercept)". number <= 0 means all genes.
func TopTableF(f *Fit, coefs []int, number int, sortBy string) ([]TopRowF, error) {
	if coefs == nil {
		for j, n := range f.CoefNames {
			if n != "(Intercept)" {
				coefs = append(coefs, j)
			}
		}
	}
	F, p, _, err := FTest(f, coefs)
	if err != nil {
		return nil, err
	}
	adj := stats.PAdjust(p, stats.BH)
	G := f.NGenes()
	var ord []int
	switch sortBy {
	case "", "F":
		ord = stats.Order(p, false)
	case "none":
		ord = make([]int, G)
		for i := range ord {
			ord[i] = i
		}
	default:
		return nil, fmt.Errorf("limma: unknown sort.by %q for an F table", sortBy)
	}
	if number <= 0 || number > G {
		number = G
	}
	nc := f.NCoef()
	out := make([]TopRowF, number)
	for k := 0; k < number; k++ {
		g := ord[k]
		r := TopRowF{Gene: f.Genes[g], Index: g, F: F[g], PValue: p[g], AdjPVal: adj[g], AveExpr: math.NaN()}
		if f.Amean != nil {
			r.AveExpr = f.Amean[g]
		}
		for _, j := range coefs {
			r.Coef = append(r.Coef, f.Coefficients[g*nc+j])
		}
		out[k] = r
	}
	return out, nil
}
