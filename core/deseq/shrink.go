package deseq

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/her2het/her2het/core/dist"
)

// ShrinkNormal is DESeq2 1.38.3's lfcShrink(dds, coef=name, type="normal")
// (Love et al. 2014): a zero-centred normal prior on every non-intercept
// coefficient with variance (q/qnorm(0.975))², q the weighted 0.95 quantile
// of |MLE| (weights 1/(1/baseMean + dispFit), genes with |MLE| < 10, Hmisc's
// wtd.quantile with normwt=TRUE); the GLM is refitted with ridge λ =
// 1/priorVar on the original counts and the table of Results(Name: name)
// gets the shrunken log2FoldChange and lfcSE. It also returns the prior
// variances (1e6 for the intercept). Errors: an LRT fit, an unknown
// coefficient.
func (f *Fit) ShrinkNormal(name string, o ResultsOptions) (*Results, []float64, error) {
	if f.test != Wald {
		return nil, nil, errors.New("deseq: lfcShrink needs a Wald fit")
	}
	k := f.coefIndex(name)
	if k < 0 {
		return nil, nil, fmt.Errorf("deseq: coefficient %q not among %v", name, f.Coef)
	}
	o.Name, o.Contrast, o.FactorContrast = name, nil, nil
	res, err := f.Results(o)
	if err != nil {
		return nil, nil, err
	}
	p, G := f.P, len(f.Genes)
	nz := nonZero(f.AllZero)
	prior := make([]float64, p)
	w := make([]float64, len(nz))
	for i, g := range nz {
		w[i] = 1 / (1/f.BaseMean[g] + f.DispFit[g])
	}
	for c := 0; c < p; c++ {
		if f.Coef[c] == "Intercept" || f.Coef[c] == "(Intercept)" {
			prior[c] = 1e6
			continue
		}
		if len(nz) <= 1 {
			if len(nz) == 1 {
				b := f.Beta[nz[0]*p+c]
				prior[c] = b * b
			}
			continue
		}
		var xs, ws []float64
		for i, g := range nz {
			b := f.Beta[g*p+c]
			if math.Abs(b) < 10 {
				xs = append(xs, math.Abs(b))
				ws = append(ws, w[i])
			}
		}
		if len(xs) == 0 {
			prior[c] = 1e6
			continue
		}
		q := wtdQuantile(xs, ws, 0.95)
		s := q / dist.Qnorm(0.975, 0, 1, true, false)
		prior[c] = s * s
	}
	for _, v := range prior {
		if v == 0 {
			return nil, nil, errors.New("deseq: beta prior variances are equal to zero for some variables")
		}
	}
	lambda := make([]float64, p)
	for c := range lambda {
		lambda[c] = 1 / prior[c]
	}
	st := &state{f: f, d: newDesign(f.X, f.M, p), qr: newThinQR(f.X, f.M, p), G: G, m: f.M, p: p}
	out, err := st.fitGLMs(nz, f.counts, f.X, p, f.Dispersion, lambda, false, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	for i, g := range nz {
		res.Log2FoldChange[g] = out.beta[i*p+k]
		res.LfcSE[g] = out.se[i*p+k]
	}
	if f.Replaced {
		for g := 0; g < G; g++ {
			if f.Replace[g] && f.BaseMean[g] == 0 {
				res.Log2FoldChange[g] = 0
				res.LfcSE[g] = 0
			}
		}
	}
	return res, prior, nil
}

// wtdQuantile is DESeq2's copy of Hmisc::wtd.quantile(x, weights, prob,
// normwt=TRUE, type="quantile"): weights rescaled to sum to n, x sorted and
// duplicated values merged (their x then pass through R's 15-significant-digit
// names, as Hmisc's tapply does), order = 1 + (N-1)·prob,
// and the constant (f=1) interpolation of x over the cumulative weights at
// floor(order) and floor(order)+1.
func wtdQuantile(x, w []float64, prob float64) float64 {
	var xs, ws []float64
	for i := range x {
		if w[i] != 0 && !math.IsNaN(w[i]) && !math.IsNaN(x[i]) {
			xs = append(xs, x[i])
			ws = append(ws, w[i])
		}
	}
	n := len(xs)
	if n == 0 {
		return math.NaN()
	}
	var sw float64
	for _, v := range ws {
		sw += v
	}
	for i := range ws {
		ws[i] = ws[i] * float64(n) / sw
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	sx := make([]float64, n)
	swt := make([]float64, n)
	for i, j := range idx {
		sx[i], swt[i] = xs[j], ws[j]
	}
	dup := false
	for i := 1; i < n; i++ {
		if sx[i] == sx[i-1] {
			dup = true
			break
		}
	}
	if dup {
		var ux, uw []float64
		for i := 0; i < n; i++ {
			if i > 0 && sx[i] == sx[i-1] {
				uw[len(uw)-1] += swt[i]
				continue
			}
			ux = append(ux, sx[i])
			uw = append(uw, swt[i])
		}
		for i := range ux {
			ux[i], _ = strconv.ParseFloat(strconv.FormatFloat(ux[i], 'g', 15, 64), 64)
		}
		sx, swt = ux, uw
	}
	var N float64
	for _, v := range swt {
		N += v
	}
	order := 1 + (N-1)*prob
	low := math.Max(math.Floor(order), 1)
	high := math.Min(low+1, N)
	frac := math.Mod(order, 1)
	cum := make([]float64, len(swt))
	var c float64
	for i, v := range swt {
		c += v
		cum[i] = c
	}
	ql := approxConstRight(cum, sx, low)
	qh := approxConstRight(cum, sx, high)
	return (1-frac)*ql + frac*qh
}

// approxConstRight is approx(x, y, xout=v, method="constant", f=1, rule=2)$y.
func approxConstRight(x, y []float64, v float64) float64 {
	n := len(x)
	if v <= x[0] {
		if v == x[0] {
			return y[0]
		}
		return y[0]
	}
	if v >= x[n-1] {
		return y[n-1]
	}
	i, j := 0, n-1
	for i < j-1 {
		ij := (i + j) / 2
		if v < x[ij] {
			j = ij
		} else {
			i = ij
		}
	}
	if v == x[j] {
		return y[j]
	}
	if v == x[i] {
		return y[i]
	}
	return y[j]
}
