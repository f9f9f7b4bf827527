package stats

import (
	"errors"
	"math"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// CorMethod selects the correlation of CorTest.
type CorMethod int

const (
	// Pearson is the product-moment correlation.
	Pearson CorMethod = iota
	// Spearman is the rank correlation rho.
	Spearman
)

// CorOptions are the arguments of R's cor.test besides the data.
type CorOptions struct {
	Method      CorMethod
	Alternative Alternative
	// Exact applies to Spearman only: nil is R's exact=NULL, which for
	// Spearman means exact (AS 89) when n <= 1290 and there are no ties.
	Exact *bool
	// ConfLevel for the Pearson interval; 0 means R's default 0.95.
	ConfLevel float64
}

// Cor returns R's cor(x, y) for complete data: the covariance with n-1
// divided by the product of the standard deviations, each computed from
// two-pass means, clamped to [-1, 1]. NaN (R's NA with a warning) if either
// standard deviation is zero or fewer than 2 values.
func Cor(x, y []float64) float64 {
	n := len(x)
	if n < 2 || len(y) != n {
		return math.NaN()
	}
	mx, my := Mean(x), Mean(y)
	sxx := make([]float64, n)
	syy := make([]float64, n)
	sxy := make([]float64, n)
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx[i] = dx * dx
		syy[i] = dy * dy
		sxy[i] = dx * dy
	}
	nm1 := float64(n - 1)
	vx, vy, cxy := sum(sxx)/nm1, sum(syy)/nm1, sum(sxy)/nm1
	if vx == 0 || vy == 0 {
		return math.NaN()
	}
	r := cxy / (math.Sqrt(vx) * math.Sqrt(vy))
	if r > 1 {
		r = 1
	} else if r < -1 {
		r = -1
	}
	return r
}

// CorTest performs R's cor.test(x, y, method=, alternative=, exact=,
// conf.level=) for Pearson and Spearman (stats/R/cor.test.R, R 4.2.2).
// Pairs with a NaN are dropped.
//
// Pearson: r = Cor(x, y), t = sqrt(n-2)·r/sqrt(1-r²) on n-2 df, p from Pt; for
// n > 3 the interval tanh(atanh(r) ± z_{(1+level)/2}/sqrt(n-3)) (one-sided
// bounds for one-sided alternatives). Needs n >= 3.
//
// Spearman: rho = Cor(rank(x), rank(y)), S = (n³-n)(1-rho)/6. Exact p-values
// (no ties, n <= 1290, exact not false) use AS 89 as R's prho.c: complete
// enumeration of the permutations for n <= 9, an Edgeworth series otherwise,
// evaluated at round(S) (+2 for the lower tail). Otherwise
// t = rho/sqrt((1-rho²)/(n-2)) on n-2 df. Two-sided p = min(1, 2·(S > (n³-n)/6 ?
// P(S' >= S) : P(S' <= S))). Needs n >= 2.
//
// Zero variance gives estimate, statistic and p NaN (R: NA with a warning).
func CorTest(x, y []float64, o CorOptions) (Result, error) {
	if len(x) != len(y) {
		return Result{}, errors.New("stats: 'x' and 'y' must have the same length")
	}
	if !o.Alternative.valid() {
		return Result{}, ErrAlternative
	}
	level := o.ConfLevel
	if level == 0 {
		level = 0.95
	}
	if !(level > 0 && level < 1) {
		return Result{}, errors.New("stats: 'conf.level' must be a single number between 0 and 1")
	}
	var cx, cy []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			cx = append(cx, x[i])
			cy = append(cy, y[i])
		}
	}
	n := len(cx)
	fn := float64(n)
	switch o.Method {
	case Pearson:
		if n < 3 {
			return Result{}, errors.New("stats: not enough finite observations")
		}
		res := newResult("Pearson's product-moment correlation", "t")
		res.Alternative = o.Alternative
		res.N = n
		res.EstimateName = "cor"
		r := Cor(cx, cy)
		df := fn - 2
		res.Estimate = r
		res.DF = df
		res.Statistic = math.Sqrt(df) * r / math.Sqrt(1-r*r)
		if n > 3 {
			z := math.Atanh(r)
			sigma := 1 / math.Sqrt(fn-3)
			res.ConfLevel = level
			switch o.Alternative {
			case Less:
				res.ConfInt = [2]float64{-1, fmath.Tanh(z + sigma*dist.Qnorm(level, 0, 1, true, false))}
			case Greater:
				res.ConfInt = [2]float64{fmath.Tanh(z - sigma*dist.Qnorm(level, 0, 1, true, false)), 1}
			default:
				q := dist.Qnorm((1+level)/2, 0, 1, true, false)
				res.ConfInt = [2]float64{fmath.Tanh(z - sigma*q), fmath.Tanh(z + sigma*q)}
			}
		}
		t := res.Statistic
		switch o.Alternative {
		case Less:
			res.PValue = dist.Pt(t, df, true, false)
		case Greater:
			res.PValue = dist.Pt(t, df, false, false)
		default:
			res.PValue = 2 * math.Min(dist.Pt(t, df, true, false), dist.Pt(t, df, false, false))
		}
		if math.IsNaN(t) {
			res.PValue = math.NaN()
		}
		return res, nil
	case Spearman:
		if n < 2 {
			return Result{}, errors.New("stats: not enough finite observations")
		}
		res := newResult("Spearman's rank correlation rho", "S")
		res.Alternative = o.Alternative
		res.N = n
		res.EstimateName = "rho"
		exact := true
		if o.Exact != nil {
			exact = *o.Exact
		}
		ties := len(tieCounts(cx)) < n || len(tieCounts(cy)) < n
		rho := Cor(Rank(cx, Average), Rank(cy, Average))
		if math.IsNaN(rho) {
			return res, nil
		}
		res.Estimate = rho
		q := (fn*fn*fn - fn) * (1 - rho) / 6
		res.Statistic = q
		if ties && exact {
			exact = false
			res.Warnings = append(res.Warnings, "Cannot compute exact p-value with ties")
		}
		ps := func(q float64, lower bool) float64 {
			if n <= 1290 && exact {
				is := math.RoundToEven(q)
				if lower {
					is += 2
				}
				return prho(n, is, lower)
			}
			den := (fn * (fn*fn - 1)) / 6
			r := 1 - q/den
			return dist.Pt(r/math.Sqrt((1-r*r)/(fn-2)), fn-2, !lower, false)
		}
		switch o.Alternative {
		case TwoSided:
			var p float64
			if q > (fn*fn*fn-fn)/6 {
				p = ps(q, false)
			} else {
				p = ps(q, true)
			}
			res.PValue = math.Min(2*p, 1)
		case Greater:
			res.PValue = ps(q, true)
		case Less:
			res.PValue = ps(q, false)
		}
		return res, nil
	}
	return Result{}, errors.New("stats: unknown correlation method")
}

