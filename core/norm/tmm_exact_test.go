package norm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/stats"
)

// directTMM is edgeR 3.40's .calcFactorTMM written out as R does it, with no
// shortcut: M and A of every gene from the direct formulas, R's average
// ranks (core/stats.Rank, a full sort), the trims on the ranks. It returns
// the factor (before the geometric-mean scaling) and the indices of the
// genes that the trims keep (nil when the factor is 1 by the max|M| rule).
func directTMM(obs, ref []float64, nO, nR float64, opt NormOptions) (float64, []int) {
	var logR, absE, v []float64
	var gene []int
	for g := range obs {
		o, r := obs[g], ref[g]
		lr := fmath.Log2((o / nO) / (r / nR))
		ae := (fmath.Log2(o/nO) + fmath.Log2(r/nR)) / 2
		if math.IsNaN(lr) || math.IsInf(lr, 0) || math.IsNaN(ae) || math.IsInf(ae, 0) || !(ae > opt.Acutoff) {
			continue
		}
		logR = append(logR, lr)
		absE = append(absE, ae)
		v = append(v, (nO-o)/nO/o+(nR-r)/nR/r)
		gene = append(gene, g)
	}
	maxAbs := math.Inf(-1)
	for _, x := range logR {
		maxAbs = math.Max(maxAbs, math.Abs(x))
	}
	if maxAbs < 1e-6 {
		return 1, nil
	}
	n := float64(len(logR))
	loL := math.Floor(n*opt.LogratioTrim) + 1
	hiL := n + 1 - loL
	loS := math.Floor(n*opt.SumTrim) + 1
	hiS := n + 1 - loS
	rM := stats.Rank(logR, stats.Average)
	rA := stats.Rank(absE, stats.Average)
	kept := []int{}
	var num, den kahan
	var mm []float64
	for i := range logR {
		if rM[i] >= loL && rM[i] <= hiL && rA[i] >= loS && rA[i] <= hiS {
			kept = append(kept, gene[i])
			num.add(logR[i] / v[i])
			den.add(1 / v[i])
			mm = append(mm, logR[i])
		}
	}
	var f float64
	switch {
	case opt.NoWeighting:
		f = meanR(mm)
	case len(kept) == 0:
		f = math.NaN()
	default:
		f = num.sum() / den.sum()
	}
	if math.IsNaN(f) {
		f = 0
	}
	return fmath.Pow(2, f), kept
}

// tmmCase is a count matrix with options for the exactness tests.
type tmmCase struct {
	name string
	m    *dataset.Matrix
	opt  NormOptions
}

