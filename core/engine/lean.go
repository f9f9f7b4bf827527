package engine

import (
	"runtime"
	"runtime/debug"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/study"
)

// Memory on the big-input path (issue 13: 60,000 genes x 1,000 samples, 480 MB of
// counts, in a browser tab whose wasm heap must stay under 2 GB): the session
// holds the count matrix once; an analysis of every sample uses it in place
// (dataset.Matrix.SelectCols) and renames its rows to symbols without copying the
// values (symbolRows), so that the models' own working copies are the only other
// full-size matrices.

// symbolRows renames the rows to gene symbols without copying the values unless
// rows merge (study.SymbolRows).
func symbolRows(m *dataset.Matrix) *dataset.Matrix { return study.SymbolRows(m) }

// limitMemory sets the Go runtime's soft memory limit to 3/4 of the engine's
// MemoryBudget, so that the garbage collector works harder instead of growing the
// heap (in the browser: the wasm linear memory, which never shrinks) past the
// budget; the quarter left is for what the runtime holds outside the live heap
// (free spans too small for the next large matrix). Without a budget (the command
// line) the runtime's default applies.
//
// Measured at 60,000 x 1,000 counts (limma-voom ~ group, 42,000 genes kept) in
// Chromium: with 7/8 the engine worker's wasm memory reached 2,130 MB.
func (e *Engine) limitMemory() {
	if e.MemoryBudget > 0 {
		debug.SetMemoryLimit(e.MemoryBudget / 4 * 3)
	}
}

// collect runs a garbage collection when the engine has a memory budget (the
// browser), before an analysis and between its steps: a step's garbage (at
// 60,000 x 1,000 several float64 matrices of 480 MB) is then freed before the
// next step allocates its own, instead of the wasm heap growing for them because
// the collector had not run yet (wasm memory never shrinks). A collection costs
// little next to a step: the big matrices hold no pointers.
//
// Within a step the study calls it through study.Params.Collect (set by
// analyze) where a big input's step has just made hundreds of MB of garbage
// before a large allocation: before each DE comparison and after TMM in
// limma's workflow.
//
// Measured at 60,000 x 1,000 (e2e TestBigInputDEAndGSVA, Chromium): after the DE
// builder the engine worker had 1,344 MB; 11 s into the study's analysis (still
// normalising) it had 1,851 MB without this. TestLeanBigInput (lean_big_test.go)
// prints the memory after every progress event under Node.
//
// It collects only when the loaded matrices are big for the budget (bigInputs):
// on the example cohort (20,000 x 285, 23 MB of counts) the 14 collections of an
// analysis cost 0.17-0.19 s each in wasm (Node) and freed nothing the memory
// limit would not have freed anyway.
func (e *Engine) collect() {
	if e.bigInputs() {
		runtime.GC()
	}
}

// bigInputs reports whether the engine has a memory budget and the matrices
// loaded take at least 1/16 of it (study.Inputs.MatrixBytes: 4 bytes a count;
// 128 MB, some 32 million counts, for the browser's 2 GB): then a step's float64
// working copies are several hundred MB each, and freeing one before the next is
// allocated keeps the wasm heap from growing.
func (e *Engine) bigInputs() bool {
	return e.MemoryBudget > 0 && e.inputs.MatrixBytes() >= e.MemoryBudget/16
}
