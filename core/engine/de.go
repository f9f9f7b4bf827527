package engine

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/deseq"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/limma"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/study"
)

// deDefaultFDR is the adjusted p-value cut when DEParams.FDR is 0.
const deDefaultFDR = 0.05

// aliasFor returns the name a formula uses for column c: its role alias when c is
// the role's first column and no other column has that name, else its own name.
func aliasFor(sh *dataset.SampleSheet, c *dataset.SheetColumn) string {
	for _, ra := range roleAliases {
		if ra.role != c.Role || sh.Column(ra.role) != c {
			continue
		}
		if a := ra.names[0]; a == c.Name || sh.ByName(a) == nil {
			return a
		}
	}
	return c.Name
}

// DEDefaults proposes a design the loaded sheet allows: "~ pCR" (the response
// column, by its role alias) with the contrast "pCR,yes,no" when there is a response column with both
// levels, else the HET column ("1" vs "0"), else the timepoint ("post" vs "pre",
// with the patient as a block); Method is voom. The zero DEParams when the sheet
// has none of these.
func DEDefaults(sh *dataset.SampleSheet) api.DEParams {
	if sh == nil {
		return api.DEParams{}
	}
	has := func(c *dataset.SheetColumn, a, b string) bool {
		var x, y bool
		for _, v := range c.Values {
			x = x || v == a
			y = y || v == b
		}
		return x && y
	}
	for _, t := range []struct {
		role     dataset.Role
		num, den string
	}{{dataset.RoleResponse, "yes", "no"}, {dataset.RoleHET, "1", "0"}, {dataset.RoleTimepoint, "post", "pre"}} {
		c := sh.Column(t.role)
		if c == nil || !has(c, t.num, t.den) {
			continue
		}
		name := aliasFor(sh, c)
		p := api.DEParams{Formula: "~ " + quoteVar(name), Contrast: name + "," + t.num + "," + t.den, Method: "voom"}
		if pat := sh.Column(dataset.RolePatient); pat != nil && t.role == dataset.RoleTimepoint {
			p.Block = aliasFor(sh, pat)
		}
		return p
	}
	return api.DEParams{}
}

// roleAliases are the names a formula may use for the first sample-sheet column
// of each detected role, whatever the column is called in the file ("~ patient +
// HET" for columns "patientID" and "HER2 heterogeneity").
var roleAliases = []struct {
	role  dataset.Role
	names []string
}{
	{dataset.RolePatient, []string{"patient"}}, {dataset.RoleTimepoint, []string{"timepoint"}},
	{dataset.RoleResponse, []string{"pCR", "response"}}, {dataset.RoleHET, []string{"HET"}},
	{dataset.RoleRCB, []string{"RCB"}}, {dataset.RoleHR, []string{"HR"}}, {dataset.RoleER, []string{"ER"}},
	{dataset.RolePR, []string{"PR"}}, {dataset.RoleBatch, []string{"batch"}}, {dataset.RoleIHC, []string{"IHC"}},
}

// addRoleAliases adds to fr, under each role alias that is not already a column
// name, the values, kind and level order of the first column with that role. It
// returns the aliases available ("patient = patientID").
func addRoleAliases(fr *design.Frame, sh *dataset.SampleSheet) []string {
	var out []string
	for _, ra := range roleAliases {
		c := sh.Column(ra.role)
		if c == nil {
			continue
		}
		if _, ok := fr.Columns[c.Name]; !ok {
			continue
		}
		for _, a := range ra.names {
			if a == c.Name {
				out = append(out, a)
				continue
			}
			if _, taken := fr.Columns[a]; taken {
				continue
			}
			fr.Columns[a] = fr.Columns[c.Name]
			if k, ok := fr.Kinds[c.Name]; ok {
				if fr.Kinds == nil {
					fr.Kinds = map[string]design.Kind{}
				}
				fr.Kinds[a] = k
			}
			if l, ok := fr.Levels[c.Name]; ok {
				fr.Levels[a] = l
			}
			out = append(out, a+" = "+c.Name)
		}
	}
	return out
}

// quoteVar back-quotes a column name that is not a plain R name.
func quoteVar(s string) string {
	for i, r := range s {
		if !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return "`" + s + "`"
		}
	}
	return s
}