// tmmCases are count matrices made to stress the trims: Poisson counts of a
// few levels (large tie groups at the trim boundaries), samples that are
// exact multiples of others (M values that are equal in exact arithmetic
// but not after rounding), non-whole counts, counts beyond 2^16 and 2^32,
// library sizes far from the column sums, an A cutoff equal to an A value,
// all-zero and identical samples, and several trims with and without weights.
func tmmCases() []tmmCase {
	mk := func(ng, ns int, f func(g, j int) float64) *dataset.Matrix {
		gs := make([]string, ng)
		ss := make([]string, ns)
		for i := range gs {
			gs[i] = fmt.Sprint("g", i)
		}
		for j := range ss {
			ss[j] = fmt.Sprint("s", j)
		}
		m := dataset.NewMatrix(dataset.Counts, gs, ss)
		for g := 0; g < ng; g++ {
			for j := 0; j < ns; j++ {
				m.Data[g*ns+j] = f(g, j)
			}
		}
		return m
	}
	r := rand.New(rand.NewPCG(11, 12))
	pois := func(lam float64) float64 { return poissonRand(r, lam) }
	var cs []tmmCase
	add := func(name string, m *dataset.Matrix, opts ...NormOptions) {
		if len(opts) == 0 {
			opts = []NormOptions{{}}
		}
		for i, o := range opts {
			cs = append(cs, tmmCase{fmt.Sprintf("%s/%d", name, i), m, o})
		}
	}
	trims := []NormOptions{{}, {NoWeighting: true}, {LogratioTrim: 0.1, SumTrim: 0.2}, {LogratioTrim: 0.45, SumTrim: -1},
		{RefColumn: 2}, {LogratioTrim: -1, SumTrim: -1}}
	for s := uint64(0); s < 3; s++ {
		add(fmt.Sprint("nb", s), simCounts(3000+1000*int(s), 7, 20+s), trims...)
	}
	for _, lam := range []float64{0.3, 1, 3, 12} {
		add(fmt.Sprint("pois", lam), mk(2500, 6, func(g, j int) float64 { return pois(lam * (1 + float64(g%7))) }), trims...)
	}
	// Sample j = (j+1) x sample 0 on most genes: M equal in exact arithmetic.
	base := simCounts(3000, 1, 30)
	add("multiples", mk(3000, 5, func(g, j int) float64 {
		if g%5 == 0 {
			return pois(20)
		}
		return float64(j+1) * base.Data[g]
	}), trims...)
	// Ratios c/d with small c, d over many genes: many mathematically equal M.
	add("ratios", mk(4000, 4, func(g, j int) float64 {
		k := 1 + g%9
		if j == 0 {
			return float64(k * (1 + g%4))
		}
		return float64((k + j) * (1 + g%4))
	}), trims...)
	add("nonwhole", mk(3000, 5, func(g, j int) float64 { return pois(30*float64(1+g%11)) * (0.37 + 0.5*float64(j%2)) }), trims...)
	add("huge", mk(3000, 5, func(g, j int) float64 { return pois(5) * math.Pow(10, float64(g%10)) }), trims...)
	nb := simCounts(3000, 6, 40)
	add("libsize", nb, NormOptions{LibSize: []float64{1e-3, 7, 1e5, 3e8, 1e200, 2e-200}},
		NormOptions{LibSize: []float64{1e300, 1e-300, 1, 1, 5e307, 3}},
		NormOptions{LibSize: []float64{1e-3, 7, 1e5, 3e8, 1e200, 2e-200}, RefColumn: 5},
		NormOptions{LibSize: []float64{1e-3, 7, 1e5, 3e8, 1e140, 2e-140}, RefColumn: 6})
	// A cutoff equal to the A of a gene against the reference.
	nf := make([]float64, 6)
	for j := range nf {
		for g := 0; g < 3000; g++ {
			nf[j] += nb.Data[g*6+j]
		}
	}
	a0 := (fmath.Log2(nb.Data[100*6+1]/nf[1]) + fmath.Log2(nb.Data[100*6]/nf[0])) / 2
	add("acutoff", nb, NormOptions{Acutoff: a0, RefColumn: 1}, NormOptions{Acutoff: math.Nextafter(a0, 0), RefColumn: 1},
		NormOptions{Acutoff: math.Nextafter(a0, -1), RefColumn: 1})
	// An all-zero sample, a copy of the reference and its double.
	add("special", mk(3000, 5, func(g, j int) float64 {
		switch j {
		case 1:
			return 0
		case 2, 3:
			return float64(j-1) * nb.Data[g*6]
		case 4:
			return 3 * nb.Data[g*6]
		}
		return nb.Data[g*6]
	}), NormOptions{RefColumn: 1}, NormOptions{})
	// Mostly zeros: median of the upper quartiles 0, the reference by
	// colSums(sqrt(y)).
	add("sparse", mk(3000, 7, func(g, j int) float64 {
		if (g+j)%9 != 0 {
			return 0
		}
		return pois(3 + float64(j))
	}), NormOptions{}, NormOptions{NoWeighting: true})
	add("small", mk(40, 4, func(g, j int) float64 { return pois(4) }), trims...)
	return cs
}

