package study

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/immune"
)

var keyImmune = map[string]bool{"ImmuneScore": true, "StromalScore": true, "T cells": true, "CD8 T cells": true,
	"Cytotoxic lymphocytes": true, "B lineage": true, "TILS": true}

// immune scores MCP-counter, ESTIMATE and Danaher cell types and compares them by
// pCR and by HET (patient level).
func (r *runner) immune() *Section {
	const id, title = "immune", "Immune infiltration"
	if s := r.needGroups(id, title); s != nil {
		return s
	}
	sec := &Section{ID: id, Title: title}
	var names []string
	vals := map[string][]float64{}
	for _, m := range immune.Methods {
		sc, err := immune.Estimate(r.logE, m, immune.Options{Workers: r.p.Workers, Pool: r.p.Pool})
		if err != nil {
			sec.Notes = append(sec.Notes, m+": "+err.Error())
			continue
		}
		for k, sig := range sc.Signatures {
			name := sig
			if _, dup := vals[name]; dup {
				name = m + ":" + sig
			}
			x := make([]float64, len(sc.Samples))
			for j := range x {
				x[j] = sc.At(k, j)
			}
			names = append(names, name)
			vals[name] = x
		}
	}
	if len(names) == 0 {
		return skipped(id, title, "no immune method could score the matrix: "+strings.Join(sec.Notes, "; "))
	}
	var summary []string
	for _, by := range []struct {
		what   string
		label  func(unit) string
		levels []string
	}{{"pCR", byPCRLabel, []string{"pCR", "no pCR"}}, {"HET", byHETLabel, []string{"non-HET", "HET"}}} {
		levels := levelsPresent(r.units, by.label, by.levels)
		if len(levels) < 2 {
			sec.Notes = append(sec.Notes, "by "+by.what+": fewer than two levels")
			continue
		}
		omni := r.compare(sec, comparison{
			analysis: "immune by " + by.what, vars: names,
			values: func(k int) []float64 { return vals[names[k]] },
			label:  by.label, levels: levels,
			figure: func(n string) bool { return keyImmune[n] }, figID: "immune-" + slug(by.what),
			ylabel: "score", column: func(n string) string { return "immune:" + n },
		})
		summary = append(summary, fmt.Sprintf("by %s: %s", by.what, describeSignificant(omni, 5)))
	}
	sec.Summary = fmt.Sprintf("%d immune and stromal scores (MCP-counter, ESTIMATE, Danaher); ", len(names)) + strings.Join(summary, "; ") + "."
	return sec
}
