//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserBench is the browser side of ./build.sh bench (issue 11): in
// headless Chromium with two engine workers it times DESeq2 (`~ timepoint`) and
// limma-voom on the bench data of bench/gen (20,000 genes x 285 samples) from the
// DE builder, and the whole example-cohort analysis (load, analyse, report).
// It runs only when HER2HET_BROWSER_BENCH names the bench data folder; the lines
// go to the file HER2HET_BROWSER_BENCH_OUT in bench/report's format (step/shape,
// wall seconds), so they sit beside R's, native and wasm times of the same run.
// A benchmark, not a pass/fail timer: it fails only if a step fails.
func TestBrowserBench(t *testing.T) {
	dir := os.Getenv("HER2HET_BROWSER_BENCH")
	if dir == "" {
		t.Skip("set HER2HET_BROWSER_BENCH to the bench data folder (bench/run.sh does)")
	}
	workers := 2
	var lines []string
	out := func(format string, a ...any) {
		l := fmt.Sprintf(format, a...)
		t.Log(l)
		lines = append(lines, l)
	}
	counts := filepath.Join(dir, "counts_285.tsv")
	sheet := filepath.Join(dir, "samples_285.tsv")
	for _, f := range []string{counts, sheet} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("bench data missing: %v", err)
		}
	}
	s := newSessionTimeout(t, 40*time.Minute)
	for _, step := range []struct{ name, method string }{{"deseq_timepoint", "deseq2"}, {"voom", "voom"}} {
		s.run(chromedp.Navigate(fmt.Sprintf("%s/?workers=%d", s.base, workers)))
		s.waitJS(`document.documentElement.dataset.ready === 'ui' && document.documentElement.dataset.engine === 'ready' && !!document.querySelector('nav')`, time.Minute)
		s.waitJS(fmt.Sprintf(`window.her2het.helpersReady === %d`, workers-1), time.Minute)
		s.run(chromedp.SetUploadFiles(chromedp.ID("filepicker"), []string{counts, sheet}))
		s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel') || document.querySelector('.banner') !== null`, 5*time.Minute)
		if b := bannerText(s); b != "" {
			t.Fatalf("loading the bench data: %s", b)
		}
		s.run(chromedp.Click(chromedp.ID("nav-de")))
		s.waitJS(`!!document.getElementById('de-formula')`, 30*time.Second)
		setField(s, "de-formula", "~ timepoint")
		setField(s, "de-contrast", "timepoint,post,pre")
		setField(s, "de-method", step.method)
		s.run(chromedp.Click(chromedp.ID("de-check")))
		s.waitJS(`document.getElementById('de-design') && document.getElementById('de-design').classList.contains('ok')`, time.Minute)
		start := time.Now()
		s.run(chromedp.Click(chromedp.ID("de-run")))
		s.waitJS(`(!!document.getElementById('section-de-custom') && !document.getElementById('cancel')) || document.querySelector('.banner') !== null`, 30*time.Minute)
		wall := time.Since(start).Seconds()
		if b := bannerText(s); b != "" {
			t.Fatalf("%s: %s", step.method, b)
		}
		text := evalJS[string](s, `document.getElementById('section-de-custom').innerText`)
		if !strings.Contains(text, "timepoint,post,pre") {
			t.Fatalf("%s: the result does not show its contrast:\n%s", step.method, firstLine(text))
		}
		out("%s/20000x285 %.4f cpu=NA workers=%d", step.name, wall, workers)
	}
	r := runExample(t, s, workers)
	total := r.load + r.analyse + r.repo
	out("example_analysis/20000x285 %.4f cpu=NA workers=%d load=%.1f analyse=%.1f report=%.1f",
		total.Seconds(), workers, r.load.Seconds(), r.analyse.Seconds(), r.repo.Seconds())
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
	if p := os.Getenv("HER2HET_BROWSER_BENCH_OUT"); p != "" {
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func bannerText(s *session) string {
	return evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`)
}
