package study

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/deseq"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/fmath"
	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/gsea"
	"github.com/her2het/her2het/core/limma"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/refdata"
)

// deResult is one differential-expression comparison.
type deResult struct {
	ID, Title  string
	Num, Den   string
	Samples    int
	Patients   int
	Method     string
	Params     []string       // name, value pairs for the figures
	Table      []limma.TopRow // sorted as topTable (B) for voom, by p-value for DESeq2
	NDE        int            // adj.P.Val < FDR
	NUp, NDown int
	GSEA       []gsea.Result
}

type deSpec struct {
	id, title, formula, contrast string
	num, den                     string
	samples                      []int
	block                        bool
}

// deSpecs lists the study's comparisons with the samples they use.
func (r *runner) deSpecs() []deSpec {
	var pcr, het []int
	byHET := map[string][]int{}
	for _, pt := range r.c.Patients {
		for _, i := range pt.Pre {
			if pt.PCR != "" {
				pcr = append(pcr, i)
			}
			if pt.HET != "" {
				het = append(het, i)
			}
		}
		if pt.HET != "" && len(pt.Pre) > 0 && len(pt.Post) > 0 {
			byHET[pt.HET] = append(byHET[pt.HET], pt.Pre...)
			byHET[pt.HET] = append(byHET[pt.HET], pt.Post...)
		}
	}
	sort.Ints(pcr)
	sort.Ints(het)
	for _, v := range byHET {
		sort.Ints(v)
	}
	return []deSpec{
		{"de-pcr", "pCR vs no pCR (pretreatment)", "~ pCR", "pCR,yes,no", "pCR", "no pCR", pcr, true},
		{"de-het", "HET vs non-HET (pretreatment)", "~ HET", "HET,1,0", "HET", "non-HET", het, true},
		{"de-prepost-het", "post vs pre within HET", "~ patient + timepoint", "timepoint,post,pre", "post", "pre", byHET["1"], false},
		{"de-prepost-nonhet", "post vs pre within non-HET", "~ patient + timepoint", "timepoint,post,pre", "post", "pre", byHET["0"], false},
	}
}

func (r *runner) frame(idx []int) *design.Frame {
	f := &design.Frame{Columns: map[string][]string{}, Kinds: map[string]design.Kind{
		"patient": design.Factor, "pCR": design.Factor, "HET": design.Factor, "timepoint": design.Factor},
		Levels: map[string][]string{"timepoint": {"pre", "post"}, "pCR": {"no", "yes"}, "HET": {"0", "1"}}}
	for _, i := range idx {
		pt := r.c.byID[r.c.Patient[i]]
		f.Samples = append(f.Samples, r.c.Samples[i])
		f.Columns["patient"] = append(f.Columns["patient"], pt.ID)
		f.Columns["pCR"] = append(f.Columns["pCR"], naStr(pt.PCR))
		f.Columns["HET"] = append(f.Columns["HET"], naStr(pt.HET))
		f.Columns["timepoint"] = append(f.Columns["timepoint"], naStr(r.c.Timepoint[i]))
	}
	return f
}

// diffExpr runs the four comparisons with limma-voom, then preranked GSEA.
func (r *runner) diffExpr() *Section {
	const id, title = "de", "Differential expression and GSEA"
	if r.counts == nil {
		return skipped(id, title, "no raw count matrix was added (limma-voom needs counts)")
	}
	if r.in.sheet == nil {
		return skipped(id, title, "no sample sheet was added")
	}
	sec := &Section{ID: id, Title: title}
	var gsets []geneset.Set
	if ss, err := refdata.Sets(r.p.GSEACollection); err == nil {
		gsets = ss
	} else {
		sec.Notes = append(sec.Notes, "GSEA collection: "+err.Error())
	}
	var summary []string
	for _, sp := range r.deSpecs() {
		if err := r.ctx.Err(); err != nil {
			break
		}
		r.yield()
		d, err := r.runDE(sp)
		if err != nil {
			sec.Notes = append(sec.Notes, sp.title+": not run: "+err.Error())
			continue
		}
		r.de[sp.id] = d
		r.deFigures(sec, d)
		r.yield()
		if len(gsets) > 0 && r.p.GSEAPerm > 0 {
			if err := r.runGSEA(sec, d, gsets); err != nil {
				sec.Notes = append(sec.Notes, sp.title+": GSEA not run: "+err.Error())
			}
		}
		summary = append(summary, fmt.Sprintf("%s: %d DE genes at FDR %s (%d up, %d down; %d samples of %d patients)",
			d.Title, d.NDE, fmtNum(r.p.FDR), d.NUp, d.NDown, d.Samples, d.Patients))
	}
	if len(summary) == 0 {
		return skipped(id, title, "no comparison could be run: "+strings.Join(sec.Notes, "; "))
	}
	sec.Summary = strings.Join(summary, ". ") + "."
	return sec
}

