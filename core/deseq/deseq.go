package deseq

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/pool"
)

// SizeFactorType selects how size factors are estimated (DESeq2 sfType).
type SizeFactorType int

const (
	// Ratio is the median-of-ratios estimator (DESeq2's default, not renormalised).
	Ratio SizeFactorType = iota
	// PosCounts uses the geometric mean of the positive counts over all n
	// samples and renormalises the factors to geometric mean 1.
	PosCounts
)

// Test selects the hypothesis test.
type Test int

const (
	// Wald is DESeq2's nbinomWaldTest (the default).
	Wald Test = iota
	// LRT is DESeq2's nbinomLRT against Options.Reduced.
	LRT
)

// Factor describes one factor of the sample sheet, for contrasts given as
// (factor, numerator level, denominator level) and for the Cook's distance
// rule that depends on the design having a single two-level factor.
type Factor struct {
	Name   string
	Levels []string // first = reference level
	Values []string // one per sample, each one of Levels
}

// Options are DESeq()'s arguments. The zero value is DESeq2's default
// (Wald test, parametric trend, ratio size factors, minReplicatesForReplace 7,
// cooksCutoff qf(0.99, p, m-p) at results time).
type Options struct {
	Test           Test
	FitType        FitType
	SizeFactorType SizeFactorType
	// SizeFactors, if set, are used instead of estimating them.
	SizeFactors []float64
	// MinReplicatesForReplace: 0 means 7; a negative value disables replacement (R's Inf).
	MinReplicatesForReplace int
	// Reduced is the reduced model matrix (samples x q, row-major) for the LRT.
	Reduced []float64
	// ReducedColnames names the reduced model's columns.
	ReducedColnames []string
	// Factors optionally describes the design's factors (see Factor).
	Factors []Factor
	// SingleTwoLevelFactor forces (1) or disables (-1) the Cook's rescue of
	// DESeq2's results() for a design with one two-level factor; 0 infers it
	// from Factors when given, otherwise from X (an intercept plus one 0/1 column).
	SingleTwoLevelFactor int
	// DispPriorVar, if > 0, is used as the dispersion prior variance instead
	// of estimating it. DESeq2 estimates it by a seeded Monte-Carlo search when
	// the residual degrees of freedom are 1 to 3; Run returns an error in that
	// case unless DispPriorVar is given (see the package documentation).
	DispPriorVar float64
	// TrendOnly stops after the dispersion trend (size factors, gene-wise
	// dispersions, DispFit, VarLogDispEsts), e.g. for a variance stabilizing
	// transformation; the prior variance, MAP, tests and Cook's distances are
	// not computed.
	TrendOnly bool
	// Workers is the number of goroutines of the local pool used when Pool
	// is nil (and of the contrast step of Fit.Results); <= 0 means
	// runtime.GOMAXPROCS(0). Results are bitwise identical for every value.
	Workers int
	// Progress, if non-nil, is called from the goroutine that called Run
	// (and Fit.Results) a few dozen times per run: at the start of each step
	// with done = 0 and after each batch of genes of the gene-wise steps, with
	// done out of total genes of that step. Steps: "size factors",
	// "gene-wise dispersions", "dispersion trend", "MAP dispersions",
	// "GLM fits" (with Cook's distances), the gene-wise ones again prefixed
	// by "outlier refit: " for the genes refitted after replacing outliers,
	// "done" and, from Fit.Results, "results".
	Progress func(step string, done, total int)
	// Pool runs the gene-wise stages (gene-wise and MAP dispersions, GLM
	// fits with Cook's distances) as kernels over gene ranges, e.g. on
	// browser workers; nil runs them on Workers goroutines without encoding
	// their inputs (as pool.Local(Workers) would, minus the copies). Results
	// are bitwise identical for every pool and size.
	Pool pool.Pool
}

