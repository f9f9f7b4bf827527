//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestPageLoadsCleanly(t *testing.T) {
	s := newSession(t)
	s.open()
	navButtons := evalJS[int](s, `document.querySelectorAll('nav button').length`)
	if navButtons < 2 {
		t.Fatalf("navigation has %d buttons", navButtons)
	}
	s.screenshot("load-screen")
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

func TestDroppedFileReachesWorker(t *testing.T) {
	s := newSession(t)
	s.open()
	s.dropFile("counts.tsv", "gene\tS1\tS2\tS3\nERBB2\t10\t20\t30\nGRB7\t1\t2\t3\n")
	s.waitJS(`[...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('counts.tsv'))`, 30*time.Second)
	row := evalJS[string](s, `[...document.querySelectorAll('tr.file-row')].find(r => r.innerText.includes('counts.tsv')).innerText`)
	// The summary comes from the engine in the worker: a count matrix of 2 genes x 3 samples.
	for _, want := range []string{"counts.tsv", "counts", "2 genes x 3 samples", "\t2\t", "\t3\t"} {
		if !strings.Contains(row, want) {
			t.Errorf("file row %q lacks %q", row, want)
		}
	}
	// The file picker path, with a real file from disk.
	path := filepath.Join(t.TempDir(), "sheet.csv")
	if err := os.WriteFile(path, []byte("sampleID,patientID,tpt\nA,P1,Pre\nB,P1,Post\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.run(chromedp.SetUploadFiles(chromedp.ID("filepicker"), []string{path}))
	s.waitJS(`[...document.querySelectorAll('tr.file-row')].some(r => r.innerText.includes('sheet.csv'))`, 30*time.Second)
	s.screenshot("files-loaded")
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

func TestBadFileShowsErrorAndKeepsData(t *testing.T) {
	s := newSession(t)
	s.open()
	s.dropFile("good.tsv", "gene\tS1\nA\t1\n")
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1`, 30*time.Second)
	s.dropFile("empty.tsv", "")
	s.waitJS(`document.querySelector('.banner') && document.querySelector('.banner').innerText.includes('empty.tsv:1')`, 30*time.Second)
	rows := evalJS[int](s, `document.querySelectorAll('tr.file-row').length`)
	if rows != 1 {
		t.Fatalf("after a bad file the page lists %d files, want the 1 loaded before", rows)
	}
	s.screenshot("bad-file-banner")
}

// TestPageStaysResponsiveDuringEngineJob runs a 3-second engine job and measures the
// gaps between animation frames on the page: the engine runs in a worker, so the page
// must keep drawing.
func TestPageStaysResponsiveDuringEngineJob(t *testing.T) {
	s := newSession(t)
	s.open()
	s.run(chromedp.Click(chromedp.ID("nav-about")))
	// Start the job from the page itself, then measure from the moment it runs (its
	// progress bar is up) until its result is drawn.
	evalJS[bool](s, `(() => {
		document.getElementById('bench').click();
		window.__gaps = []; window.__raf = true;
		const wait = () => {
			if (!document.getElementById('cancel')) { requestAnimationFrame(wait); return; }
			let last = performance.now(); window.__t0 = last;
			const tick = (t) => { window.__gaps.push(t - last); last = t; if (window.__raf && !document.getElementById('bench-result')) requestAnimationFrame(tick); else window.__t1 = performance.now(); };
			requestAnimationFrame(tick);
		};
		requestAnimationFrame(wait); return true; })()`)
	s.waitJS(`document.getElementById('bench-result') !== null`, 60*time.Second)
	type frames struct {
		MaxGap  float64 `json:"maxGap"`
		Frames  int     `json:"frames"`
		Elapsed float64 `json:"elapsed"`
	}
	s.waitJS(`window.__t1 !== undefined`, 10*time.Second)
	res := evalJS[frames](s, `(() => { window.__raf = false; return {maxGap: Math.max(...window.__gaps.slice(1)), frames: window.__gaps.length, elapsed: window.__t1 - window.__t0}; })()`)
	t.Logf("engine job: %.0f ms, %d frames, max frame gap %.1f ms", res.Elapsed, res.Frames, res.MaxGap)
	t.Logf("gaps: %v", evalJS[[]float64](s, `window.__gaps.map(Math.round)`))
	if res.Elapsed < 2900 {
		t.Fatalf("the job ran for %.0f ms; the test needs about 3 s of engine work", res.Elapsed)
	}
	if res.MaxGap >= 200 {
		t.Fatalf("the page froze for %.0f ms during the engine job (limit 200 ms)", res.MaxGap)
	}
	s.screenshot("about-bench")
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

func TestCancelRestartsEngineAndKeepsSession(t *testing.T) {
	s := newSession(t)
	s.open()
	s.dropFile("kept.tsv", "gene\tS1\tS2\nA\t1\t2\n")
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1`, 30*time.Second)
	s.run(chromedp.Click(chromedp.ID("nav-about")), chromedp.Click(chromedp.ID("bench")))
	s.waitJS(`document.getElementById('cancel') !== null`, 10*time.Second)
	s.run(chromedp.Click(chromedp.ID("cancel")))
	s.waitJS(`document.getElementById('cancel') === null && window.her2het.restarts === 1 && document.documentElement.dataset.engine === 'ready'`, 30*time.Second)
	// The fresh engine got the session back and still takes new work.
	s.run(chromedp.Click(chromedp.ID("nav-load")))
	s.dropFile("sheet.tsv", "sampleID\tpatientID\ttpt\nS1\tP1\tPre\nS2\tP1\tPost\n")
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2`, 30*time.Second)
	s.assertNoConsoleErrors()
}

func TestEnginePanicIsContained(t *testing.T) {
	s := newSession(t)
	s.open()
	s.dropFile("kept.tsv", "gene\tS1\tS2\nA\t1\t2\n")
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1`, 30*time.Second)
	evalJS[bool](s, `(window.her2het.send(JSON.stringify({id: 424242, kind: 'panic'}), null), true)`)
	s.waitJS(`document.querySelector('.banner') && document.querySelector('.banner').innerText.includes('internal error') && window.her2het.restarts === 1`, 30*time.Second)
	bannerText := evalJS[string](s, `document.querySelector('.banner').innerText`)
	if strings.Contains(bannerText, "goroutine") || strings.Contains(bannerText, ".go:") {
		t.Fatalf("the banner shows a stack trace: %q", bannerText)
	}
	s.waitJS(`document.documentElement.dataset.engine === 'ready'`, 30*time.Second)
	s.dropFile("sheet.tsv", "sampleID\tpatientID\ttpt\nS1\tP1\tPre\nS2\tP1\tPost\n")
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2`, 30*time.Second)
	s.screenshot("engine-restarted")
}
