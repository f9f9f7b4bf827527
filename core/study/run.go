package study

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/ingest"
	"github.com/her2het/her2het/core/norm"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/refdata"
	"github.com/her2het/her2het/core/stats"
)

// runner carries the state shared by the analyses of one Run.
type runner struct {
	ctx     context.Context
	p       Params
	in      *Inputs
	res     *Result
	c       *cohort
	counts  *countRows      // raw counts of the cohort's samples, nil for expression input
	logE    *dataset.Matrix // log2 expression of the cohort's samples (gene symbols)
	geneIdx map[string]int
	pt      patientTable
	units   []unit // pretreatment units (patients, or biopsies with PerBiopsy)
	scores  *setScores
	progeny map[string][]float64 // pathway -> per-sample activity
	de      map[string]*deResult
	fishD   *fishData
	deAside bool // the DE step runs on its goroutine (startDE) and has not been waited for
	// Lean memory for big inputs (lendLogE): eff are the effective library sizes
	// logE was made with, logEOwned that logE was written over the run's own
	// copy of the Store's counts (so it can be made again from them), deBuf the
	// storage of logE lent to the DE step and deWeights voom's weights buffer.
	eff       []float64
	logEOwned bool
	lentLogE  *dataset.Matrix
	deBuf     []float64
	deWeights []float64
	joinNotes []string
	progress  func(string, float64)
}

// Run runs every analysis of the study that the inputs allow, in the order of
// study.md, and returns the sections (skipped ones with their reason), patients.tsv
// and tests.tsv. progress, if not nil, is called with the name of each step and the
// fraction of the run done. Run returns an error for invalid parameters, for inputs
// that cannot be joined (no sample of the sheet in the matrix) or when ctx is
// cancelled; an analysis that fails on the data becomes a skipped section with the
// error as its reason.
func Run(ctx context.Context, in *Inputs, p Params, progress func(step string, frac float64)) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("parameters: %v", err)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	r := &runner{ctx: ctx, p: p, in: in, res: &Result{Params: p, Files: append([]FileSummary(nil), in.Files...)},
		progress: progress, de: map[string]*deResult{}}
	if len(in.matrices) == 0 && len(in.exprs) == 0 && len(in.cells) == 0 && len(in.cases) == 0 {
		return nil, errNoData
	}
	steps := []struct {
		name string
		fn   func() *Section
	}{
		{"sample QC", r.qc},
		{"ERBB2 and amplicon genes", r.amplicon},
		{"pathway scores", r.pathways},
		{"PAM50", r.pam50},
		{"differential expression", r.diffExpr},
		{"treatment-induced change", r.change},
		{"immune infiltration", r.immune},
		{"FISH", r.fish},
		{"spatial", r.spatial},
		{"response modelling", r.response},
	}
	if err := r.prepare(); err != nil {
		return nil, err
	}
	r.prepareFISH()
	var bg *background
	defer func() { bg.wait() }() // never leave the goroutine running (panics reach the caller)
	for k, s := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(s.name, float64(k)/float64(len(steps)))
		}
		var sec *Section
		switch {
		case s.name == "differential expression" && bg != nil:
			sec = bg.wait()
			r.deAside = false
		case s.name == "differential expression" && r.lendLogE():
			sec = s.fn()
			if err := r.restoreLogE(); err != nil {
				return nil, err
			}
		default:
			sec = s.fn()
		}
		r.res.Sections = append(r.res.Sections, sec)
		if s.name == "sample QC" { // the samples and the cohort are final from here on
			bg = r.startDE()
			r.deAside = bg != nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.res.Patients = r.pt.table(r.c)
	r.res.Tests = testsTable(r.res.AllTests())
	r.res.Methods = r.methods()
	r.res.References = r.references()
	if progress != nil {
		progress("done", 1)
	}
	return r.res, nil
}

// overlapCells is the largest count matrix (genes x samples) whose differential
// expression Run overlaps with the other analyses when Params.HelperPool is set:
// the example cohort (20,000 x 285) and inputs of its size, not the big inputs,
// whose DE and gene-set scores could not both be held in a browser's memory.
const overlapCells = 8_000_000