// Constants of DESeq2 1.38.3's defaults.
const (
	minDisp  = 1e-8
	kappa0   = 1.0
	dispTol  = 1e-6
	maxitFit = 100
	minmu    = 0.5
	betaTol  = 1e-8
	// lambda on the log2 scale for betaPrior=FALSE
	noPriorLambda = 1e-6
)

// Fit is a fitted DESeq2 model: everything DESeq() stores in mcols(dds)
// and the attributes results() needs. Per-gene slices have one entry per
// gene of the input, NaN for all-zero genes (DESeq2's NA rows).
type Fit struct {
	Genes, Samples []string
	// X is the model matrix (samples x P, row-major) and Coef its column
	// names after DESeq2's renaming (resultsNames).
	X    []float64
	M, P int
	Coef []string

	SizeFactors []float64
	BaseMean    []float64
	BaseVar     []float64
	AllZero     []bool

	DispGeneEst  []float64
	DispGeneIter []int
	DispFit      []float64
	DispMAP      []float64
	Dispersion   []float64
	DispIter     []int
	DispOutlier  []bool
	Trend        Trend
	// DispPriorVar and VarLogDispEsts are the attributes of the dispersion function.
	DispPriorVar   float64
	VarLogDispEsts float64
	// DispPriorVarFloor is true when, with 1 to 3 residual degrees of
	// freedom, DESeq2's Monte-Carlo search was shown to end at its floor 0.25
	// (see the package documentation).
	DispPriorVarFloor bool

	// Beta and BetaSE are genes x P row-major on the log2 scale.
	Beta     []float64
	BetaSE   []float64
	BetaConv []bool
	BetaIter []int
	// WaldStat and WaldPvalue are genes x P (Wald test only).
	WaldStat   []float64
	WaldPvalue []float64
	// LRTStat and LRTPvalue are per gene (LRT only); Deviance is -2 log L of
	// the full model (LRT only: NaN after a Wald fit, where results() does not use it).
	LRTStat, LRTPvalue []float64
	Deviance           []float64
	MaxCooks           []float64
	// Replace marks genes whose outlier counts were replaced and refitted (NaN-free; false if none).
	Replace     []bool
	Replaced    bool
	Replaceable []bool // per sample
	// Cooks is genes x samples (original fit), NaN for all-zero genes.
	Cooks []float64

	opts   Options
	counts []float64 // original counts, genes x samples
	test   Test
}

type job func(lo, hi int, wk int)

// parallel runs f over [0,n) split in contiguous chunks, one per worker.
func parallel(n, workers int, f job) {
	if workers <= 1 || n < 2*workers {
		f(0, n, 0)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, (w+1)*chunk
		if hi > n {
			hi = n
		}
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func(lo, hi, w int) {
			defer wg.Done()
			f(lo, hi, w)
		}(lo, hi, w)
	}
	wg.Wait()
}

// progressBatches is the number of gene batches a gene-wise step reports.
const progressBatches = 8

// progress reports a step to Options.Progress, if set.
func (o *Options) progress(step string, done, total int) {
	if o.Progress != nil {
		o.Progress(step, done, total)
	}
}

func (o *Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// RenameCoef applies DESeq2's renaming of model-matrix columns: "(Intercept)"
// becomes "Intercept"; a column named factor+level becomes
// factor_level_vs_reference for each factor in factors; then make.names.
func RenameCoef(colnames []string, factors []Factor) []string {
	out := make([]string, len(colnames))
	for i, c := range colnames {
		if c == "(Intercept)" {
			c = "Intercept"
		} else {
			for _, f := range factors {
				if len(f.Levels) == 0 {
					continue
				}
				for _, l := range f.Levels[1:] {
					if c == f.Name+l {
						c = f.Name + "_" + l + "_vs_" + f.Levels[0]
					}
				}
			}
		}
		out[i] = makeName(c)
	}
	return out
}

// makeName is R's make.names for one string (letters, digits, '.' and '_'
// kept, others replaced by '.', a leading digit or '_' prefixed by "X").
func makeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '.' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 127 {
			b.WriteRune(r)
		} else {
			b.WriteByte('.')
		}
	}
	t := b.String()
	if t == "" || (t[0] >= '0' && t[0] <= '9') || t[0] == '_' || (t[0] == '.' && len(t) > 1 && t[1] >= '0' && t[1] <= '9') {
		t = "X" + t
	}
	return t
}

