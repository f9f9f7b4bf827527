package study

import (
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/stats"
)

// comparison describes one family of group comparisons over several variables
// measured per sample.
type comparison struct {
	analysis string                // tests.tsv analysis name
	vars     []string              // variable names
	values   func(k int) []float64 // per-sample values of variable k (cohort sample order)
	label    func(u unit) string   // the group of a unit, "" to leave it out
	levels   []string              // groups in display order
	figure   func(name string) bool
	figID    string // figure id prefix
	ylabel   string
	column   func(name string) string // patients.tsv column name ("" = none)
	params   []string
}

func byGroupLabel(u unit) string { return u.Patient.Group }

func byPCRLabel(u unit) string {
	switch u.Patient.PCR {
	case "yes":
		return "pCR"
	case "no":
		return "no pCR"
	}
	return ""
}

func byHETLabel(u unit) string {
	switch u.Patient.HET {
	case "1":
		return "HET"
	case "0":
		return "non-HET"
	}
	return ""
}

// levelsPresent returns the labels of units in the order of want, keeping those
// with at least one unit.
func levelsPresent(units []unit, label func(unit) string, want []string) []string {
	seen := map[string]bool{}
	for _, u := range units {
		seen[label(u)] = true
	}
	var out []string
	for _, w := range want {
		if seen[w] {
			out = append(out, w)
		}
	}
	return out
}

// compare runs cmp on the pretreatment units and appends tests and figures to sec.
// It returns the omnibus rows (one per tested variable) for the summary.
func (r *runner) compare(sec *Section, cmp comparison) []TestRow {
	units := r.units
	patients := make([]string, len(units))
	for i, u := range units {
		patients[i] = u.Patient.ID
	}
	var omni []int
	var patUnits []unit
	if r.p.PerBiopsy {
		patUnits = r.c.preUnits(false)
	}
	for k, name := range cmp.vars {
		x := cmp.values(k)
		uv := unitValues(units, x)
		if cmp.column != nil {
			if col := cmp.column(name); col != "" {
				if r.p.PerBiopsy {
					pids := make([]string, len(patUnits))
					for i, u := range patUnits {
						pids[i] = u.Patient.ID
					}
					r.pt.set(col, pids, unitValues(patUnits, x))
				} else {
					r.pt.set(col, patients, uv)
				}
			}
		}
		vals := make([][]float64, len(cmp.levels))
		samples := make([][]string, len(cmp.levels))
		pats := make([][]string, len(cmp.levels))
		for i, u := range units {
			l := cmp.label(u)
			for g, lv := range cmp.levels {
				if lv == l {
					vals[g] = append(vals[g], uv[i])
					samples[g] = append(samples[g], u.Sample)
					pats[g] = append(pats[g], u.Patient.ID)
				}
			}
		}
		rows := groupTests(cmp.analysis, name, cmp.levels, vals)
		if len(rows) > 0 {
			omni = append(omni, len(sec.Tests))
			sec.Tests = append(sec.Tests, rows...)
		}
		if cmp.figure != nil && cmp.figure(name) {
			f := r.figure(cmp.figID+"-"+slug(name), name+" ("+cmp.analysis+")", plotdata.KindBox,
				append([]string{"level", r.levelParam()}, cmp.params...)...)
			f.XLabel, f.YLabel = "", cmp.ylabel
			b := &plotdata.Box{}
			for g, lv := range cmp.levels {
				b.Groups = append(b.Groups, plotdata.NewBoxGroup(lv, vals[g], samples[g], pats[g]))
			}
			b.Tests = annotations(rows)
			f.Box = b
			sec.Figures = append(sec.Figures, f)
		}
	}
	adjustOmnibus(sec.Tests, omni)
	out := make([]TestRow, len(omni))
	for i, k := range omni {
		out[i] = sec.Tests[k]
	}
	return out
}

// slug makes a figure id part from a name: lower case letters, digits and '-'.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// medians returns the median of each level's unit values of variable x.
func groupMedians(units []unit, label func(unit) string, levels []string, x []float64) []float64 {
	uv := unitValues(units, x)
	out := make([]float64, len(levels))
	for g, lv := range levels {
		var v []float64
		for i, u := range units {
			if label(u) == lv && !math.IsNaN(uv[i]) {
				v = append(v, uv[i])
			}
		}
		out[g] = median(v)
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return stats.Median(v)
}

// describe summarises omnibus rows: the variables with p < 0.05, with the
// direction given by the group medians.
func describeSignificant(rows []TestRow, limit int) string {
	var sig []string
	for _, t := range rows {
		if t.PValue < 0.05 {
			sig = append(sig, fmt.Sprintf("%s (p = %s)", t.Variable, fmtP(t.PValue)))
		}
	}
	if len(sig) == 0 {
		return "no variable differed at p < 0.05"
	}
	more := ""
	if len(sig) > limit {
		more = fmt.Sprintf(" and %d more", len(sig)-limit)
		sig = sig[:limit]
	}
	return strings.Join(sig, ", ") + more + " differed at p < 0.05"
}