// deInputs are the pieces of a DE analysis after the samples were matched.
type deInputs struct {
	p       api.DEParams
	frame   *design.Frame
	m       *design.Matrix
	counts  *dataset.Matrix // columns in frame order; nil for a design check without counts
	check   api.DEDesign
	problem bool
	// empty are the warnings for the count columns left out for library size 0.
	empty []string
}

// prepareDE builds the design of p over the loaded sheet: samples that are also
// columns of the count matrix (all sheet samples when no matrix was loaded and
// needCounts is false), less those with a missing value in a variable of the
// formula or the block (R's na.omit), then the model matrix, its rank check and
// the contrast. Formula, column and contrast errors are returned as errors;
// rank deficiency and contrast problems go to check.Problems.
func (e *Engine) prepareDE(p api.DEParams, needCounts bool) (*deInputs, error) {
	sh, sheetName := e.inputs.Sheet()
	if sh == nil {
		return nil, &api.Error{Message: "no sample sheet loaded: the design's variables come from a sample sheet (drop one on the Load screen)"}
	}
	// The session keeps the counts compact (dataset.Store): names and library
	// sizes come from it; a float64 matrix of the design's samples is made only
	// for a run (needCounts), at the end.
	store, countsName, err := e.inputs.CountStore()
	if err != nil {
		return nil, err
	}
	if store == nil && needCounts {
		return nil, &api.Error{Message: "no raw count matrix loaded: limma-voom and DESeq2 need counts (drop a count matrix on the Load screen)"}
	}
	p.Formula = strings.TrimSpace(p.Formula)
	p.Contrast = strings.TrimSpace(p.Contrast)
	p.Block = strings.TrimSpace(p.Block)
	switch p.Method {
	case "":
		p.Method = "voom"
	case "voom", "deseq2":
	default:
		return nil, &api.Error{Message: fmt.Sprintf("method %q: choose voom or deseq2", p.Method)}
	}
	if p.FDR == 0 {
		p.FDR = deDefaultFDR
	}
	if !(p.FDR > 0 && p.FDR < 1) {
		return nil, &api.Error{Message: fmt.Sprintf("FDR %g: give a number between 0 and 1", p.FDR)}
	}
	if p.Formula == "" {
		return nil, &api.Error{Message: "no formula: give one such as ~ pCR or ~ patient + timepoint"}
	}
	f, err := design.ParseFormula(p.Formula)
	if err != nil {
		return nil, err
	}
	full := design.FromSheet(sh)
	aliases := addRoleAliases(full, sh)
	vars := append([]string(nil), f.Vars...)
	for i, v := range vars {
		vars[i] = sheetVar(v)
		if _, ok := full.Columns[vars[i]]; !ok {
			return nil, &api.Error{Message: fmt.Sprintf("formula %s: the sample sheet has no column %q (columns: %s; roles: %s)", p.Formula, vars[i], strings.Join(sheetNames(sh), ", "), strings.Join(aliases, ", "))}
		}
	}
	if p.Block != "" {
		if p.Method != "voom" {
			return nil, &api.Error{Message: "a block column is used by limma-voom's duplicateCorrelation only: clear it for DESeq2 (or add the column to the formula)"}
		}
		if _, ok := full.Columns[p.Block]; !ok {
			return nil, &api.Error{Message: fmt.Sprintf("block: the sample sheet has no column %q (columns: %s; roles: %s)", p.Block, strings.Join(sheetNames(sh), ", "), strings.Join(aliases, ", "))}
		}
		vars = append(vars, p.Block)
	}
	// Rows: in matrix column order when there is a matrix.
	var rows []int
	var notInSheet int
	var emptyWarnings []string
	var cols []int // the design's samples among the store's columns
	if store != nil {
		// Samples without reads are left out, as the study's QC does.
		empty, warns := study.EmptyStoreLibraries(store, countsName)
		if len(empty) > 0 && len(empty) == store.Cols() {
			return nil, &api.Error{File: countsName, Message: "every sample has library size 0 (the matrix holds only zeros): nothing to analyse"}
		}
		emptyWarnings = warns
		skip := make(map[int]bool, len(empty))
		for _, j := range empty {
			skip[j] = true
		}
		for j, s := range store.Samples {
			if skip[j] {
				continue
			}
			if i := sh.Index(s); i >= 0 {
				rows = append(rows, i)
				cols = append(cols, j)
			} else {
				notInSheet++
			}
		}
		if len(rows) == 0 {
			return nil, &api.Error{File: sheetName, Message: fmt.Sprintf("no sample of the sample sheet is a column of %s", countsName)}
		}
	} else {
		for i := range sh.Samples {
			rows = append(rows, i)
		}
	}
	keep := rows[:0:0]
	var keepCols []int
	var dropped []string
	for k, i := range rows {
		ok := true
		for _, v := range vars {
			if full.Columns[v][i] == "" {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, i)
			keepCols = append(keepCols, k)
		} else {
			dropped = append(dropped, sh.Samples[i])
		}
	}
	d := &deInputs{p: p, check: api.DEDesign{Formula: f.String()}}
	d.empty = emptyWarnings
	d.check.Notes = append(d.check.Notes, emptyWarnings...)
	if store != nil {
		d.check.Notes = append(d.check.Notes, fmt.Sprintf("%d samples of %s are in %s", len(rows), sheetName, countsName))
		if notInSheet > 0 {
			d.check.Notes = append(d.check.Notes, fmt.Sprintf("%d columns of %s are not in the sample sheet and are left out", notInSheet, countsName))
		}
	} else {
		d.check.Notes = append(d.check.Notes, "no count matrix loaded yet: the design uses every sample of the sheet")
	}
	if len(dropped) > 0 {
		d.check.Notes = append(d.check.Notes, fmt.Sprintf("%d samples have a missing value in %s and are left out (R's na.omit): %s", len(dropped), strings.Join(vars, ", "), firstFew(dropped)))
	}
	if len(keep) == 0 {
		return nil, &api.Error{Message: fmt.Sprintf("no sample has values for every variable of %s", strings.Join(vars, ", "))}
	}
	fr := &design.Frame{Columns: map[string][]string{}, Kinds: full.Kinds, Levels: full.Levels}
	for _, i := range keep {
		fr.Samples = append(fr.Samples, sh.Samples[i])
	}
	for name, col := range full.Columns {
		sub := make([]string, len(keep))
		for k, i := range keep {
			sub[k] = col[i]
		}
		fr.Columns[name] = sub
	}
	// Explicit level orders must cover only the values present.
	if fr.Levels != nil {
		lv := map[string][]string{}
		for name, order := range fr.Levels {
			present := map[string]bool{}
			for _, v := range fr.Columns[name] {
				present[design.Normalize(v)] = true
			}
			var o []string
			for _, l := range order {
				if present[design.Normalize(l)] {
					o = append(o, l)
				}
			}
			lv[name] = o
		}
		fr.Levels = lv
	}
	var counts *dataset.Matrix
	if store != nil && needCounts {
		idx := make([]int, len(keepCols))
		for k, c := range keepCols {
			idx[k] = cols[c]
		}
		counts = store.SelectCols(idx) // this run's own float64 copy
	}
	m, err := design.Build(f, fr)
	if err != nil {
		return nil, err
	}
	d.frame, d.m, d.counts = fr, m, counts
	d.check.Samples = m.Rows
	d.check.Columns = m.Columns
	_, est, _ := m.Estimable()
	d.check.Rank = len(est)
	if err := m.CheckRank(); err != nil {
		d.problem = true
		if re, ok := err.(*design.RankError); ok && len(re.Reasons) > 0 {
			d.check.Problems = append(d.check.Problems, "cannot be estimated: "+strings.Join(re.Aliased, ", "))
			d.check.Problems = append(d.check.Problems, re.Reasons...)
		} else {
			d.check.Problems = append(d.check.Problems, err.Error())
		}
	}
	if p.Contrast == "" {
		d.problem = true
		d.check.Problems = append(d.check.Problems, "no contrast: give factor,level,reference (e.g. "+contrastHint(m)+") or one number per column")
	} else if con, err := m.Contrast(p.Contrast); err != nil {
		d.problem = true
		d.check.Problems = append(d.check.Problems, "contrast "+p.Contrast+": "+err.Error())
	} else {
		d.check.Contrast = con
	}
	if p.Block != "" {
		d.check.Notes = append(d.check.Notes, "block: "+p.Block+" (limma duplicateCorrelation, consensus correlation within blocks)")
	}
	d.check.OK = !d.problem
	return d, nil
}