func (r *runner) runDE(sp deSpec) (*deResult, error) {
	if len(sp.samples) < 3 {
		return nil, fmt.Errorf("fewer than 3 samples")
	}
	fr := r.frame(sp.samples)
	// Both levels must be present.
	col := strings.Split(sp.contrast, ",")[0]
	lv := map[string]bool{}
	for _, v := range fr.Columns[col] {
		lv[v] = true
	}
	if len(lv) < 2 {
		return nil, fmt.Errorf("only one level of %s", col)
	}
	if r.p.DEMethod == "deseq2" {
		return r.runDESeq(sp)
	}
	// A private copy (voom may work in place), in logE's lent storage for big
	// inputs (lendLogE).
	r.collect() // the last comparison's garbage
	counts := r.counts.subsetColsInto(sp.samples, r.deBuf)
	// On the pool: limma's pool path reads its tasks (<= 4 MB of rows) in place
	// (in the browser the earlier path, whole rounds copied, exhausted the wasm heap).
	opt := &limma.WorkflowOptions{Workers: r.p.Workers, Pool: r.p.Pool, OverwriteCounts: true, Collect: r.p.Collect, Yield: r.p.Yield}
	if r.deBuf != nil {
		opt.WeightsBuffer = &r.deWeights // reused by the next comparison
	}
	pats := map[string]int{}
	for _, p := range fr.Columns["patient"] {
		pats[p]++
	}
	if sp.block && r.p.DupCor {
		for _, n := range pats {
			if n > 1 {
				opt.Block = "patient"
				break
			}
		}
	}
	wf, err := limma.VoomWorkflow(counts, fr, sp.formula, sp.contrast, opt)
	if err != nil {
		return nil, err
	}
	d := &deResult{ID: sp.id, Title: sp.title, Num: sp.num, Den: sp.den, Table: wf.Table, Samples: len(sp.samples), Patients: len(pats),
		Method: "limma-voom", Params: []string{"method", "limma-voom", "design", sp.formula + " (" + wf.ContrastOf + ")", "FDR", fmtNum(r.p.FDR)}}
	if wf.DupCor != nil {
		d.Params = append(d.Params, "block", fmt.Sprintf("patient (consensus correlation %.3f)", wf.DupCor.Consensus))
	}
	d.count(r.p.FDR)
	return d, nil
}

func (d *deResult) count(fdr float64) {
	for _, t := range d.Table {
		if t.AdjPVal < fdr {
			d.NDE++
			if t.LogFC > 0 {
				d.NUp++
			} else {
				d.NDown++
			}
		}
	}
}

