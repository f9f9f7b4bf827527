package deseq

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/her2het/her2het/core/dist"
	"github.com/her2het/her2het/core/stats"
)

// AltHypothesis is results()'s altHypothesis for a non-zero LFCThreshold
// (DESeq2 1.38.3 semantics: GreaterAbs is the method later renamed greaterAbs2014).
type AltHypothesis int

const (
	GreaterAbs AltHypothesis = iota
	LessAbs
	Greater
	Less
)

// ResultsOptions are results()'s arguments. Exactly one of Name, Contrast and
// FactorContrast may be set; none means the last coefficient (DESeq2's
// lastCoefName).
type ResultsOptions struct {
	// Name is a coefficient name from Fit.Coef (DESeq2's name=).
	Name string
	// Contrast is a numeric contrast over Fit.Coef.
	Contrast []float64
	// FactorContrast is (factor, numerator level, denominator level); needs
	// Options.Factors.
	FactorContrast []string
	// Alpha is the FDR level for independent filtering; 0 means 0.1.
	Alpha float64
	// NoIndependentFiltering turns independent filtering off (plain BH).
	NoIndependentFiltering bool
	// CooksCutoff: 0 means qf(0.99, p, m-p); a negative value disables
	// Cook's filtering (R's cooksCutoff=FALSE).
	CooksCutoff float64
	// LFCThreshold and AltHypothesis test |LFC| against a threshold.
	LFCThreshold  float64
	AltHypothesis AltHypothesis
}

// Results is a DESeq2 results table; NaN stands for NA.
type Results struct {
	Genes          []string
	BaseMean       []float64
	Log2FoldChange []float64
	LfcSE          []float64
	Stat           []float64
	Pvalue         []float64
	Padj           []float64
	// Description names the comparison, as the mcols description of log2FoldChange.
	Description string
	// FilterTheta and FilterThreshold are metadata(res)$filterTheta and
	// filterThreshold (NaN without independent filtering); Theta and NumRej
	// are metadata(res)$filterNumRej.
	FilterTheta, FilterThreshold float64
	Theta                        []float64
	NumRej                       []int
	// CooksCutoff is the cutoff used (NaN if off).
	CooksCutoff float64
}

func (f *Fit) coefIndex(name string) int {
	for k, c := range f.Coef {
		if c == name {
			return k
		}
	}
	return -1
}

func (f *Fit) factor(name string) *Factor {
	for i := range f.opts.Factors {
		if f.opts.Factors[i].Name == name {
			return &f.opts.Factors[i]
		}
	}
	return nil
}

