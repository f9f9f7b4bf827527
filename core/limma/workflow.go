package limma

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/norm"
	"github.com/her2het/her2het/core/pool"
)

// WorkflowOptions are the optional arguments of VoomWorkflow.
type WorkflowOptions struct {
	// Block names a sample-sheet column (e.g. "patient") whose samples are
	// correlated; it adds duplicateCorrelation and a blocked lmFit.
	Block string
	// Robust uses eBayes(robust = TRUE).
	Robust bool
	// Trend runs limma-trend instead of voom: log-CPM with edgeR's
	// cpm(log = TRUE, prior.count = PriorCount) on the TMM-normalised kept
	// genes, lmFit without weights and eBayes(trend = TRUE).
	Trend bool
	// PriorCount for Trend (default 3, as in the limma user's guide).
	PriorCount float64
	// VoomTwice, with a block, repeats voom with the block and the first
	// consensus correlation and then estimates the correlation again, as
	// the limma user's guide does for paired samples.
	VoomTwice bool
	// Filter overrides filterByExpr's defaults (its Design and LibSize are set
	// by the workflow).
	Filter norm.FilterOptions
	// OverwriteCounts lets VoomWorkflow reuse the storage of counts: the
	// kept genes are moved to its front and turned into log-CPM in place, so
	// voom's weights are the only genes x samples matrix allocated (the
	// input must not be used afterwards). Without it the kept genes are
	// copied first.
	OverwriteCounts bool
	// Collect, if not nil, is called after TMM and before voom (and before
	// limma-trend's log-CPM): a caller that runs the garbage collector there
	// (a browser, whose wasm heap never shrinks) frees TMM's pool-task garbage
	// before the large matrices are allocated. It does not change the results.
	Collect func()
	// Yield, if not nil, is called between the workflow's stages (after
	// filterByExpr, TMM, each voom and duplicateCorrelation): a browser engine
	// worker running this beside pool tasks of another step uses it to return
	// to its event loop, where the helpers' replies arrive. It does not change
	// the results.
	Yield func()
	// WeightsBuffer, if not nil, points to a buffer the caller reuses for
	// voom's weights over several calls (VoomOptions.WeightsBuffer): when its
	// capacity holds the kept genes x samples it is used (the result's
	// Voom.Weights share it); when too small it is set to nil before Collect
	// (so that it can be freed before the new weights are allocated). After
	// voom it is set to the weights' storage. Not used by limma-trend.
	WeightsBuffer *[]float64
	Workers       int
	// Pool runs the gene-wise stages (lmFit, also inside voom, and
	// duplicateCorrelation) and TMM's per-sample factors as pool tasks;
	// nil: Workers goroutines.
	Pool pool.Pool
}

// WorkflowResult holds every intermediate of VoomWorkflow.
type WorkflowResult struct {
	Design      *design.Matrix
	Contrast    []float64       // over the design columns
	ContrastOf  string          // the name of the tested coefficient or contrast
	Kept        []bool          // filterByExpr, per input gene
	LibSize     []float64       // column sums of the kept genes
	NormFactors []float64       // TMM on the kept genes
	Voom        *EList          // nil for limma-trend
	E           *dataset.Matrix // the log-expression fitted (voom's E or log-CPM)
	DupCor      *DupCor         // nil without a block
	FirstDupCor *DupCor         // the first pass of VoomTwice
	Fit         *Fit            // after contrasts.fit (if needed) and eBayes (moderated statistics of column Coef only)
	Coef        int             // column of Fit tested
	Table       []TopRow
	// Defaults lists, one per line, every setting used, for the output's
	// header comment.
	Defaults []string
}