// runDESeq runs DESeq2 (core/deseq, DESeq2 1.38.3 defaults) on patient-level
// pseudo-bulk counts: the counts of a patient's samples at one timepoint are summed
// (so the two pretreatment biopsies count once, the patient-level analysis of the
// study), then DESeq(~ formula) and results() with the contrast; BH with
// independent filtering at alpha = FDR.
func (r *runner) runDESeq(sp deSpec) (*deResult, error) {
	type key struct{ p, t string }
	var keys []key
	cols := map[key][]int{}
	for _, i := range sp.samples {
		k := key{r.c.Patient[i], r.c.Timepoint[i]}
		if _, ok := cols[k]; !ok {
			keys = append(keys, k)
		}
		cols[k] = append(cols[k], i)
	}
	names := make([]string, len(keys))
	first := make([]int, len(keys))
	for u, k := range keys {
		names[u] = k.p + "_" + k.t
		first[u] = cols[k][0]
	}
	pb := dataset.NewMatrix(dataset.Counts, r.counts.Genes(), names)
	counts := r.counts.reader()
	for g := 0; g < r.counts.Rows(); g++ {
		row := counts(g)
		out := pb.Row(g)
		for u, k := range keys {
			var s float64
			for _, i := range cols[k] {
				s += row[i]
			}
			out[u] = s
		}
	}
	fr := r.frame(first)
	fr.Samples = names
	m, err := design.ModelMatrix(sp.formula, fr)
	if err != nil {
		return nil, err
	}
	con, err := m.Contrast(sp.contrast)
	if err != nil {
		return nil, err
	}
	fit, err := deseq.Run(pb, m.X, m.Columns, deseq.Options{Workers: r.p.Workers, Pool: r.p.Pool})
	if err != nil {
		return nil, err
	}
	res, err := fit.Results(deseq.ResultsOptions{Contrast: con, Alpha: r.p.FDR})
	if err != nil {
		return nil, err
	}
	pats := map[string]bool{}
	for _, k := range keys {
		pats[k.p] = true
	}
	d := &deResult{ID: sp.id, Title: sp.title, Num: sp.num, Den: sp.den, Samples: len(sp.samples), Patients: len(pats),
		Method: "DESeq2", Params: []string{"method", "DESeq2 (patient-level pseudo-bulk)", "design", sp.formula + " (" + sp.contrast + ")", "FDR", fmtNum(r.p.FDR)}}
	for g, gene := range res.Genes {
		if res.BaseMean[g] == 0 {
			continue
		}
		d.Table = append(d.Table, limma.TopRow{Gene: gene, Index: g, LogFC: res.Log2FoldChange[g], AveExpr: fmath.Log2(res.BaseMean[g] + 0.5),
			T: res.Stat[g], PValue: res.Pvalue[g], AdjPVal: res.Padj[g], B: math.NaN()})
	}
	sort.SliceStable(d.Table, func(a, b int) bool {
		pa, pb := d.Table[a].PValue, d.Table[b].PValue
		if math.IsNaN(pb) {
			return !math.IsNaN(pa)
		}
		return pa < pb
	})
	d.count(r.p.FDR)
	return d, nil
}

func (r *runner) deFigures(sec *Section, d *deResult) {
	params := d.Params
	vol := r.figure(d.ID+"-volcano", "Volcano: "+d.Title, plotdata.KindVolcano, params...)
	vol.XLabel, vol.YLabel = "log2 fold change ("+d.Num+" / "+d.Den+")", "-log10 p"
	ma := r.figure(d.ID+"-ma", "MA: "+d.Title, plotdata.KindMA, params...)
	ma.XLabel, ma.YLabel = "average log2 expression", "log2 fold change"
	// Points in gene order of the fit (deterministic, independent of sorting ties).
	rows := append([]limma.TopRow(nil), d.Table...)
	sort.Slice(rows, func(a, b int) bool { return rows[a].Index < rows[b].Index })
	vs := &plotdata.Scatter{Groups: []string{"up", "down", "not significant"}}
	ms := &plotdata.Scatter{Groups: vs.Groups}
	for _, t := range rows {
		g := "not significant"
		sig := t.AdjPVal < r.p.FDR
		if sig && t.LogFC > 0 {
			g = "up"
		} else if sig {
			g = "down"
		}
		vs.Points = append(vs.Points, plotdata.Point{X: plotdata.Float(t.LogFC), Y: plotdata.Float(-fmath.Log10(t.PValue)), Label: t.Gene, Group: g, Emph: sig})
		ms.Points = append(ms.Points, plotdata.Point{X: plotdata.Float(t.AveExpr), Y: plotdata.Float(t.LogFC), Label: t.Gene, Group: g, Emph: sig})
	}
	vs.Lines = []plotdata.Rule{{Axis: "x", Value: 0}}
	ms.Lines = []plotdata.Rule{{Axis: "y", Value: 0}}
	vol.Scatter, ma.Scatter = vs, ms
	sec.Figures = append(sec.Figures, vol, ma)
	tab := plotdata.Table{ID: d.ID + "-top", Title: "Top table (" + d.Method + "): " + d.Title,
		Columns: []string{"gene", "logFC", "AveExpr", "t", "P.Value", "adj.P.Val", "B"}}
	if d.Method == "DESeq2" {
		tab.Columns = []string{"gene", "log2FoldChange", "log2_baseMean", "stat", "pvalue", "padj", "B"}
	}
	for _, t := range d.Table {
		tab.Rows = append(tab.Rows, []string{t.Gene, fmtNum(t.LogFC), fmtNum(t.AveExpr), fmtNum(t.T), fmtNum(t.PValue), fmtNum(t.AdjPVal), fmtNum(t.B)})
	}
	sec.Tables = append(sec.Tables, tab)
}

