package study

import (
	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/ingest"
)

// SymbolRows is ingest.ToSymbols(m, genemap.Default()) without the copy when it
// would be one: when no two rows resolve to the same symbol, the result has the
// symbols as gene names and shares m's Data (read-only use, like m); otherwise
// (rows to be summed, or kept first for expression) it is ToSymbols' new matrix.
// A 60,000 x 1,000 count matrix is 480 MB: the analyses rename its rows without
// holding it twice.
func SymbolRows(m *dataset.Matrix) *dataset.Matrix {
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