// contrastHint proposes a by-name contrast for the design's first factor.
func contrastHint(m *design.Matrix) string {
	for _, v := range m.Formula.Vars {
		if l := m.Factors[v]; len(l) >= 2 {
			return v + "," + l[1] + "," + l[0]
		}
	}
	return "pCR,yes,no"
}

// sheetVar strips the factor()/as.factor()/as.numeric() wrapper and back quotes
// from a formula variable to get the sheet column it reads.
func sheetVar(v string) string {
	for _, w := range []string{"factor(", "as.factor(", "as.numeric("} {
		if strings.HasPrefix(v, w) && strings.HasSuffix(v, ")") {
			v = v[len(w) : len(v)-1]
			break
		}
	}
	return strings.Trim(strings.TrimSpace(v), "`")
}

func sheetNames(sh *dataset.SampleSheet) []string {
	out := make([]string, len(sh.Columns))
	for i, c := range sh.Columns {
		out[i] = c.Name
	}
	return out
}

// deDesign answers KindDEDesign.
func (e *Engine) deDesign(req api.Request, emit Emit) error {
	var p api.DEParams
	if err := decodeParams(req, &p); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, err := e.prepareDE(p, false)
	if err != nil {
		return err
	}
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "deDesign", Data: api.Marshal(d.check)})
	return nil
}