// background is the differential-expression step running on its own goroutine.
type background struct {
	done  chan struct{}
	sec   *Section
	panic any
}

// startDE starts diffExpr on a goroutine with Params.HelperPool as its pool, or
// returns nil (the step then runs in turn) without a HelperPool, for expression
// input, or for a matrix above overlapCells. It reads only what no step before it
// changes after QC (the cohort, the counts, the sample sheet and the parameters)
// and writes only r.de, which the later steps read after wait.
//
// With a single helper (two engine workers, the browser on a 2-core machine) the
// DE step runs without a pool instead, on the caller's thread (in the browser the
// engine worker's), while the gene-set scores take the helper (computeScores):
// sending the DE step's gene-wise tasks to the helper too queued them behind the
// GSVA tasks, so that one worker did both while the other waited. Measured on the
// example cohort in Chromium with two workers, pathway scores + PAM50 + DE took
// 17-19 s, as long as with one worker.
func (r *runner) startDE() *background {
	if r.p.HelperPool == nil || r.counts == nil || r.counts.Rows()*r.counts.Cols() > overlapCells {
		return nil
	}
	bg := &background{done: make(chan struct{})}
	rr := *r // the same maps and cohort; only the pool differs
	rr.p.Pool = r.p.HelperPool
	if r.p.HelperPool.Size() <= 2 { // the engine worker and one helper
		rr.p.Pool = nil
	}
	go func() {
		defer close(bg.done)
		defer func() { bg.panic = recover() }()
		bg.sec = rr.diffExpr()
	}()
	return bg
}

// wait returns the section once the goroutine is done, re-raising its panic on
// the caller's goroutine. It is a no-op for nil.
func (bg *background) wait() *Section {
	if bg == nil {
		return nil
	}
	<-bg.done
	if p := bg.panic; p != nil {
		bg.panic = nil
		panic(p)
	}
	return bg.sec
}

// prepare joins the inputs: the matrix (counts preferred over expression, rows as
// gene symbols), the sample sheet, and the normalised log2 expression.
func (r *runner) prepare() error {
	var m *dataset.Matrix
	owned := false // m's values are this run's own copy (not the Inputs')
	switch {
	case len(r.in.matrices) == 1:
		m = r.in.matrices[0].Float() // the Inputs keep a compact Store: a float64 copy for this run
		owned = r.in.matrices[0].Matrix == nil
	case len(r.in.matrices) > 1:
		l, err := ingest.Merge(r.in.matrices)
		if err != nil {
			return err
		}
		m = l.Float()
	case len(r.in.exprs) == 1:
		m = r.in.exprs[0].Float()
	}
	if m == nil {
		// FISH only: the cohort comes from the sample sheet, if any.
		if r.in.sheet != nil {
			c, err := newCohort(r.in.sheet.Samples, r.in.sheet)
			if err != nil {
				return err
			}
			r.c = c
		}
		return nil
	}
	if genemap.DominantType(m.Genes) != genemap.IDSymbol {
		m = SymbolRows(m) // shares the values unless rows merge
	}
	var dropped []string // QC: samples without reads (libsize.go)
	if m.Kind == dataset.Counts && len(r.in.matrices) > 0 {
		var err error
		if m, dropped, err = dropEmptyLibraries(m, r.in.matrices[0].Name); err != nil {
			return err
		}
	}
	samples := m.Samples
	if sh := r.in.sheet; sh != nil {
		var keep []int
		for j, s := range m.Samples {
			if sh.Index(s) >= 0 {
				keep = append(keep, j)
			}
		}
		if len(keep) == 0 {
			return fmt.Errorf("%s:1:0: no sample of the sample sheet is a column of the matrix (first column: %q)", r.in.sheetName, m.Samples[0])
		}
		var notes []string
		if len(keep) < len(m.Samples) {
			notes = append(notes, fmt.Sprintf("%d matrix columns are not in the sample sheet and were left out (first: %s)",
				len(m.Samples)-len(keep), firstMissing(m.Samples, func(s string) bool { return sh.Index(s) >= 0 })))
			m = m.SubsetCols(keep)
		}
		samples = m.Samples
		inM := map[string]bool{}
		for _, s := range samples {
			inM[s] = true
		}
		if n := len(sh.Samples) - len(samples); n > 0 {
			notes = append(notes, fmt.Sprintf("%d sample-sheet rows have no matrix column (first: %s)",
				n, firstMissing(sh.Samples, func(s string) bool { return inM[s] })))
		}
		r.joinNotes = notes
	}
	r.joinNotes = append(dropped, r.joinNotes...)
	c, err := newCohort(samples, r.in.sheet)
	if err != nil {
		return err
	}
	c.Notes = append(append([]string(nil), r.joinNotes...), c.Notes...)
	r.c = c
	if m.Kind == dataset.Counts {
		var st *dataset.Store
		if len(r.in.matrices) == 1 {
			st = r.in.matrices[0].Store
		}
		r.counts = newCountRows(m, st) // m itself is dropped after normalise when st has it
	}
	return r.normalise(m, owned)
}