// Results builds DESeq2's results() table (DESeq2 1.38.3): the coefficient
// or contrast's log2 fold change, standard error, Wald statistic and p-value
// (for an LRT fit, the LRT statistic and p-value with the named coefficient's
// LFC), p-values set to NA for genes whose maximum Cook's distance exceeds
// the cutoff (not for a single two-level factor when 3 or more samples have
// larger counts than the outlier), and BH adjusted p-values after
// independent filtering on baseMean. All-zero genes have baseMean 0 and NaN
// elsewhere. Errors: unknown coefficient, a contrast of the wrong length,
// unknown factor or levels.
func (f *Fit) Results(o ResultsOptions) (*Results, error) {
	G, m, p := len(f.Genes), f.M, f.P
	set := 0
	if o.Name != "" {
		set++
	}
	if o.Contrast != nil {
		set++
	}
	if o.FactorContrast != nil {
		set++
	}
	if set > 1 {
		return nil, errors.New("deseq: give only one of Name, Contrast and FactorContrast")
	}
	if o.Alpha == 0 {
		o.Alpha = 0.1
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return nil, fmt.Errorf("deseq: alpha %v must be in (0, 1)", o.Alpha)
	}
	if o.LFCThreshold < 0 {
		return nil, errors.New("deseq: lfcThreshold must be >= 0")
	}
	if o.AltHypothesis == LessAbs && o.LFCThreshold == 0 {
		return nil, errors.New("deseq: when testing altHypothesis lessAbs, set lfcThreshold to a positive value")
	}
	f.opts.progress("results", 0, 1)
	defer f.opts.progress("results", 1, 1)
	r := &Results{Genes: f.Genes, BaseMean: append([]float64(nil), f.BaseMean...),
		Log2FoldChange: nanVec(G), LfcSE: nanVec(G), Stat: nanVec(G), Pvalue: nanVec(G),
		FilterTheta: math.NaN(), FilterThreshold: math.NaN()}
	var numeric []float64
	var allZeroContrast []bool
	switch {
	case o.FactorContrast != nil:
		fc := o.FactorContrast
		if len(fc) != 3 {
			return nil, errors.New("deseq: a factor contrast is (factor, numerator, denominator)")
		}
		fa := f.factor(fc[0])
		if fa == nil {
			return nil, fmt.Errorf("deseq: %s should be the name of a factor of the design", fc[0])
		}
		num, den := fc[1], fc[2]
		if !hasLevel(fa, num) || !hasLevel(fa, den) {
			return nil, fmt.Errorf("deseq: %s and %s should be levels of %s", num, den, fc[0])
		}
		if num == den {
			return nil, errors.New("deseq: numerator and denominator levels are the same")
		}
		ref := fa.Levels[0]
		r.Description = fmt.Sprintf("%s %s vs %s", fa.Name, num, den)
		numCol := f.coefIndex(makeName(fa.Name + "_" + num + "_vs_" + ref))
		denCol := f.coefIndex(makeName(fa.Name + "_" + den + "_vs_" + ref))
		switch {
		case den == ref && numCol >= 0:
			f.fillCoef(r, numCol, 1)
		case num == ref && denCol >= 0:
			f.fillCoef(r, denCol, -1)
		default:
			if numCol < 0 && num != ref || denCol < 0 && den != ref {
				return nil, fmt.Errorf("deseq: expected coefficients for %s and %s of %s", num, den, fa.Name)
			}
			numeric = make([]float64, p)
			if numCol >= 0 {
				numeric[numCol] = 1
			}
			if denCol >= 0 {
				numeric[denCol] = -1
			}
		}
		allZeroContrast = make([]bool, G)
		for g := 0; g < G; g++ {
			z := true
			for j := 0; j < m; j++ {
				v := fa.Values[j]
				if (v == num || v == den) && f.counts[g*m+j] != 0 {
					z = false
					break
				}
			}
			allZeroContrast[g] = z
		}
	case o.Contrast != nil:
		if len(o.Contrast) != p {
			return nil, fmt.Errorf("deseq: numeric contrast of length %d for %d coefficients", len(o.Contrast), p)
		}
		numeric = append([]float64(nil), o.Contrast...)
		r.Description = fmt.Sprint(o.Contrast)
		allZeroContrast = f.contrastAllZeroNumeric(numeric)
	default:
		k := p - 1
		if o.Name != "" {
			k = f.coefIndex(o.Name)
			if k < 0 {
				return nil, fmt.Errorf("deseq: coefficient %q not among %v", o.Name, f.Coef)
			}
		}
		r.Description = f.Coef[k]
		f.fillCoef(r, k, 1)
	}
	if numeric != nil {
		f.contrastResults(r, numeric)
	}
	if allZeroContrast != nil {
		for g := 0; g < G; g++ {
			if allZeroContrast[g] && !f.AllZero[g] {
				r.Log2FoldChange[g] = 0
				r.Stat[g] = 0
				r.Pvalue[g] = 1
			}
		}
	}
	if f.test == LRT {
		for g := 0; g < G; g++ {
			r.Stat[g] = f.LRTStat[g]
			r.Pvalue[g] = f.LRTPvalue[g]
		}
	}
	if !(o.LFCThreshold == 0 && o.AltHypothesis == GreaterAbs) {
		if f.test == LRT {
			return nil, errors.New("deseq: tests of log fold change above or below a threshold must be Wald tests")
		}
		applyThreshold(r, o.LFCThreshold, o.AltHypothesis)
	}
	// Cook's distance filtering
	r.CooksCutoff = math.NaN()
	if o.CooksCutoff >= 0 {
		cut := o.CooksCutoff
		if cut == 0 {
			cut = qf(0.99, float64(p), float64(m-p))
		}
		r.CooksCutoff = cut
		rescue := f.singleTwoLevel()
		for g := 0; g < G; g++ {
			if !(f.MaxCooks[g] > cut) {
				continue
			}
			if rescue {
				// the count at the sample with the largest Cook's distance
				best, bi := math.Inf(-1), -1
				for j := 0; j < m; j++ {
					c := f.Cooks[g*m+j]
					if c > best {
						best, bi = c, j
					}
				}
				if bi >= 0 {
					out := f.counts[g*m+bi]
					n := 0
					for j := 0; j < m; j++ {
						if f.counts[g*m+j] > out {
							n++
						}
					}
					if n >= 3 {
						continue
					}
				}
			}
			r.Pvalue[g] = math.NaN()
		}
	}
	if f.Replaced {
		for g := 0; g < G; g++ {
			if f.Replace[g] && f.BaseMean[g] == 0 {
				r.Log2FoldChange[g] = 0
				r.LfcSE[g] = 0
				r.Stat[g] = 0
				r.Pvalue[g] = 1
			}
		}
	}
	if o.NoIndependentFiltering {
		r.Padj = stats.PAdjust(r.Pvalue, stats.BH)
	} else {
		independentFiltering(r, r.BaseMean, o.Alpha)
	}
	return r, nil
}

