package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/fmath"
)

// FisherOptions are the arguments of R's fisher.test besides the table.
type FisherOptions struct {
	// Alternative applies to 2x2 tables only (R ignores it otherwise).
	Alternative Alternative
	// OR is the hypothesized odds ratio for 2x2 tables; 0 means R's default 1.
	OR float64
	// ConfLevel of the odds-ratio interval; 0 means R's default 0.95.
	ConfLevel float64
	// Simulate computes the r x c p-value by Monte Carlo like R's
	// simulate.p.value=TRUE with B replicates (0 means R's default 2000),
	// drawing tables with the observed margins uniformly from the
	// permutation distribution with a PCG generator seeded by Seed. The
	// p-value is (1 + #{simulated Σ-log T! <= observed/(1+64 eps)})/(B+1)
	// as in R, but R's random numbers are not reproduced, so the value
	// differs from R's by Monte Carlo error. Ignored for 2x2 tables.
	Simulate bool
	B        int
	Seed     uint64
	// MaxWork bounds the work of the r x c network algorithm (number of
	// partial-path updates), like R's workspace argument; 0 means the
	// default 1e7 (about a second). A 5 x 4 table with n = 146, which R's
	// default workspace refuses, needs about 6.5e6.
	MaxWork int
}

// FisherTest performs Fisher's exact test as R's fisher.test
// (stats/R/fisher.test.R, R 4.2.2). t[i][j] holds non-negative integer counts.
//
// 2x2 tables: with m = Σ column 1, n = Σ column 2, k = Σ row 1, x = t[0][0]
// and support lo..hi, the conditional distribution of x under odds ratio ψ is
// d(s) ∝ dhyper(s; m, n, k)·ψ^s. less = P(X <= x), greater = P(X >= x), and
// two-sided = Σ d(s) over d(s) <= d(x)·(1+1e-7). The estimate is the
// conditional MLE (solving E_ψ(X) = x) and the interval inverts the one-sided
// tails; both use R's uniroot (Brent's zeroin, tol = eps^0.25) on the same
// brackets as R, so they agree with R to its printed precision.
//
// Larger tables: the p-value sums the probabilities of all tables with the
// same margins whose probability is at most the observed one (relative
// tolerance 1e-7), by a network algorithm (see fisherRxC). Estimate and
// interval are NaN. Tables beyond the work budget MaxWork (such as 5 x 4
// with n = 300, which R's FEXACT also refuses with its default workspace)
// give ErrFisherTooLarge; Simulate gives a Monte Carlo p-value instead.
//
// Errors: ragged or too small tables, negative, non-integer or non-finite
// counts, zero total, invalid options.
func FisherTest(t [][]float64, o FisherOptions) (Result, error) {
	nr, nc, _, err := checkTable(t)
	if err != nil {
		return Result{}, err
	}
	for _, row := range t {
		for _, v := range row {
			if v != math.Round(v) {
				return Result{}, errors.New("stats: all entries of 'x' must be integers")
			}
		}
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
	or := o.OR
	if or == 0 {
		or = 1
	}
	if !(or > 0) || math.IsNaN(or) {
		return Result{}, errors.New("stats: 'or' must be a single number between 0 and Inf")
	}
	res := newResult("Fisher's Exact Test for Count Data", "")
	var n float64
	for _, row := range t {
		for _, v := range row {
			n += v
		}
	}
	res.N = int(n)
	if nr == 2 && nc == 2 {
		fisher2x2(t, or, level, o.Alternative, &res)
		return res, nil
	}
	// Rows and columns with zero sum do not change the conditional
	// distribution; FEXACT ignores them too.
	t = dropEmpty(t)
	if o.Simulate {
		if len(t) < 2 {
			return Result{}, errors.New("stats: need 2 or more non-zero row marginals")
		}
		if len(t[0]) < 2 {
			return Result{}, errors.New("stats: need 2 or more non-zero column marginals")
		}
		b := o.B
		if b <= 0 {
			b = 2000
		}
		res.Method = fmt.Sprintf("Fisher's Exact Test for Count Data with simulated p-value\n\t (based on %d replicates)", b)
		res.PValue = fisherSim(t, b, o.Seed)
		return res, nil
	}
	if len(t) < 2 || len(t[0]) < 2 {
		res.PValue = 1
		return res, nil
	}
	p, err := fisherRxC(t, o.MaxWork)
	if err != nil {
		return Result{}, err
	}
	res.PValue = p
	return res, nil
}

// dropEmpty removes rows and columns whose sum is zero, as R's fisher.test
// does (x <- x[rowSums(x) > 0, colSums(x) > 0, drop = FALSE]).
func dropEmpty(t [][]float64) [][]float64 {
	nc := len(t[0])
	keepC := make([]bool, nc)
	for j := 0; j < nc; j++ {
		for i := range t {
			if t[i][j] > 0 {
				keepC[j] = true
			}
		}
	}
	var out [][]float64
	for _, row := range t {
		s := 0.0
		for _, v := range row {
			s += v
		}
		if s == 0 {
			continue
		}
		var r []float64
		for j, v := range row {
			if keepC[j] {
				r = append(r, v)
			}
		}
		out = append(out, r)
	}
	return out
}

// nhyper holds the noncentral hypergeometric machinery of R's fisher.test.
type nhyper struct {
	m, n, k, x float64
	lo, hi     float64
	support    []float64
	logdc      []float64
}

func (h *nhyper) dn(ncp float64) []float64 {
	d := make([]float64, len(h.support))
	mx := math.Inf(-1)
	lncp := fmath.Log(ncp)
	for i, s := range h.support {
		d[i] = h.logdc[i] + lncp*s
		if d[i] > mx {
			mx = d[i]
		}
	}
	for i := range d {
		d[i] = fmath.Exp(d[i] - mx)
	}
	tot := sum(d)
	for i := range d {
		d[i] /= tot
	}
	return d
}

func (h *nhyper) mn(ncp float64) float64 {
	if ncp == 0 {
		return h.lo
	}
	if math.IsInf(ncp, 1) {
		return h.hi
	}
	d := h.dn(ncp)
	for i, s := range h.support {
		d[i] *= s
	}
	return sum(d)
}

func (h *nhyper) pn(q, ncp float64, upper bool) float64 {
	if ncp == 1 {
		if upper {
			return dist.Phyper(h.x-1, h.m, h.n, h.k, false, false)
		}
		return dist.Phyper(h.x, h.m, h.n, h.k, true, false)
	}
	if ncp == 0 {
		if upper {
			return b2f(q <= h.lo)
		}
		return b2f(q >= h.lo)
	}
	if math.IsInf(ncp, 1) {
		if upper {
			return b2f(q <= h.hi)
		}
		return b2f(q >= h.hi)
	}
	d := h.dn(ncp)
	var sel []float64
	for i, s := range h.support {
		if (upper && s >= q) || (!upper && s <= q) {
			sel = append(sel, d[i])
		}
	}
	return sum(sel)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// uniroot is R's uniroot(f, c(lower, upper)) with its defaults
// (tol = .Machine$double.eps^0.25, maxiter = 1000): R_zeroin2, Brent's
// method (stats/src/zeroin.c), re-implemented.
func uniroot(f func(float64) float64, lower, upper float64) float64 {
	tol := fmath.Pow(dblEps, 0.25)
	return Zeroin(lower, upper, f(lower), f(upper), f, tol, 1000)
}

const dblEps = 2.220446049250313e-16

// Zeroin finds a root of f in [ax, bx], given fa = f(ax) and fb = f(bx) of opposite
// signs (or zero), by Brent's method exactly as R's R_zeroin2 (stats/src/zeroin.c,
// R 4.2), which uniroot(f, c(ax, bx), f.lower = fa, f.upper = fb, tol, maxiter)
// calls. It returns the last iterate after maxit iterations.
func Zeroin(ax, bx, fa, fb float64, f func(float64) float64, tol float64, maxit int) float64 {
	a, b := ax, bx
	c, fc := a, fa
	if fa == 0 {
		return a
	}
	if fb == 0 {
		return b
	}
	for it := maxit + 1; it > 0; it-- {
		prevStep := b - a
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tolAct := 2*dblEps*math.Abs(b) + tol/2
		newStep := (c - b) / 2
		if math.Abs(newStep) <= tolAct || fb == 0 {
			return b
		}
		if math.Abs(prevStep) >= tolAct && math.Abs(fa) > math.Abs(fb) {
			var p, q float64
			cb := c - b
			if a == c {
				t1 := fb / fa
				p = cb * t1
				q = 1 - t1
			} else {
				q = fa / fc
				t1 := fb / fc
				t2 := fb / fa
				p = t2 * (cb*q*(q-t1) - (b-a)*(t1-1))
				q = (q - 1) * (t1 - 1) * (t2 - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if p < (0.75*cb*q-math.Abs(tolAct*q)/2) && p < math.Abs(prevStep*q/2) {
				newStep = p / q
			}
		}
		if math.Abs(newStep) < tolAct {
			if newStep > 0 {
				newStep = tolAct
			} else {
				newStep = -tolAct
			}
		}
		a, fa = b, fb
		b += newStep
		fb = f(b)
		if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
			c, fc = a, fa
		}
	}
	return b
}

func fisher2x2(t [][]float64, or, level float64, alt Alternative, res *Result) {
	h := &nhyper{m: t[0][0] + t[1][0], n: t[0][1] + t[1][1], k: t[0][0] + t[0][1], x: t[0][0]}
	h.lo = math.Max(0, h.k-h.n)
	h.hi = math.Min(h.k, h.m)
	for s := h.lo; s <= h.hi; s++ {
		h.support = append(h.support, s)
		h.logdc = append(h.logdc, dist.Dhyper(s, h.m, h.n, h.k, true))
	}
	x := h.x
	res.Alternative = alt
	switch alt {
	case Less:
		res.PValue = h.pn(x, or, false)
	case Greater:
		res.PValue = h.pn(x, or, true)
	default:
		if math.IsInf(or, 1) {
			res.PValue = b2f(x == h.hi)
		} else {
			d := h.dn(or)
			thr := d[int(x-h.lo)] * (1 + 1e-7)
			var sel []float64
			for _, v := range d {
				if v <= thr {
					sel = append(sel, v)
				}
			}
			res.PValue = sum(sel)
		}
	}
	res.PValue = math.Min(1, math.Max(0, res.PValue))
	ncpU := func(alpha float64) float64 {
		if x == h.hi {
			return math.Inf(1)
		}
		p := h.pn(x, 1, false)
		switch {
		case p < alpha:
			return uniroot(func(s float64) float64 { return h.pn(x, s, false) - alpha }, 0, 1)
		case p > alpha:
			return 1 / uniroot(func(s float64) float64 { return h.pn(x, 1/s, false) - alpha }, dblEps, 1)
		}
		return 1
	}
	ncpL := func(alpha float64) float64 {
		if x == h.lo {
			return 0
		}
		p := h.pn(x, 1, true)
		switch {
		case p > alpha:
			return uniroot(func(s float64) float64 { return h.pn(x, s, true) - alpha }, 0, 1)
		case p < alpha:
			return 1 / uniroot(func(s float64) float64 { return h.pn(x, 1/s, true) - alpha }, dblEps, 1)
		}
		return 1
	}
	res.ConfLevel = level
	switch alt {
	case Less:
		res.ConfInt = [2]float64{0, ncpU(1 - level)}
	case Greater:
		res.ConfInt = [2]float64{ncpL(1 - level), math.Inf(1)}
	default:
		a := (1 - level) / 2
		res.ConfInt = [2]float64{ncpL(a), ncpU(a)}
	}
	res.EstimateName = "odds ratio"
	switch {
	case x == h.lo:
		res.Estimate = 0
	case x == h.hi:
		res.Estimate = math.Inf(1)
	default:
		mu := h.mn(1)
		switch {
		case mu > x:
			res.Estimate = uniroot(func(s float64) float64 { return h.mn(s) - x }, 0, 1)
		case mu < x:
			res.Estimate = 1 / uniroot(func(s float64) float64 { return h.mn(1/s) - x }, dblEps, 1)
		default:
			res.Estimate = 1
		}
	}
}

// fisherSim is the Monte Carlo p-value of R's fisher.test(simulate.p.value =
// TRUE): the statistic -Σ log T_ij! of the observed table against B tables
// drawn with the same margins (a random permutation of the row labels of the
// N units, cut into consecutive column blocks: the exact permutation null).
func fisherSim(t [][]float64, b int, seed uint64) float64 {
	nr, nc := len(t), len(t[0])
	rs := make([]int, nr)
	cs := make([]int, nc)
	n := 0
	stat := 0.0
	for i := range t {
		for j := range t[i] {
			v := int(t[i][j])
			rs[i] += v
			cs[j] += v
			n += v
			stat -= lfact(v)
		}
	}
	lf := lfTable(n)
	labels := make([]int, 0, n)
	for i, r := range rs {
		for k := 0; k < r; k++ {
			labels = append(labels, i)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed_f15e_12c0_ffee))
	almost1 := 1 + 64*dblEps
	thr := stat / almost1
	cnt := make([]int, nr)
	hits := 0
	for rep := 0; rep < b; rep++ {
		rng.Shuffle(len(labels), func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
		v := 0.0
		pos := 0
		for _, c := range cs {
			for i := range cnt {
				cnt[i] = 0
			}
			for _, l := range labels[pos : pos+c] {
				cnt[l]++
			}
			pos += c
			for _, x := range cnt {
				v -= lf[x]
			}
		}
		if v <= thr {
			hits++
		}
	}
	return float64(1+hits) / float64(b+1)
}
