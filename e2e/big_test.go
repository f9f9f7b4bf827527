//go:build e2e

package e2e

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/her2het/her2het/core/genemap"
)

// Issue 13's big input: 60,000 genes x 1,000 samples of counts, loaded through the
// file picker like a user's file and analysed with the DE builder (limma-voom,
// ~ group) in the browser, with every engine worker's wasm memory under 2 GB.
const (
	bigGenes   = 60000
	bigSamples = 1000
	// wasmLimit is the most linear memory an engine worker may reach.
	wasmLimit = 2 << 30
	// bigAnalyseLimit bounds the whole study's analysis of the big input.
	bigAnalyseLimit = 25 * time.Minute
)

// writeBigCohort writes a seeded count matrix (genes x samples, tab-separated,
// Ensembl gene IDs as a GENCODE-based pipeline writes them: real ones from
// core/genemap's table, protein-coding genes first, so that the gene sets,
// PAM50 and the immune signatures find their genes) and its sample sheet with
// the study's columns to dir. About 30% of genes are unexpressed (filterByExpr
// drops them); the rest have log-normal means (median 1500, like a 30-million-read
// library), sample library factors, log-normal biological noise (sd 0.3) and
// Poisson counts (normal approximation above a mean of 15); the first 600 genes
// are 2-fold higher in group B. The sheet (bigSheet) has 900 patients: the first
// 100 with a pretreatment and a post-treatment biopsy, the others pretreatment
// only, with pCR, HER2 heterogeneity and HR status, and a covariate group
// (A/B alternating over the samples) for the DE builder.
func writeBigCohort(t *testing.T, dir string, genes, samples int) (counts, sheet string) {
	t.Helper()
	counts = filepath.Join(dir, "big-counts.tsv")
	f, err := os.Create(counts)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(60000, 1000))
	lib := make([]float64, samples)
	ids := bigGeneIDs(t, genes)
	w.WriteString("gene_id")
	for j := range lib {
		fmt.Fprintf(w, "\tS%04d", j+1)
		lib[j] = math.Exp(0.25 * rng.NormFloat64())
	}
	w.WriteByte('\n')
	// Per-cell noise from tables of 4096 quantiles (fast enough to write 60
	// million cells in a few seconds): the log-normal biological factor and the
	// standard normal of the Poisson approximation.
	const nq = 4096
	var noise, normal [nq]float64
	for i := range noise {
		z := qnorm((float64(i) + 0.5) / nq)
		noise[i] = math.Exp(0.3*z - 0.045)
		normal[i] = z
	}
	line := make([]byte, 0, 8*samples)
	for g := 0; g < genes; g++ {
		mu := math.Exp(math.Log(1500) + 1.5*rng.NormFloat64())
		if rng.Float64() < 0.3 {
			mu = 0.5 * rng.Float64()
		}
		line = append(line[:0], ids[g]...)
		for j := 0; j < samples; j++ {
			u := rng.Uint64()
			m := mu * lib[j] * noise[u>>52]
			if g < 600 && j%2 == 1 {
				m *= 2
			}
			var c int64
			if m < 15 {
				c = poisson(rng, m)
			} else {
				c = max(0, int64(math.Round(m+math.Sqrt(m)*normal[(u>>40)&(nq-1)])))
			}
			line = append(line, '\t')
			line = strconv.AppendInt(line, c, 10)
		}
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	sh := bigSheet(samples)
	sheet = filepath.Join(dir, "big-samples.tsv")
	if err := os.WriteFile(sheet, []byte(sh), 0o644); err != nil {
		t.Fatal(err)
	}
	return counts, sheet
}