// prho is AS 89 (Best & Roberts 1975, Appl. Statist. 24:377) as in R's
// prho.c: P(S >= is), or P(S < is) when lower, for Spearman's S with n
// observations; exact enumeration for n <= 9, Edgeworth series otherwise.
func prho(n int, is float64, lower bool) float64 {
	pv := 1.0
	if lower {
		pv = 0
	}
	if n <= 1 || is <= 0 {
		return pv
	}
	y := float64(n)
	n3 := y * (y*y - 1) / 3
	if is > n3 {
		return 1 - pv
	}
	if n <= 9 {
		nfac := 1
		for i := 2; i <= n; i++ {
			nfac *= i
		}
		ifr := 0
		if is == n3 {
			ifr = 1
		} else {
			// count permutations with Σ(i - π(i))² >= is (Heap's algorithm)
			perm := make([]int, n)
			for i := range perm {
				perm[i] = i
			}
			count := func() {
				s := 0
				for i, p := range perm {
					d := i - p
					s += d * d
				}
				if is <= float64(s) {
					ifr++
				}
			}
			c := make([]int, n)
			count()
			for i := 0; i < n; {
				if c[i] < i {
					if i%2 == 0 {
						perm[0], perm[i] = perm[i], perm[0]
					} else {
						perm[c[i]], perm[i] = perm[i], perm[c[i]]
					}
					count()
					c[i]++
					i = 0
				} else {
					c[i] = 0
					i++
				}
			}
		}
		if lower {
			return float64(nfac-ifr) / float64(nfac)
		}
		return float64(ifr) / float64(nfac)
	}
	const (
		c1  = .2274
		c2  = .2531
		c3  = .1745
		c4  = .0758
		c5  = .1033
		c6  = .3932
		c7  = .0879
		c8  = .0151
		c9  = .0072
		c10 = .0831
		c11 = .0131
		c12 = 4.6e-4
	)
	b := 1 / y
	x := (6*(is-1)*b/(y*y-1) - 1) * math.Sqrt(y-1)
	yy := x * x
	u := x * b * (c1 + b*(c2+c3*b) + yy*(-c4+b*(c5+c6*b)-yy*b*(c7+c8*b-yy*(c9-c10*b+yy*b*(c11-c12*yy)))))
	yy = u / fmath.Exp(yy/2)
	if lower {
		pv = -yy + dist.Pnorm(x, 0, 1, true, false)
	} else {
		pv = yy + dist.Pnorm(x, 0, 1, false, false)
	}
	if pv < 0 {
		pv = 0
	}
	if pv > 1 {
		pv = 1
	}
	return pv
}
