//go:build e2e

package e2e

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// TestExampleTiming runs only the example cohort from load to report in headless
// Chromium (?workers=HER2HET_WORKERS, default 2) and logs the wall time of load,
// analysis and report and of every progress step the engine reported (each step's
// time runs to the next step's first event), so that what dominates in wasm is
// visible, and the wasm memory of every worker at the end. A benchmark, not a pass/fail timer: it fails only if a step fails.
func TestExampleTiming(t *testing.T) {
	n := 2
	if v, err := strconv.Atoi(os.Getenv("HER2HET_WORKERS")); err == nil && v > 0 {
		n = v
	}
	s := newSessionTimeout(t, 20*time.Minute)
	r := runExample(t, s, n)
	t.Logf("example cohort, workers=%d: load %.1f s, analyse %.1f s, report %.1f s, total %.1f s; helper tasks %v",
		n, r.load.Seconds(), r.analyse.Seconds(), r.repo.Seconds(), (r.load + r.analyse + r.repo).Seconds(), r.helperTasks)
	for _, st := range r.steps {
		if st.Dur >= 50*time.Millisecond {
			t.Logf("  %6.2f s  %-40s page busy %6.2f s", st.Dur.Seconds(), st.Step, st.Page.Seconds())
		}
	}
	for _, u := range r.ui {
		if u.MS >= 50 || u.Bytes >= 1<<20 {
			t.Logf("  page handler %6.2f s  %9d bytes  %s", u.MS/1000, u.Bytes, u.What)
		}
	}
	for w, sizes := range wasmMemories(s) {
		for _, b := range sizes {
			t.Logf("  wasm memory of %s: %.0f MB (its peak: a wasm memory never shrinks)", w, b/(1<<20))
		}
	}
	s.assertNoConsoleErrors()
}
