package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/deseq"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/edger"
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/limma"
)

func init() {
	register(&command{
		name:    "de",
		summary: "differential expression: DESeq2 1.38 (DESeq + results), limma-voom 3.54 or edgeR 3.40 quasi-likelihood on a count matrix",
		usage:   "--counts C --samples S --design \"~ patient + timepoint\" --contrast timepoint,post,pre [--method deseq2|voom|edger-ql] [--block patient] --out results.tsv",
		run:     runDE,
	})
}

func runDE(args []string, stdout, stderr io.Writer) error {
	c := commands["de"]
	fs := newFlags(c, stderr)
	countsPath := fs.String("counts", "", "genes x samples count matrix (any format her2het reads)")
	samplesPath := fs.String("samples", "", "sample sheet; keeps and orders the samples it lists")
	formula := fs.String("design", "", "design formula over sample-sheet columns, e.g. \"~ patient + timepoint\"")
	contrast := fs.String("contrast", "", "variable,numerator,denominator (e.g. timepoint,post,pre), a coefficient name (deseq2), or one number per design column; default: the last coefficient")
	method := fs.String("method", "deseq2", "deseq2, voom or edger-ql (edgeR glmQLFit/glmQLFTest)")
	block := fs.String("block", "", "voom: sample-sheet column of correlated samples (duplicateCorrelation), e.g. patient")
	out := fs.String("out", "", "output TSV (- = standard output)")
	alpha := fs.Float64("alpha", 0.1, "deseq2: FDR level for independent filtering (results(alpha=))")
	noFilter := fs.Bool("no-independent-filtering", false, "deseq2: plain BH without independent filtering")
	cooks := fs.String("cooks-cutoff", "default", "deseq2: Cook's distance cutoff: default (qf(0.99, p, m-p)), off, or a number")
	fitType := fs.String("fit-type", "parametric", "deseq2: dispersion trend parametric, local or mean")
	sfType := fs.String("sf-type", "ratio", "deseq2: size factors ratio or poscounts")
	minRep := fs.Int("min-replicates-for-replace", 7, "deseq2: replace Cook's outliers in cells with at least this many samples (0 = never)")
	test := fs.String("test", "wald", "deseq2: wald or lrt")
	reduced := fs.String("reduced", "", "deseq2: reduced design formula for --test lrt, e.g. \"~ patient\"")
	shrink := fs.String("lfc-shrink", "none", "deseq2: none or normal (lfcShrink(type=\"normal\") on a coefficient)")
	lfcThreshold := fs.Float64("lfc-threshold", 0, "deseq2: test |log2 fold change| > threshold (results(lfcThreshold=), altHypothesis greaterAbs)")
	priorVar := fs.Float64("disp-prior-var", 0, "deseq2: dispersion prior variance to use instead of estimating it (needed with 1 to 3 residual df)")
	robust := fs.Bool("robust", false, "voom: eBayes(robust=TRUE); edger-ql: glmQLFit(robust=TRUE)")
	workers := fs.Int("workers", 0, "goroutines for gene-wise work (0 = all CPUs); results do not depend on it")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *countsPath == "" || *samplesPath == "" || *formula == "" || *out == "" {
		return usagef("--counts C, --samples S, --design F and --out F are required")
	}
	switch *method {
	case "deseq2", "voom", "edger-ql":
	default:
		return usagef("--method must be deseq2, voom or edger-ql, got %q", *method)
	}
	if *block != "" && *method != "voom" {
		return usagef("--block is for --method voom (DESeq2 models the patient in the design: \"~ patient + timepoint\")")
	}
	if !(*alpha > 0 && *alpha < 1) {
		return usagef("--alpha must be in (0, 1), got %v", *alpha)
	}
	if *workers < 0 {
		return usagef("--workers must be >= 0, got %d", *workers)
	}
	if *lfcThreshold < 0 || math.IsNaN(*lfcThreshold) || math.IsInf(*lfcThreshold, 0) {
		return usagef("--lfc-threshold must be a finite number >= 0")
	}
	if *priorVar < 0 || math.IsNaN(*priorVar) || math.IsInf(*priorVar, 0) {
		return usagef("--disp-prior-var must be a finite number >= 0")
	}

	m, err := deReadCounts(*countsPath)
	if err != nil {
		return err
	}
	sheet, err := deReadSheet(*samplesPath)
	if err != nil {
		return err
	}
	m, err = deMatchSamples(m, sheet, *countsPath, *samplesPath, stderr)
	if err != nil {
		return err
	}
	fr := &design.Frame{Samples: sheet.Samples, Columns: map[string][]string{}}
	for _, col := range sheet.Columns {
		fr.Columns[col.Name] = col.Raw
	}
	header := []string{
		"her2het de (" + map[string]string{"deseq2": "DESeq2 1.38.3", "voom": "limma 3.54.1 / edgeR 3.40.2", "edger-ql": "edgeR 3.40.2 / limma 3.54.1"}[*method] + " semantics)",
		"counts=" + *countsPath,
		"samples=" + *samplesPath + fmt.Sprintf(" (%d samples, %d genes)", m.Cols(), m.Rows()),
		"design=" + *formula,
	}
	if *method == "edger-ql" {
		return deEdgerQL(m, fr, *formula, *contrast, *robust, *workers, *out, *samplesPath, header, stdout)
	}
	if *method == "voom" {
		return deVoom(m, fr, *formula, *contrast, *block, *robust, *workers, *out, *samplesPath, header, stdout)
	}

	sheetErr := func(err error) error { return fmt.Errorf("%s:0:0: %v", *samplesPath, oneLine(err.Error())) }
	dm, err := design.ModelMatrix(*formula, fr)
	if err != nil {
		return sheetErr(err)
	}
	if err := dm.CheckRank(); err != nil {
		return sheetErr(err)
	}
	factors := deFactors(dm, fr)
	opts := deseq.Options{Factors: factors, DispPriorVar: *priorVar, Workers: *workers}
	switch *fitType {
	case "parametric":
		opts.FitType = deseq.Parametric
	case "local":
		opts.FitType = deseq.Local
	case "mean":
		opts.FitType = deseq.Mean
	default:
		return usagef("--fit-type must be parametric, local or mean, got %q", *fitType)
	}
	switch *sfType {
	case "ratio":
		opts.SizeFactorType = deseq.Ratio
	case "poscounts":
		opts.SizeFactorType = deseq.PosCounts
	default:
		return usagef("--sf-type must be ratio or poscounts, got %q", *sfType)
	}
	switch {
	case *minRep == 0:
		opts.MinReplicatesForReplace = -1
	case *minRep < 3:
		return usagef("--min-replicates-for-replace must be 0 (never) or >= 3, got %d", *minRep)
	default:
		opts.MinReplicatesForReplace = *minRep
	}
	switch *test {
	case "wald":
		if *reduced != "" {
			return usagef("--reduced is for --test lrt")
		}
	case "lrt":
		if *reduced == "" {
			return usagef("--test lrt needs --reduced, e.g. \"~ 1\"")
		}
		rm, err := design.ModelMatrix(*reduced, fr)
		if err != nil {
			return sheetErr(err)
		}
		opts.Test = deseq.LRT
		opts.Reduced = rm.X
		opts.ReducedColnames = rm.Columns
	default:
		return usagef("--test must be wald or lrt, got %q", *test)
	}
	if *shrink != "none" && *shrink != "normal" {
		return usagef("--lfc-shrink must be none or normal, got %q", *shrink)
	}
	ro := deseq.ResultsOptions{Alpha: *alpha, NoIndependentFiltering: *noFilter, LFCThreshold: *lfcThreshold}
	switch *cooks {
	case "default":
	case "off":
		ro.CooksCutoff = -1
	default:
		v, err := strconv.ParseFloat(*cooks, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return usagef("--cooks-cutoff must be default, off or a positive number, got %q", *cooks)
		}
		ro.CooksCutoff = v
	}
	coef := deseq.RenameCoef(dm.Columns, factors)
	if err := deContrast(*contrast, dm, coef, factors, &ro); err != nil {
		return usagef("--contrast: %v", err)
	}
	if *shrink == "normal" {
		if ro.Name == "" && (ro.FactorContrast != nil || ro.Contrast != nil) {
			if ro.FactorContrast != nil && ro.FactorContrast[2] == deLevels(factors, ro.FactorContrast[0])[0] {
				ro.Name = deseq.RenameCoef([]string{ro.FactorContrast[0] + ro.FactorContrast[1]}, factors)[0]
				ro.FactorContrast = nil
			} else {
				return usagef("--lfc-shrink normal needs a coefficient: a contrast against the reference level or a coefficient name (%s)", strings.Join(coef, ", "))
			}
		}
		if *test == "lrt" {
			return usagef("--lfc-shrink normal needs --test wald")
		}
	}

	fit, err := deseq.Run(m, dm.X, dm.Columns, opts)
	if err != nil {
		msg := oneLine(err.Error())
		if strings.Contains(msg, "Options.DispPriorVar") {
			msg = fmt.Sprintf("with %d samples and %d coefficients DESeq2 estimates the dispersion prior variance by a seeded Monte-Carlo search that her2het does not reproduce; rerun with --disp-prior-var V, V = attr(dispersionFunction(dds), \"dispPriorVar\") from R (often 0.25)", m.Cols(), len(dm.Columns))
		}
		return fmt.Errorf("%s:0:0: %v", *countsPath, msg)
	}
	var res *deseq.Results
	if *shrink == "normal" {
		name := ro.Name
		if name == "" {
			name = fit.Coef[len(fit.Coef)-1]
		}
		var prior []float64
		res, prior, err = fit.ShrinkNormal(name, ro)
		if err == nil {
			header = append(header, "lfcShrink(type=\"normal\", coef=\""+name+"\"): betaPriorVar="+deJoin(prior)+"; log2FoldChange and lfcSE are shrunken, stat/pvalue/padj are the MLE Wald test's")
		}
	} else {
		res, err = fit.Results(ro)
	}
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", *samplesPath, oneLine(err.Error()))
	}
	header = append(header,
		"method=deseq2: DESeq(test=\""+map[deseq.Test]string{deseq.Wald: "Wald", deseq.LRT: "LRT"}[opts.Test]+"\", fitType=\""+*fitType+"\", sfType=\""+*sfType+"\", betaPrior=FALSE, minReplicatesForReplace="+map[bool]string{true: "Inf", false: strconv.Itoa(*minRep)}[*minRep == 0]+", useT=FALSE, minmu=0.5) then results() on all genes",
		"resultsNames="+strings.Join(fit.Coef, ","),
		"comparison="+res.Description,
		fmt.Sprintf("results(alpha=%s, independentFiltering=%s, pAdjustMethod=\"BH\", lfcThreshold=%s, cooksCutoff=%s)", deNum(*alpha), rBoolDE(!*noFilter), deNum(*lfcThreshold), deCooksText(res.CooksCutoff)),
		"sizeFactors="+deJoin(fit.SizeFactors),
		"dispersion trend: "+deTrendText(fit.Trend)+fmt.Sprintf("; dispPriorVar=%s varLogDispEsts=%s", deNum(fit.DispPriorVar), deNum(fit.VarLogDispEsts)),
	)
	if fit.DispPriorVarFloor {
		header = append(header, "dispPriorVar: 1-3 residual df; DESeq2's Monte-Carlo search ends at its floor 0.25 on these data (its curve's minimum is clearly below it)")
	}
	if *test == "lrt" {
		header = append(header, "reduced="+*reduced+" (stat and pvalue are the LRT's; log2FoldChange and lfcSE are the coefficient's)")
	}
	if !math.IsNaN(res.FilterTheta) {
		header = append(header, "independent filtering: filterTheta="+deNum(res.FilterTheta)+" filterThreshold(baseMean)="+deNum(res.FilterThreshold))
	}
	if fit.Replaced {
		n := 0
		for _, r := range fit.Replace {
			if r {
				n++
			}
		}
		header = append(header, fmt.Sprintf("Cook's outliers replaced and refitted for %d genes (original counts kept in the input)", n))
	}
	return writeOutput(*out, stdout, func(w *bufio.Writer) {
		for _, l := range header {
			w.WriteString("# " + l + "\n")
		}
		w.WriteString("gene\tbaseMean\tlog2FoldChange\tlfcSE\tstat\tpvalue\tpadj\n")
		var b []byte
		for g, name := range res.Genes {
			b = append(b[:0], name...)
			for _, v := range []float64{res.BaseMean[g], res.Log2FoldChange[g], res.LfcSE[g], res.Stat[g], res.Pvalue[g], res.Padj[g]} {
				b = append(b, '\t')
				b = deAppend(b, v)
			}
			b = append(b, '\n')
			w.Write(b)
		}
	})
}