// VoomWorkflow runs limma-voom's documented workflow (limma 3.54.1 user's
// guide §15; edgeR 3.40.2):
//
//	X     <- model.matrix(formula, sheet)            (rank-checked)
//	keep  <- filterByExpr(counts, design = X)
//	y     <- calcNormFactors(DGEList(counts[keep, ], keep.lib.sizes = FALSE))  # TMM
//	v     <- voom(y, X)                              # lib.size × norm.factors
//	dc    <- duplicateCorrelation(v, X, block)       # only with a block
//	fit   <- lmFit(v, X, block, correlation = dc$consensus)
//	fit   <- contrasts.fit(fit, C)                   # unless C picks one coefficient
//	fit   <- eBayes(fit, robust = robust)
//	topTable(fit, coef = 1, number = Inf, sort.by = "B")  # BH over the kept genes
//
// voom and duplicateCorrelation are run once unless VoomTwice is set.
// With Trend, limma-trend replaces voom: E = cpm(y, log = TRUE,
// prior.count = 3), no weights, and eBayes(trend = TRUE).
// contrast is "variable,numerator,denominator" or one number per design
// column (see design.ContrastVector).
//
// Errors: formula and sample-sheet problems, a rank-deficient design (with
// the confounded columns named), an unknown block column, counts whose
// samples do not match the sheet, too few genes left after filtering, and
// the errors of the steps.
func VoomWorkflow(counts *dataset.Matrix, frame *design.Frame, formula, contrast string, opt *WorkflowOptions) (*WorkflowResult, error) {
	o := WorkflowOptions{}
	if opt != nil {
		o = *opt
	}
	if err := counts.Validate(); err != nil {
		return nil, err
	}
	if err := matchSamples(frame, counts); err != nil {
		return nil, err
	}
	X, err := design.ModelMatrix(formula, frame)
	if err != nil {
		return nil, err
	}
	if err := X.CheckRank(); err != nil {
		return nil, err
	}
	c, err := design.ContrastVector(X, contrast)
	if err != nil {
		return nil, err
	}
	res := &WorkflowResult{Design: X, Contrast: c}
	fo := o.Filter
	fo.Design = X
	fo.Group = nil
	fo.LibSize = nil
	keep, err := norm.FilterByExpr(counts, fo)
	if err != nil {
		return nil, err
	}
	res.Kept = keep
	var idx []int
	for g, k := range keep {
		if k {
			idx = append(idx, g)
		}
	}
	if len(idx) < 2 {
		return nil, fmt.Errorf("limma: only %d genes pass filterByExpr; voom needs at least two", len(idx))
	}
	o.yield()
	var y *dataset.Matrix
	if o.OverwriteCounts && !o.Trend {
		// Move the kept rows to the front (rows only move up, so a forward
		// copy is safe).
		n := counts.Cols()
		genes := make([]string, len(idx))
		for k, g := range idx {
			genes[k] = counts.Genes[g]
			if k != g {
				copy(counts.Data[k*n:(k+1)*n], counts.Data[g*n:(g+1)*n])
			}
		}
		y = &dataset.Matrix{Kind: counts.Kind, Genes: genes, Samples: counts.Samples, Data: counts.Data[: len(idx)*n : len(idx)*n]}
	} else {
		y = counts.SubsetRows(idx)
	}
	lib, err := norm.LibSizes(y)
	if err != nil {
		return nil, err
	}
	tw := o.Workers
	if tw <= 0 {
		tw = runtime.GOMAXPROCS(0)
	}
	nf, err := norm.NormFactors(y, norm.NormOptions{Method: norm.TMM, LibSize: lib, Workers: tw, Pool: o.Pool})
	if err != nil {
		return nil, err
	}
	res.LibSize, res.NormFactors = lib, nf
	var wbuf []float64
	if o.WeightsBuffer != nil && !o.Trend {
		if cap(*o.WeightsBuffer) >= y.Rows()*y.Cols() {
			wbuf = *o.WeightsBuffer
		} else {
			*o.WeightsBuffer = nil
		}
	}
	o.collect()
	o.yield()
	eff := norm.EffectiveLibSizes(lib, nf)
	block, err := blockColumn(frame, o.Block)
	if err != nil {
		return nil, err
	}
	var E *dataset.Matrix
	var weights []float64
	prior := o.PriorCount
	if prior == 0 {
		prior = 3
	}
	if o.Trend {
		E, err = norm.LogCPM(y, eff, prior)
		if err != nil {
			return nil, err
		}
	} else {
		// y is this function's copy of the kept genes: voom may overwrite
		// it (the second pass of VoomTwice needs it again).
		twice := o.VoomTwice && block != nil
		v, err := Voom(y, X, &VoomOptions{LibSize: eff, Workers: o.Workers, InPlace: !twice, Pool: o.Pool, WeightsBuffer: wbuf})
		if err != nil {
			return nil, err
		}
		o.yield()
		if twice {
			dc, err := DuplicateCorrelation(v.E, X, block, &DupCorOptions{Weights: v.Weights, Workers: o.Workers, Pool: o.Pool})
			if err != nil {
				return nil, err
			}
			res.FirstDupCor = dc
			o.yield()
			// The first pass's weights are not used from here on: the buffer
			// may take the second's.
			v, err = Voom(y, X, &VoomOptions{LibSize: eff, Block: block, Correlation: dc.Consensus, Workers: o.Workers, InPlace: true, Pool: o.Pool, WeightsBuffer: wbuf})
			if err != nil {
				return nil, err
			}
		}
		res.Voom = v
		o.yield()
		E, weights = v.E, v.Weights
		if o.WeightsBuffer != nil {
			*o.WeightsBuffer = v.Weights[:cap(v.Weights)]
		}
	}
	res.E = E
	unit, err := res.fitContrast(E, weights, block, contrast, o)
	if err != nil {
		return nil, err
	}
	f := fo
	def := func(v, d float64) float64 {
		if v == 0 {
			return d
		}
		return v
	}
	res.Defaults = []string{
		"method: limma-voom (limma 3.54.1 / edgeR 3.40.2 equivalent, her2het core/limma)",
		"design: " + X.Formula.String() + " (columns: " + strings.Join(X.Columns, ", ") + ")",
		fmt.Sprintf("contrast: %s = %v", contrast, c),
		fmt.Sprintf("filterByExpr(design, min.count=%g, min.total.count=%g, large.n=%g, min.prop=%g): kept %d of %d genes",
			def(f.MinCount, 10), def(f.MinTotalCount, 15), def(f.LargeN, 10), def(f.MinProp, 0.7), len(idx), counts.Rows()),
		"calcNormFactors(method=\"TMM\") on the kept genes, keep.lib.sizes=FALSE",
	}
	if o.Trend {
		res.Defaults[0] = "method: limma-trend (limma 3.54.1 / edgeR 3.40.2 equivalent, her2het core/limma)"
		res.Defaults = append(res.Defaults, fmt.Sprintf("cpm(log=TRUE, prior.count=%g, lib.size=lib.size*norm.factors)", prior))
	} else {
		res.Defaults = append(res.Defaults, "voom(span=0.5, lib.size=lib.size*norm.factors, normalize.method=\"none\")")
		if res.FirstDupCor != nil {
			res.Defaults = append(res.Defaults, fmt.Sprintf("voom twice: duplicateCorrelation consensus=%s, then voom(block, correlation)", FormatFloat(res.FirstDupCor.Consensus)))
		}
	}
	if block != nil {
		res.Defaults = append(res.Defaults, fmt.Sprintf("duplicateCorrelation(block=%s, trim=0.15): consensus=%s", o.Block, FormatFloat(res.DupCor.Consensus)),
			"lmFit(block, correlation=consensus)")
	} else {
		res.Defaults = append(res.Defaults, "lmFit()")
	}
	if !unit {
		res.Defaults = append(res.Defaults, "contrasts.fit()")
	}
	res.Defaults = append(res.Defaults,
		fmt.Sprintf("eBayes(proportion=0.01, stdev.coef.lim=c(0.1,4), trend=%s, robust=%s)",
			strings.ToUpper(fmt.Sprint(o.Trend)), strings.ToUpper(fmt.Sprint(o.Robust))),
		"topTable(coef, number=Inf, adjust.method=\"BH\", sort.by=\"B\")")
	return res, nil
}

