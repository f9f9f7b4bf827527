package deseq

import "math"

// An upper bound of the log posterior from per-gene sums, so that fitDisp
// can reject most Armijo trial steps without evaluating the log posterior
// (a proof of rejection leads to the same decision as the evaluation).
//
// With r = 1/α and L = -log α, logPost's likelihood part is
// Σ_j G(y_j) - Σ_j (y_j + r) φ(μ_j) with G(u) = lgamma(u+r) - lgamma(r) - uL
// and φ(μ) = log(μ+r) - L. Counts below uBinMin enter G exactly (once per
// distinct count). Larger counts are grouped in bins of ratio <= 1.25 and
// G is expanded around each bin's mean count c to third order; its fourth
// derivative ψ'''(u+r) is positive and falls with u, so the remainder is at
// most ψ'''(u_min+r)(u-c)⁴/24, and Σ n_u G(u) <= Σ_bins [N G(c) + G'(c)E₁ +
// ψ'(c+r)E₂/2 + ψ''(c+r)E₃/6 + ψ'''(u_min+r)E₄/24] with E_k = Σ n_u (u-c)^k.
// Likewise the μ_j are grouped in bins of ratio <= 1.25 around their mean c
// (t = 1/(c+r)): φ's fourth derivative -6/(μ+r)⁴ is at least
// -6/(μ_min+r)⁴ on the bin, so Σ (y_j+r) φ(μ_j) >= Σ_bins [D₀φ(c) + tD₁ -
// t²D₂/2 + t³D₃/3 - D₄/(4(μ_min+r)⁴)] with D_k = Σ (y_j+r)(μ_j-c)^k =
// Σ y_j (μ_j-c)^k + r Σ (μ_j-c)^k. The sums over y and μ are made once per
// gene; a bound then costs a logarithm and one or two divisions per bin.
// The Cox–Reid term -½ log det(XᵀWX) is bounded from its value at the
// current point (see upperBelow) and the prior is exact.

// useUpperBound lets fitDisp skip trial steps that upperBelow proves
// rejected (tests switch it off to check that the path is the same).
var useUpperBound = true

// lpBound holds the per-gene sums of the bound (y and μ fixed).
type lpBound struct {
	ok bool
	// μ bins: centre c (the bin's midpoint), lower end, and for k = 0..4
	// A[k] = Σ (μ_j - c)^k, Bk = Σ y_j (μ_j - c)^k over the bin's samples.
	mc, mmin []float64
	ma, mb   [][5]float64
	muMax    float64
	// count bins (counts >= uBinMin): centre c, smallest count, E[k] = Σ n_u (u - c)^k
	uc, umin []float64
	ue       [][5]float64
	// small distinct counts (exact), ascending, with their multiplicities
	us, un []float64
	lgs    []float64
	tmpBin []int32
	order  []int32
}

const (
	muBinShift = 50 // 4 bins per octave of μ (ratio <= 1.25)
	uBinMin    = 16 // counts below are summed exactly
)

