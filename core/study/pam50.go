package study

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/pam50"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/stats"
)

// pam50 calls PAM50 subtypes, compares their composition between groups (Fisher's
// exact test on the r x c table) and between timepoints, and lists subtype switches
// from pre to post treatment per patient.
func (r *runner) pam50() *Section {
	const id, title = "pam50", "PAM50 subtypes"
	if r.logE == nil {
		return skipped(id, title, "no expression matrix was added")
	}
	res, err := pam50.Predict(r.logE, pam50.Options{Method: r.p.PAM50Method})
	if err != nil {
		return skipped(id, title, "PAM50 prediction failed: "+err.Error())
	}
	sec := &Section{ID: id, Title: title}
	tab := plotdata.Table{ID: "pam50-samples", Title: "PAM50 call per sample",
		Columns: append([]string{"sample", "patient", "timepoint", "call"}, prefixed("cor_", res.Subtypes)...)}
	for j, s := range res.Samples {
		row := []string{s, r.c.Patient[j], r.c.Timepoint[j], naStr(res.Calls[j])}
		for k := range res.Subtypes {
			row = append(row, fmtNum(res.Cor[j][k]))
		}
		tab.Rows = append(tab.Rows, row)
	}
	sec.Tables = append(sec.Tables, tab)
	patientOf := map[string]string{}
	tptOf := map[string]string{}
	for j, s := range r.c.Samples {
		patientOf[s] = r.c.Patient[j]
		tptOf[s] = r.c.Timepoint[j]
	}
	sw, err := pam50.SwitchTable(res.Samples, res.Calls, patientOf, tptOf, "pre", "post")
	if err != nil {
		sec.Notes = append(sec.Notes, "switch table: "+err.Error())
	}
	preCall := map[string]string{}
	for _, s := range sw {
		preCall[s.Patient] = s.Pre
	}
	var summary []string
	// Composition by group.
	if r.in.sheet != nil {
		units := r.c.preUnits(r.p.PerBiopsy)
		levels := levelsPresent(units, byGroupLabel, r.c.groups())
		callOf := func(u unit) string {
			if r.p.PerBiopsy {
				return res.Calls[u.Idx[0]]
			}
			c := preCall[u.Patient.ID]
			if strings.Contains(c, "/") {
				return "discordant"
			}
			return c
		}
		cats := append(append([]string(nil), res.Subtypes...), "discordant")
		counts := make([][]float64, len(levels))
		for g := range levels {
			counts[g] = make([]float64, len(cats))
		}
		for _, u := range units {
			c := callOf(u)
			for g, l := range levels {
				if u.Patient.Group != l {
					continue
				}
				for k, cat := range cats {
					if cat == c {
						counts[g][k]++
					}
				}
			}
		}
		cats, counts = dropEmptyCols(cats, counts)
		flevels, counts := dropEmptyRows(levels, counts)
		if len(flevels) >= 2 && len(cats) >= 2 {
			f := r.figure("pam50-by-group", "PAM50 composition by group", plotdata.KindBars, "level", r.levelParam(), "method", r.p.PAM50Method)
			f.Bars = barsOf(flevels, cats, counts)
			sec.Figures = append(sec.Figures, f)
			if t, err := stats.FisherTest(counts, stats.FisherOptions{}); err == nil {
				sec.Tests = append(sec.Tests, TestRow{"pam50", "subtype", strings.Join(flevels, " | "), "Fisher exact (r x c)",
					t.Statistic, t.PValue, t.PValue, int(total(counts))})
				summary = append(summary, fmt.Sprintf("subtype composition differs by group: Fisher p = %s", fmtP(t.PValue)))
			} else {
				sec.Notes = append(sec.Notes, "Fisher test by group: "+err.Error())
			}
			// Basal and luminal correlations by group.
			names := prefixed("PAM50 cor ", res.Subtypes)
			r.units = units
			omni := r.compare(sec, comparison{
				analysis: "pam50 correlation", vars: names,
				values: func(k int) []float64 {
					x := make([]float64, len(res.Samples))
					for j := range x {
						x[j] = res.Cor[j][k]
					}
					return x
				},
				label: byGroupLabel, levels: levels,
				figure: func(n string) bool { return n == "PAM50 cor Basal" || n == "PAM50 cor LumA" || n == "PAM50 cor LumB" },
				figID:  "pam50", ylabel: "Spearman correlation with centroid",
				column: func(n string) string { return strings.ReplaceAll(n, " ", "_") },
			})
			summary = append(summary, "centroid correlations: "+describeSignificant(omni, 5))
		}
	}
	// Composition by timepoint (per sample).
	tpts := []string{"pre", "post"}
	counts := make([][]float64, 2)
	cats := append([]string(nil), res.Subtypes...)
	for t := range counts {
		counts[t] = make([]float64, len(cats))
	}
	for j := range res.Samples {
		for t, tp := range tpts {
			if r.c.Timepoint[j] != tp {
				continue
			}
			for k, c := range cats {
				if res.Calls[j] == c {
					counts[t][k]++
				}
			}
		}
	}
	if total(counts[1]) > 0 && total(counts[0]) > 0 {
		cats2, counts2 := dropEmptyCols(cats, counts)
		f := r.figure("pam50-by-timepoint", "PAM50 composition pre and post treatment", plotdata.KindBars, "level", "per sample", "method", r.p.PAM50Method)
		f.Bars = barsOf(tpts, cats2, counts2)
		sec.Figures = append(sec.Figures, f)
		if len(cats2) >= 2 {
			if t, err := stats.FisherTest(counts2, stats.FisherOptions{}); err == nil {
				sec.Tests = append(sec.Tests, TestRow{"pam50", "subtype", "pre | post", "Fisher exact (r x c)",
					t.Statistic, t.PValue, t.PValue, int(total(counts2))})
			}
		}
	}
	// Switches.
	var nPaired, nSwitched int
	swt := plotdata.Table{ID: "pam50-switches", Title: "PAM50 subtype pre and post treatment per patient",
		Columns: []string{"patient", "pre_samples", "post_samples", "pre", "post", "switched"}}
	trans := map[string]int{}
	for _, s := range sw {
		if len(s.PreSamples) == 0 || len(s.PostSamples) == 0 {
			continue
		}
		nPaired++
		if s.Switched {
			nSwitched++
		}
		trans[naStr(s.Pre)+" -> "+naStr(s.Post)]++
		swt.Rows = append(swt.Rows, []string{s.Patient, strings.Join(s.PreSamples, ";"), strings.Join(s.PostSamples, ";"),
			naStr(s.Pre), naStr(s.Post), fmt.Sprint(s.Switched)})
	}
	if nPaired > 0 {
		sec.Tables = append(sec.Tables, swt)
		keys := sortedKeys(trans)
		vals := make([]plotdata.Float, len(keys))
		for i, k := range keys {
			vals[i] = plotdata.Float(trans[k])
		}
		f := r.figure("pam50-switches", "PAM50 transitions from pre to post treatment", plotdata.KindBars, "level", "patient")
		f.Bars = &plotdata.Bars{Categories: keys, Series: []string{"patients"}, Values: [][]plotdata.Float{vals}}
		sec.Figures = append(sec.Figures, f)
		summary = append(summary, fmt.Sprintf("%d of %d patients with pre and post samples switched subtype", nSwitched, nPaired))
	}
	calls := map[string]int{}
	for _, c := range res.Calls {
		calls[naStr(c)]++
	}
	var cs []string
	for _, k := range sortedKeys(calls) {
		cs = append(cs, fmt.Sprintf("%s %d", k, calls[k]))
	}
	sec.Summary = fmt.Sprintf("%d samples called with %s (%d of 50 genes): %s.", len(res.Samples), res.Method, res.NUsed, strings.Join(cs, ", "))
	if len(summary) > 0 {
		sec.Summary += " " + strings.Join(summary, "; ") + "."
	}
	return sec
}