// deVoom runs limma's VoomWorkflow and writes its top table (kept genes).
func deVoom(m *dataset.Matrix, fr *design.Frame, formula, contrast, block string, robust bool, workers int, out, samplesPath string, header []string, stdout io.Writer) error {
	res, err := limma.VoomWorkflow(m, fr, formula, contrast, &limma.WorkflowOptions{Block: block, Robust: robust, Workers: workers})
	if err != nil {
		return fmt.Errorf("%s:0:0: %v", samplesPath, oneLine(err.Error()))
	}
	header = append(header, "method=voom: "+res.ContrastOf)
	header = append(header, res.Defaults...)
	return writeOutput(out, stdout, func(w *bufio.Writer) {
		for _, l := range header {
			w.WriteString("# " + l + "\n")
		}
		w.WriteString("gene\tlogFC\tAveExpr\tt\tP.Value\tadj.P.Val\tB\n")
		var b []byte
		for _, r := range res.Table {
			b = append(b[:0], r.Gene...)
			for _, v := range []float64{r.LogFC, r.AveExpr, r.T, r.PValue, r.AdjPVal, r.B} {
				b = append(b, '\t')
				b = deAppend(b, v)
			}
			b = append(b, '\n')
			w.Write(b)
		}
	})
}

// deFactors describes the design's factors for core/deseq: levels as the
// design coded them (first = reference) and each sample's level.
func deFactors(dm *design.Matrix, fr *design.Frame) []deseq.Factor {
	var out []deseq.Factor
	for name, levels := range dm.Factors {
		raw := fr.Columns[name]
		if raw == nil {
			continue
		}
		byNorm := map[string]string{}
		for _, l := range levels {
			byNorm[design.Normalize(l)] = l
		}
		vals := make([]string, len(raw))
		for j, v := range raw {
			vals[j] = byNorm[design.Normalize(v)]
		}
		out = append(out, deseq.Factor{Name: name, Levels: levels, Values: vals})
	}
	// deterministic order: as the variables appear in the model matrix columns
	order := map[string]int{}
	for i, c := range dm.Columns {
		for _, f := range out {
			if _, ok := order[f.Name]; !ok && strings.HasPrefix(c, f.Name) {
				order[f.Name] = i
			}
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && deLess(order, out[j].Name, out[j-1].Name); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func deLess(order map[string]int, a, b string) bool {
	oa, okA := order[a]
	ob, okB := order[b]
	if okA != okB {
		return okA
	}
	if oa != ob {
		return oa < ob
	}
	return a < b
}

func deLevels(factors []deseq.Factor, name string) []string {
	for _, f := range factors {
		if f.Name == name {
			return f.Levels
		}
	}
	return nil
}

// deContrast fills the contrast of ro from the --contrast text: empty = the
// last coefficient; a coefficient name; "variable,num,den" for a factor of
// the design (levels matched after the sample sheet's normalisation); or
// numbers (design.ContrastVector).
func deContrast(spec string, dm *design.Matrix, coef []string, factors []deseq.Factor, ro *deseq.ResultsOptions) error {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil
	}
	for _, c := range coef {
		if c == spec {
			ro.Name = c
			return nil
		}
	}
	parts := strings.Split(spec, ",")
	if len(parts) == 3 {
		v := strings.TrimSpace(parts[0])
		for _, f := range factors {
			if !strings.EqualFold(f.Name, v) {
				continue
			}
			var lv [2]string
			for i, p := range parts[1:] {
				want := design.Normalize(p)
				for _, l := range f.Levels {
					if design.Normalize(l) == want {
						lv[i] = l
					}
				}
				if lv[i] == "" {
					return fmt.Errorf("%q is not a level of %s (levels: %s)", strings.TrimSpace(p), f.Name, strings.Join(f.Levels, ", "))
				}
			}
			if lv[0] == lv[1] {
				return errors.New("numerator and denominator are the same level")
			}
			ro.FactorContrast = []string{f.Name, lv[0], lv[1]}
			return nil
		}
	}
	cv, err := design.ContrastVector(dm, spec)
	if err != nil {
		return err
	}
	ro.Contrast = cv
	return nil
}

func deTrendText(t deseq.Trend) string {
	switch t.Type {
	case deseq.Parametric:
		return "parametric asymptDisp=" + deNum(t.AsymptDisp) + " extraPois=" + deNum(t.ExtraPois)
	case deseq.Mean:
		return "mean " + deNum(t.MeanDisp)
	}
	s := "local (locfit)"
	if t.ParametricError != "" {
		s += " after the parametric fit failed: " + t.ParametricError
	}
	return s
}

func deCooksText(v float64) string {
	if math.IsNaN(v) {
		return "FALSE"
	}
	return deNum(v)
}

func rBoolDE(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func deReadCounts(path string) (*dataset.Matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, pathErrText(err))
	}
	defer f.Close()
	l, err := ingest.ReadAny(path, f, ingest.Options{Kind: ingest.WantCounts})
	if err != nil {
		return nil, err
	}
	if l.Matrix == nil {
		return nil, fmt.Errorf("%s:0:0: not a count matrix (read as %v)", path, l.Format)
	}
	if l.Matrix.Rows() == 0 || l.Matrix.Cols() == 0 {
		return nil, fmt.Errorf("%s:0:0: the count matrix is empty", path)
	}
	return l.Matrix, nil
}

func deReadSheet(path string) (*dataset.SampleSheet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, pathErrText(err))
	}
	defer f.Close()
	ss, _, err := ingest.ReadSampleSheet(path, f, ingest.Options{})
	return ss, err
}