// setup makes the sums for counts y (distinct non-zero counts uniq,
// ascending, with multiplicities cnt) and means mu. It returns false (no
// bound) unless every μ is positive, normal and finite within 8 octaves of
// the first.
func (b *lpBound) setup(uniq []float64, cnt []int32, y, mu []float64) bool {
	b.ok = false
	if len(mu) == 0 {
		return false
	}
	if cap(b.tmpBin) < len(mu) {
		b.tmpBin = make([]int32, len(mu))
	}
	bins := b.tmpBin[:len(mu)]
	// bins numbered from 32 below the first sample's; the samples sorted by
	// bin (counting sort), then per bin in registers: n, Σd, Σd², Σd³, Σd⁴,
	// Σy, Σyd, ... Σyd⁴ with d = μ - c, c the bin's midpoint
	k0 := int64(math.Float64bits(mu[0])>>muBinShift) - 32
	var start [65]int32
	lo, hi := 64, -1
	for j, m := range mu {
		i := int64(math.Float64bits(m)>>muBinShift) - k0
		if uint64(i) >= 64 {
			return false // μ spread over more than 8 octaves, or not positive
		}
		bins[j] = int32(i)
		start[i+1]++
		lo = min(lo, int(i))
		hi = max(hi, int(i))
	}
	if k0+int64(lo) <= 0 || k0+int64(hi) >= 0x7ff<<(52-muBinShift) {
		return false // μ not all positive, normal and finite
	}
	// the top bin's upper end (the Cox–Reid bound and the margin only need
	// an upper bound of the largest μ)
	b.muMax = math.Float64frombits(uint64(k0+int64(hi)+1) << muBinShift)
	for k := 1; k <= 64; k++ {
		start[k] += start[k-1]
	}
	if cap(b.order) < len(mu) {
		b.order = make([]int32, len(mu))
	}
	order := b.order[:len(mu)]
	next := start
	for j, i := range bins {
		order[next[i]] = int32(j)
		next[i]++
	}
	nb := hi + 1
	b.mc, b.mmin, b.ma, b.mb = b.mc[:0], b.mmin[:0], b.ma[:0], b.mb[:0]
	for k := lo; k < nb; k++ {
		if start[k] == start[k+1] {
			continue
		}
		key := uint64(k0 + int64(k))
		c := math.Float64frombits(key<<muBinShift | 1<<(muBinShift-1))
		var a1, a2, a3, a4, b0, b1, b2, b3, b4 float64
		for _, j := range order[start[k]:start[k+1]] {
			d := mu[j] - c
			d2 := d * d
			d3, d4 := d2*d, d2*d2
			yj := y[j]
			a1 += d
			a2 += d2
			a3 += d3
			a4 += d4
			b0 += yj
			b1 += yj * d
			b2 += yj * d2
			b3 += yj * d3
			b4 += yj * d4
		}
		b.mc = append(b.mc, c)
		b.mmin = append(b.mmin, math.Float64frombits(key<<muBinShift))
		b.ma = append(b.ma, [5]float64{float64(start[k+1] - start[k]), a1, a2, a3, a4})
		b.mb = append(b.mb, [5]float64{b0, b1, b2, b3, b4})
	}
	// counts
	b.us, b.un = b.us[:0], b.un[:0]
	b.uc, b.umin, b.ue = b.uc[:0], b.umin[:0], b.ue[:0]
	i := 0
	for i < len(uniq) && uniq[i] < uBinMin {
		b.us = append(b.us, uniq[i])
		b.un = append(b.un, float64(cnt[i]))
		i++
	}
	for i < len(uniq) {
		key := math.Float64bits(uniq[i]) >> muBinShift
		j := i
		var nn, s float64
		for j < len(uniq) && math.Float64bits(uniq[j])>>muBinShift == key {
			nn += float64(cnt[j])
			s += float64(cnt[j]) * uniq[j]
			j++
		}
		c := s / nn
		if j == i+1 {
			c = uniq[i]
		}
		var e [5]float64
		e[0] = nn
		for t := i; t < j; t++ {
			d := uniq[t] - c
			d2 := d * d
			w := float64(cnt[t])
			e[1] += w * d
			e[2] += w * d2
			e[3] += w * d2 * d
			e[4] += w * d2 * d2
		}
		b.uc = append(b.uc, c)
		b.umin = append(b.umin, uniq[i])
		b.ue = append(b.ue, e)
		i = j
	}
	if cap(b.lgs) < len(b.us) {
		b.lgs = make([]float64, len(b.us))
	}
	b.ok = true
	return true
}

