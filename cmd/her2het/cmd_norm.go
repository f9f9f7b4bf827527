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
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/norm"
)

func init() {
	register(&command{
		name:    "norm",
		summary: "normalise a count matrix: TMM log-CPM, CPM, DESeq2 size factors and VST, TPM/FPKM (edgeR 3.40 / DESeq2 1.38)",
		usage:   "--counts C [--samples S] --method tmm-logcpm|cpm|vst|size-factors|tpm|fpkm --out F [--norm TMM] [--filter [--group COL]] [--design F] [--batch COL [--batch-method limma|combat] [--keep F]]",
		run:     runNorm,
	})
}

func runNorm(args []string, stdout, stderr io.Writer) error {
	c := commands["norm"]
	fs := newFlags(c, stderr)
	countsPath := fs.String("counts", "", "genes x samples count matrix (any format her2het reads)")
	samplesPath := fs.String("samples", "", "sample sheet: keeps and orders the samples it lists (needed for --design)")
	method := fs.String("method", "", "tmm-logcpm, cpm, vst, size-factors, tpm or fpkm")
	out := fs.String("out", "", "output TSV (- = standard output)")
	normMethod := fs.String("norm", "TMM", "edgeR calcNormFactors method for tmm-logcpm, cpm and fpkm: TMM, TMMwsp, RLE, upperquartile or none")
	prior := fs.Float64("prior", 2, "edgeR prior.count for log-CPM (scaled by library size)")
	logOut := fs.Bool("log", false, "cpm/fpkm: log2 with the prior count, as edgeR's log=TRUE")
	sfType := fs.String("sf-type", "ratio", "DESeq2 size factor type: ratio or poscounts")
	fitType := fs.String("fit", "parametric", "vst: DESeq2 fitType parametric, local or mean")
	nsub := fs.Int("nsub", 1000, "vst: genes used to fit the trend, as DESeq2's vst(); 0 fits on all genes (varianceStabilizingTransformation)")
	formula := fs.String("design", "", "vst: design formula for blind=FALSE (e.g. \"~ timepoint\"), empty means blind=TRUE (~ 1); with --filter: filterByExpr's design")
	filter := fs.Bool("filter", false, "tmm-logcpm/cpm/fpkm: keep genes passing edgeR's filterByExpr (with --group or --design, else all samples one group) and recompute library sizes on them (keep.lib.sizes=FALSE)")
	group := fs.String("group", "", "sample-sheet column giving the groups for --filter")
	batchCol := fs.String("batch", "", "log-scale outputs (tmm-logcpm, vst, --log): sample-sheet column of batches to correct for")
	batchMethod := fs.String("batch-method", "limma", "batch correction: limma (removeBatchEffect 3.54) or combat (sva 3.46 ComBat, parametric)")
	keep := fs.String("keep", "", "batch correction: formula of the effects to preserve, e.g. \"~ pCR\" (limma's design, ComBat's mod)")
	lengthsPath := fs.String("lengths", "", "tpm/fpkm: gene<TAB>length table (bases); default: the counts file's Length column (featureCounts)")
	if err := parseFlags(c, fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *countsPath == "" || *method == "" || *out == "" {
		return usagef("--counts C, --method M and --out F are required")
	}
	switch *method {
	case "tmm-logcpm", "cpm", "vst", "size-factors", "tpm", "fpkm":
	default:
		return usagef("--method must be tmm-logcpm, cpm, vst, size-factors, tpm or fpkm, got %q", *method)
	}
	nm, err := norm.ParseMethod(*normMethod)
	if err != nil {
		return usagef("--norm: %v", err)
	}
	var sft norm.SizeFactorType
	switch *sfType {
	case "ratio":
		sft = norm.Ratio
	case "poscounts":
		sft = norm.PosCounts
	default:
		return usagef("--sf-type must be ratio or poscounts, got %q", *sfType)
	}
	if !(*prior >= 0) || math.IsInf(*prior, 0) {
		return usagef("--prior must be a finite non-negative number, got %v", *prior)
	}
	if *nsub < 0 {
		return usagef("--nsub must be >= 0, got %d", *nsub)
	}
	if *formula != "" && *samplesPath == "" {
		return usagef("--design needs --samples")
	}
	if *group != "" && *samplesPath == "" {
		return usagef("--group needs --samples")
	}
	if (*batchCol != "" || *keep != "") && *samplesPath == "" {
		return usagef("--batch and --keep need --samples")
	}
	if *keep != "" && *batchCol == "" {
		return usagef("--keep needs --batch")
	}
	if *batchCol != "" {
		if *batchMethod != "limma" && *batchMethod != "combat" {
			return usagef("--batch-method must be limma or combat, got %q", *batchMethod)
		}
		logScale := *method == "tmm-logcpm" || *method == "vst" || (*logOut && (*method == "cpm" || *method == "fpkm"))
		if !logScale {
			return usagef("--batch corrects log-scale values: use tmm-logcpm, vst, or --log with cpm/fpkm")
		}
	}
	if *filter && (*method == "vst" || *method == "size-factors" || *method == "tpm") {
		return usagef("--filter applies to tmm-logcpm, cpm and fpkm")
	}

	loaded, err := normReadCounts(*countsPath)
	if err != nil {
		return err
	}
	m := loaded.Matrix
	lengths := loaded.GeneLength
	var sheet *dataset.SampleSheet
	if *samplesPath != "" {
		sheet, err = normReadSheet(*samplesPath)
		if err != nil {
			return err
		}
		m, err = normMatchSamples(m, sheet, *countsPath, *samplesPath, stderr)
		if err != nil {
			return err
		}
	}
	header := []string{
		"her2het norm " + api0Version(),
		"counts=" + *countsPath,
		"method=" + *method,
	}
	if *samplesPath != "" {
		header = append(header, "samples="+*samplesPath)
	}
	where := func(err error) error { return fmt.Errorf("%s:0:0: %v", *countsPath, err) }

	switch *method {
	case "size-factors":
		sf, err := norm.SizeFactors(m, norm.SizeFactorOptions{Type: sft})
		if err != nil {
			return where(err)
		}
		header = append(header, "DESeq2 1.38 estimateSizeFactors(type=\""+sft.String()+"\")"+map[bool]string{true: ", renormalised to geometric mean 1", false: ", not renormalised"}[sft == norm.PosCounts])
		return writeOutput(*out, stdout, func(w *bufio.Writer) {
			normHeader(w, header)
			w.WriteString("sample\tsizeFactor\n")
			for j, s := range m.Samples {
				w.WriteString(s + "\t" + normNum(sf[j]) + "\n")
			}
		})
	case "tmm-logcpm", "cpm", "fpkm":
		if *filter {
			fo := norm.FilterOptions{}
			desc := "all samples one group"
			switch {
			case *group != "":
				col := sheet.ByName(*group)
				if col == nil {
					return fmt.Errorf("%s:1:0: no column %q", *samplesPath, *group)
				}
				fo.Group = col.Values
				desc = "group=" + *group
			case *formula != "":
				dm, err := normDesign(sheet, *formula)
				if err != nil {
					return fmt.Errorf("%s:0:0: %v", *samplesPath, err)
				}
				fo.Design = dm
				desc = "design " + *formula
			}
			keep, err := norm.FilterByExpr(m, fo)
			if err != nil {
				return where(err)
			}
			var idx []int
			for g, k := range keep {
				if k {
					idx = append(idx, g)
				}
			}
			if len(idx) == 0 {
				return where(errors.New("filterByExpr kept no gene"))
			}
			m = m.SubsetRows(idx)
			if lengths != nil {
				sub := make([]float64, len(idx))
				for i, g := range idx {
					sub[i] = lengths[g]
				}
				lengths = sub
			}
			header = append(header, fmt.Sprintf("edgeR 3.40 filterByExpr(%s, min.count=10, min.total.count=15, large.n=10, min.prop=0.7): %d of %d genes kept; library sizes recomputed on them (keep.lib.sizes=FALSE)", desc, len(idx), len(keep)))
		}
		lib, err := norm.LibSizes(m)
		if err != nil {
			return where(err)
		}
		nf, err := norm.NormFactors(m, norm.NormOptions{Method: nm, Workers: runtime.GOMAXPROCS(0)})
		if err != nil {
			return where(err)
		}
		eff := norm.EffectiveLibSizes(lib, nf)
		isLog := *method == "tmm-logcpm" || *logOut
		var res *dataset.Matrix
		switch {
		case *method == "fpkm":
			gl, err := normLengths(*lengthsPath, lengths, m, *countsPath)
			if err != nil {
				return err
			}
			if isLog {
				res, err = norm.LogFPKM(m, eff, gl, *prior)
			} else {
				res, err = norm.FPKM(m, eff, gl)
			}
			if err != nil {
				return where(err)
			}
			header = append(header, fmt.Sprintf("edgeR 3.40 rpkm(DGEList, log=%s, prior.count=%s) after calcNormFactors(method=\"%s\")", rBool(isLog), normNum(*prior), nm))
		case isLog:
			res, err = norm.LogCPM(m, eff, *prior)
			if err != nil {
				return where(err)
			}
			header = append(header, fmt.Sprintf("edgeR 3.40 cpm(DGEList, log=TRUE, prior.count=%s) after calcNormFactors(method=\"%s\")", normNum(*prior), nm))
		default:
			res, err = norm.CPM(m, eff)
			if err != nil {
				return where(err)
			}
			header = append(header, fmt.Sprintf("edgeR 3.40 cpm(DGEList, log=FALSE) after calcNormFactors(method=\"%s\")", nm))
		}
		header = append(header, "lib.size="+normJoin(lib), "norm.factors="+normJoin(nf))
		if res, err = normBatch(res, sheet, *batchCol, *batchMethod, *keep, *samplesPath, &header); err != nil {
			return err
		}
		return writeOutput(*out, stdout, func(w *bufio.Writer) { normHeader(w, header); normMatrix(w, res) })
	case "tpm":
		gl, err := normLengths(*lengthsPath, lengths, m, *countsPath)
		if err != nil {
			return err
		}
		res, err := norm.TPM(m, gl)
		if err != nil {
			return where(err)
		}
		header = append(header, "TPM = (count/length) / sum(count/length) * 1e6 per sample")
		return writeOutput(*out, stdout, func(w *bufio.Writer) { normHeader(w, header); normMatrix(w, res) })
	case "vst":
		res, info, err := normVST(m, sheet, *formula, *fitType, *nsub, sft)
		if err != nil {
			return where(err)
		}
		header = append(header, info...)
		if res, err = normBatch(res, sheet, *batchCol, *batchMethod, *keep, *samplesPath, &header); err != nil {
			return err
		}
		return writeOutput(*out, stdout, func(w *bufio.Writer) { normHeader(w, header); normMatrix(w, res) })
	}
	return nil
}

// normVST runs DESeq2's vst()/varianceStabilizingTransformation: the dispersion trend
// comes from core/deseq fitted on ~1 (blind) or on the design (blind=FALSE).
func normVST(m *dataset.Matrix, sheet *dataset.SampleSheet, formula, fitType string, nsub int, sft norm.SizeFactorType) (*dataset.Matrix, []string, error) {
	var ft deseq.FitType
	switch fitType {
	case "parametric":
		ft = deseq.Parametric
	case "local":
		ft = deseq.Local
	case "mean":
		ft = deseq.Mean
	default:
		return nil, nil, usagef("--fit must be parametric, local or mean, got %q", fitType)
	}
	sf, err := norm.SizeFactors(m, norm.SizeFactorOptions{Type: sft})
	if err != nil {
		return nil, nil, err
	}
	ns := m.Cols()
	X := make([]float64, ns)
	for i := range X {
		X[i] = 1
	}
	cols := []string{"(Intercept)"}
	blind := formula == ""
	if !blind {
		dm, err := normDesign(sheet, formula)
		if err != nil {
			return nil, nil, err
		}
		X, cols = dm.X, dm.Columns
	}
	fitOn := m
	how := "varianceStabilizingTransformation("
	if nsub > 0 {
		idx, err := norm.VSTSubset(m, sf, nsub)
		if err != nil {
			return nil, nil, fmt.Errorf("%v (or use --nsub 0)", err)
		}
		fitOn = m.SubsetRows(idx)
		how = fmt.Sprintf("vst(nsub=%d, ", nsub)
	}
	// Only the trend is needed: DESeq2's vst() stops after estimateDispersionsFit too.
	opt := deseq.Options{FitType: ft, SizeFactors: sf, TrendOnly: true}
	fit, err := deseq.Run(fitOn, X, cols, opt)
	if err != nil {
		return nil, nil, err
	}
	tr := fit.Trend
	df := norm.DispersionFit{AsymptDisp: tr.AsymptDisp, ExtraPois: tr.ExtraPois, MeanDisp: tr.MeanDisp, Func: tr.Eval}
	var coef string
	switch tr.Type {
	case deseq.Parametric:
		df.Type = norm.Parametric
		coef = fmt.Sprintf("asymptDisp=%s extraPois=%s", normNum(tr.AsymptDisp), normNum(tr.ExtraPois))
	case deseq.Mean:
		df.Type = norm.Mean
		coef = "mean=" + normNum(tr.MeanDisp)
	default:
		df.Type = norm.Local
		coef = "(locfit's local quadratic fit with its k-d tree interpolation, as DESeq2's localDispersionFit)"
		if tr.ParametricError != "" {
			coef += "; parametric fit failed: " + tr.ParametricError
		}
	}
	res, err := norm.VST(m, sf, df)
	if err != nil {
		return nil, nil, err
	}
	info := []string{
		fmt.Sprintf("DESeq2 1.38 %sblind=%s, fitType=\"%s\"), design %s", how, rBool(blind), fitType, map[bool]string{true: "~1", false: formula}[blind]),
		"dispersion trend: " + tr.Type.String() + " " + coef,
		"size factors (" + sft.String() + ")=" + normJoin(sf),
	}
	return res, info, nil
}

// normBatch applies the requested batch correction to log-scale values (none if col is empty).
func normBatch(x *dataset.Matrix, sheet *dataset.SampleSheet, col, method, keep, sheetPath string, header *[]string) (*dataset.Matrix, error) {
	if col == "" {
		return x, nil
	}
	c := sheet.ByName(col)
	if c == nil {
		return nil, fmt.Errorf("%s:1:0: no column %q", sheetPath, col)
	}
	for i, v := range c.Values {
		if v == "" {
			return nil, fmt.Errorf("%s:%d:0: sample %q has no %s value", sheetPath, i+2, sheet.Samples[i], col)
		}
	}
	var dm *design.Matrix
	if keep != "" {
		var err error
		if dm, err = normDesign(sheet, keep); err != nil {
			return nil, fmt.Errorf("%s:0:0: %v", sheetPath, err)
		}
	}
	var out *dataset.Matrix
	var err error
	kept := keep
	if kept == "" {
		kept = "~1"
	}
	if method == "combat" {
		out, err = norm.ComBat(x, c.Values, norm.ComBatOptions{Mod: dm, Workers: runtime.GOMAXPROCS(0)})
		*header = append(*header, fmt.Sprintf("batch correction: sva 3.46 ComBat(batch=%s, mod=model.matrix(%s), par.prior=TRUE)", col, kept))
	} else {
		out, err = norm.RemoveBatchEffect(x, norm.BatchOptions{Batch: c.Values, Design: dm, Workers: runtime.GOMAXPROCS(0)})
		*header = append(*header, fmt.Sprintf("batch correction: limma 3.54 removeBatchEffect(batch=%s, design=model.matrix(%s))", col, kept))
	}
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", sheetPath, err)
	}
	return out, nil
}

