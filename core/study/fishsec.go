package study

import (
	"fmt"
	"math"
	"strings"

	"github.com/her2het/her2het/core/fish"
	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/stats"
)

// fishData holds the FISH summaries of the inputs.
type fishData struct {
	opts    fish.Options
	cells   *fish.Result     // per-cell input, or nil
	cases   *fish.CaseResult // per-case input, or nil
	tumours []fish.Tumour
	err     error
}

// prepareFISH summarises the FISH inputs and, for patients whose HET status the
// sample sheet does not give, takes the pretreatment tumour call (HETSource "FISH").
func (r *runner) prepareFISH() {
	if len(r.in.cells) == 0 && len(r.in.cases) == 0 {
		return
	}
	fd := &fishData{}
	r.fishD = fd
	o, err := r.p.fishOptions()
	if err != nil {
		fd.err = err
		return
	}
	fd.opts = o
	if len(r.in.cells) > 0 {
		res, err := fish.Summarise(r.in.cells, o)
		if err != nil {
			fd.err = err
			return
		}
		fd.cells = res
		fd.tumours = res.Tumours
	}
	if len(r.in.cases) > 0 {
		res, err := fish.CallCases(r.in.cases, o)
		if err != nil {
			fd.err = err
			return
		}
		fd.cases = res
		fd.tumours = append(fd.tumours, res.Tumours...)
	}
	r.applyFISHHET()
}

// applyFISHHET fills the HET status of patients without one in the sample sheet
// from their pretreatment FISH tumour call.
func (r *runner) applyFISHHET() {
	fd := r.fishD
	if r.c == nil || fd == nil || fd.err != nil {
		return
	}
	changed := false
	for _, t := range fd.tumours {
		if fish.NormaliseTimepoint(t.Timepoint) == fish.TimepointPost {
			continue
		}
		pt := r.fishPatient(t.Sample)
		if pt == nil || pt.HET != "" || t.Het == fish.HetNA {
			continue
		}
		if t.Het == fish.HetYes {
			pt.HET = "1"
		} else {
			pt.HET = "0"
		}
		pt.HETSource = "FISH"
		changed = true
	}
	if changed {
		r.c.regroup()
	}
}

// fishPatient finds the cohort patient of a FISH sample: a patient of that ID, or
// the patient of a sample of that name.
func (r *runner) fishPatient(s string) *patient {
	if r.c == nil {
		return nil
	}
	if pt := r.c.byID[s]; pt != nil {
		return pt
	}
	for j, x := range r.c.Samples {
		if x == s {
			return r.c.byID[r.c.Patient[j]]
		}
	}
	return nil
}

func (r *runner) fishPatientID(s string) string {
	if pt := r.fishPatient(s); pt != nil {
		return pt.ID
	}
	return s
}