// Run fits DESeq2's model to a genes x samples count matrix, as DESeq(dds)
// in DESeq2 1.38.3: size factors, gene-wise dispersions, the dispersion trend,
// MAP dispersions, the negative binomial GLM with the Wald test (or the LRT),
// Cook's distances and, when some design cell has MinReplicatesForReplace or
// more samples, the replacement of outlier counts and refit.
//
// X is the model matrix (samples x p, row-major, full column rank) and
// colnames its column names as R's model.matrix gives them; they are renamed
// as DESeq2 does (see RenameCoef). Counts must be finite non-negative whole
// numbers. Errors: dimension mismatches, non-integer or negative counts, no
// residual degrees of freedom, a rank-deficient design, every gene constant
// across samples, every gene with a zero (ratio size factors), all gene-wise
// dispersions near the minimum, and residual df 1..3 without DispPriorVar.
func Run(counts *dataset.Matrix, X []float64, colnames []string, opts Options) (*Fit, error) {
	if counts == nil {
		return nil, errors.New("deseq: no count matrix")
	}
	if err := counts.Validate(); err != nil {
		return nil, err
	}
	G, m := counts.Rows(), counts.Cols()
	if m == 0 || G == 0 {
		return nil, errors.New("deseq: empty count matrix")
	}
	if len(colnames) == 0 || len(X) != m*len(colnames) {
		return nil, fmt.Errorf("deseq: model matrix has %d values, want %d samples x %d columns", len(X), m, len(colnames))
	}
	p := len(colnames)
	for g := 0; g < G; g++ {
		for j, v := range counts.Row(g) {
			if !(v >= 0) || v != math.Trunc(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("deseq: count of gene %q in sample %q is %v; counts must be non-negative whole numbers", counts.Genes[g], counts.Samples[j], v)
			}
		}
	}
	for _, v := range X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errors.New("deseq: model matrix has a non-finite value")
		}
	}
	if m == p {
		return nil, errors.New("deseq: the number of samples and the number of model coefficients are equal, i.e. there are no replicates to estimate the dispersion; use an alternate design formula")
	}
	if m < p {
		return nil, fmt.Errorf("deseq: %d coefficients for %d samples", p, m)
	}
	qr := newThinQR(X, m, p)
	if qr.rank < p {
		return nil, errors.New("deseq: the model matrix is not full rank, so the model cannot be fit as specified; one or more variables or interaction terms in the design formula are linear combinations of the others")
	}
	allConst := true
	for g := 0; g < G && allConst; g++ {
		row := counts.Row(g)
		for _, v := range row[1:] {
			if v != row[0] {
				allConst = false
				break
			}
		}
	}
	if allConst {
		return nil, errors.New("deseq: all genes have equal values for all samples; will not be able to perform differential analysis")
	}
	for _, fa := range opts.Factors {
		if len(fa.Values) != m || len(fa.Levels) == 0 {
			return nil, fmt.Errorf("deseq: factor %q has %d values and %d levels for %d samples", fa.Name, len(fa.Values), len(fa.Levels), m)
		}
		for j, v := range fa.Values {
			ok := false
			for _, l := range fa.Levels {
				if v == l {
					ok = true
					break
				}
			}
			if !ok {
				return nil, fmt.Errorf("deseq: sample %q has level %q, not a level of factor %q", counts.Samples[j], v, fa.Name)
			}
		}
	}
	if opts.MinReplicatesForReplace == 0 {
		opts.MinReplicatesForReplace = 7
	}
	if opts.Test == LRT {
		q := len(opts.ReducedColnames)
		if q == 0 || len(opts.Reduced) != m*q {
			return nil, errors.New("deseq: the likelihood ratio test needs a reduced model matrix with column names")
		}
		if q >= p {
			return nil, errors.New("deseq: less than one degree of freedom, perhaps full and reduced models are not in the correct order")
		}
	}

	f := &Fit{Genes: counts.Genes, Samples: counts.Samples, X: append([]float64(nil), X...), M: m, P: p,
		Coef: RenameCoef(colnames, opts.Factors), opts: opts, counts: counts.Data, test: opts.Test}

	// size factors
	opts.progress("size factors", 0, 1)
	if opts.SizeFactors != nil {
		if len(opts.SizeFactors) != m {
			return nil, fmt.Errorf("deseq: %d size factors for %d samples", len(opts.SizeFactors), m)
		}
		for _, s := range opts.SizeFactors {
			if !(s > 0) || math.IsInf(s, 0) {
				return nil, errors.New("deseq: size factors must be positive and finite")
			}
		}
		f.SizeFactors = append([]float64(nil), opts.SizeFactors...)
	} else {
		var err error
		f.SizeFactors, err = SizeFactors(counts, opts.SizeFactorType)
		if err != nil {
			return nil, err
		}
	}
	f.BaseMean, f.BaseVar, f.AllZero = baseMeansAndVars(counts.Data, f.SizeFactors, G, m)

	d := newDesign(f.X, m, p)
	nz := nonZero(f.AllZero)
	st := &state{f: f, d: d, qr: qr, G: G, m: m, p: p}
	geneEst, err := st.geneWise(nz, counts.Data, f.BaseMean, f.BaseVar)
	if err != nil {
		return nil, err
	}
	f.DispGeneEst = nanVec(G)
	f.DispGeneIter = make([]int, G)
	for i, g := range nz {
		f.DispGeneEst[g] = geneEst.disp[i]
		f.DispGeneIter[g] = geneEst.iter[i]
	}
	opts.progress("dispersion trend", 0, 1)
	if err := st.fitTrend(nz); err != nil {
		return nil, err
	}
	if opts.TrendOnly {
		return f, nil
	}
	if err := st.priorVar(nz); err != nil {
		return nil, err
	}
	if err := st.mapDisp(nz, counts.Data, geneEst.mu, f.DispGeneEst, f.DispFit, f); err != nil {
		return nil, err
	}
	if opts.Test == Wald {
		err = st.waldFitInto(nz, counts.Data, geneEst.mu) // μ is dead after MAP: its storage takes Cook's distances
	} else {
		err = st.lrtFit(nz, counts.Data, geneEst.mu)
	}
	if err != nil {
		return nil, err
	}
	if opts.MinReplicatesForReplace > 0 && anyTrue(nOrMoreInCell(f.X, m, p, opts.MinReplicatesForReplace)) {
		if err := st.refitWithoutOutliers(); err != nil {
			return nil, err
		}
	}
	opts.progress("done", 1, 1)
	return f, nil
}