// normDesign builds and rank-checks the model matrix of formula over the sample sheet.
func normDesign(sheet *dataset.SampleSheet, formula string) (*design.Matrix, error) {
	fr := &design.Frame{Samples: sheet.Samples, Columns: map[string][]string{}}
	for _, c := range sheet.Columns {
		fr.Columns[c.Name] = c.Raw
	}
	dm, err := design.ModelMatrix(formula, fr)
	if err != nil {
		return nil, err
	}
	if err := dm.CheckRank(); err != nil {
		return nil, err
	}
	return dm, nil
}

func rBool(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func api0Version() string {
	// the version command prints the full version; the header only names the tool
	return "(edgeR 3.40.2 / DESeq2 1.38.3 semantics)"
}

func normReadCounts(path string) (*ingest.Loaded, error) {
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
	return l, nil
}

func normReadSheet(path string) (*dataset.SampleSheet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, pathErrText(err))
	}
	defer f.Close()
	ss, _, err := ingest.ReadSampleSheet(path, f, ingest.Options{})
	return ss, err
}

// normMatchSamples keeps the matrix columns named in the sheet, in the sheet's order.
func normMatchSamples(m *dataset.Matrix, sheet *dataset.SampleSheet, countsPath, sheetPath string, stderr io.Writer) (*dataset.Matrix, error) {
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
		fmt.Fprintf(stderr, "norm: %d samples of %s are not in %s and are left out\n", m.Cols()-len(idx), countsPath, sheetPath)
	}
	return m.SubsetCols(idx), nil
}

