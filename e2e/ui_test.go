//go:build e2e

package e2e

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboardReachesEveryScreen walks the navigation with the keyboard only:
// from the first nav button, Tab moves to each next screen's button, which shows
// a visible focus ring, and Enter opens its screen.
func TestKeyboardReachesEveryScreen(t *testing.T) {
	s := newSession(t)
	s.open()
	ids := evalJS[[]string](s, `[...document.querySelectorAll('nav button')].map(b => b.id.replace('nav-', ''))`)
	if len(ids) < 10 {
		t.Fatalf("only %d screens in the nav: %v", len(ids), ids)
	}
	for k, id := range ids {
		s.run(chromedp.Focus(chromedp.ID("nav-" + ids[0])))
		for i := 0; i < k; i++ {
			s.run(chromedp.KeyEvent(kb.Tab))
		}
		if got := evalJS[string](s, `document.activeElement ? document.activeElement.id : ''`); got != "nav-"+id {
			t.Fatalf("after %d Tab presses the focus is on %q, want nav-%s", k, got, id)
		}
		if k > 0 {
			// The ring (outline) must show on keyboard focus.
			ring := evalJS[string](s, `(() => { const cs = getComputedStyle(document.activeElement); return cs.outlineStyle + ' ' + cs.outlineWidth; })()`)
			if strings.HasPrefix(ring, "none") || strings.HasSuffix(ring, " 0px") {
				t.Errorf("nav-%s focused by Tab shows no focus ring (outline %q)", id, ring)
			}
		}
		s.run(chromedp.KeyEvent(kb.Enter))
		s.waitJS(fmt.Sprintf(`document.getElementById('nav-%s').getAttribute('aria-current') === 'page' && !!document.getElementById('screen-%s')`, id, id), 10*time.Second)
	}
	s.screenshot("keyboard-last-screen")
	s.assertNoConsoleErrors()
}

// uiCounts makes a small count matrix and sample sheet: 6 patients with a pre and
// a post biopsy; pCR for P1-P3, HET for P1, P2 and P4; the first 25 genes are
// 8-fold higher in the pCR patients.
func uiCounts() (counts, sheet string) {
	rng := rand.New(rand.NewPCG(4, 2))
	var sh strings.Builder
	sh.WriteString("sample\tpatient\ttimepoint\tpCR\tHET\n")
	var samples []string
	var pcr []bool
	for p := 1; p <= 6; p++ {
		for _, tp := range []string{"Pre", "Post"} {
			s := fmt.Sprintf("S%d%s", p, strings.ToLower(tp))
			samples = append(samples, s)
			resp, het := "RD", "0"
			if p <= 3 {
				resp = "pCR"
			}
			if p == 1 || p == 2 || p == 4 {
				het = "1"
			}
			pcr = append(pcr, p <= 3)
			fmt.Fprintf(&sh, "%s\tP%d\t%s\t%s\t%s\n", s, p, tp, resp, het)
		}
	}
	var c strings.Builder
	c.WriteString("gene\t" + strings.Join(samples, "\t") + "\n")
	for g := 0; g < 400; g++ {
		mu := 40 + 500*rng.Float64()
		fmt.Fprintf(&c, "GENE%03d", g)
		for j := range samples {
			m := mu * (0.8 + 0.4*rng.Float64())
			if g < 25 && pcr[j] {
				m *= 8
			}
			fmt.Fprintf(&c, "\t%d", max(0, int(math.Round(m+math.Sqrt(m)*rng.NormFloat64()))))
		}
		c.WriteString("\n")
	}
	return c.String(), sh.String()
}

// setField types into a form control the way a user's edit ends: value, then the
// input and change events.
func setField(s *session, id, value string) {
	s.t.Helper()
	evalJS[bool](s, fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, id, value))
}