// upperLL returns an upper bound of Σ_j [lgamma(y_j+r) - lgamma(r) -
// (y_j+r) log(μ_j+r)] - n·r·la with r = 1/fastExp(la), logPost's likelihood
// part (up to rounding: upperBelow adds the margin).
func (b *lpBound) upperLL(la float64) float64 {
	r := 1 / fastExp(la)
	L := -la
	lgr := lgammaFast(r)
	var g float64
	if len(b.us) > 0 {
		lgs := b.lgs[:len(b.us)]
		lgammaDiffs(lgs, b.us, r, lgr)
		for k, v := range lgs {
			g += b.un[k] * (v - b.us[k]*L)
		}
	}
	for k, c := range b.uc {
		e := &b.ue[k]
		x := c + r
		lx := fastLog(x)
		if e[2] == 0 {
			g += e[0] * (lgammaStirling(x, lx) - lgr - c*L)
			continue
		}
		// 1/x and 1/xm from one division
		xm := b.umin[k] + r
		q := 1 / (x * xm)
		z, zm := xm*q, x*q
		z2 := z * z
		// lgamma(x) by the Stirling series as lgammaStirling
		gc := (x-0.5)*lx - x + lnSqrt2Pi + z*(1.0/12+z2*(-1.0/360+z2*(1.0/1260+z2*(-1.0/1680+z2*(1.0/1188+z2*(-691.0/360360)))))) - lgr - c*L
		// ψ(x), ψ'(x), ψ''(x) by their asymptotic series (x >= 16)
		psi := lx - 0.5*z - z2*(1.0/12-z2*(1.0/120-z2*(1.0/252-z2*(1.0/240))))
		psi1 := z + z2*(0.5+z*(1.0/6-z2*(1.0/30-z2*(1.0/42))))
		psi2 := -z2 * (1 + z*(1+z*(0.5-z2*(1.0/6-z2*(1.0/6)))))
		// ψ'''(x) <= 2/x³ + 3/x⁴ + 2/x⁵ (its series is enveloping); 5% margin
		m4 := 1.05 * zm * zm * zm * (2 + zm*(3+2*zm))
		g += e[0]*gc + (psi-L)*e[1] + psi1*e[2]*0.5 + psi2*e[3]*(1.0/6) + m4*e[4]*(1.0/24)
	}
	var h float64
	for k, c := range b.mc {
		a, yb := &b.ma[k], &b.mb[k]
		x := c + r
		xa := b.mmin[k] + r
		q := 1 / (x * xa)
		t, ta := xa*q, x*q
		ta2 := ta * ta
		phi := fastLog(x) - L
		d0 := yb[0] + r*a[0]
		d1 := yb[1] + r*a[1]
		d2 := yb[2] + r*a[2]
		d3 := yb[3] + r*a[3]
		d4 := yb[4] + r*a[4]
		h += d0*phi + t*(d1-t*(0.5*d2-t*(1.0/3)*d3)) - 0.25*ta2*ta2*d4
	}
	return g - h
}

// sumMax returns the sum and the largest of the counts y.
func sumMax(y []float64) (sum, mx float64) {
	for _, v := range y {
		sum += v
		if v > mx {
			mx = v
		}
	}
	return sum, mx
}

// upperBelow reports whether logPost(la) (after prepare(y, mu)) is
// certainly below thr: an upper bound of the log posterior at la plus a
// margin for the rounding of both is below thr. The likelihood part is
// upperLL's; the Cox–Reid term is bounded from its value crA at laA: the
// weights w_j = μ_j/(1 + μ_j α) rise when α falls and fall by at most the
// factor (1 + μα_A)/(1 + μα) when α rises (the most for the largest μ), so
// XᵀWX >= that factor times XᵀW_AX and -½ log det rises by at most p/2
// times minus its logarithm. The margin is 2^-36 of the size of the terms
// (≈ (Σy + n r)(log(max(y, μ) + r + 1) + 1) + √n |lp|), some 400 times the
// worst rounding of a sum of 300 terms. False whenever the bound is NaN
// (logPost's NaN is a rejection too; the caller then evaluates).
func (dw *dispWork) upperBelow(la, laA, crA, thr float64, y, mu []float64, priorMean, priorVar float64, usePrior bool, sumY, maxY, lp float64) bool {
	if dw.lbState == 0 {
		dw.lbState = 2
		if dw.lb.setup(dw.uniq, dw.n, y, mu) {
			dw.lbState = 1
		}
	}
	if dw.lbState != 1 {
		return false
	}
	ub := dw.lb.upperLL(la) + crA
	if la > laA {
		mx := dw.lb.muMax
		ub += 0.5 * float64(dw.d.p) * fastLog((1+mx*fastExp(la))/(1+mx*fastExp(laA)))
	}
	if usePrior {
		dd := la - priorMean
		ub -= 0.5 * dd * dd / priorVar
	}
	r := 1 / fastExp(la)
	nf := float64(len(y))
	slack := 0x1p-36*((sumY+nf*r)*(fastLog(max(maxY, dw.lb.muMax)+r+1)+1)+math.Sqrt(nf)*math.Abs(lp)) + 1e-9
	return ub+slack < thr
}
