package study

import (
	"fmt"
	"strings"
)

func (r *runner) needGroups(id, title string) *Section {
	if r.logE == nil {
		return skipped(id, title, "no expression matrix was added")
	}
	if r.in.sheet == nil {
		return skipped(id, title, "no sample sheet was added (groups need pCR and HET)")
	}
	r.units = r.c.preUnits(r.p.PerBiopsy)
	if len(r.units) == 0 {
		return skipped(id, title, "no pretreatment sample")
	}
	if len(levelsPresent(r.units, byGroupLabel, r.c.groups())) < 2 {
		return skipped(id, title, "fewer than two patient groups (pCR and HET missing or constant)")
	}
	return nil
}

// amplicon compares ERBB2 and the amplicon genes between patient groups.
func (r *runner) amplicon() *Section {
	const id, title = "amplicon", "ERBB2 and amplicon genes by group"
	if s := r.needGroups(id, title); s != nil {
		return s
	}
	sec := &Section{ID: id, Title: title}
	var genes []string
	var missing []string
	for _, g := range r.p.AmpliconGenes {
		if _, ok := r.geneIdx[g]; ok {
			genes = append(genes, g)
		} else {
			missing = append(missing, g)
		}
	}
	if len(genes) == 0 {
		return skipped(id, title, "none of the amplicon genes ("+strings.Join(r.p.AmpliconGenes, ", ")+") is in the matrix")
	}
	if len(missing) > 0 {
		sec.Notes = append(sec.Notes, "not in the matrix: "+strings.Join(missing, ", "))
	}
	levels := levelsPresent(r.units, byGroupLabel, r.c.groups())
	omni := r.compare(sec, comparison{
		analysis: "amplicon", vars: genes,
		values: func(k int) []float64 { return r.logE.Row(r.geneIdx[genes[k]]) },
		label:  byGroupLabel, levels: levels,
		figure: func(string) bool { return true }, figID: "amplicon",
		ylabel: "log2 expression", column: func(n string) string { return n },
	})
	erbb2 := ""
	if gi, ok := r.geneIdx["ERBB2"]; ok {
		med := groupMedians(r.units, byGroupLabel, levels, r.logE.Row(gi))
		var parts []string
		for g, l := range levels {
			parts = append(parts, fmt.Sprintf("%s %.2f", l, med[g]))
		}
		erbb2 = "ERBB2 median by group: " + strings.Join(parts, ", ") + ". "
	}
	sec.Summary = fmt.Sprintf("%d units (%s) in %d groups. %s%s.", len(r.units), r.levelParam(), len(levels), erbb2, describeSignificant(omni, 5))
	return sec
}