// TestDesignBuilder drops a small count matrix and sample sheet, checks that the
// Samples screen shows the sheet's roles and level mapping, that a confounded
// design is explained in words, and that limma-voom runs and draws a volcano
// whose marks carry gene labels.
func TestDesignBuilder(t *testing.T) {
	s := newSessionTimeout(t, 5*time.Minute)
	s.open()
	counts, sheet := uiCounts()
	s.dropFile("counts.tsv", counts)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1 && !document.getElementById('cancel')`, 60*time.Second)
	s.dropFile("samples.tsv", sheet)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel')`, 60*time.Second)

	// Samples screen: the sheet as loaded.
	s.run(chromedp.Click(chromedp.ID("nav-samples")))
	s.waitJS(`!!document.getElementById('sheet-columns')`, 30*time.Second)
	text := evalJS[string](s, `document.getElementById('sheet-view').innerText`)
	for _, want := range []string{"timepoint", "response", "HET", "Pre", "pre", "Post", "post", "pCR"} {
		if !strings.Contains(text, want) {
			t.Errorf("Samples screen lacks %q", want)
		}
	}
	if n := evalJS[int](s, `document.querySelectorAll('#sheet-view .table-view').length`); n < 2 {
		t.Errorf("Samples screen shows %d group-count tables", n)
	}
	s.screenshot("ui-samples")

	// Differential expression: the builder starts from the sheet's design.
	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`document.getElementById('de-formula') && document.getElementById('de-formula').value === '~ pCR'`, 30*time.Second)

	// A confounded design: patient is nested in HET.
	setField(s, "de-formula", "~ patient + HET")
	setField(s, "de-contrast", "HET,1,0")
	s.run(chromedp.Click(chromedp.ID("de-check")))
	s.waitJS(`document.getElementById('de-design') && document.getElementById('de-design').classList.contains('bad')`, 30*time.Second)
	if msg := evalJS[string](s, `document.getElementById('de-design').innerText`); !strings.Contains(msg, "nested in HET") {
		t.Errorf("confounded design message: %q", msg)
	}
	s.screenshot("ui-de-confounded")

	// A design that can be fitted, then run with limma-voom.
	setField(s, "de-formula", "~ pCR")
	setField(s, "de-contrast", "pCR,yes,no")
	setField(s, "de-method", "voom")
	s.run(chromedp.Click(chromedp.ID("de-check")))
	s.waitJS(`document.getElementById('de-design') && document.getElementById('de-design').classList.contains('ok')`, 30*time.Second)
	s.run(chromedp.Click(chromedp.ID("de-run")))
	s.waitJS(`document.querySelectorAll('#fig-de-custom-volcano .mark').length > 100 && !document.getElementById('cancel')`, 2*time.Minute)
	if b := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); b != "" {
		t.Fatalf("error banner: %s", b)
	}
	labels := evalJS[int](s, `[...document.querySelectorAll('#fig-de-custom-volcano .mark title')].filter(t => t.textContent.includes('GENE')).length`)
	if labels == 0 {
		t.Errorf("volcano marks carry no gene labels")
	}
	if n := evalJS[int](s, `document.querySelectorAll('#fig-de-custom-ma .mark').length`); n == 0 {
		t.Errorf("MA plot draws no marks")
	}
	head := evalJS[string](s, `[...document.querySelectorAll('#table-de-custom-top th')].map(h => h.innerText).join(',')`)
	if head != "gene,logFC,AveExpr,t,P.Value,adj.P.Val,B" {
		t.Errorf("top table columns %q", head)
	}
	params := evalJS[string](s, `document.getElementById('section-de-custom').innerText`)
	for _, want := range []string{"~ pCR", "pCR,yes,no", "limma-voom"} {
		if !strings.Contains(params, want) {
			t.Errorf("result lacks its parameter %q", want)
		}
	}
	s.screenshot("ui-de-voom")
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

// roleSelect returns the id of the role select of sheet column name.
func roleSelect(s *session, name string) string {
	s.t.Helper()
	id := evalJS[string](s, fmt.Sprintf(`(() => { const e = document.querySelector('select.role-select[data-column=%q]'); return e ? e.id : ''; })()`, name))
	if id == "" {
		s.t.Fatalf("no role select for column %s", name)
	}
	return id
}

func tableText(s *session, id string) string {
	return evalJS[string](s, fmt.Sprintf(`document.getElementById(%q) ? document.getElementById(%q).innerText : ''`, id, id))
}

