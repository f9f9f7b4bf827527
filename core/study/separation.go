package study

import "math"

// Separation in logistic regression (Albert & Anderson 1984, Biometrika 71:1-10,
// doi:10.1093/biomet/71.1.1): the maximum-likelihood estimate of a logistic model
// exists only when the outcomes overlap, i.e. when no coefficient vector b != 0
// has (2y_i - 1) x_i'b >= 0 for every observation i. Otherwise the data are
// separated: completely when some b makes every inequality strict (the model
// predicts every outcome perfectly), quasi-completely when some must be equalities.
// R's glm.fit then iterates towards infinite coefficients and at best warns
// "glm.fit: fitted probabilities numerically 0 or 1 occurred"; the Wald odds ratio,
// interval and p-value it prints for a separated coefficient mean nothing.

// sepKind says whether and how a binary outcome is separated.
type sepKind int

const (
	sepNone     sepKind = iota // the outcomes overlap: the estimate exists
	sepQuasi                   // quasi-complete separation
	sepComplete                // complete separation
	sepUnknown                 // not checked (too many observations or columns)
)

// sepMaxObs bounds the ray enumeration (O(n^3) for two covariates).
const sepMaxObs = 400

// separation checks whether y (0/1) is separated by the columns of X with an
// intercept, as GLMBinomial would fit them (rows with NaN left out). It returns
// the kind and, for each coefficient (intercept first), whether it is involved:
// whether some separating direction b has a non-zero component on it (that
// coefficient's estimate diverges; the others may still be estimable).
//
// The cone {b : z_i'b >= 0}, z_i = (2y_i - 1)(1, x_i), is checked through its
// extreme rays, which for a design of full column rank p lie on p-1 of the
// hyperplanes z_i'b = 0: p = 1 (intercept only) separates when every y is equal;
// for p = 2 the rays are the normals of the z_i, for p = 3 the cross products
// z_i x z_j. Complete separation is told by the sum of the feasible rays being
// strictly positive on every z_i. Up to 3 coefficients and sepMaxObs observations;
// beyond that, and for a design without full rank (GLMBinomial's error), the
// kind is sepUnknown / sepNone.
func separation(X [][]float64, y []float64) (sepKind, []bool) {
	var z [][]float64
	p := 1
	if len(X) > 0 {
		p += len(X[0])
	}
	for i := range y {
		if math.IsNaN(y[i]) {
			continue
		}
		row := make([]float64, p)
		row[0] = 1
		ok := true
		for j := 1; j < p; j++ {
			row[j] = X[i][j-1]
			ok = ok && !math.IsNaN(row[j]) && !math.IsInf(row[j], 0)
		}
		if !ok {
			continue
		}
		s := 1.0
		if y[i] == 0 {
			s = -1
		}
		for j := range row {
			row[j] *= s
		}
		z = append(z, row)
	}
	involved := make([]bool, p)
	if len(z) == 0 {
		return sepNone, involved
	}
	if p > 3 || len(z) > sepMaxObs {
		return sepUnknown, involved
	}
	feasible := func(b []float64) bool {
		nb := norm2(b)
		if nb == 0 {
			return false
		}
		for _, r := range z {
			if dot(r, b) < -1e-9*norm2(r)*nb {
				return false
			}
		}
		return true
	}
	var rays [][]float64
	switch p {
	case 1:
		rays = [][]float64{{1}, {-1}}
	case 2:
		for _, r := range z {
			rays = append(rays, []float64{-r[1], r[0]}, []float64{r[1], -r[0]})
		}
	case 3:
		for i := range z {
			for j := i + 1; j < len(z); j++ {
				a, b := z[i], z[j]
				c := []float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
				rays = append(rays, c, []float64{-c[0], -c[1], -c[2]})
			}
		}
	}
	if !fullRank(z, p) {
		return sepNone, involved
	}
	sum := make([]float64, p)
	found := false
	for _, b := range rays {
		if !feasible(b) {
			continue
		}
		found = true
		nb := norm2(b)
		for j := range b {
			sum[j] += b[j] / nb
			if math.Abs(b[j]) > 1e-9*nb {
				involved[j] = true
			}
		}
	}
	if !found {
		return sepNone, involved
	}
	ns := norm2(sum)
	for _, r := range z {
		if ns == 0 || dot(r, sum) <= 1e-9*norm2(r)*ns {
			return sepQuasi, involved
		}
	}
	return sepComplete, involved
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func norm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// fullRank tells whether the rows z span R^p (Gram-Schmidt with a relative
// tolerance; p <= 3).
func fullRank(z [][]float64, p int) bool {
	var basis [][]float64
	for _, r := range z {
		v := append([]float64(nil), r...)
		for _, q := range basis {
			d := dot(v, q)
			for k := range v {
				v[k] -= d * q[k]
			}
		}
		n := norm2(v)
		if n > 1e-9*norm2(r) {
			for k := range v {
				v[k] /= n
			}
			basis = append(basis, v)
			if len(basis) == p {
				return true
			}
		}
	}
	return false
}

// separationWarning returns, for a response model of pCR (y) on a predictor (the
// first column of X) and optionally HR (the second), the warning to show when the
// predictor's coefficient has no maximum-likelihood estimate because of
// separation, or "" when it is estimable (also when only the HR coefficient is
// separated: the predictor's odds ratio is then estimated from the patients whose
// outcome HR does not fix). The text starts with R's glm.fit warning.
func separationWarning(X [][]float64, y []float64, name string, hr bool) string {
	kind, involved := separation(X, y)
	if kind != sepComplete && kind != sepQuasi || !involved[1] && kind != sepComplete {
		return ""
	}
	what := "complete separation: "
	if kind == sepQuasi {
		what = "quasi-complete separation: "
	}
	what += name
	if hr {
		alone := make([][]float64, len(X))
		for i := range X {
			alone[i] = X[i][:1]
		}
		if k, _ := separation(alone, y); k == sepComplete || k == sepQuasi {
			what += " alone"
		} else {
			what += " with HR status"
		}
	}
	what += " predicts pCR perfectly"
	if kind == sepQuasi {
		what += " for some patients"
	}
	return "glm.fit: fitted probabilities numerically 0 or 1 occurred (" + what +
		"; the odds ratio is infinite, so it, its interval and its test are NA)"
}