// fish reports FISH calls, the per-cell scatter and copy-number distribution, pre vs
// post heterogeneity and the link between FISH measures and ERBB2 mRNA.
func (r *runner) fish() *Section {
	const id, title = "fish", "ERBB2 FISH and heterogeneity"
	fd := r.fishD
	if fd == nil {
		return skipped(id, title, "no FISH data were added")
	}
	if fd.err != nil {
		return skipped(id, title, "FISH summary failed: "+fd.err.Error())
	}
	sec := &Section{ID: id, Title: title}
	rule := fd.opts.RuleText()
	sec.Notes = append(sec.Notes, "HET rule: "+rule)
	tab := plotdata.Table{ID: "fish-tumours", Title: "FISH per tumour (" + rule + ")",
		Columns: []string{"sample", "patient", "timepoint", "het", "reason", "n_areas", "n_called", "n_cells", "pct_amplified",
			"fraction_non_amplified", "mean_erbb2", "ratio", "sd_erbb2", "cv_erbb2", "shannon", "group2018", "status"}}
	nHet, nCalled := 0, 0
	for _, t := range fd.tumours {
		tab.Rows = append(tab.Rows, []string{t.Sample, r.fishPatientID(t.Sample), naStr(t.Timepoint), t.Het.String(), t.Reason,
			fmtInt(t.NAreas), fmtInt(t.NCalled), fmtInt(t.NCells), fmtNum(t.PctAmplified), fmtNum(t.FractionNonAmplified),
			fmtNum(t.MeanERBB2), fmtNum(t.Ratio), fmtNum(t.SDERBB2), fmtNum(t.CVERBB2), fmtNum(t.Shannon), fmtInt(t.Group2018), t.Status.String()})
		if t.Het != fish.HetNA {
			nCalled++
		}
		if t.Het == fish.HetYes {
			nHet++
		}
	}
	sec.Tables = append(sec.Tables, tab)
	summary := []string{fmt.Sprintf("%d tumours, %d called, %d HET (%s)", len(fd.tumours), nCalled, nHet, rule)}
	if res := fd.cells; res != nil {
		at := plotdata.Table{ID: "fish-areas", Title: "FISH per area",
			Columns: []string{"sample", "timepoint", "site", "area", "n_eval", "pct_amplified", "called", "call"}}
		for _, a := range res.AreaBars() {
			at.Rows = append(at.Rows, []string{a.Sample, naStr(a.Timepoint), naStr(a.Site), naStr(a.Area), fmtInt(a.NEval), fmtNum(a.PctAmplified), fmt.Sprint(a.Called), a.Call})
		}
		sec.Tables = append(sec.Tables, at)
		// % amplified per area with the heterogeneity band (pretreatment areas).
		bf := r.figure("fish-areas", "% amplified nuclei per area", plotdata.KindScatter, "rule", rule)
		bf.XLabel, bf.YLabel = "tumour", "% amplified nuclei"
		bs := &plotdata.Scatter{Groups: []string{"heterogeneous", "homogeneous", "negative", "not called"}}
		tumourX := map[string]int{}
		for _, a := range res.AreaBars() {
			k := a.Sample + "\x00" + a.Timepoint
			if _, ok := tumourX[k]; !ok {
				tumourX[k] = len(tumourX)
			}
			g := "homogeneous"
			switch {
			case !a.Called:
				g = "not called"
			case a.PctAmplified > a.HetLow && a.PctAmplified < a.HetHigh:
				g = "heterogeneous"
			case strings.Contains(strings.ToLower(a.Call), "negative"):
				g = "negative"
			}
			bs.Points = append(bs.Points, plotdata.Point{X: plotdata.Float(tumourX[k]), Y: plotdata.Float(a.PctAmplified),
				Label:  fmt.Sprintf("%s %s %s %s: %s", a.Sample, a.Timepoint, a.Site, a.Area, a.Call),
				Sample: a.Sample, Patient: r.fishPatientID(a.Sample), Group: g, Emph: g == "heterogeneous" || g == "negative"})
		}
		bs.Lines = []plotdata.Rule{{Axis: "y", Value: plotdata.Float(fd.opts.HetLow), Label: "HET band"}, {Axis: "y", Value: plotdata.Float(fd.opts.HetHigh), Label: "HET band"}}
		bf.Scatter = bs
		sec.Figures = append(sec.Figures, bf)
		// Per-cell scatter, one group per timepoint, marks per tumour.
		f := r.figure("fish-scatter", "Per-cell ERBB2 vs CEP17 signals", plotdata.KindScatter, "rule", rule)
		f.XLabel, f.YLabel = "CEP17 signals per nucleus", "ERBB2 signals per nucleus"
		sp := &plotdata.Scatter{}
		slope := math.NaN()
		scs := res.TumourScatters(r.in.cells)
		for ti, t := range res.Tumours {
			sc := scs[ti]
			slope = sc.RatioSlope
			for _, p := range sc.Points {
				sp.Points = append(sp.Points, plotdata.Point{X: plotdata.Float(p.CEP17), Y: plotdata.Float(p.ERBB2),
					Label:  fmt.Sprintf("%s %s: %d nuclei (%d amplified)", t.Sample, t.Timepoint, p.N, p.NAmplified),
					Sample: t.Sample, Patient: r.fishPatientID(t.Sample), Group: naStr(t.Timepoint), Emph: p.NAmplified > 0})
			}
		}
		sp.Groups = levelsOf(groupsOfPoints(sp.Points))
		if !math.IsNaN(slope) {
			sp.Lines = append(sp.Lines, plotdata.Rule{Axis: "xy", Value: 0, Slope: plotdata.Float(slope), Label: "rule"})
		}
		f.Scatter = sp
		sec.Figures = append(sec.Figures, f)
		h := res.CopyHistogram(r.in.cells, "", "", true, 20)
		hf := r.figure("fish-copies", "ERBB2 copies per nucleus (all tumours)", plotdata.KindHistogram, "rule", rule)
		hf.XLabel, hf.YLabel = "ERBB2 signals per nucleus", "nuclei"
		hg := &plotdata.Histogram{Edges: plotdata.Floats(h.Breaks)}
		for _, c := range h.Counts {
			hg.Counts = append(hg.Counts, plotdata.Float(c))
		}
		for _, t := range h.Thresholds {
			hg.Rules = append(hg.Rules, plotdata.Rule{Axis: "x", Value: plotdata.Float(t.Value), Label: t.Label})
		}
		hf.Histogram = hg
		sec.Figures = append(sec.Figures, hf)
		// Pre vs post.
		if len(res.Changes) > 0 {
			type meas struct {
				name string
				get  func(t fish.Tumour) float64
			}
			ms := []meas{
				{"fraction_non_amplified", func(t fish.Tumour) float64 { return t.FractionNonAmplified }},
				{"shannon", func(t fish.Tumour) float64 { return t.Shannon }},
				{"cv_erbb2", func(t fish.Tumour) float64 { return t.CVERBB2 }},
				{"mean_erbb2", func(t fish.Tumour) float64 { return t.MeanERBB2 }},
			}
			hetPre, hetPost := 0, 0
			for _, c := range res.Changes {
				if c.HetPre == fish.HetYes {
					hetPre++
				}
				if c.HetPost == fish.HetYes {
					hetPost++
				}
			}
			summary = append(summary, fmt.Sprintf("%d tumours with pre and post FISH: HET %d pre, %d post", len(res.Changes), hetPre, hetPost))
			for _, m := range ms {
				var pre, post []float64
				ln := &plotdata.Lines{XTicks: []string{"pre", "post"}}
				for _, c := range res.Changes {
					a, b := m.get(res.Tumours[c.Pre]), m.get(res.Tumours[c.Post])
					pre = append(pre, a)
					post = append(post, b)
					ln.Series = append(ln.Series, plotdata.Series{Name: c.Sample, Patient: r.fishPatientID(c.Sample), Group: c.HetPre.String(),
						X: []plotdata.Float{0, 1}, Y: []plotdata.Float{plotdata.Float(a), plotdata.Float(b)}})
				}
				if t, err := stats.WilcoxTest(post, pre, stats.WilcoxOptions{Paired: true, Correct: true}); err == nil {
					sec.Tests = append(sec.Tests, TestRow{"FISH pre vs post", m.name, "post vs pre", "Wilcoxon signed-rank (paired)", t.Statistic, t.PValue, math.NaN(), t.N})
				}
				lf := r.figure("fish-prepost-"+slug(m.name), "FISH "+m.name+" pre and post", plotdata.KindLines, "rule", rule)
				lf.YLabel = m.name
				lf.Lines = ln
				sec.Figures = append(sec.Figures, lf)
			}
		}
	}
	// FISH measures vs ERBB2 mRNA (patient level, pretreatment).
	if gi, ok := r.geneIdx["ERBB2"]; ok && r.logE != nil && r.c != nil {
		units := r.c.preUnits(false)
		mrna := unitValues(units, r.logE.Row(gi))
		byPatient := map[string]float64{}
		for k, u := range units {
			byPatient[u.Patient.ID] = mrna[k]
		}
		type meas struct {
			name string
			get  func(t fish.Tumour) float64
		}
		ms := []meas{
			{"fraction_non_amplified", func(t fish.Tumour) float64 { return t.FractionNonAmplified }},
			{"pct_amplified", func(t fish.Tumour) float64 { return t.PctAmplified }},
			{"mean_erbb2", func(t fish.Tumour) float64 { return t.MeanERBB2 }},
			{"ratio", func(t fish.Tumour) float64 { return t.Ratio }},
		}
		for _, m := range ms {
			var x, y []float64
			var pids []string
			f := r.figure("fish-mrna-"+slug(m.name), "ERBB2 mRNA vs FISH "+m.name, plotdata.KindScatter, "rule", rule, "mRNA", "patient mean of pretreatment biopsies")
			f.XLabel, f.YLabel = "FISH "+m.name, "ERBB2 mRNA (log2)"
			sp := &plotdata.Scatter{}
			seen := map[string]bool{}
			for _, t := range fd.tumours {
				if fish.NormaliseTimepoint(t.Timepoint) == fish.TimepointPost {
					continue
				}
				pid := r.fishPatientID(t.Sample)
				v, ok := byPatient[pid]
				if !ok || seen[pid] {
					continue
				}
				seen[pid] = true
				x = append(x, m.get(t))
				y = append(y, v)
				pids = append(pids, pid)
				sp.Points = append(sp.Points, plotdata.Point{X: plotdata.Float(m.get(t)), Y: plotdata.Float(v), Label: pid, Sample: t.Sample, Patient: pid, Group: t.Het.String()})
			}
			if len(x) < 3 {
				continue
			}
			r.pt.set("fish:"+m.name, pids, x)
			if t, err := stats.CorTest(x, y, stats.CorOptions{Method: stats.Spearman}); err == nil {
				sec.Tests = append(sec.Tests, TestRow{"FISH vs ERBB2 mRNA", m.name, "Spearman", t.Method, t.Estimate, t.PValue, math.NaN(), t.N})
				if m.name == "fraction_non_amplified" {
					summary = append(summary, fmt.Sprintf("ERBB2 mRNA vs fraction of non-amplified cells: Spearman rho = %.2f, p = %s", t.Estimate, fmtP(t.PValue)))
				}
			}
			sp.Groups = levelsOf(groupsOfPoints(sp.Points))
			f.Scatter = sp
			sec.Figures = append(sec.Figures, f)
		}
	}
	if fd.cases != nil {
		ct := plotdata.Table{ID: "fish-cases", Title: "FISH per case/area summary",
			Columns: []string{"sample", "timepoint", "site", "area", "mean_erbb2", "ratio", "pct_amplified", "group2018", "status", "call"}}
		for _, c := range fd.cases.Cases {
			ct.Rows = append(ct.Rows, []string{c.Sample, naStr(c.Timepoint), naStr(c.Site), naStr(c.Area), fmtNum(c.MeanERBB2), fmtNum(c.Ratio), fmtNum(c.PctAmplified), fmtInt(c.Group2018), c.Status.String(), c.Call})
		}
		sec.Tables = append(sec.Tables, ct)
	}
	sec.Summary = strings.Join(summary, "; ") + "."
	return sec
}

func groupsOfPoints(p []plotdata.Point) []string {
	g := make([]string, len(p))
	for i := range p {
		g[i] = p[i].Group
	}
	return g
}

// spatialHook, when set, runs the GeoMx analysis.
var spatialHook func(r *runner) *Section

// spatial is the GeoMx section.
func (r *runner) spatial() *Section {
	const id, title = "spatial", "Spatial profiling (GeoMx)"
	if r.in.spatialSegs == nil && r.in.spatialCounts == nil {
		return skipped(id, title, "no spatial (GeoMx) input was added")
	}
	if r.in.spatialSegs == nil || r.in.spatialCounts == nil {
		return skipped(id, title, "GeoMx data need both the segment table and the target count matrix")
	}
	if spatialHook == nil {
		return skipped(id, title, "the GeoMx analysis is not available in this build")
	}
	return spatialHook(r)
}