// state carries what the stages share.
type state struct {
	refit bool // refitting the genes with replaced outliers
	// perms holds, on the local path, each gene's count order (countTable
	// perm) from the gene-wise step for the genes permIdx, reused by MAP
	// and the GLM fits of the same genes.
	perms   []uint16
	permIdx []int
	f       *Fit
	d       *design
	qr      *thinQR
	G, m, p int
}

func nanVec(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

func nonZero(allZero []bool) []int {
	var nz []int
	for g, z := range allZero {
		if !z {
			nz = append(nz, g)
		}
	}
	return nz
}

// expRounded returns e^x correctly rounded (R's exp, glibc's, is correctly
// rounded in all but rare cases; fmath.Exp is within 1 ulp), by the Taylor
// series of e^(x/2^10) in 200-bit arithmetic squared 10 times. It serves
// the size factors (one call per sample), so that they have R's bits. NaN,
// ±Inf and |x| > 700 go to fmath.Exp.
func expRounded(x float64) float64 {
	if !(math.Abs(x) <= 700) {
		return fmath.Exp(x)
	}
	const prec = 200
	z := new(big.Float).SetPrec(prec).SetFloat64(x)
	z.SetMantExp(z, -10)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	k := new(big.Float).SetPrec(prec)
	for i := 1; i <= 45 && term.Sign() != 0; i++ {
		term.Mul(term, z)
		term.Quo(term, k.SetInt64(int64(i)))
		sum.Add(sum, term)
		if term.MantExp(nil) < -prec-4 { // below the sum's (≈ 1) last bit
			break
		}
	}
	for i := 0; i < 10; i++ {
		sum.Mul(sum, sum)
	}
	f, _ := sum.Float64()
	return f
}

// logIntTabR[k] = fmath.Log(k) for whole k < len(logIntTabR).
var logIntTabR = func() (t [4096]float64) {
	for k := range t {
		t[k] = fmath.Log(float64(k))
	}
	return t
}()

// logCountR returns fmath.Log(v) for a count v > 0 (by table for small whole
// v): the size factors take R's logarithms, which fmath.Log reproduces
// (correctly rounded in all but rare cases, as glibc's log), so that the
// factors, and every μ after them, have R's bits.
func logCountR(v float64) float64 {
	if v < float64(len(logIntTabR)) {
		if k := int(v); float64(k) == v {
			return logIntTabR[k]
		}
	}
	return fmath.Log(v)
}

// normRow sets out[j] = c[j] / sf[j] (one gene's normalized counts).
func normRow(c, sf, out []float64) {
	out = out[:len(c)]
	sf = sf[:len(c)]
	for j, v := range c {
		out[j] = v / sf[j]
	}
}

// baseMeansAndVars returns rowMeans and rowVars (n-1) of the normalized
// counts (counts / sf, formed row by row) and whether the raw counts sum to zero.
func baseMeansAndVars(counts, sf []float64, G, m int) (bm, bv []float64, allZero []bool) {
	bm, bv = make([]float64, G), make([]float64, G)
	allZero = make([]bool, G)
	row := make([]float64, m)
	for g := 0; g < G; g++ {
		normRow(counts[g*m:(g+1)*m], sf, row)
		var s float64
		for _, v := range row {
			s += v
		}
		mean := s / float64(m)
		var ss float64
		for _, v := range row {
			d := v - mean
			ss += d * d
		}
		bm[g] = mean
		bv[g] = ss / float64(m-1)
		var cs float64
		for _, v := range counts[g*m : (g+1)*m] {
			cs += v
		}
		allZero[g] = cs == 0
	}
	return bm, bv, allZero
}

// nOrMoreInCell marks the samples whose row of X occurs at least n times.
func nOrMoreInCell(X []float64, m, p, n int) []bool {
	keys := make([]string, m)
	count := map[string]int{}
	for j := 0; j < m; j++ {
		var b strings.Builder
		for k := 0; k < p; k++ {
			b.WriteString(strconv.FormatFloat(X[j*p+k], 'g', -1, 64))
			b.WriteByte('_')
		}
		keys[j] = b.String()
		count[keys[j]]++
	}
	out := make([]bool, m)
	for j := range out {
		out[j] = count[keys[j]] >= n
	}
	return out
}

// cells returns, for each sample, the index of its distinct row of X in order
// of first appearance, and the number of cells.
func cells(X []float64, m, p int) ([]int, int) {
	idx := map[string]int{}
	out := make([]int, m)
	for j := 0; j < m; j++ {
		var b strings.Builder
		for k := 0; k < p; k++ {
			b.WriteString(strconv.FormatFloat(X[j*p+k], 'g', -1, 64))
			b.WriteByte('_')
		}
		key := b.String()
		c, ok := idx[key]
		if !ok {
			c = len(idx)
			idx[key] = c
		}
		out[j] = c
	}
	return out, len(idx)
}