// fitContrast runs [duplicateCorrelation ->] lmFit -> [contrasts.fit ->]
// eBayes -> topTable on E for res.Design and res.Contrast. It reports
// whether the contrast picked a single coefficient.
func (res *WorkflowResult) fitContrast(E *dataset.Matrix, weights []float64, block []string, contrast string, o WorkflowOptions) (bool, error) {
	X, c := res.Design, res.Contrast
	lo := &LmOptions{Weights: weights, Workers: o.Workers, Pool: o.Pool}
	if block != nil {
		dc, err := DuplicateCorrelation(E, X, block, &DupCorOptions{Weights: weights, Workers: o.Workers, Pool: o.Pool})
		if err != nil {
			return false, err
		}
		res.DupCor = dc
		lo.Block, lo.Correlation = block, dc.Consensus
		o.yield()
	}
	fit, err := LmFit(E, X, lo)
	if err != nil {
		return false, err
	}
	o.yield()
	coef, unit := -1, true
	for j, x := range c {
		switch {
		case x == 1 && coef < 0:
			coef = j
		case x != 0:
			unit = false
		}
	}
	if unit && coef >= 0 {
		res.Coef = coef
		res.ContrastOf = X.Columns[coef]
	} else {
		name := strings.ReplaceAll(contrast, ",", "_")
		fit, err = ContrastsFit(fit, c, []string{name})
		if err != nil {
			return false, err
		}
		res.Coef = 0
		res.ContrastOf = name
	}
	if _, err := EBayes(fit, &EBayesOptions{Robust: o.Robust, Trend: o.Trend, Coefs: []int{res.Coef}}); err != nil {
		return false, err
	}
	res.Fit = fit
	tab, err := TopTable(fit, res.Coef, &TopTableOptions{SortBy: "B"})
	if err != nil {
		return false, err
	}
	res.Table = tab
	return unit && coef >= 0, nil
}