// TestSamplesRoleChange changes a sample-sheet column's role in the browser: the
// group counts follow, a choice that cannot work is refused beside the roles
// with the reason and the select goes back, a design builder result survives
// Analyse and is marked out of date when the roles change again.
func TestSamplesRoleChange(t *testing.T) {
	s := newSessionTimeout(t, 8*time.Minute)
	s.open()
	counts, sheet := uiCounts()
	s.dropFile("counts.tsv", counts)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1 && !document.getElementById('cancel')`, 60*time.Second)
	s.dropFile("samples.tsv", sheet)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel')`, 60*time.Second)

	s.run(chromedp.Click(chromedp.ID("nav-samples")))
	s.waitJS(`!!document.getElementById('table-samples-groups') && !!document.querySelector('select.role-select')`, 30*time.Second)
	before := tableText(s, "table-samples-groups")
	if n := evalJS[int](s, `[...document.querySelectorAll('select.role-select')].filter(e => e.getAttribute('aria-label') && e.getAttribute('aria-label').startsWith('Role of column')).length`); n != 5 {
		t.Errorf("%d labelled role selects, want 5", n)
	}

	// HET becomes the response: pCR turns into a covariate and the groups change.
	setField(s, roleSelect(s, "HET"), "response")
	s.waitJS(`!!document.getElementById('roles-set') && !document.getElementById('cancel')`, 30*time.Second)
	after := tableText(s, "table-samples-groups")
	if after == before || !strings.Contains(after, "HET") || !strings.Contains(after, "yes\t3\t6") || !strings.Contains(after, "no\t3\t6") {
		t.Errorf("group counts did not follow the new response column:\nbefore %q\nafter %q", before, after)
	}
	if got := evalJS[string](s, `document.getElementById('sheet-columns').innerText`); !strings.Contains(got, "set by you; detected: HET") || !strings.Contains(got, "detected: response") {
		t.Errorf("the columns do not say what was set and detected:\n%s", got)
	}
	s.screenshot("ui-samples-roles")

	// A timepoint column cannot be HET: refused with the reason; nothing changes.
	tp := roleSelect(s, "timepoint")
	setField(s, tp, "HET")
	s.waitJS(`!!document.getElementById('role-error') && !document.getElementById('cancel')`, 30*time.Second)
	if msg := tableText(s, "role-error"); !strings.Contains(msg, `column "timepoint" as HET`) || !strings.Contains(msg, "needs exactly two (1 and 0)") {
		t.Errorf("refusal: %q", msg)
	}
	s.waitJS(fmt.Sprintf(`document.getElementById(%q).value === 'timepoint'`, tp), 10*time.Second)
	if got := tableText(s, "table-samples-groups"); got != after {
		t.Errorf("a refused role changed the groups: %q", got)
	}
	if b := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); b != "" {
		t.Errorf("a refused role also fills the banner: %s", b)
	}
	s.screenshot("ui-samples-role-refused")

	// The design builder fits the new response column; its result survives Analyse.
	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`!!document.getElementById('de-formula')`, 30*time.Second)
	setField(s, "de-formula", "~ response")
	setField(s, "de-contrast", "response,yes,no")
	setField(s, "de-method", "voom")
	s.run(chromedp.Click(chromedp.ID("de-run")))
	s.waitJS(`document.querySelectorAll('#fig-de-custom-volcano .mark').length > 100 && !document.getElementById('cancel')`, 2*time.Minute)
	if got := tableText(s, "section-de-custom"); !strings.Contains(got, "HET = response") {
		t.Errorf("the DE result does not show the roles it used:\n%s", got)
	}
	s.run(chromedp.Click(chromedp.ID("nav-load")))
	s.run(chromedp.Click(chromedp.ID("analyse")))
	s.waitJS(`document.querySelector('.jobs') !== null`, 30*time.Second)
	s.waitJS(`!document.getElementById('cancel')`, 3*time.Minute)
	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`!!document.getElementById('section-de-custom')`, 10*time.Second)
	if evalJS[bool](s, `!!document.getElementById('de-stale')`) {
		t.Errorf("the DE result is marked out of date after Analyse alone: %s", tableText(s, "de-stale"))
	}
	if n := evalJS[int](s, `document.querySelectorAll('#fig-de-custom-volcano .mark').length`); n < 100 {
		t.Errorf("the volcano lost its marks after Analyse: %d", n)
	}

	// Back to the detected roles: the result stays, marked out of date, and the
	// analysis results say they were computed before.
	s.run(chromedp.Click(chromedp.ID("nav-samples")))
	s.waitJS(`!!document.getElementById('roles-reset')`, 10*time.Second)
	s.run(chromedp.Click(chromedp.ID("roles-reset")))
	s.waitJS(`!document.getElementById('roles-set') && !document.getElementById('cancel')`, 30*time.Second)
	if got := tableText(s, "table-samples-groups"); got != before {
		t.Errorf("reset groups %q, want %q", got, before)
	}
	if !evalJS[bool](s, `!!document.getElementById('analysis-stale')`) {
		t.Error("the analysis made with other roles is not marked out of date")
	}
	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`!!document.getElementById('de-stale')`, 10*time.Second)
	if got := tableText(s, "de-stale"); !strings.Contains(got, "the sample-sheet roles changed") {
		t.Errorf("stale note %q", got)
	}
	s.screenshot("ui-de-stale")
	// The report describes the last analysis, which the engine dropped: Analyse first.
	s.run(chromedp.Click(chromedp.ID("nav-report")))
	s.waitJS(`!!document.getElementById('report-stale') && document.getElementById('build-report').disabled`, 10*time.Second)
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