func prefixed(p string, s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = p + x
	}
	return out
}

func naStr(s string) string {
	if s == "" {
		return "NA"
	}
	return s
}

func total(x any) float64 {
	var t float64
	switch v := x.(type) {
	case []float64:
		for _, a := range v {
			t += a
		}
	case [][]float64:
		for _, row := range v {
			t += total(row)
		}
	}
	return t
}

// dropEmptyCols removes categories with no count in any row.
func dropEmptyCols(cats []string, counts [][]float64) ([]string, [][]float64) {
	var keep []int
	for k := range cats {
		var s float64
		for _, row := range counts {
			s += row[k]
		}
		if s > 0 {
			keep = append(keep, k)
		}
	}
	nc := make([]string, len(keep))
	out := make([][]float64, len(counts))
	for i, k := range keep {
		nc[i] = cats[k]
	}
	for g, row := range counts {
		out[g] = make([]float64, len(keep))
		for i, k := range keep {
			out[g][i] = row[k]
		}
	}
	return nc, out
}

// dropEmptyRows removes rows with no count (Fisher's test needs positive margins).
func dropEmptyRows(labels []string, counts [][]float64) ([]string, [][]float64) {
	var l []string
	var c [][]float64
	for g, row := range counts {
		if total(row) > 0 {
			l = append(l, labels[g])
			c = append(c, row)
		}
	}
	return l, c
}

// barsOf builds stacked bars with categories = row labels and series = columns.
func barsOf(rowsLab, cols []string, counts [][]float64) *plotdata.Bars {
	b := &plotdata.Bars{Categories: rowsLab, Series: cols, Proportion: true}
	for k := range cols {
		v := make([]plotdata.Float, len(rowsLab))
		for g := range rowsLab {
			if g < len(counts) {
				v[g] = plotdata.Float(counts[g][k])
			}
		}
		b.Values = append(b.Values, v)
	}
	return b
}