func hasLevel(f *Factor, l string) bool {
	for _, v := range f.Levels {
		if v == l {
			return true
		}
	}
	return false
}

// fillCoef copies the stored coefficient k (times sign) into r.
func (f *Fit) fillCoef(r *Results, k int, sign float64) {
	p := f.P
	for g := range f.Genes {
		r.Log2FoldChange[g] = sign * f.Beta[g*p+k]
		r.LfcSE[g] = f.BetaSE[g*p+k]
		if f.WaldStat != nil {
			r.Stat[g] = sign * f.WaldStat[g*p+k]
			r.Pvalue[g] = f.WaldPvalue[g*p+k]
		}
	}
}

func (f *Fit) contrastAllZeroNumeric(c []float64) []bool {
	G, m, p := len(f.Genes), f.M, f.P
	allPos, allNeg := true, true
	for _, v := range c {
		if v < 0 {
			allPos = false
		}
		if v > 0 {
			allNeg = false
		}
	}
	out := make([]bool, G)
	if allPos || allNeg {
		return out
	}
	which := make([]bool, m)
	for j := 0; j < m; j++ {
		var s float64
		for k := 0; k < p; k++ {
			if c[k] != 0 {
				s += f.X[j*p+k]
			}
		}
		which[j] = s != 0
	}
	for g := 0; g < G; g++ {
		var s float64
		for j := 0; j < m; j++ {
			if which[j] {
				s += f.counts[g*m+j]
			}
		}
		out[g] = s == 0
	}
	return out
}

// contrastResults is DESeq2's getContrast: cᵀβ and sqrt(cᵀΣc) with Σ
// evaluated at the stored coefficients (fitBeta with maxit = 0), using the
// replaced counts if outliers were replaced.
func (f *Fit) contrastResults(r *Results, c []float64) {
	G, m, p := len(f.Genes), f.M, f.P
	lam := make([]float64, p)
	for k := range lam {
		lam[k] = 1 / (math.Ln2 * math.Ln2 * 1e6)
	}
	d := newDesign(f.X, m, p)
	parallel(G, f.opts.workers(), func(lo, hi, _ int) {
		gw := newGLMWork(d)
		beta := make([]float64, p)
		for g := lo; g < hi; g++ {
			if f.AllZero[g] {
				continue
			}
			for k := 0; k < p; k++ {
				beta[k] = math.Ln2 * f.Beta[g*p+k]
			}
			gw.setMu(f.X, f.SizeFactors, beta, minmu)
			cvc, _ := gw.covariance(f.X, f.Dispersion[g], lam, c, false)
			var num float64
			for k := 0; k < p; k++ {
				num += c[k] * beta[k]
			}
			lfc := math.Log2E * num
			se := math.Log2E * math.Sqrt(cvc)
			z := lfc / se
			r.Log2FoldChange[g] = lfc
			r.LfcSE[g] = se
			r.Stat[g] = z
			r.Pvalue[g] = 2 * dist.Pnorm(math.Abs(z), 0, 1, false, false)
		}
	})
}

// singleTwoLevel reports whether the design is one two-level factor.
func (f *Fit) singleTwoLevel() bool {
	switch f.opts.SingleTwoLevelFactor {
	case 1:
		return true
	case -1:
		return false
	}
	if f.opts.Factors != nil {
		return len(f.opts.Factors) == 1 && len(f.opts.Factors[0].Levels) == 2 && f.P == 2
	}
	if f.P != 2 {
		return false
	}
	for j := 0; j < f.M; j++ {
		if f.X[j*2] != 1 || (f.X[j*2+1] != 0 && f.X[j*2+1] != 1) {
			return false
		}
	}
	return true
}

// applyThreshold replaces stat and pvalue for an LFC threshold test
// (DESeq2 1.38.3 results(), lfcThreshold > 0).
func applyThreshold(r *Results, T float64, alt AltHypothesis) {
	up := func(q float64) float64 { return dist.Pnorm(q, 0, 1, false, false) }
	for g := range r.Log2FoldChange {
		lfc, se := r.Log2FoldChange[g], r.LfcSE[g]
		var st, pv float64
		switch alt {
		case GreaterAbs:
			st = math.Copysign(math.Max((math.Abs(lfc)-T)/se, 0), lfc)
			if lfc == 0 {
				st = 0
			}
			pv = math.Min(1, 2*up((math.Abs(lfc)-T)/se))
		case LessAbs:
			above, below := math.Max((T-lfc)/se, 0), math.Max((lfc+T)/se, 0)
			st = math.Min(above, below)
			pv = math.Max(up((T-lfc)/se), up((lfc+T)/se))
		case Greater:
			st = math.Max((lfc-T)/se, 0)
			pv = up((lfc - T) / se)
		case Less:
			st = math.Min((lfc+T)/se, 0)
			pv = up((-T - lfc) / se)
		}
		if math.IsNaN(lfc) || math.IsNaN(se) {
			st, pv = math.NaN(), math.NaN()
		}
		r.Stat[g], r.Pvalue[g] = st, pv
	}
}