// deRun answers KindDERun: limma-voom (limma 3.54 / edgeR 3.40 workflow, see
// limma.VoomWorkflow) or DESeq2 1.38 (deseq.Run + Results with the numeric
// contrast, independent filtering at the FDR) on the samples of the design.
func (e *Engine) deRun(req api.Request, emit Emit) error {
	var p api.DEParams
	if err := decodeParams(req, &p); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.collect() // before prepareDE's float64 copy of the counts
	d, err := e.prepareDE(p, true)
	if err != nil {
		return err
	}
	if d.problem {
		return &api.Error{Message: "the design cannot be run: " + strings.Join(d.check.Problems, "; ")}
	}
	p = d.p
	counts := d.counts
	if genemap.DominantType(counts.Genes) != genemap.IDSymbol {
		counts = symbolRows(counts) // shares the values unless rows merge
	}
	step := map[string]string{"voom": "limma-voom: filterByExpr, TMM, voom, lmFit, eBayes", "deseq2": "DESeq2: size factors"}[p.Method]
	if p.Block != "" {
		step = "limma-voom: filterByExpr, TMM, voom, duplicateCorrelation (block " + p.Block + "), lmFit, eBayes"
	}
	// limma's workflow reports no steps: the page shows a moving bar without a figure.
	emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: step, Fraction: 0.05, Indeterminate: p.Method == "voom"})
	res := deTable{method: p.Method}
	params := []api.Param{
		{Name: "method", Value: map[string]string{"voom": "limma-voom (filterByExpr, TMM, voom, lmFit, eBayes)", "deseq2": "DESeq2 (Wald test, ratio size factors, parametric trend)"}[p.Method]},
		{Name: "design", Value: d.check.Formula},
		{Name: "contrast", Value: p.Contrast + " = (" + joinFloats(d.check.Contrast) + ") over " + strings.Join(d.m.Columns, ", ")},
		{Name: "samples", Value: strconv.Itoa(d.m.Rows)},
		{Name: "FDR", Value: strconv.FormatFloat(p.FDR, 'g', -1, 64)},
	}
	if rp, ok := e.rolesParam(); ok {
		params = append(params, rp)
	}
	switch p.Method {
	case "voom":
		// limma runs on goroutines, not on the engine's pool: on 60,000 x 1,000
		// (e2e TestBigInputDE) its pool path was slower (DE 47 s vs 28 s) and
		// raised the engine's peak wasm memory (1824 vs 1541 MB); DESeq2 below
		// uses the pool.
		// counts is this run's own copy (prepareDE makes it from the compact
		// store): voom may overwrite it instead of copying the kept genes.
		wf, err := limma.VoomWorkflow(counts, d.frame, p.Formula, p.Contrast, &limma.WorkflowOptions{Block: p.Block, OverwriteCounts: true})
		if err != nil {
			return err
		}
		res.top = wf.Table
		kept := 0
		for _, k := range wf.Kept {
			if k {
				kept++
			}
		}
		params = append(params, api.Param{Name: "genes tested", Value: fmt.Sprintf("%d of %d (filterByExpr)", kept, counts.Rows())})
		if wf.DupCor != nil {
			params = append(params, api.Param{Name: "block", Value: fmt.Sprintf("%s (consensus correlation %.3f)", p.Block, wf.DupCor.Consensus)})
		}
	case "deseq2":
		fit, err := deseq.Run(counts, d.m.X, d.m.Columns, deseq.Options{Progress: deseqProgress(req.ID, emit), Pool: e.pool()})
		if err != nil {
			return err
		}
		r, err := fit.Results(deseq.ResultsOptions{Contrast: d.check.Contrast, Alpha: p.FDR})
		if err != nil {
			return err
		}
		res.deseq = r
		params = append(params, api.Param{Name: "genes", Value: strconv.Itoa(len(r.Genes))})
	}
	emit(api.Event{ID: req.ID, Kind: api.EventProgress, Step: "draw", Fraction: 0.9})
	sec := res.section(p, d, params)
	sec.Notes = append(sec.Notes, d.empty...)
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "section", Data: marshalView(sec)})
	return nil
}