// bigGeneIDs returns n Ensembl gene IDs of core/genemap's table (each row's
// first ID; IDs and the symbols they resolve to unique, so that the analyses' symbol rows share the
// counts instead of merging rows), protein-coding genes first, in table order,
// then made-up IDs (ENSG00000900000...) that resolve to no gene and stay as they are.
func bigGeneIDs(t *testing.T, n int) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "core", "genemap", "genes.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	gm := genemap.Default()
	var coding, other []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(zr)
	for first := true; sc.Scan(); first = false {
		c := strings.Split(sc.Text(), "\t")
		if first || len(c) < 5 || c[2] == "" {
			continue
		}
		id, _, _ := strings.Cut(c[2], ";")
		sym := c[1]
		if g, _, ok := gm.Resolve(id); ok {
			sym = g.Symbol // an ID may be listed by another gene too
		}
		if seen[id] || seen["sym:"+sym] {
			continue
		}
		seen[id], seen["sym:"+sym] = true, true
		if c[4] == "protein-coding" {
			coding = append(coding, id)
		} else {
			other = append(other, id)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	ids := append(coding, other...)
	for g := 0; len(ids) < n; g++ { // the table has 59,700: made-up IDs for the rest
		ids = append(ids, fmt.Sprintf("ENSG%011d", 900000+g))
	}
	return ids[:n]
}

// bigSheet is the sample sheet of writeBigCohort's samples S0001...: columns
// named as in the example cohort's sheet (their roles are detected from the
// names) plus group. Samples 1-200 are the pre- and post-treatment biopsies of
// patients P0001-P0100, the others the single pretreatment biopsy of P0101-P0900.
// Patient k: pCR yes when k%3 == 0, HET when k%4 == 0, HR positive when k is even.
func bigSheet(samples int) string {
	var sh strings.Builder
	sh.WriteString("sampleID\tpatientID\ttpt\tpCR\tHER2 heterogeneity\tHR\tgroup\n")
	for j := 0; j < samples; j++ {
		k, tpt := j-99, "Pre"
		if j < 200 {
			k = j/2 + 1
			if j%2 == 1 {
				tpt = "Post"
			}
		}
		fmt.Fprintf(&sh, "S%04d\tP%04d\t%s\t%s\t%s\t%s\t%s\n", j+1, k, tpt,
			[]string{"no", "yes"}[b2i(k%3 == 0)], []string{"non-HET", "HET"}[b2i(k%4 == 0)],
			[]string{"negative", "positive"}[b2i(k%2 == 0)], []string{"A", "B"}[j%2])
	}
	return sh.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// poisson draws a Poisson count with mean m (small m) by inversion.
func poisson(rng *rand.Rand, m float64) int64 {
	l, k, p := math.Exp(-m), int64(0), rng.Float64()
	for p > l {
		k++
		p *= rng.Float64()
	}
	return k
}

// qnorm is the standard normal quantile by bisection on math.Erfc (test data only).
func qnorm(p float64) float64 {
	lo, hi := -10.0, 10.0
	for i := 0; i < 100; i++ {
		mid := (lo + hi) / 2
		if 0.5*math.Erfc(-mid/math.Sqrt2) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// wasmMemories returns the size in bytes of every WebAssembly.Memory in each
// dedicated worker of the page (the engine worker and its helpers), found through
// the DevTools protocol (Runtime.queryObjects on WebAssembly.Memory.prototype):
// a wasm memory never shrinks, so this is each worker's peak.
func wasmMemories(s *session) map[string][]float64 {
	s.t.Helper()
	out, err := wasmMemoriesErr(s)
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// wasmMemoriesErr is wasmMemories returning its error (a worker may be gone).
func wasmMemoriesErr(s *session) (map[string][]float64, error) {
	targets, err := chromedp.Targets(s.ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]float64{}
	for _, ti := range targets {
		if ti.Type != "worker" {
			continue
		}
		yes := true
		// Detach on cancel: cancelling a context made WithTargetID otherwise
		// closes its target (the worker).
		wctx, cancel := chromedp.NewContext(s.ctx, chromedp.WithTargetID(ti.TargetID), chromedp.WithDetachOnCancel())
		sizes, err := chromedp.Run(wctx, chromedp.Action[[]float64](func(ctx context.Context, t *chromedp.Target) ([]float64, error) {
			proto, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "WebAssembly.Memory.prototype"})
			if err != nil {
				return nil, err
			}
			objs, err := cdp.Call(ctx, t, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: proto.Result.ObjectID})
			if err != nil {
				return nil, err
			}
			res, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
				FunctionDeclaration: "function() { return this.map(m => m.buffer.byteLength); }",
				ObjectID:            objs.Objects.ObjectID, ReturnByValue: &yes})
			if err != nil {
				return nil, err
			}
			var v []float64
			err = json.Unmarshal(res.Result.Value, &v)
			return v, err
		}))
		cancel()
		if err != nil {
			return nil, fmt.Errorf("reading the wasm memory of worker %s: %v", ti.URL, err)
		}
		out[string(ti.TargetID)+" "+ti.URL] = sizes
	}
	return out, nil
}