// independentFiltering is DESeq2's pvalueAdjustment with genefilter's
// filtered_p: 50 quantile cutoffs of the filter statistic between the
// fraction of zeros and 0.95, BH within each, the number of rejections at
// alpha smoothed by lowess(f=1/5), and the first θ whose rejections exceed
// max(fit) - RMSE of the residuals (θ₁ if max rejections <= 10).
func independentFiltering(r *Results, filter []float64, alpha float64) {
	n := len(filter)
	var zeros float64
	for _, v := range filter {
		if v == 0 {
			zeros++
		}
	}
	lower := rMean01(zeros, n)
	upper := 1.0
	if lower < 0.95 {
		upper = 0.95
	}
	const nt = 50
	theta := make([]float64, nt)
	by := (upper - lower) / (nt - 1)
	for i := range theta {
		theta[i] = lower + float64(i)*by
	}
	theta[nt-1] = upper
	cut := make([]float64, nt)
	// the quantiles of a sorted copy are the same values; sorting it once
	// leaves each Quantile call an already sorted slice
	fs := append([]float64(nil), filter...)
	sort.Float64s(fs)
	for i, t := range theta {
		cut[i] = stats.Quantile(fs, t)
	}
	// The number of BH rejections at each threshold without adjusting: with
	// the n non-NA p-values of the kept genes ascending, p.adjust's
	// cummin(n/i·p_(i)) is below alpha exactly for i up to the largest i with
	// n/i·p_(i) < alpha (the same products as PAdjust, ties in any order
	// giving the same sequence); only the chosen threshold is adjusted.
	numRej := make([]int, nt)
	numRejF := make([]float64, nt)
	type pg struct {
		p float64
		g int
	}
	var sorted []pg
	for g, p := range r.Pvalue {
		if !math.IsNaN(p) {
			sorted = append(sorted, pg{p, g})
		}
	}
	sort.Slice(sorted, func(a, b int) bool {
		if sorted[a].p != sorted[b].p {
			return sorted[a].p < sorted[b].p
		}
		return sorted[a].g < sorted[b].g
	})
	for i := range theta {
		nk := 0
		for _, e := range sorted {
			if filter[e.g] >= cut[i] {
				nk++
			}
		}
		fn := float64(nk)
		k, last := 0, 0
		for _, e := range sorted {
			if filter[e.g] >= cut[i] {
				k++
				if fn/float64(k)*e.p < alpha {
					last = k
				}
			}
		}
		numRej[i] = last
		numRejF[i] = float64(numRej[i])
	}
	padjAt := func(i int) []float64 {
		col := nanVec(n)
		var use []int
		var sub []float64
		for g, v := range filter {
			if v >= cut[i] {
				use = append(use, g)
				sub = append(sub, r.Pvalue[g])
			}
		}
		if len(use) > 0 {
			adj := stats.PAdjust(sub, stats.BH)
			for k, g := range use {
				col[g] = adj[k]
			}
		}
		return col
	}
	_, lo := stats.Lowess(theta, numRejF, 1.0/5, 3, stats.LowessDelta(theta))
	maxRej := 0
	for _, v := range numRej {
		if v > maxRej {
			maxRej = v
		}
	}
	j := 0
	if maxRej > 10 {
		var ss float64
		var cnt int
		for i, v := range numRej {
			if v > 0 {
				d := numRejF[i] - lo[i]
				ss += d * d
				cnt++
			}
		}
		var rmse float64
		if cnt > 0 {
			rmse = math.Sqrt(ss / float64(cnt))
		}
		mx := math.Inf(-1)
		for _, v := range lo {
			if v > mx {
				mx = v
			}
		}
		thresh := mx - rmse
		j = 0
		for i, v := range numRejF {
			if v > thresh {
				j = i
				break
			}
		}
	}
	r.Padj = padjAt(j)
	r.FilterTheta = theta[j]
	r.FilterThreshold = cut[j]
	r.Theta = theta
	r.NumRej = numRej
}

// rMean01 is mean(filter == 0) computed as R does (sum / n).
func rMean01(zeros float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return zeros / float64(n)
}