// deMatchSamples keeps the matrix columns named in the sheet, in the sheet's order.
func deMatchSamples(m *dataset.Matrix, sheet *dataset.SampleSheet, countsPath, sheetPath string, stderr io.Writer) (*dataset.Matrix, error) {
	pos := map[string]int{}
	for j, s := range m.Samples {
		pos[s] = j
	}
	idx := make([]int, 0, len(sheet.Samples))
	for i, s := range sheet.Samples {
		j, ok := pos[s]
		if !ok {
			return nil, fmt.Errorf("%s:%d:1: sample %q is not a column of %s", sheetPath, i+2, s, countsPath)
		}
		idx = append(idx, j)
	}
	if len(idx) < m.Cols() {
		fmt.Fprintf(stderr, "de: %d samples of %s are not in %s and are left out\n", m.Cols()-len(idx), countsPath, sheetPath)
	}
	return m.SubsetCols(idx), nil
}

// deNum formats with full precision (%.17g), NA for NaN.
func deNum(v float64) string { return string(deAppend(nil, v)) }

func deAppend(b []byte, v float64) []byte {
	if math.IsNaN(v) {
		return append(b, "NA"...)
	}
	return strconv.AppendFloat(b, v, 'g', 17, 64)
}

func deJoin(x []float64) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = deNum(v)
	}
	return strings.Join(s, ",")
}