// ExpressionWorkflow runs limma on an existing log-expression matrix (for
// example the public TMM log2-CPM matrix, or microarray intensities), with
// no filtering, normalisation or voom:
//
//	X   <- model.matrix(formula, sheet)   (rank-checked)
//	dc  <- duplicateCorrelation(E, X, block)          # only with a block
//	fit <- lmFit(E, X, block, correlation = dc$consensus)
//	fit <- contrasts.fit(fit, C)                      # unless C picks one coefficient
//	fit <- eBayes(fit, trend = opt.Trend, robust = opt.Robust)
//	topTable(fit, coef = 1, number = Inf, sort.by = "B")
//
// Set opt.Trend for limma-trend on log-CPM values (recommended there). NaN
// values are missing observations. Errors as VoomWorkflow.
func ExpressionWorkflow(E *dataset.Matrix, frame *design.Frame, formula, contrast string, opt *WorkflowOptions) (*WorkflowResult, error) {
	o := WorkflowOptions{}
	if opt != nil {
		o = *opt
	}
	if err := E.Validate(); err != nil {
		return nil, err
	}
	if err := matchSamples(frame, E); err != nil {
		return nil, err
	}
	X, err := design.ModelMatrix(formula, frame)
	if err != nil {
		return nil, err
	}
	if err := X.CheckRank(); err != nil {
		return nil, err
	}
	c, err := design.ContrastVector(X, contrast)
	if err != nil {
		return nil, err
	}
	block, err := blockColumn(frame, o.Block)
	if err != nil {
		return nil, err
	}
	res := &WorkflowResult{Design: X, Contrast: c, E: E}
	unit, err := res.fitContrast(E, nil, block, contrast, o)
	if err != nil {
		return nil, err
	}
	res.Defaults = []string{
		"method: limma on a log-expression matrix (limma 3.54.1 equivalent, her2het core/limma)",
		"design: " + X.Formula.String() + " (columns: " + strings.Join(X.Columns, ", ") + ")",
		fmt.Sprintf("contrast: %s = %v", contrast, c),
	}
	if block != nil {
		res.Defaults = append(res.Defaults, fmt.Sprintf("duplicateCorrelation(block=%s, trim=0.15): consensus=%s", o.Block, FormatFloat(res.DupCor.Consensus)),
			"lmFit(block, correlation=consensus)")
	} else {
		res.Defaults = append(res.Defaults, "lmFit()")
	}
	if !unit {
		res.Defaults = append(res.Defaults, "contrasts.fit()")
	}
	res.Defaults = append(res.Defaults,
		fmt.Sprintf("eBayes(proportion=0.01, stdev.coef.lim=c(0.1,4), trend=%s, robust=%s)",
			strings.ToUpper(fmt.Sprint(o.Trend)), strings.ToUpper(fmt.Sprint(o.Robust))),
		"topTable(coef, number=Inf, adjust.method=\"BH\", sort.by=\"B\")")
	return res, nil
}

func matchSamples(frame *design.Frame, m *dataset.Matrix) error {
	if len(frame.Samples) != m.Cols() {
		return fmt.Errorf("limma: the sample sheet has %d samples but the data have %d", len(frame.Samples), m.Cols())
	}
	for j, s := range frame.Samples {
		if s != m.Samples[j] {
			return fmt.Errorf("limma: sample %d is %q in the sample sheet but %q in the data; reorder the sheet to match", j+1, s, m.Samples[j])
		}
	}
	return nil
}

// blockColumn returns the normalised values of the named sheet column, or
// nil for an empty name.
func blockColumn(frame *design.Frame, name string) ([]string, error) {
	if name == "" {
		return nil, nil
	}
	vals, ok := frame.Columns[name]
	if !ok {
		for k, v := range frame.Columns {
			if strings.EqualFold(k, name) {
				vals, ok = v, true
			}
		}
	}
	if !ok {
		return nil, fmt.Errorf("limma: the sample sheet has no block column %q", name)
	}
	block := make([]string, len(vals))
	for i, v := range vals {
		block[i] = design.Normalize(v)
	}
	return block, nil
}

// collect calls Collect when set.
func (o *WorkflowOptions) collect() {
	if o.Collect != nil {
		o.Collect()
	}
}

// yield calls Yield when set.
func (o *WorkflowOptions) yield() {
	if o.Yield != nil {
		o.Yield()
	}
}
