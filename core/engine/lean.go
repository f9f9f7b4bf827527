package engine

import (
	"runtime/debug"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/ingest"
)

// Memory on the big-input path (issue 13: 60,000 genes x 1,000 samples, 480 MB of
// counts, in a browser tab whose wasm heap must stay under 2 GB): the session
// holds the count matrix once; an analysis of every sample uses it in place
// (dataset.Matrix.SelectCols) and renames its rows to symbols without copying the
// values (symbolRows), so that the models' own working copies are the only other
// full-size matrices.

// symbolRows is ingest.ToSymbols(m, genemap.Default()) without the copy when it
// would be one: when no two rows resolve to the same symbol, the result has the
// symbols as gene names and shares m's Data (read-only use, like m). Otherwise
// (rows to be summed) it is ToSymbols' new matrix.
func symbolRows(m *dataset.Matrix) *dataset.Matrix {
	gm := genemap.Default()
	names := make([]string, len(m.Genes))
	seen := make(map[string]struct{}, len(m.Genes))
	for g, id := range m.Genes {
		name := id
		if gene, _, ok := gm.Resolve(id); ok {
			name = gene.Symbol
		}
		if _, dup := seen[name]; dup {
			sym, _ := ingest.ToSymbols(m, gm)
			return sym
		}
		seen[name] = struct{}{}
		names[g] = name
	}
	return &dataset.Matrix{Kind: m.Kind, Genes: names, Samples: m.Samples, Data: m.Data}
}

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