// TestSessionRestoresRoles saves a session with a role chosen on the Samples
// screen, restores it in a fresh page and loads the same files: the roles are
// applied to the sheet again.
func TestSessionRestoresRoles(t *testing.T) {
	s := newSessionTimeout(t, 5*time.Minute)
	s.open()
	counts, sheet := uiCounts()
	s.dropFile("counts.tsv", counts)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1 && !document.getElementById('cancel')`, 60*time.Second)
	s.dropFile("samples.tsv", sheet)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel')`, 60*time.Second)
	s.run(chromedp.Click(chromedp.ID("nav-samples")))
	s.waitJS(`!!document.querySelector('select.role-select')`, 30*time.Second)
	setField(s, roleSelect(s, "HET"), "response")
	s.waitJS(`!!document.getElementById('roles-set') && !document.getElementById('cancel')`, 30*time.Second)

	s.run(chromedp.Click(chromedp.ID("nav-load")))
	evalJS[bool](s, `(() => { const h = window.her2het, orig = h.download; h.download = (n, m, t) => { window.savedSession = t; orig(n, m, t); }; return true; })()`)
	s.run(chromedp.Click(chromedp.ID("save-session")))
	s.waitJS(`typeof window.savedSession === 'string'`, 10*time.Second)
	saved := evalJS[string](s, `window.savedSession`)
	if !strings.Contains(saved, `"roles"`) || !strings.Contains(saved, `"HET": "response"`) {
		t.Fatalf("the session does not carry the roles:\n%s", saved)
	}

	// A fresh page: restore the session, then load the same files.
	s.open()
	evalJS[bool](s, fmt.Sprintf(`(() => { const dt = new DataTransfer(); dt.items.add(new File([%q], 'her2het-session.json', {type: 'application/json'}));
		const i = document.getElementById('session-picker'); i.files = dt.files; i.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, saved))
	s.waitJS(`!!document.querySelector('.restoring') && !document.getElementById('cancel')`, 30*time.Second)
	s.dropFile("counts.tsv", counts)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1 && !document.getElementById('cancel')`, 60*time.Second)
	s.dropFile("samples.tsv", sheet)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel') && !document.querySelector('.restoring')`, 60*time.Second)
	if notes := evalJS[string](s, `[...document.querySelectorAll('tr.file-row')].map(r => r.innerText).join('\n')`); !strings.Contains(notes, "roles set by the user: HET = response") {
		t.Errorf("the sheet's notes do not show the restored roles:\n%s", notes)
	}
	s.run(chromedp.Click(chromedp.ID("nav-samples")))
	s.waitJS(`!!document.getElementById('roles-set') && !!document.getElementById('table-samples-groups')`, 30*time.Second)
	if got := tableText(s, "table-samples-groups"); !strings.Contains(got, "yes\t3\t6") || strings.Contains(got, "pCR") {
		t.Errorf("groups after the restore: %q", got)
	}
	if v := evalJS[string](s, fmt.Sprintf(`document.getElementById(%q).value`, roleSelect(s, "HET"))); v != "response" {
		t.Errorf("HET's role after the restore: %q", v)
	}
	s.screenshot("ui-session-roles-restored")
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

// bigCounts is uiCounts' design with n genes (the first 25 higher in pCR).
func bigCounts(n int) string {
	rng := rand.New(rand.NewPCG(7, 7))
	counts, _ := uiCounts()
	header, _, _ := strings.Cut(counts, "\n")
	var c strings.Builder
	c.WriteString(header + "\n")
	for g := 0; g < n; g++ {
		mu := 5 + 800*rng.Float64()*rng.Float64()
		fmt.Fprintf(&c, "GENE%05d", g)
		for j := 0; j < 12; j++ {
			m := mu * (0.7 + 0.6*rng.Float64())
			if g < 25 && j < 6 {
				m *= 8
			}
			fmt.Fprintf(&c, "\t%d", max(0, int(math.Round(m+math.Sqrt(m)*rng.NormFloat64()))))
		}
		c.WriteString("\n")
	}
	return c.String()
}

// recordSteps starts recording every progress step and bar value the page shows.
func recordSteps(s *session) {
	evalJS[bool](s, `(() => { window.steps = []; window.fractions = [];
		new MutationObserver(() => { document.querySelectorAll('.job-step').forEach(e => window.steps.push(e.textContent));
			document.querySelectorAll('.job progress').forEach(p => window.fractions.push(p.value)); })
			.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true}); return true; })()`)
}

// TestDESeq2ProgressAndCancel: a DESeq2 run of the design builder moves its
// progress bar through DESeq2's steps; on a 20000-gene matrix, Cancel stops it,
// the restarted engine gets the files and the roles back and runs limma-voom.
func TestDESeq2ProgressAndCancel(t *testing.T) {
	s := newSessionTimeout(t, 8*time.Minute)
	s.open()
	_, sheet := uiCounts()
	s.dropFile("counts.tsv", bigCounts(20000))
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1 && !document.getElementById('cancel')`, 2*time.Minute)
	s.dropFile("samples.tsv", sheet)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel')`, 60*time.Second)
	s.run(chromedp.Click(chromedp.ID("nav-samples")))
	s.waitJS(`!!document.querySelector('select.role-select')`, 30*time.Second)
	setField(s, roleSelect(s, "HET"), "response")
	s.waitJS(`!!document.getElementById('roles-set') && !document.getElementById('cancel')`, 30*time.Second)

	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`!!document.getElementById('de-formula')`, 30*time.Second)
	setField(s, "de-formula", "~ timepoint")
	setField(s, "de-contrast", "timepoint,post,pre")
	setField(s, "de-method", "deseq2")
	recordSteps(s)
	start := time.Now()
	s.run(chromedp.Click(chromedp.ID("de-run")))
	s.waitJS(`window.steps.some(x => x.includes('DESeq2: gene-wise dispersions ('))`, 2*time.Minute)
	s.screenshot("ui-de-deseq2-progress")
	s.run(chromedp.Click(chromedp.ID("cancel")))
	s.waitJS(`!document.getElementById('cancel') && window.her2het.restarts === 1 && document.documentElement.dataset.engine === 'ready'`, 60*time.Second)
	t.Logf("DESeq2 cancelled after %s", time.Since(start).Round(time.Millisecond))
	steps := evalJS[[]string](s, `[...new Set(window.steps)]`)
	fracs := evalJS[[]float64](s, `[...new Set(window.fractions)]`)
	if len(fracs) < 3 {
		t.Errorf("the bar took %d positions before Cancel: %v (steps %q)", len(fracs), fracs, steps)
	}
	for i := 1; i < len(fracs); i++ {
		if fracs[i] < fracs[i-1] {
			t.Errorf("the bar went back: %v", fracs)
			break
		}
	}
	if evalJS[bool](s, `!!document.getElementById('section-de-custom')`) {
		t.Error("a cancelled run left a result")
	}
	if b := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); b != "" {
		t.Errorf("banner after Cancel: %s", b)
	}

	// The restarted engine has the files and the roles: "response" is the HET column.
	setField(s, "de-formula", "~ response")
	setField(s, "de-contrast", "response,yes,no")
	setField(s, "de-method", "voom")
	s.run(chromedp.Click(chromedp.ID("de-run")))
	s.waitJS(`(document.querySelectorAll('#fig-de-custom-volcano .mark').length > 100 || !!document.querySelector('.banner')) && !document.getElementById('cancel')`, 3*time.Minute)
	if b := evalJS[string](s, `document.querySelector('.banner') ? document.querySelector('.banner').innerText : ''`); b != "" {
		t.Fatalf("after Cancel the engine failed: %s", b)
	}
	if got := tableText(s, "section-de-custom"); !strings.Contains(got, "HET = response") || !strings.Contains(got, "of 20000 (filterByExpr)") {
		t.Errorf("the run after Cancel did not use the files and the roles:\n%s", got)
	}

	// On a small matrix a whole DESeq2 run shows each step.
	s.open()
	counts, _ := uiCounts()
	s.dropFile("counts.tsv", counts)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1 && !document.getElementById('cancel')`, 60*time.Second)
	s.dropFile("samples.tsv", sheet)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 2 && !document.getElementById('cancel')`, 60*time.Second)
	s.run(chromedp.Click(chromedp.ID("nav-de")))
	s.waitJS(`!!document.getElementById('de-formula') && document.getElementById('de-formula').value === '~ pCR'`, 30*time.Second)
	setField(s, "de-method", "deseq2")
	recordSteps(s)
	s.run(chromedp.Click(chromedp.ID("de-run")))
	s.waitJS(`document.querySelectorAll('#fig-de-custom-volcano .mark').length > 100 && !document.getElementById('cancel')`, 2*time.Minute)
	all := strings.Join(evalJS[[]string](s, `window.steps`), "\n")
	for _, want := range []string{"DESeq2: size factors", "DESeq2: gene-wise dispersions (", "DESeq2: MAP dispersions", "DESeq2: GLM fits", "DESeq2: results"} {
		if !strings.Contains(all, want) {
			t.Errorf("the page never showed %q; it showed:\n%s", want, all)
		}
	}
	s.assertNoConsoleErrors()
	s.assertSameOrigin()
}