// firstMissing returns the first element of x for which has is false.
func firstMissing(x []string, has func(string) bool) string {
	for _, s := range x {
		if !has(s) {
			return s
		}
	}
	return ""
}

// normalise sets logE from counts (TMM log2 CPM, edgeR cpm(log = TRUE, prior.count
// = PriorCount) with lib.size x norm.factors) or takes an expression matrix as is.
// When m is owned (the run's own float64 copy of the counts) and the raw counts
// are read from the Inputs' Store from here on (countRows), the log-CPM values
// are written over m's counts (norm.LogCPMInPlace, the same bits): at 60,000 x
// 1,000 the count copy and logE are then one 480 MB matrix, not two at once
// (issue 11: Chromium's engine worker went from 1,328 to 1,818 MB of wasm
// memory in this step with two).
func (r *runner) normalise(m *dataset.Matrix, owned bool) error {
	if m.Kind != dataset.Counts {
		r.logE = m
	} else {
		lib, err := norm.LibSizes(m)
		if err != nil {
			return err
		}
		eff := lib
		if r.p.Normalisation == "tmm-logcpm" {
			nf, err := norm.NormFactors(m, norm.NormOptions{Method: norm.TMM, Workers: r.p.Workers, Pool: r.p.Pool})
			if err != nil {
				return err
			}
			eff = norm.EffectiveLibSizes(lib, nf)
		}
		var e *dataset.Matrix
		r.logEOwned = owned && r.counts != nil && r.counts.m == nil
		if r.logEOwned {
			if err := norm.LogCPMInPlace(m, eff, r.p.PriorCount); err != nil {
				return err
			}
			e = m
		} else if e, err = norm.LogCPM(m, eff, r.p.PriorCount); err != nil {
			return err
		}
		r.eff = eff
		e.Kind = dataset.Expression
		r.logE = e
	}
	r.geneIdx = make(map[string]int, len(r.logE.Genes))
	for i, g := range r.logE.Genes {
		if _, dup := r.geneIdx[g]; !dup {
			r.geneIdx[g] = i
		}
	}
	return nil
}

// lendLogEMin is the smallest logE (genes x samples) whose storage the DE step
// borrows (lendLogE): the big inputs of issue 11, not the example cohort.
// (A variable so that tests can lend it on small inputs.)
var lendLogEMin = overlapCells

// logELent, if not nil, is called when lendLogE lends logE (tests).
var logELent func()

