//go:build e2e

package e2e

import (
	"bufio"
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
)

// Issue 13's big input: 60,000 genes x 1,000 samples of counts, loaded through the
// file picker like a user's file and analysed with the DE builder (limma-voom,
// ~ group) in the browser, with every engine worker's wasm memory under 2 GB.
const (
	bigGenes   = 60000
	bigSamples = 1000
	// wasmLimit is the most linear memory an engine worker may reach.
	wasmLimit = 2 << 30
)

// writeBigCohort writes a seeded count matrix (genes x samples, tab-separated,
// Ensembl gene IDs as a GENCODE-based pipeline writes them) and its sample sheet
// (sample, group A/B alternating) to dir. About 30% of genes are unexpressed
// (filterByExpr drops them); the rest have log-normal means (median 1500, like a
// 30-million-read library), sample library factors, log-normal biological noise
// (sd 0.3) and Poisson counts (normal approximation above a mean of 15); the first
// 600 genes are 2-fold higher in group B.
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
		line = append(line[:0], fmt.Sprintf("ENSG%011d", 900000+g)...)
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
	var sh strings.Builder
	sh.WriteString("sample\tgroup\n")
	for j := 0; j < samples; j++ {
		fmt.Fprintf(&sh, "S%04d\t%s\n", j+1, []string{"A", "B"}[j%2])
	}
	sheet = filepath.Join(dir, "big-samples.tsv")
	if err := os.WriteFile(sheet, []byte(sh.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return counts, sheet
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
	targets, err := chromedp.Targets(s.ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, ti := range targets {
		if ti.Type != "worker" {
			continue
		}
		yes := true
		wctx, cancel := chromedp.NewContext(s.ctx, chromedp.WithTargetID(ti.TargetID))
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
			s.t.Fatalf("reading the wasm memory of worker %s: %v", ti.URL, err)
		}
		out[string(ti.TargetID)+" "+ti.URL] = sizes
	}
	return out
}

// TestBigInputDE loads 60,000 genes x 1,000 samples (about 250 MB of text)
// through the file picker, runs limma-voom ~ group from the DE builder, and checks
// the result on the page and every engine worker's wasm memory (< 2 GB).
func TestBigInputDE(t *testing.T) {
	if testing.Short() {
		t.Skip("the 60,000 x 1,000 browser test is not run with -short")
	}
	t0 := time.Now()
	counts, sheet := writeBigCohort(t, t.TempDir(), bigGenes, bigSamples)
	st, err := os.Stat(counts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %s (%.0f MB) in %.1f s", filepath.Base(counts), float64(st.Size())/(1<<20), time.Since(t0).Seconds())

	s := newSessionTimeout(t, 8*time.Minute)
	s.open()
	banner := func() string {
		return evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`)
	}
	t1 := time.Now()
	s.run(chromedp.SetUploadFiles(chromedp.ID("filepicker"), []string{counts}))
	s.waitJS(`([...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('big-counts.tsv')) && !document.getElementById('cancel')) || document.querySelector('.banner') !== null`, 4*time.Minute)
	if b := banner(); b != "" {
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
	if b := banner(); b != "" {
		t.Fatalf("the sample sheet was refused: %s", b)
	}

	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`!!document.getElementById('de-formula')`, 30*time.Second)
	setField(s, "de-formula", "~ group")
	setField(s, "de-contrast", "group,B,A")
	setField(s, "de-method", "voom")
	s.run(chromedp.Click(chromedp.ID("de-check")))
	s.waitJS(`document.getElementById('de-design') && document.getElementById('de-design').classList.contains('ok')`, time.Minute)
	t2 := time.Now()
	s.run(chromedp.Click(chromedp.ID("de-run")))
	s.waitJS(`(!!document.getElementById('section-de-custom') && !document.getElementById('cancel')) || document.querySelector('.banner') !== null`, 5*time.Minute)
	if b := banner(); b != "" {
		t.Fatalf("DE failed: %s", b)
	}
	de := time.Since(t2)
	text := evalJS[string](s, `document.getElementById('section-de-custom').innerText`)
	for _, want := range []string{"~ group", "group,B,A", "limma-voom", "genes at adjusted p < 0.05", "of 60000 (filterByExpr)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the DE result lacks %q", want)
		}
	}
	if n := evalJS[int](s, `document.querySelectorAll('#table-de-custom-top tr').length`); n < 10 {
		t.Errorf("the top table shows %d rows", n)
	}
	s.screenshot("big-input-de")

	mem := wasmMemories(s)
	if len(mem) == 0 {
		t.Fatal("no worker with a WebAssembly memory found")
	}
	var peak float64
	for w, sizes := range mem {
		for _, b := range sizes {
			t.Logf("wasm memory %s: %.0f MB (after load: %v)", w, b/(1<<20), memLoad[w])
			peak = math.Max(peak, b)
			if b >= wasmLimit {
				t.Errorf("worker %s: wasm memory %.0f MB, want under %d MB", w, b/(1<<20), wasmLimit>>20)
			}
		}
	}
	t.Logf("big input %d x %d (%.0f MB): load %.1f s, DE (voom ~ group) %.1f s, peak wasm memory %.0f MB; %s",
		bigGenes, bigSamples, float64(st.Size())/(1<<20), load.Seconds(), de.Seconds(), peak/(1<<20), firstLine(text))
	s.assertNoConsoleErrors()
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