// deEdgerQL runs edgeR's quasi-likelihood pipeline (core/edger.QLWorkflow)
// and writes topTags(n = Inf, sort.by = "none") with edgeR's column names.
func deEdgerQL(m *dataset.Matrix, fr *design.Frame, formula, contrast string, robust bool, workers int, out, samplesPath string, header []string, stdout io.Writer) error {
	sheetErr := func(err error) error { return fmt.Errorf("%s:0:0: %v", samplesPath, oneLine(err.Error())) }
	dm, err := design.ModelMatrix(formula, fr)
	if err != nil {
		return sheetErr(err)
	}
	if err := dm.CheckRank(); err != nil {
		return sheetErr(err)
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	opt := &edger.Options{Coef: -1, Robust: robust, Workers: workers}
	tested := "coef=" + dm.Columns[len(dm.Columns)-1]
	if contrast != "" {
		if k := dm.Index(contrast); k >= 0 {
			opt.Coef = k
			tested = "coef=" + contrast
		} else {
			c, err := design.ContrastVector(dm, contrast)
			if err != nil {
				return sheetErr(err)
			}
			// a unit vector is glmQLFTest(coef =), as edgeR users would write it
			unit, k := 0, -1
			for j, v := range c {
				if v == 1 {
					unit, k = unit+1, j
				} else if v != 0 {
					unit = -10
				}
			}
			if unit == 1 {
				opt.Coef = k
				tested = "coef=" + dm.Columns[k]
			} else {
				opt.Contrast = c
				tested = "contrast=" + deJoin(c) + " over " + strings.Join(dm.Columns, ",")
			}
		}
	}
	res, err := edger.QLWorkflow(m, dm, opt)
	if err != nil {
		return sheetErr(err)
	}
	header = append(header,
		"method=edger-ql: glmQLFTest("+tested+"), topTags(n=Inf, sort.by=\"none\"), FDR = BH",
		fmt.Sprintf("defaults: filterByExpr(min.count=10, min.total.count=15, large.n=10, min.prop=0.7), keep.lib.sizes=FALSE; calcNormFactors(TMM); estimateDisp(trend.method=\"locfit\", grid.length=21, grid.range=c(-10,10), min.row.sum=5); glmQLFit(dispersion=trended, abundance.trend=TRUE, robust=%v, prior.count=0.125); glmQLFTest(poisson.bound=TRUE)", strings.ToUpper(fmt.Sprint(robust))),
		fmt.Sprintf("kept %d of %d genes; common.dispersion=%s; df.prior=%s", len(res.Kept), m.Rows(), deNum(res.Disp.Common), deJoin(res.Fit.DfPrior[:min(1, len(res.Fit.DfPrior))])),
	)
	t := res.Table
	return writeOutput(out, stdout, func(w *bufio.Writer) {
		for _, l := range header {
			w.WriteString("# " + l + "\n")
		}
		w.WriteString("gene\tlogFC\tlogCPM\tF\tPValue\tFDR\n")
		var b []byte
		for g, name := range res.Genes {
			b = append(b[:0], name...)
			for _, v := range []float64{t.LogFC[g], t.LogCPM[g], t.F[g], t.PValue[g], t.FDR[g]} {
				b = append(b, '\t')
				b = deAppend(b, v)
			}
			b = append(b, '\n')
			w.Write(b)
		}
	})
}