// deseqSteps are the steps deseq.Options.Progress reports, in order, with the
// part of the DE run's progress bar each fills (DESeq2 1.38's DESeq() and
// results(); the gene-wise steps take most of the time).
var deseqSteps = []struct {
	step     string
	from, to float64
}{
	{"size factors", 0.05, 0.07}, {"gene-wise dispersions", 0.07, 0.38}, {"dispersion trend", 0.38, 0.40},
	{"MAP dispersions", 0.40, 0.60}, {"GLM fits", 0.60, 0.80}, {"outlier refit: ", 0.80, 0.86},
	{"done", 0.86, 0.87}, {"results", 0.87, 0.90},
}

// deseqProgress turns deseq's progress calls into progress events of request id:
// "DESeq2: MAP dispersions (12000 of 20000 genes)" with a fraction that never
// goes back.
func deseqProgress(id int64, emit Emit) func(step string, done, total int) {
	last := 0.0
	return func(step string, done, total int) {
		frac := last
		for _, s := range deseqSteps {
			if step == s.step || strings.HasSuffix(s.step, ": ") && strings.HasPrefix(step, s.step) {
				frac = s.from
				if total > 0 {
					frac += (s.to - s.from) * float64(min(done, total)) / float64(total)
				}
				break
			}
		}
		last = max(last, frac)
		label := "DESeq2: " + step
		if total > 0 {
			label += fmt.Sprintf(" (%d of %d genes)", done, total)
		}
		emit(api.Event{ID: id, Kind: api.EventProgress, Step: label, Fraction: last})
	}
}

// deTable holds either result kind.
type deTable struct {
	method string
	top    []limma.TopRow
	deseq  *deseq.Results
}

// rows returns per gene (in fit order): gene, x for MA (average log2 expression),
// log2 fold change, p-value and adjusted p-value.
func (t *deTable) points() (genes []string, ave, lfc, pv, padj []float64) {
	if t.deseq != nil {
		r := t.deseq
		for g := range r.Genes {
			if r.BaseMean[g] == 0 {
				continue
			}
			genes = append(genes, r.Genes[g])
			ave = append(ave, fmath.Log2(r.BaseMean[g]+0.5))
			lfc = append(lfc, r.Log2FoldChange[g])
			pv = append(pv, r.Pvalue[g])
			padj = append(padj, r.Padj[g])
		}
		return
	}
	rows := append([]limma.TopRow(nil), t.top...)
	sort.Slice(rows, func(a, b int) bool { return rows[a].Index < rows[b].Index })
	for _, r := range rows {
		genes = append(genes, r.Gene)
		ave = append(ave, r.AveExpr)
		lfc = append(lfc, r.LogFC)
		pv = append(pv, r.PValue)
		padj = append(padj, r.AdjPVal)
	}
	return
}

