//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/her2het/her2het/internal/bigcohort"
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

// writeBigCohort writes internal/bigcohort's seeded count matrix (genes x
// samples, Ensembl gene IDs of core/genemap's table, protein-coding genes first,
// so that the gene sets, PAM50 and the immune signatures find their genes; about
// 30% unexpressed; the first 600 genes 2-fold higher in group B) and its sample
// sheet with the study's columns (900 patients, the first 100 with a
// pretreatment and a post-treatment biopsy; pCR, HER2 heterogeneity, HR and a
// covariate group for the DE builder) to dir.
func writeBigCohort(t *testing.T, dir string, genes, samples int) (counts, sheet string) {
	t.Helper()
	g, err := os.Open(filepath.Join("..", "core", "genemap", "genes.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := bigcohort.GeneIDs(g, genes)
	g.Close()
	if err != nil {
		t.Fatal(err)
	}
	counts = filepath.Join(dir, "big-counts.tsv")
	f, err := os.Create(counts)
	if err != nil {
		t.Fatal(err)
	}
	if err := bigcohort.WriteCounts(f, ids, samples); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	sheet = filepath.Join(dir, "big-samples.tsv")
	if err := os.WriteFile(sheet, []byte(bigcohort.Sheet(samples)), 0o644); err != nil {
		t.Fatal(err)
	}
	return counts, sheet
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