// TestBigInputDE is issue 11's big input in the browser: 60,000 genes x 1,000
// samples of counts (about 220 MB of text) and a sample sheet with the study's
// columns, loaded through the file picker like a user's files, and limma-voom
// ~ group from the DE builder; it checks the DE result and that every engine
// worker's wasm memory (the engine and its helpers) stays under 2 GB.
//
// TestBigInputDEAndGSVA runs the same load and DE builder before the whole
// study, so this test runs only when that one is switched off
// (HER2HET_BIG_GSVA=0).
func TestBigInputDE(t *testing.T) {
	if testing.Short() {
		t.Skip("the 60,000 x 1,000 browser test is not run with -short")
	}
	if os.Getenv("HER2HET_BIG_GSVA") != "0" {
		t.Skip("TestBigInputDEAndGSVA loads the same input and runs the same DE builder first (HER2HET_BIG_GSVA=0 runs this one instead)")
	}
	bigInput(t, false)
}

// TestBigInputDEAndGSVA is TestBigInputDE followed, on the same session, by the
// whole study ("Analyse": QC, pathway scores by GSVA with the Hallmark, Reactome
// and breast sets on all 1,000 samples, PAM50, the four limma-voom comparisons
// with GSEA, immune, response). It checks the GSVA section and the per-patient
// GSVA scores the engine sent, logs the time of every step the engine reported,
// and checks every worker's wasm memory at the end (a wasm memory never shrinks:
// its peak) stays under 2 GB. (Reading a worker's memory during the analysis
// does not work: DevTools' queryObjects waits for the busy worker, and its
// session was seen to detach.)
//
// It runs by default (HER2HET_BIG_GSVA=0 switches it off; -short too).
// Session 4 measured the engine worker at 2,727 MB (Chromium, 2 workers, load
// ~1: load 7.5 s, DE builder 13.5 s, analysis 234 s of which pathway scores
// 97 s, DE 61 s). Session 5 pinned the growth per step by running the same
// engine under Node (GOOS=js, runtime/metrics after every progress event):
// the wasm heap grew where a 300-480 MB matrix was allocated while the free
// heap was fragmented or full of garbage (normalise's second float64 matrix,
// GSVA's samples x genes density block, each DE comparison's counts and voom
// weights after TMM's pool-task garbage). With logCPM in place
// (norm.LogCPMInPlace), GSVA's density kept per sample, the DE step
// borrowing logE's storage with one reused weights buffer and a collection
// after TMM (study.Params.Collect), the engine worker ends at 1,820 MB and
// the helper at 107 MB (Chromium, 2 workers, machine load ~8: load 23 s, DE
// builder 40 s, analysis 930 s, of which pathway scores 482 s and DE 169 s;
// on a quiet machine the analysis took ~4 min in session 4, and these changes
// add no work of note). Under Node the same run ends at 1,815 MB: after the DE
// builder 1,326, normalise +180, pathway scores +1, the DE step's first voom
// weights +290, nothing after.
func TestBigInputDEAndGSVA(t *testing.T) {
	if testing.Short() {
		t.Skip("the 60,000 x 1,000 browser test is not run with -short")
	}
	if os.Getenv("HER2HET_BIG_GSVA") == "0" {
		t.Skip("HER2HET_BIG_GSVA=0: the whole study on 60,000 x 1,000 is switched off (TestBigInputDE runs instead)")
	}
	bigInput(t, true)
}