// section draws the volcano and MA plots and builds the top table with R's column
// names (topTable's for voom, results()'s for DESeq2).
func (t *deTable) section(p api.DEParams, d *deInputs, params []api.Param) api.Section {
	genes, ave, lfc, pv, padj := t.points()
	title := fmt.Sprintf("Your design: %s, %s (%s)", d.check.Formula, p.Contrast, p.Method)
	num, den := "numerator", "reference"
	if parts := strings.Split(p.Contrast, ","); len(parts) == 3 {
		num, den = strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
	}
	var fp []plotdata.Param
	for _, q := range params {
		fp = append(fp, plotdata.Param{Name: q.Name, Value: q.Value})
	}
	groups := []string{"up", "down", "not significant"}
	vs := &plotdata.Scatter{Groups: groups, Lines: []plotdata.Rule{{Axis: "x", Value: 0}}}
	ms := &plotdata.Scatter{Groups: groups, Lines: []plotdata.Rule{{Axis: "y", Value: 0}}}
	var nUp, nDown int
	for g := range genes {
		grp := "not significant"
		sig := padj[g] < p.FDR
		if sig && lfc[g] > 0 {
			grp = "up"
			nUp++
		} else if sig {
			grp = "down"
			nDown++
		}
		vs.Points = append(vs.Points, plotdata.Point{X: plotdata.Float(lfc[g]), Y: plotdata.Float(-fmath.Log10(pv[g])), Label: genes[g], Group: grp, Emph: sig})
		ms.Points = append(ms.Points, plotdata.Point{X: plotdata.Float(ave[g]), Y: plotdata.Float(lfc[g]), Label: genes[g], Group: grp, Emph: sig})
	}
	vol := plotdata.Figure{ID: "de-custom-volcano", Title: "Volcano: " + title, Kind: plotdata.KindVolcano, Params: fp,
		XLabel: "log2 fold change (" + num + " / " + den + ")", YLabel: "-log10 p", Scatter: vs}
	ma := plotdata.Figure{ID: "de-custom-ma", Title: "MA: " + title, Kind: plotdata.KindMA, Params: fp,
		XLabel: "average log2 expression", YLabel: "log2 fold change", Scatter: ms}
	if t.deseq != nil {
		ma.XLabel = "log2(baseMean + 0.5)"
	}
	sec := api.Section{ID: "de-custom", Screen: "de", Title: title, Params: params,
		Summary: []string{fmt.Sprintf("%d genes at adjusted p < %s (%d up, %d down) of %d tested.", nUp+nDown, strconv.FormatFloat(p.FDR, 'g', -1, 64), nUp, nDown, len(genes))},
		Figures: []api.FigureView{figureView(&vol, drawHere(&vol)), figureView(&ma, drawHere(&ma))}}
	tab := api.TableView{ID: "de-custom-top", Title: "Top table: " + title}
	if t.deseq != nil {
		r := t.deseq
		tab.Columns = []string{"gene", "baseMean", "log2FoldChange", "lfcSE", "stat", "pvalue", "padj"}
		ord := make([]int, len(r.Genes))
		for i := range ord {
			ord[i] = i
		}
		sort.SliceStable(ord, func(a, b int) bool { return lessNaNLast(r.Pvalue[ord[a]], r.Pvalue[ord[b]]) })
		for _, g := range ord {
			tab.Rows = append(tab.Rows, []string{r.Genes[g], num6(r.BaseMean[g]), num6(r.Log2FoldChange[g]), num6(r.LfcSE[g]), num6(r.Stat[g]), num6(r.Pvalue[g]), num6(r.Padj[g])})
		}
	} else {
		tab.Columns = []string{"gene", "logFC", "AveExpr", "t", "P.Value", "adj.P.Val", "B"}
		for _, r := range t.top {
			tab.Rows = append(tab.Rows, []string{r.Gene, num6(r.LogFC), num6(r.AveExpr), num6(r.T), num6(r.PValue), num6(r.AdjPVal), num6(r.B)})
		}
	}
	sec.Tables = []api.TableView{tab}
	return sec
}

func lessNaNLast(a, b float64) bool {
	if math.IsNaN(b) {
		return !math.IsNaN(a)
	}
	return a < b
}

// num6 formats a number with 6 significant digits, NA for NaN (as R prints).
func num6(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

func joinFloats(x []float64) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}