// lendLogE lends logE's storage to the DE step when logE can be made again
// from the Store's counts (logEOwned) and is at least lendLogEMin values: the
// DE step's count matrices are written there (deBuf) instead of new ones, and
// logE is nil until restoreLogE. No step before DE changes logE's values, and
// the DE step does not read logE. At 60,000 x 1,000 the DE step then holds
// the Store (240 MB), one count matrix (in logE's 480 MB) and voom's weights
// (deWeights, reused by the four comparisons) instead of logE, a new count
// matrix and new weights for each comparison: in a browser the wasm heap,
// which never shrinks, grew by 700 MB in this step (issue 11).
func (r *runner) lendLogE() bool {
	if !r.logEOwned || r.logE == nil || len(r.logE.Data) < lendLogEMin || r.p.DEMethod == "deseq2" {
		return false
	}
	r.lentLogE, r.deBuf = r.logE, r.logE.Data
	r.logE = nil
	if logELent != nil {
		logELent()
	}
	return true
}

// restoreLogE makes logE again in the storage lent to the DE step: the
// cohort's counts from the Store and the log-CPM with the same library sizes
// and prior (norm.LogCPMInPlace), the same bits as before.
func (r *runner) restoreLogE() error {
	l := r.lentLogE
	all := make([]int, r.counts.Cols())
	for j := range all {
		all[j] = j
	}
	m := r.counts.subsetColsInto(all, r.deBuf)
	r.lentLogE, r.deBuf, r.deWeights = nil, nil, nil
	if err := norm.LogCPMInPlace(m, r.eff, r.p.PriorCount); err != nil {
		return err
	}
	m.Genes, m.Samples = l.Genes, l.Samples
	r.logE = m
	return nil
}

// subset keeps the cohort's samples at idx (after outlier removal) and renormalises.
func (r *runner) subset(idx []int) error {
	m := r.logE
	if r.counts != nil {
		r.counts, m = r.counts.keep(idx)
	} else {
		m = m.SubsetCols(idx)
	}
	c, err := newCohort(m.Samples, r.in.sheet)
	if err != nil {
		return err
	}
	c.Notes = append(append([]string(nil), r.joinNotes...), c.Notes...)
	r.c = c
	r.applyFISHHET()
	// keep's matrix is a new copy; it is the counts' own only without the Store.
	return r.normalise(m, true)
}

func (r *runner) step(name string) {
	if r.progress != nil {
		r.progress(name, -1)
	}
}

func skipped(id, title, reason string) *Section {
	return &Section{ID: id, Title: title, Skipped: reason, Summary: "Not run: " + reason + "."}
}

// topVariable returns the indices of the n genes of m with the largest variance
// (R's var over samples; genes with NaN are left out), ties broken by gene order.
func topVariable(m *dataset.Matrix, n int) []int {
	v := make([]float64, m.Rows())
	for g := range v {
		v[g] = stats.Var(m.Row(g))
		if math.IsNaN(v[g]) {
			v[g] = math.Inf(-1)
		}
	}
	ord := stats.Order(v, true)
	if n > len(ord) {
		n = len(ord)
	}
	out := make([]int, 0, n)
	for _, g := range ord[:n] {
		if !math.IsInf(v[g], -1) {
			out = append(out, g)
		}
	}
	sort.Ints(out)
	return out
}

// sampleTracks returns the per-sample group and timepoint labels.
func (r *runner) sampleLabels() (group, tpt []string) {
	group = make([]string, len(r.c.Samples))
	tpt = make([]string, len(r.c.Samples))
	for i := range r.c.Samples {
		pt := r.c.byID[r.c.Patient[i]]
		group[i] = pt.Group
		if group[i] == "" {
			group[i] = "NA"
		}
		tpt[i] = r.c.Timepoint[i]
		if tpt[i] == "" {
			tpt[i] = "NA"
		}
	}
	return group, tpt
}

