//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestExampleCohortEveryScreen is the whole app as a newcomer meets it: load the
// example cohort, analyse, then visit every screen; every chart must draw marks,
// no console errors, no request outside the origin, a screenshot of each screen.
func TestExampleCohortEveryScreen(t *testing.T) {
	s := newSessionTimeout(t, 15*time.Minute)
	s.open()
	start := time.Now()
	s.run(chromedp.Click(chromedp.ID("load-demo")))
	s.waitJS(`document.querySelectorAll('tr.file-row').length >= 3 && !document.getElementById('cancel')`, 5*time.Minute)
	loaded := time.Since(start)
	s.screenshot("screen-load")
	s.run(chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.querySelector('.jobs') !== null`, 30*time.Second)
	s.waitJS(`!document.getElementById('cancel')`, 10*time.Minute)
	t.Logf("example cohort: loaded in %s, analysed in %s", loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))
	if banner := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); banner != "" {
		t.Fatalf("error banner after the analysis: %s", banner)
	}
	screens := evalJS[[]string](s, `[...document.querySelectorAll('nav button')].map(b => b.id.replace('nav-', ''))`)
	for _, id := range screens {
		s.run(chromedp.Click(chromedp.ID("nav-" + id)))
		s.waitJS(fmt.Sprintf(`document.getElementById('nav-%s').getAttribute('aria-current') === 'page'`, id), 10*time.Second)
		type stats struct {
			Figures int `json:"figures"`
			Empty   int `json:"empty"`
			Tables  int `json:"tables"`
		}
		st := evalJS[stats](s, `(() => {
			const figs = [...document.querySelectorAll('main figure.chart')];
			return {figures: figs.length, empty: figs.filter(f => f.querySelectorAll('.mark').length === 0).length,
			        tables: document.querySelectorAll('main .table-view').length};
		})()`)
		t.Logf("screen %-10s %2d figures, %2d tables", id, st.Figures, st.Tables)
		if st.Empty > 0 {
			t.Errorf("screen %s: %d of %d charts draw no marks", id, st.Empty, st.Figures)
		}
		switch id {
		case "qc", "expression", "pathways", "subtypes", "immune", "de", "fish", "response":
			if st.Figures == 0 {
				t.Errorf("screen %s shows no chart for the example cohort", id)
			}
		case "samples":
			if st.Tables == 0 {
				t.Errorf("samples screen has no table")
			}
		}
		s.screenshot("screen-" + id)
	}
	// Click a mark of a patient: that patient is highlighted in every chart.
	s.run(chromedp.Click(chromedp.ID("nav-expression")))
	patient := evalJS[string](s, `(() => { const m = document.querySelector('main [data-patient]:not([data-patient=""])'); m.dispatchEvent(new MouseEvent('click', {bubbles: true})); return m.getAttribute('data-patient'); })()`)
	s.waitJS(`document.querySelector('.highlight-bar') !== null && document.getElementById('app').classList.contains('hl-on')`, 10*time.Second)
	if n := evalJS[int](s, fmt.Sprintf(`document.querySelectorAll('[data-patient=%q].hl').length`, patient)); n == 0 {
		t.Errorf("patient %s highlighted nowhere", patient)
	}
	s.screenshot("highlight")

	// A chart saved as PNG (SVG drawn on a canvas from a blob: URL, allowed by the CSP).
	evalJS[bool](s, `(document.querySelector('main figure.chart .chart-actions button:nth-child(2)').click(), true)`)
	s.waitJS(`window.her2het.lastDownload && window.her2het.lastDownload.name.endsWith('.png') && window.her2het.lastDownload.size > 1000`, 30*time.Second)

	// The report: clicks from the opened page to a saved report.html, counted.
	clicks := 2 // "Load example cohort", "Analyse"
	for _, id := range []string{"nav-report", "build-report"} {
		s.run(chromedp.Click(chromedp.ID(id)))
		clicks++
	}
	s.waitJS(`document.getElementById('save-report') !== null`, 5*time.Minute)
	s.run(chromedp.Click(chromedp.ID("save-report")))
	clicks++
	s.waitJS(`window.her2het.lastDownload && window.her2het.lastDownload.name === 'her2het-report.html'`, 30*time.Second)
	size := evalJS[int](s, `window.her2het.lastDownload.size`)
	t.Logf("report downloaded after %d clicks (%d bytes)", clicks, size)
	if clicks >= 10 || size < 10000 {
		t.Errorf("report after %d clicks, %d bytes", clicks, size)
	}
	s.screenshot("screen-report-built")
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
	if strings.TrimSpace(patient) == "" {
		t.Error("no patient mark to click")
	}
}