// directFactors runs directTMM on every sample against the reference that
// normTMM chooses, for the genes with a positive count.
func directFactors(m *dataset.Matrix, opt NormOptions) ([]float64, [][]int) {
	opt = opt.withDefaults()
	cols, lib, ref := directSetup(m, opt)
	f := make([]float64, len(cols))
	kept := make([][]int, len(cols))
	for j := range f {
		f[j], kept[j] = directTMM(cols[j], cols[ref], lib[j], lib[ref], opt)
	}
	return f, kept
}

// directSetup returns the columns of the genes with a positive count, the
// library sizes and the reference sample (0-based) as edgeR chooses them.
func directSetup(m *dataset.Matrix, opt NormOptions) ([][]float64, []float64, int) {
	ns := m.Cols()
	lib := opt.LibSize
	if lib == nil {
		lib = colSums(m)
	}
	var rows []int
	for g := 0; g < m.Rows(); g++ {
		for _, v := range m.Row(g) {
			if v > 0 {
				rows = append(rows, g)
				break
			}
		}
	}
	cols := make([][]float64, ns)
	for j := range cols {
		for _, g := range rows {
			cols[j] = append(cols[j], m.At(g, j))
		}
	}
	ref := opt.RefColumn - 1
	if ref < 0 {
		f75 := make([]float64, ns)
		for j := range f75 {
			f75[j] = quantile7(cols[j], 0.75) / lib[j]
		}
		if medianR(f75) < 1e-20 {
			ref = whichMaxSqrt(cols)
		} else {
			mu := meanR(f75)
			ref = 0
			for j := 1; j < ns; j++ {
				if math.Abs(f75[j]-mu) < math.Abs(f75[ref]-mu) {
					ref = j
				}
			}
		}
	}
	return cols, lib, ref
}

// The fast per-sample factor keeps exactly the genes that R's ranks keep.
func TestTMMKeptMatchesDirect(t *testing.T) {
	for _, c := range tmmCases() {
		opt := c.opt.withDefaults()
		cols, lib, ref := directSetup(c.m, opt)
		rf := newTMMRef(cols[ref], lib[ref])
		sc := newTMMScratch(len(cols[ref]))
		for j := range cols {
			want, wkept := directTMM(cols[j], cols[ref], lib[j], lib[ref], opt)
			got := sc.factor(cols[j], lib[j], rf, opt)
			if !closeRel(got, want, 1e-13, 0) {
				t.Errorf("%s sample %d: factor %.17g, want %.17g", c.name, j, got, want)
			}
			if wkept == nil {
				continue // factor 1 by the max |M| rule
			}
			if len(sc.kept) != len(wkept) {
				t.Errorf("%s sample %d: %d genes kept, want %d", c.name, j, len(sc.kept), len(wkept))
				continue
			}
			for i, g := range wkept {
				if int(sc.kept[i]) != g {
					t.Errorf("%s sample %d: kept gene %d is %d, want %d", c.name, j, i, sc.kept[i], g)
					break
				}
			}
		}
	}
}

// NormFactors (TMM) equals the direct computation: the same genes kept by
// the trims (checked through the kept list of the fast path) and factors
// within 1e-13 relative (the fast path sums log2(o/nO) - log2(r/nR) where
// that is within a few ulps of M).
func TestTMMMatchesDirect(t *testing.T) {
	for _, c := range tmmCases() {
		t.Run(c.name, func(t *testing.T) {
			want, _ := directFactors(c.m, c.opt)
			o := c.opt
			o.Method = TMM
			got, err := NormFactors(c.m, o)
			if err != nil {
				t.Fatal(err)
			}
			// NormFactors divides by the geometric mean; so do we.
			lf := make([]float64, len(want))
			for j, v := range want {
				lf[j] = fmath.Log(v)
			}
			gm := fmath.Exp(meanR(lf))
			for j := range want {
				want[j] /= gm
			}
			compareVec(t, c.name, got, want, 1e-13, 0)
		})
	}
}