// bigInput loads the big input, runs the DE builder and, withAnalysis, the whole
// study, then checks every worker's wasm memory.
func bigInput(t *testing.T, withAnalysis bool) {
	t0 := time.Now()
	counts, sheet := writeBigCohort(t, t.TempDir(), bigGenes, bigSamples)
	st, err := os.Stat(counts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %s (%.0f MB) in %.1f s", filepath.Base(counts), float64(st.Size())/(1<<20), time.Since(t0).Seconds())

	limit := 8 * time.Minute
	if withAnalysis {
		limit += bigAnalyseLimit
	}
	s := newSessionTimeout(t, limit)
	s.open()
	evalJS[bool](s, captureSections)
	t1 := time.Now()
	s.run(chromedp.SetUploadFiles(chromedp.ID("filepicker"), []string{counts}))
	s.waitJS(`([...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('big-counts.tsv')) && !document.getElementById('cancel')) || document.querySelector('.banner') !== null`, 4*time.Minute)
	if b := bannerText(s); b != "" {
		t.Fatalf("the big matrix was refused: %s", b)
	}
	row := evalJS[string](s, `[...document.querySelectorAll('tr.file-row')].find(r => r.innerText.includes('big-counts.tsv')).innerText`)
	if !strings.Contains(row, fmt.Sprintf("%d genes x %d samples", bigGenes, bigSamples)) {
		t.Fatalf("file row %q, want %d genes x %d samples", row, bigGenes, bigSamples)
	}
	load := time.Since(t1)
	memLoad := wasmMemories(s)
	s.run(chromedp.SetUploadFiles(chromedp.ID("filepicker"), []string{sheet}))
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel') || document.querySelector('.banner') !== null`, time.Minute)
	if b := bannerText(s); b != "" {
		t.Fatalf("the sample sheet was refused: %s", b)
	}

	// The DE builder: limma-voom ~ group on all 1,000 samples.
	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`!!document.getElementById('de-formula')`, 30*time.Second)
	setField(s, "de-formula", "~ group")
	setField(s, "de-contrast", "group,B,A")
	setField(s, "de-method", "voom")
	// The DE screen may first ask the engine for the sheet's columns: the buttons
	// are disabled while it is busy.
	s.waitJS(`!document.getElementById('de-check').disabled && !document.getElementById('cancel')`, time.Minute)
	s.run(chromedp.Click(chromedp.ID("de-check")))
	s.waitJS(`document.getElementById('de-design') && document.getElementById('de-design').classList.contains('ok')`, time.Minute)
	s.waitJS(`!document.getElementById('de-run').disabled`, time.Minute)
	t2 := time.Now()
	s.run(chromedp.Click(chromedp.ID("de-run")))
	s.waitJS(`(!!document.getElementById('section-de-custom') && !document.getElementById('cancel')) || document.querySelector('.banner') !== null`, 5*time.Minute)
	if b := bannerText(s); b != "" {
		t.Fatalf("DE failed: %s", b)
	}
	de := time.Since(t2)
	text := evalJS[string](s, `document.getElementById('section-de-custom').innerText`)
	for _, want := range []string{"~ group", "group,B,A", "limma-voom", "genes at adjusted p < 0.05", "of 60000 (filterByExpr)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the DE result lacks %q:\n%.1500s", want, text)
		}
	}
	if n := evalJS[int](s, `document.querySelectorAll('#table-de-custom-top tr').length`); n < 10 {
		t.Errorf("the top table shows %d rows", n)
	}
	s.screenshot("big-input-de")
	memDE := wasmMemories(s)
	t.Logf("load %.1f s, DE builder (voom ~ group) %.1f s; %s", load.Seconds(), de.Seconds(), firstLine(text))
	for w, sizes := range memDE {
		t.Logf("wasm memory after the DE builder %s: %v", w, mb(sizes))
	}

	var analyse time.Duration
	var path string
	if withAnalysis {
		analyse, path = bigAnalyse(t, s)
	}
	mem := wasmMemories(s)
	if len(mem) == 0 {
		t.Fatal("no worker with a WebAssembly memory found")
	}
	var peak float64
	for w, sizes := range mem {
		for _, b := range sizes {
			t.Logf("wasm memory %s: %.0f MB (after load: %v, after DE: %v)", w, b/(1<<20), mb(memLoad[w]), mb(memDE[w]))
			peak = math.Max(peak, b)
			if b >= wasmLimit {
				t.Errorf("worker %s: wasm memory %.0f MB, want under %d MB", w, b/(1<<20), wasmLimit>>20)
			}
		}
	}
	t.Logf("big input %d x %d (%.0f MB): load %.1f s, DE (voom ~ group) %.1f s, analyse (GSVA and the rest) %.1f s, peak wasm memory %.0f MB; %s; %s",
		bigGenes, bigSamples, float64(st.Size())/(1<<20), load.Seconds(), de.Seconds(), analyse.Seconds(), peak/(1<<20), firstLine(text), firstSentence(path))
	s.assertNoConsoleErrors()
}