func (r *runner) methods() string {
	p := r.p
	var b strings.Builder
	if r.logE != nil {
		if r.counts != nil {
			norm := "edgeR TMM normalisation factors and log2 counts per million (prior count " + fmtNum(p.PriorCount) + ")"
			if p.Normalisation == "logcpm" {
				norm = "log2 counts per million without TMM (prior count " + fmtNum(p.PriorCount) + ")"
			}
			fmt.Fprintf(&b, "Counts were normalised with %s. ", norm)
		} else {
			b.WriteString("The expression matrix was used as given (log scale assumed). ")
		}
		fmt.Fprintf(&b, "Samples were checked by PCA of the %d most variable genes; a sample outside mean ± %s SD on any of the first %d components was an outlier", p.PCAGenes, fmtNum(p.OutlierSD), p.PCAComponents)
		if p.ExcludeOutliers {
			b.WriteString(" and was excluded. ")
		} else {
			b.WriteString(" (flagged, kept). ")
		}
		if p.PerBiopsy {
			b.WriteString("Pretreatment biopsies were analysed one by one. ")
		} else {
			b.WriteString("Patients with several pretreatment biopsies were summarised by the mean of their biopsies. ")
		}
		fmt.Fprintf(&b, "Groups were compared with the Kruskal-Wallis test and pairwise Wilcoxon rank-sum tests with Benjamini-Hochberg adjustment (R 4.2.2 semantics). ")
		fmt.Fprintf(&b, "Gene-set scores: %s (kernel %s) on %s, sets with at least %d genes; PROGENy (top 100 genes, scaled). ", p.ScoreMethod, p.Kernel, strings.Join(p.Collections, ", "), p.MinSetSize)
		fmt.Fprintf(&b, "PAM50 subtypes with %s centroids (genefu). ", p.PAM50Method)
		if r.counts != nil && p.DEMethod == "deseq2" {
			fmt.Fprintf(&b, "Differential expression with DESeq2 (1.38.3 defaults) on patient-level pseudo-bulk counts (a patient's samples at one timepoint summed), BH with independent filtering at FDR %s; pre vs post within stratum with ~ patient + timepoint. Preranked GSEA of the Wald statistic on %s (%d permutations, seed %d). ", fmtNum(p.FDR), p.GSEACollection, p.GSEAPerm, p.Seed)
		} else if r.counts != nil {
			fmt.Fprintf(&b, "Differential expression with limma-voom (filterByExpr, TMM, voom")
			if p.DupCor {
				b.WriteString(", duplicateCorrelation blocking on patient for pretreatment comparisons")
			}
			fmt.Fprintf(&b, ", eBayes, BH FDR %s); pre vs post within stratum with ~ patient + timepoint. Preranked GSEA of the moderated t on %s (%d permutations, seed %d). ", fmtNum(p.FDR), p.GSEACollection, p.GSEAPerm, p.Seed)
		}
		b.WriteString("Immune infiltration by MCP-counter, ESTIMATE and Danaher cell-type scores. ")
	}
	if len(r.in.cells) > 0 || len(r.in.cases) > 0 {
		o, _ := p.fishOptions()
		fmt.Fprintf(&b, "FISH: %s. ", o.RuleText())
	}
	b.WriteString("Response was modelled by logistic regression of pCR on each predictor adjusted for HR status, with Wald intervals, and ROC AUC with DeLong intervals.")
	return b.String()
}

// references lists the reference collections the run used.
func (r *runner) references() []Reference {
	if r.logE == nil {
		return nil
	}
	want := map[string]bool{"mcpcounter": true, "estimate": true, "danaher": true, "pam50": true, "progeny": true}
	for _, id := range r.p.Collections {
		want[id] = true
	}
	if r.counts != nil {
		want[r.p.GSEACollection] = true
	}
	var out []Reference
	for _, c := range refdata.Collections() {
		if want[c.ID] {
			out = append(out, Reference{c.ID, c.Name, c.Version, c.Citation})
		}
	}
	return out
}

// figure is a helper to start a figure with the run's parameters.
func (r *runner) figure(id, title string, kind plotdata.Kind, params ...string) plotdata.Figure {
	f := plotdata.Figure{ID: id, Title: title, Kind: kind}
	for i := 0; i+1 < len(params); i += 2 {
		f.Params = append(f.Params, plotdata.Param{Name: params[i], Value: params[i+1]})
	}
	return f
}

func (r *runner) levelParam() string {
	if r.p.PerBiopsy {
		return "per pretreatment biopsy"
	}
	return "patient mean of pretreatment biopsies"
}
