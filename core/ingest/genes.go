package ingest

import (
	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
)

// ToSymbols renames the rows of m to official gene symbols through gm (Ensembl,
// Entrez, aliases, previous symbols and '|' combinations are resolved; see
// genemap.Map.Resolve). Unresolved rows keep their identifier and are counted in
// Report.Unmapped (Excel-mangled ones also listed in Report.ExcelMangled). Rows that
// end up with the same symbol are summed when m holds counts, and for expression
// the first row is kept; either way they are counted (MergedGenes / ExcludedGenes).
// The result is a new matrix; m is unchanged.
func ToSymbols(m *dataset.Matrix, gm *genemap.Map) (*dataset.Matrix, Report) {
	var rep Report
	ns := m.Cols()
	pos := make(map[string]int, m.Rows())
	var genes []string
	var data []float64
	var merged, dropped int
	for g, id := range m.Genes {
		name := id
		if gene, how, ok := gm.Resolve(id); ok {
			name = gene.Symbol
		} else {
			rep.Unmapped++
			if how == genemap.ExcelMangled {
				rep.ExcelMangled = append(rep.ExcelMangled, id)
			}
		}
		row := m.Data[g*ns : (g+1)*ns]
		if j, dup := pos[name]; dup {
			if m.Kind == dataset.Counts {
				dst := data[j*ns : (j+1)*ns]
				for s, v := range row {
					dst[s] += v
				}
				merged++
			} else {
				dropped++
			}
			continue
		}
		pos[name] = len(genes)
		genes = append(genes, name)
		data = append(data, row...)
	}
	rep.MergedGenes = merged
	rep.ExcludedGenes = dropped
	if rep.Unmapped > 0 {
		rep.warnf("", 0, 0, "%s of %d kept their own names: no human gene matched", plural(rep.Unmapped, "identifier", "identifiers"), m.Rows())
	}
	if merged > 0 {
		rep.warnf("", 0, 0, "%s mapped to a symbol already present and were summed into it", plural(merged, "row", "rows"))
	}
	if dropped > 0 {
		rep.warnf("", 0, 0, "%s mapped to a symbol already present and were left out (expression: first row kept)", plural(dropped, "row", "rows"))
	}
	return &dataset.Matrix{Kind: m.Kind, Genes: genes, Samples: m.Samples, Data: data}, rep
}
