//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// captureSections makes the page keep every analysis section and the report the
// engine sends (the JSON strings, exactly as they arrive).
const captureSections = `(() => {
	window.__sections = []; window.__report = ''; window.__steps = []; window.__ui = []; window.__long = [];
	try {
		new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push({t: e.startTime, ms: e.duration}); }).observe({entryTypes: ['longtask']});
	} catch (e) {}
	const orig = window.her2het.onEvent;
	window.her2het.onEvent = (d) => {
		const ev = JSON.parse(d);
		if (ev.kind === 'progress' && ev.step) {
			const last = window.__steps[window.__steps.length - 1];
			if (!last || last.step !== ev.step) window.__steps.push({step: ev.step, t: performance.now()});
		}
		if (ev.kind === 'data' && ev.dataType === 'section') window.__sections.push(d);
		if (ev.kind === 'data' && ev.dataType === 'report') window.__report = d;
		const t0 = performance.now();
		const res = orig(d);
		if (ev.kind === 'data') window.__ui.push({what: ev.dataType + ' ' + ((ev.data && ev.data.id) || ''), bytes: d.length, ms: performance.now() - t0, t: t0});
		return res;
	};
	return true;
})()`

type exampleRun struct {
	workers             int
	sections            map[string]string // section id -> SHA-256 of its event
	order               []string
	report              string // SHA-256 of the report event
	helperTasks         []int
	load, analyse, repo time.Duration
	steps               []stepTime // progress steps in order, with the time to the next one
	ui                  []uiTime   // data events: size and the time the page's handler took
}

// uiTime is one data event the page received: its size and the time the app's
// event handler (decoding and applying it) took on the page's thread.
type uiTime struct {
	What  string  `json:"what"`
	Bytes int     `json:"bytes"`
	MS    float64 `json:"ms"`
}

// stepTime is one progress step the engine reported, how long the page saw it
// last, and how long the page's own thread was busy meanwhile.
type stepTime struct {
	Step string
	Dur  time.Duration
	Page time.Duration // the page's long tasks (> 50 ms) that started in the step
}