// bigAnalyse runs the whole study on the session's big input ("Analyse" on the
// Load screen), logs every step's time and each worker's wasm memory as it
// grows, and checks the GSVA results the engine sent; it returns the time of the
// analysis and the pathway section's text.
func bigAnalyse(t *testing.T, s *session) (time.Duration, string) {
	t.Helper()
	s.run(chromedp.Click(chromedp.ID("nav-load")))
	s.waitJS(`!!document.getElementById('analyse') && !document.getElementById('analyse').disabled`, 30*time.Second)
	evalJS[bool](s, `(window.__steps = [], window.__sections = [], true)`)
	t3 := time.Now()
	s.run(chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.querySelector('.jobs') !== null || document.querySelector('.banner') !== null`, 30*time.Second)
	type mark struct {
		Step string  `json:"step"`
		T    float64 `json:"t"`
	}
	// The steps the engine reported, each with the time to the next one (the
	// last one to now), logged also when the analysis does not end in time.
	logSteps := func() {
		marks := evalJS[[]mark](s, `window.__steps`)
		now := evalJS[float64](s, `performance.now()`)
		for i, m := range marks {
			end := now
			if i+1 < len(marks) {
				end = marks[i+1].T
			}
			t.Logf("  analyse step %-32s %6.1f s", m.Step, (end-m.T)/1000)
		}
	}
	for deadline := time.Now().Add(bigAnalyseLimit); evalJS[bool](s, `!!document.getElementById('cancel')`); time.Sleep(time.Second) {
		if time.Now().After(deadline) {
			logSteps()
			for w, sizes := range wasmMemories(s) {
				t.Logf("wasm memory %s: %v", w, mb(sizes))
			}
			t.Fatalf("the analysis did not end in %v", bigAnalyseLimit)
		}
	}
	analyse := time.Since(t3)
	if b := bannerText(s); b != "" {
		t.Fatalf("the analysis failed: %s", b)
	}
	logSteps()
	// The pathway scores on the page: the GSVA section with its summary and tests,
	// and the per-patient scores in the samples table (one row per patient, a
	// gsva: column per set).
	s.run(chromedp.Click(chromedp.ID("nav-pathways")))
	s.waitJS(`!!document.getElementById('section-pathways')`, 30*time.Second)
	path := evalJS[string](s, `document.getElementById('section-pathways').innerText`)
	if !strings.Contains(path, "gene sets scored by gsva") || strings.Contains(path, "Not run") {
		t.Fatalf("the pathway section shows no GSVA scores:\n%.2000s", path)
	}
	type tableInfo struct {
		Rows    int      `json:"rows"`
		Columns []string `json:"columns"`
		Sets    int      `json:"sets"`
		Scored  int      `json:"scored"`
	}
	// From the sections the engine sent (the page shows a table's first rows only).
	ti := evalJS[tableInfo](s, `(() => {
		const secs = window.__sections.map(d => JSON.parse(d).data);
		const sam = secs.find(x => x.id === 'samples');
		if (!sam || !sam.tables || !sam.tables.length) return {rows: 0, columns: [], sets: 0, scored: 0};
		const tb = sam.tables[0];
		const cols = tb.columns.map(c => typeof c === 'string' ? c : c.name);
		const gs = cols.map((c, i) => [c, i]).filter(([c]) => c.startsWith('gsva:'));
		let scored = 0;
		for (const r of tb.rows) { if (gs.length && gs.every(([, i]) => r[i] !== '' && r[i] !== 'NA' && r[i] !== null)) scored++; }
		return {rows: tb.rows.length, columns: cols.slice(0, 12), sets: gs.length, scored};
	})()`)
	t.Logf("samples table: %d rows, %d gsva columns, %d rows with every gsva score (first columns %v)", ti.Rows, ti.Sets, ti.Scored, ti.Columns)
	if ti.Rows != 900 || ti.Sets < 50 || ti.Scored != 900 {
		t.Errorf("the per-patient GSVA scores: %d rows, %d sets, %d scored; want 900 patients with scores of >= 50 sets", ti.Rows, ti.Sets, ti.Scored)
	}
	s.screenshot("big-input-pathways")

	return analyse, path
}

// mb formats byte sizes as whole MB.
func mb(sizes []float64) []string {
	var out []string
	for _, b := range sizes {
		out = append(out, fmt.Sprintf("%.0f MB", b/(1<<20)))
	}
	return out
}

func firstSentence(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "gene sets scored") {
			if i := strings.Index(l, ";"); i > 0 {
				return strings.TrimSpace(l[:i])
			}
			return strings.TrimSpace(l)
		}
	}
	return ""
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "genes at adjusted p") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// TestMemoryBudgetRefusedInBrowser picks a file (sparse, 800 MB) whose numbers
// would need more than the browser engine's 2 GB budget: the page shows its size
// and the budget, the engine never reads it, and the files loaded before stay.
func TestMemoryBudgetRefusedInBrowser(t *testing.T) {
	huge := filepath.Join(t.TempDir(), "huge.tsv")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(800 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s := newSession(t)
	s.open()
	s.dropFile("kept.tsv", "gene\tS1\tS2\nA\t1\t2\n")
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1`, 30*time.Second)
	t0 := time.Now()
	s.run(chromedp.SetUploadFiles(chromedp.ID("filepicker"), []string{huge}))
	s.waitJS(`document.querySelector('.banner') && document.querySelector('.banner').innerText.includes('huge.tsv')`, 30*time.Second)
	msg := evalJS[string](s, `document.querySelector('.banner').innerText`)
	for _, want := range []string{"huge.tsv", "800.0 MB is too large", "about 2.3 GB", "budget is 2.0 GB"} {
		if !strings.Contains(msg, want) {
			t.Errorf("banner %q lacks %q", msg, want)
		}
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("the refusal took %v: the file was read", d)
	}
	if n := evalJS[int](s, `document.querySelectorAll('tr.file-row').length`); n != 1 {
		t.Errorf("after the refusal the page lists %d files, want the 1 loaded before", n)
	}
	s.screenshot("memory-budget-refused")
	s.assertNoConsoleErrors()
}