// normLengths returns gene lengths from a gene<TAB>length file, or the counts file's
// own length column.
func normLengths(path string, fromCounts []float64, m *dataset.Matrix, countsPath string) ([]float64, error) {
	if path == "" {
		if fromCounts == nil {
			return nil, fmt.Errorf("%s:0:0: no gene lengths: give --lengths or a featureCounts table with a Length column", countsPath)
		}
		return fromCounts, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s:0:0: %v", path, pathErrText(err))
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	byGene := map[string]float64{}
	for line := 1; ; line++ {
		s, rerr := r.ReadString('\n')
		s = strings.TrimRight(s, "\r\n")
		if s != "" && !strings.HasPrefix(s, "#") {
			fields := strings.Split(s, "\t")
			if len(fields) < 2 {
				return nil, fmt.Errorf("%s:%d:1: want gene<TAB>length", path, line)
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(fields[1]), 64)
			switch {
			case err != nil && line == 1:
				// header line
			case err != nil:
				return nil, fmt.Errorf("%s:%d:2: length %q is not a number", path, line, fields[1])
			case !(v > 0) || math.IsInf(v, 0):
				return nil, fmt.Errorf("%s:%d:2: length %v must be finite and positive", path, line, v)
			default:
				byGene[strings.TrimSpace(fields[0])] = v
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, fmt.Errorf("%s:%d:0: %v", path, line, rerr)
		}
	}
	out := make([]float64, m.Rows())
	for g, name := range m.Genes {
		v, ok := byGene[name]
		if !ok {
			return nil, fmt.Errorf("%s:0:0: no length for gene %q", path, name)
		}
		out[g] = v
	}
	return out, nil
}

func normHeader(w *bufio.Writer, lines []string) {
	for _, l := range lines {
		w.WriteString("# " + l + "\n")
	}
}

func normMatrix(w *bufio.Writer, m *dataset.Matrix) {
	w.WriteString("gene")
	for _, s := range m.Samples {
		w.WriteString("\t" + s)
	}
	w.WriteByte('\n')
	var buf []byte
	for g, name := range m.Genes {
		buf = append(buf[:0], name...)
		for _, v := range m.Row(g) {
			buf = append(buf, '\t')
			buf = normAppend(buf, v)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
}

// normNum formats with full precision (%.17g), NA for NaN.
func normNum(v float64) string { return string(normAppend(nil, v)) }

func normAppend(b []byte, v float64) []byte {
	if math.IsNaN(v) {
		return append(b, "NA"...)
	}
	return strconv.AppendFloat(b, v, 'g', 17, 64)
}

func normJoin(x []float64) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = normNum(v)
	}
	return strings.Join(s, ",")
}