func (r *runner) runGSEA(sec *Section, d *deResult, sets []geneset.Set) error {
	genes := make([]string, 0, len(d.Table))
	stat := make([]float64, 0, len(d.Table))
	rows := append([]limma.TopRow(nil), d.Table...)
	sort.Slice(rows, func(a, b int) bool { return rows[a].Index < rows[b].Index })
	seen := map[string]bool{}
	for _, t := range rows {
		if math.IsNaN(t.T) || math.IsInf(t.T, 0) || seen[t.Gene] {
			continue
		}
		seen[t.Gene] = true
		genes = append(genes, t.Gene)
		stat = append(stat, t.T)
	}
	rk, err := gsea.NewRanking(genes, stat)
	if err != nil {
		return err
	}
	res, err := gsea.Run(rk, sets, gsea.Options{MinSize: 15, MaxSize: 500, NPerm: r.p.GSEAPerm, Seed: r.p.Seed, Workers: r.p.Workers, Pool: r.p.Pool})
	if err != nil {
		return err
	}
	d.GSEA = res
	tab := plotdata.Table{ID: d.ID + "-gsea", Title: "Preranked GSEA (moderated t): " + d.Title,
		Columns: []string{"pathway", "size", "ES", "NES", "pval", "padj", "leading_edge"}}
	ord := make([]int, len(res))
	for i := range ord {
		ord[i] = i
	}
	sort.SliceStable(ord, func(a, b int) bool { return res[ord[a]].PValue < res[ord[b]].PValue })
	cats := make([]string, 0, len(res))
	nes := make([]plotdata.Float, 0, len(res))
	for _, i := range ord {
		g := res[i]
		tab.Rows = append(tab.Rows, []string{g.Pathway, fmtInt(g.Size), fmtNum(g.ES), fmtNum(g.NES), fmtNum(g.PValue), fmtNum(g.PAdj), strings.Join(g.LeadingEdge, ",")})
		sec.Tests = append(sec.Tests, TestRow{"GSEA " + d.ID, g.Pathway, d.Num + " vs " + d.Den, "fgsea preranked (moderated t)", g.NES, g.PValue, g.PAdj, g.Size})
		cats = append(cats, g.Pathway)
		nes = append(nes, plotdata.Float(g.NES))
	}
	sec.Tables = append(sec.Tables, tab)
	f := r.figure(d.ID+"-gsea-nes", "GSEA NES: "+d.Title, plotdata.KindBars, "collection", r.p.GSEACollection,
		"permutations", fmtInt(r.p.GSEAPerm), "seed", fmtInt(int(r.p.Seed)))
	f.Bars = &plotdata.Bars{Categories: cats, Series: []string{"NES"}, Values: [][]plotdata.Float{nes}}
	sec.Figures = append(sec.Figures, f)
	if len(ord) > 0 {
		top := res[ord[0]]
		for _, s := range sets {
			if s.Name != top.Pathway {
				continue
			}
			pts := gsea.Curve(rk, s, 1)
			if pts == nil {
				break
			}
			ser := plotdata.Series{Name: s.Name}
			for _, p := range pts {
				ser.X = append(ser.X, plotdata.Float(p.X))
				ser.Y = append(ser.Y, plotdata.Float(p.Y))
			}
			cf := r.figure(d.ID+"-gsea-curve", "Enrichment: "+s.Name+" ("+d.Title+")", plotdata.KindCurve)
			cf.XLabel, cf.YLabel = "rank", "running enrichment score"
			cf.Lines = &plotdata.Lines{Series: []plotdata.Series{ser}}
			sec.Figures = append(sec.Figures, cf)
		}
	}
	return nil
}

// collect calls Params.Collect when set.
func (r *runner) collect() {
	if r.p.Collect != nil {
		r.p.Collect()
	}
}

// yield calls Params.Yield when set.
func (r *runner) yield() {
	if r.p.Yield != nil {
		r.p.Yield()
	}
}