// TestRoleSelectKeyboard changes a role with the keyboard only: Tab reaches the
// role menus (focus ring shown), an arrow key picks the next role, and the
// refusal (patients are not timepoints) is announced in an alert while the
// menu goes back to the role in effect.
func TestRoleSelectKeyboard(t *testing.T) {
	s := newSessionTimeout(t, 3*time.Minute)
	s.open()
	_, sheet := uiCounts()
	s.dropFile("samples.tsv", sheet)
	s.waitJS(`document.querySelectorAll('tr.file-row').length === 1 && !document.getElementById('cancel')`, 60*time.Second)
	s.run(chromedp.Click(chromedp.ID("nav-samples")))
	s.waitJS(`!!document.querySelector('select.role-select') && !document.getElementById('cancel')`, 30*time.Second)
	sample, patient := roleSelect(s, "sample"), roleSelect(s, "patient")
	s.run(chromedp.Focus(chromedp.ID(sample)))
	s.run(chromedp.KeyEvent(kb.Tab))
	if got := evalJS[string](s, `document.activeElement ? document.activeElement.id : ''`); got != patient {
		t.Fatalf("Tab from the sample column's menu went to %q, want %s", got, patient)
	}
	ring := evalJS[string](s, `(() => { const cs = getComputedStyle(document.activeElement); return cs.outlineStyle + ' ' + cs.outlineWidth; })()`)
	if strings.HasPrefix(ring, "none") || strings.HasSuffix(ring, " 0px") {
		t.Errorf("the focused role menu shows no focus ring (outline %q)", ring)
	}
	s.run(chromedp.KeyEvent(kb.ArrowDown))
	s.waitJS(`!!document.getElementById('role-error') && !document.getElementById('cancel')`, 30*time.Second)
	if got := evalJS[string](s, `document.getElementById('role-error').getAttribute('role')`); got != "alert" {
		t.Errorf("the refusal is not an alert (role %q)", got)
	}
	if msg := tableText(s, "role-error"); !strings.Contains(msg, `column "patient" as timepoint`) {
		t.Errorf("refusal %q", msg)
	}
	s.waitJS(fmt.Sprintf(`document.getElementById(%q).value === 'patient'`, patient), 10*time.Second)
	if got := evalJS[string](s, `document.activeElement ? document.activeElement.id : ''`); got != patient {
		t.Errorf("after the change the focus moved to %q, want it to stay on %s", got, patient)
	}
	s.assertNoConsoleErrors()
}