// runExample opens the app with ?workers=n, checks the engine uses n workers, and
// runs the example cohort from load to report, timing each step.
func runExample(t *testing.T, s *session, n int) exampleRun {
	t.Helper()
	s.run(chromedp.Navigate(fmt.Sprintf("%s/?workers=%d", s.base, n)))
	s.waitJS(`document.documentElement.dataset.ready === 'ui' && document.documentElement.dataset.engine === 'ready' && !!document.querySelector('nav')`, 60*time.Second)
	if got := evalJS[string](s, `document.documentElement.dataset.workers`); got != fmt.Sprint(n) {
		t.Fatalf("?workers=%d: the engine reports %q workers", n, got)
	}
	s.waitJS(fmt.Sprintf(`window.her2het.helpersReady === %d`, n-1), 60*time.Second)
	evalJS[bool](s, captureSections)
	r := exampleRun{workers: n, sections: map[string]string{}}

	start := time.Now()
	s.run(chromedp.Click(chromedp.ID("load-demo")))
	s.waitJS(`document.querySelectorAll('tr.file-row').length >= 3 && !document.getElementById('cancel')`, 5*time.Minute)
	r.load = time.Since(start)

	start = time.Now()
	s.run(chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.querySelector('.jobs') !== null`, 30*time.Second)
	s.waitJS(`!document.getElementById('cancel')`, 10*time.Minute)
	r.analyse = time.Since(start)
	if banner := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); banner != "" {
		t.Fatalf("workers=%d: error banner after the analysis: %s", n, banner)
	}

	start = time.Now()
	s.run(chromedp.Click(chromedp.ID("nav-report")), chromedp.Click(chromedp.ID("build-report")))
	s.waitJS(`document.getElementById('save-report') !== null && window.__report !== ''`, 5*time.Minute)
	r.repo = time.Since(start)

	for _, d := range evalJS[[]string](s, `window.__sections`) {
		var ev struct {
			Data struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(d), &ev); err != nil {
			t.Fatal(err)
		}
		// The event's request id depends on how many requests came before; hash the data only.
		var raw struct {
			Data json.RawMessage `json:"data"`
		}
		json.Unmarshal([]byte(d), &raw)
		r.sections[ev.Data.ID] = fmt.Sprintf("%x", sha256.Sum256(raw.Data))
		r.order = append(r.order, ev.Data.ID)
	}
	var rep struct {
		Data json.RawMessage `json:"data"`
	}
	json.Unmarshal([]byte(evalJS[string](s, `window.__report`)), &rep)
	r.report = fmt.Sprintf("%x", sha256.Sum256(rep.Data))
	r.helperTasks = evalJS[[]int](s, `window.her2het.helperTasks`)
	type mark struct {
		Step string  `json:"step"`
		T    float64 `json:"t"`
	}
	r.ui = evalJS[[]uiTime](s, `window.__ui`)
	marks := evalJS[[]mark](s, `window.__steps`)
	type long struct {
		T  float64 `json:"t"`
		MS float64 `json:"ms"`
	}
	longs := evalJS[[]long](s, `window.__long`)
	for i, m := range marks {
		if i+1 < len(marks) {
			st := stepTime{Step: m.Step, Dur: time.Duration((marks[i+1].T - m.T) * float64(time.Millisecond))}
			for _, l := range longs {
				if l.T >= m.T && l.T < marks[i+1].T {
					st.Page += time.Duration(l.MS * float64(time.Millisecond))
				}
			}
			r.steps = append(r.steps, st)
		}
	}
	return r
}

// TestPoolSameResults analyses the example cohort with one engine worker and with
// two (the engine and a helper): every section the engine sends (tables,
// figures, notes) and the report are byte-identical, the helpers served tasks, and
// the browser timing of each step is logged for comparison (a benchmark, not a
// pass/fail timer).
func TestPoolSameResults(t *testing.T) {
	s := newSessionTimeout(t, 30*time.Minute)
	var runs []exampleRun
	for _, n := range []int{1, 2} {
		r := runExample(t, s, n)
		t.Logf("browser timing, workers=%d: load %s, analyse %s, report %s, total %s; helper tasks %v; %d sections",
			n, r.load.Round(time.Millisecond), r.analyse.Round(time.Millisecond), r.repo.Round(time.Millisecond),
			(r.load + r.analyse + r.repo).Round(time.Millisecond), r.helperTasks, len(r.sections))
		runs = append(runs, r)
		if n > 1 {
			total := 0
			for _, k := range r.helperTasks {
				total += k
			}
			if len(r.helperTasks) != n-1 || total == 0 {
				t.Errorf("workers=%d: the helpers served %v tasks", n, r.helperTasks)
			}
		}
	}
	ref := runs[0]
	if len(ref.sections) < 5 {
		t.Fatalf("only %d sections captured: %v", len(ref.sections), ref.order)
	}
	for _, r := range runs[1:] {
		if strings.Join(r.order, ",") != strings.Join(ref.order, ",") {
			t.Errorf("workers=%d: sections %v, with one worker %v", r.workers, r.order, ref.order)
		}
		for id, h := range ref.sections {
			if r.sections[id] != h {
				t.Errorf("workers=%d: section %q differs from the one-worker analysis", r.workers, id)
			}
		}
		if r.report != ref.report {
			t.Errorf("workers=%d: the report differs from the one-worker report", r.workers)
		}
	}
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

// workerTargets counts the dedicated workers the browser is running.
func workerTargets(t *testing.T, s *session) int {
	t.Helper()
	res, err := chromedp.CallBrowser(s.ctx, target.GetTargets, target.GetTargetsParams{Filter: target.Filter{{Type: "worker"}}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ti := range res.TargetInfos {
		if ti.Type == "worker" {
			n++
		}
	}
	return n
}

// TestPoolCancelStopsHelpers: Cancel terminates the engine worker and its helpers
// (the browser runs as many workers after the restart as before), and a helper
// whose program dies during an analysis ends the analysis with an error (no hang);
// the replaced helper serves the next analysis.
func TestPoolCancelStopsHelpers(t *testing.T) {
	s := newSessionTimeout(t, 20*time.Minute)
	s.run(chromedp.Navigate(s.base + "/?workers=3"))
	s.waitJS(`document.documentElement.dataset.engine === 'ready' && window.her2het.helpersReady === 2 && !!document.querySelector('nav')`, 60*time.Second)
	before := workerTargets(t, s)
	t.Logf("%d worker targets with ?workers=3", before)
	s.run(chromedp.Click(chromedp.ID("load-demo")))
	s.waitJS(`document.querySelectorAll('tr.file-row').length >= 3 && !document.getElementById('cancel')`, 5*time.Minute)

	// Cancel a running analysis: engine and helpers are replaced, none left over.
	s.run(chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.getElementById('cancel') !== null`, 30*time.Second)
	s.run(chromedp.Click(chromedp.ID("cancel")))
	s.waitJS(`window.her2het.restarts === 1 && document.documentElement.dataset.engine === 'ready' && window.her2het.helpersReady === 2`, 60*time.Second)
	// Terminated workers leave the target list asynchronously: allow a few seconds.
	after := workerTargets(t, s)
	for deadline := time.Now().Add(15 * time.Second); after != before && time.Now().Before(deadline); after = workerTargets(t, s) {
		time.Sleep(200 * time.Millisecond)
	}
	if after != before {
		t.Errorf("%d worker targets after Cancel, %d before: helpers were left running", after, before)
	}
	s.waitJS(`!document.getElementById('cancel')`, 5*time.Minute) // the session replay finished

	// A helper dies on its next task: the analysis ends with an error, not a hang.
	evalJS[bool](s, `(window.her2het.crashHelperOnNextTask(), true)`)
	s.run(chromedp.Click(chromedp.ID("nav-load")), chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.querySelector('.jobs') !== null`, 30*time.Second)
	s.waitJS(`!document.getElementById('cancel')`, 10*time.Minute)
	banner := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`)
	t.Logf("banner after the helper died: %s", banner)
	if !strings.HasPrefix(banner, "The analysis stopped: helper worker 1 of the analysis engine stopped") || evalJS[int](s, `window.her2het.helperDeaths`) != 1 {
		t.Fatalf("no helper failure reported: banner %q", banner)
	}
	s.screenshot("pool-helper-died")
	// The replacement helper serves the next analysis.
	s.waitJS(`window.her2het.helpersReady >= 3`, 60*time.Second) // 2 at start + the replacement
	evalJS[bool](s, `(document.querySelector(".banner-close").click(), true)`)
	s.waitJS(`!document.querySelector('.banner')`, 10*time.Second)
	s.run(chromedp.Click(chromedp.ID("nav-load")), chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.querySelector('.jobs') !== null`, 30*time.Second)
	s.waitJS(`!document.getElementById('cancel')`, 10*time.Minute)
	if b := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); strings.Contains(b, "helper worker") {
		t.Fatalf("the analysis after a helper was replaced failed: %s", b)
	}
	s.assertSameOrigin()
}

// TestPoolSingleFile: the offline single-file page (file://, workers from a Blob
// URL under its CSP) starts its helpers from the same compiled module.
func TestPoolSingleFile(t *testing.T) {
	s := newSession(t)
	abs, err := filepath.Abs(filepath.Join("..", "dist", "her2het.html"))
	if err != nil {
		t.Fatal(err)
	}
	s.run(chromedp.Navigate("file://" + abs + "?workers=3"))
	s.waitJS(`document.documentElement.dataset.ready === 'ui' && document.documentElement.dataset.engine === 'ready'`, 60*time.Second)
	if got := evalJS[string](s, `document.documentElement.dataset.workers`); got != "3" {
		t.Fatalf("?workers=3: the engine reports %q workers", got)
	}
	s.waitJS(`window.her2het.helpersReady === 2`, 60*time.Second)
	if n := workerTargets(t, s); n != 3 {
		t.Errorf("%d workers running, want 3 (the engine and 2 helpers)", n)
	}
	s.assertNoConsoleErrors()
	for _, r := range s.requestsSeen() {
		if !(hasPrefix(r, "file://") || hasPrefix(r, "blob:") || hasPrefix(r, "data:")) {
			t.Errorf("the single-file page made a request: %s", r)
		}
	}
}
