package fish

import (
	"math"
	"sort"
)

// Plot data: plain structs a chart can draw without knowing the rules.

// ScatterPoint is one distinct (ERBB2, CEP17) pair of per-cell counts with the number of
// scored nuclei at it (counts are whole numbers, so nuclei pile up) and how many of them
// are amplified under the rule.
type ScatterPoint struct {
	ERBB2, CEP17  float64
	N, NAmplified int
}

// Scatter is the per-cell ERBB2 versus CEP17 plot of one tumour (or of all cells).
type Scatter struct {
	Sample, Timepoint string // "" and "" for all cells
	Points            []ScatterPoint
	// RatioSlope draws the ratio threshold ERBB2 = RatioSlope * CEP17 (the rule's
	// threshold for ratio rules, else the guideline ratio); CopyLines are the horizontal
	// ERBB2 cut-offs (guideline 4 and 6, and the rule's threshold for a copies rule).
	RatioSlope float64
	CopyLines  []float64
	Rule       string
}

// Scatter returns the scatter of the scored nuclei (excluded ones left out, nuclei
// without a CEP17 count left out) of tumour (sample, timepoint); all tumours when all is
// true. Points are sorted by ERBB2 then CEP17. cells must be the slice given to Summarise.
func (r *Result) Scatter(cells []Cell, sample, timepoint string, all bool) Scatter {
	sc := r.scatterLines(sample, timepoint)
	if all {
		sc.Sample, sc.Timepoint = "", ""
	}
	acc := scatterAcc{idx: map[scatterKey]int{}}
	for i := range cells {
		cc := &r.Cells[i]
		if cc.Excluded != ReasonNone || math.IsNaN(cells[i].CEP17) {
			continue
		}
		if !all {
			a := &r.Areas[cc.Area]
			if a.Sample != sample || a.Timepoint != timepoint {
				continue
			}
		}
		acc.add(&sc, cells[i].ERBB2, cells[i].CEP17, cc.Amplified == 1)
	}
	sortScatter(sc.Points)
	return sc
}

// TumourScatters returns Scatter(cells, t.Sample, t.Timepoint, false) for every
// tumour t of r.Tumours, in that order, from one pass over the cells (calling
// Scatter per tumour reads every cell once per tumour).
func (r *Result) TumourScatters(cells []Cell) []Scatter {
	out := make([]Scatter, len(r.Tumours))
	byKey := map[tumourKey]int{}
	for ti, t := range r.Tumours {
		out[ti] = r.scatterLines(t.Sample, t.Timepoint)
		if _, ok := byKey[tumourKey{t.Sample, t.Timepoint}]; !ok {
			byKey[tumourKey{t.Sample, t.Timepoint}] = ti
		}
	}
	// The tumour of each area (-1: none), looked up once per area.
	areaTumour := make([]int, len(r.Areas))
	for ai, a := range r.Areas {
		areaTumour[ai] = -1
		if ti, ok := byKey[tumourKey{a.Sample, a.Timepoint}]; ok {
			areaTumour[ai] = ti
		}
	}
	accs := make([]scatterAcc, len(r.Tumours))
	for i := range cells {
		cc := &r.Cells[i]
		if cc.Excluded != ReasonNone || math.IsNaN(cells[i].CEP17) {
			continue
		}
		ti := areaTumour[cc.Area]
		if ti < 0 {
			continue
		}
		if accs[ti].idx == nil {
			accs[ti].idx = map[scatterKey]int{}
		}
		accs[ti].add(&out[ti], cells[i].ERBB2, cells[i].CEP17, cc.Amplified == 1)
	}
	for ti, t := range r.Tumours {
		if first := byKey[tumourKey{t.Sample, t.Timepoint}]; first != ti { // a repeated tumour: the same points
			out[ti].Points = append([]ScatterPoint(nil), out[first].Points...)
			continue
		}
		sortScatter(out[ti].Points)
	}
	return out
}

// scatterLines returns an empty Scatter of (sample, timepoint) with the rule's lines.
func (r *Result) scatterLines(sample, timepoint string) Scatter {
	o := &r.Options
	sc := Scatter{Sample: sample, Timepoint: timepoint, Rule: o.Rule.Words(), RatioSlope: o.Guideline.Ratio,
		CopyLines: []float64{o.Guideline.CopiesLow, o.Guideline.CopiesHi}}
	if o.Rule.Metric == MetricRatio {
		sc.RatioSlope = o.Rule.Threshold
	} else if o.Rule.Threshold != o.Guideline.CopiesLow && o.Rule.Threshold != o.Guideline.CopiesHi {
		sc.CopyLines = append(sc.CopyLines, o.Rule.Threshold)
	}
	return sc
}

type scatterKey struct{ e, c float64 }

// scatterAcc gathers one scatter's distinct (ERBB2, CEP17) pairs in order of first appearance.
type scatterAcc struct{ idx map[scatterKey]int }

func (a *scatterAcc) add(sc *Scatter, e, c float64, amplified bool) {
	k := scatterKey{e, c}
	j, ok := a.idx[k]
	if !ok {
		j = len(sc.Points)
		a.idx[k] = j
		sc.Points = append(sc.Points, ScatterPoint{ERBB2: e, CEP17: c})
	}
	sc.Points[j].N++
	if amplified {
		sc.Points[j].NAmplified++
	}
}

// sortScatter orders points by ERBB2 then CEP17 (the pairs are distinct).
func sortScatter(p []ScatterPoint) {
	sort.Slice(p, func(i, j int) bool {
		if p[i].ERBB2 != p[j].ERBB2 {
			return p[i].ERBB2 < p[j].ERBB2
		}
		return p[i].CEP17 < p[j].CEP17
	})
}

// Threshold is a labelled vertical line of a histogram.
type Threshold struct {
	Value float64
	Label string
}

// Histogram has bins [Breaks[k], Breaks[k+1]) with Counts[k] values; the last bin is
// open to the right ("and above"), so no value is dropped.
type Histogram struct {
	Sample, Timepoint string
	Breaks            []float64
	Counts            []int
	Thresholds        []Threshold
}

func histogram(values []float64, width, hi float64) ([]float64, []int) {
	if !(width > 0) || !(hi > 0) {
		panic("fish: histogram width and max must be positive")
	}
	nb := int(math.Ceil(hi / width))
	breaks := make([]float64, nb+1)
	for k := range breaks {
		breaks[k] = float64(k) * width
	}
	counts := make([]int, nb)
	for _, v := range values {
		k := nb - 1 // values at or beyond the last break, and +Inf
		if q := math.Floor(v / width); q < float64(nb) {
			k = max(int(q), 0)
		}
		counts[k]++
	}
	return breaks, counts
}

// RatioHistogram bins the per-cell ratios of tumour (sample, timepoint), or of all
// tumours when all is true, in bins of width up to max (the last bin holds everything
// from its left edge up). Thresholds mark the guideline ratio and the rule's ratio. It
// panics when width or max is not positive (a programmer error).
func (r *Result) RatioHistogram(sample, timepoint string, all bool, width, max float64) Histogram {
	var vals []float64
	for i := range r.Cells {
		cc := &r.Cells[i]
		if math.IsNaN(cc.Ratio) {
			continue
		}
		if !all {
			a := &r.Areas[cc.Area]
			if a.Sample != sample || a.Timepoint != timepoint {
				continue
			}
		}
		vals = append(vals, cc.Ratio)
	}
	h := Histogram{Sample: sample, Timepoint: timepoint}
	if all {
		h.Sample, h.Timepoint = "", ""
	}
	h.Breaks, h.Counts = histogram(vals, width, max)
	h.Thresholds = []Threshold{{r.Options.Guideline.Ratio, "ASCO/CAP ratio"}}
	if r.Options.Rule.Metric == MetricRatio && r.Options.Rule.Threshold != r.Options.Guideline.Ratio {
		h.Thresholds = append(h.Thresholds, Threshold{r.Options.Rule.Threshold, "cell rule: " + r.Options.Rule.Words()})
	}
	return h
}

// CopyHistogram bins per-cell ERBB2 counts of the scored nuclei of a tumour (or all) in
// bins of width 1 up to max, with the guideline ERBB2 cut-offs and the copy-number class
// breaks as thresholds.
func (r *Result) CopyHistogram(cells []Cell, sample, timepoint string, all bool, max float64) Histogram {
	var vals []float64
	for i := range cells {
		cc := &r.Cells[i]
		if cc.Excluded != ReasonNone {
			continue
		}
		if !all {
			a := &r.Areas[cc.Area]
			if a.Sample != sample || a.Timepoint != timepoint {
				continue
			}
		}
		vals = append(vals, cells[i].ERBB2)
	}
	h := Histogram{Sample: sample, Timepoint: timepoint}
	if all {
		h.Sample, h.Timepoint = "", ""
	}
	h.Breaks, h.Counts = histogram(vals, 1, max)
	g := r.Options.Guideline
	h.Thresholds = []Threshold{{g.CopiesLow, "ASCO/CAP ERBB2 4"}, {g.CopiesHi, "ASCO/CAP ERBB2 6"}}
	for _, b := range r.Options.ClassBreaks {
		if b != g.CopiesLow && b != g.CopiesHi {
			h.Thresholds = append(h.Thresholds, Threshold{b, "class break"})
		}
	}
	return h
}

// AreaBar is one bar of the "% amplified per area" plot, with the heterogeneity band.
type AreaBar struct {
	Sample, Timepoint, Site, Area string
	PctAmplified                  float64 // NaN when no evaluable nuclei
	NEval                         int
	Called                        bool
	Call                          string
	HetLow, HetHigh               float64 // the heterogeneous band (exclusive bounds)
}

// AreaBars returns one bar per area, in the order of Result.Areas.
func (r *Result) AreaBars() []AreaBar {
	out := make([]AreaBar, len(r.Areas))
	for i, a := range r.Areas {
		out[i] = AreaBar{Sample: a.Sample, Timepoint: a.Timepoint, Site: a.Site, Area: a.Name, PctAmplified: a.PctAmplified,
			NEval: a.NEval, Called: a.Called, Call: a.Call, HetLow: r.Options.HetLow, HetHigh: r.Options.HetHigh}
	}
	return out
}

// OverviewRow is one tumour of the patient-level HET overview: the call and its
// per-area % amplified (areas in Result order, NaN for areas with no evaluable nuclei).
type OverviewRow struct {
	Sample, Timepoint    string
	Het                  HetCall
	Reason               string
	NAreas, NCalled      int
	AreaNames            []string
	AreaPct              []float64
	AreaCalled           []bool
	FractionNonAmplified float64
	Shannon              float64
	MeanERBB2, Ratio     float64
}

// HetOverview returns one row per tumour, sorted by sample then timepoint.
func (r *Result) HetOverview() []OverviewRow {
	out := make([]OverviewRow, len(r.Tumours))
	pos := map[tumourKey]int{}
	for i, t := range r.Tumours {
		pos[tumourKey{t.Sample, t.Timepoint}] = i
		out[i] = OverviewRow{Sample: t.Sample, Timepoint: t.Timepoint, Het: t.Het, Reason: t.Reason, NAreas: t.NAreas, NCalled: t.NCalled,
			FractionNonAmplified: t.FractionNonAmplified, Shannon: t.Shannon, MeanERBB2: t.MeanERBB2, Ratio: t.Ratio}
	}
	for _, a := range r.Areas {
		row := &out[pos[tumourKey{a.Sample, a.Timepoint}]]
		row.AreaNames = append(row.AreaNames, label(a.Site, a.Name))
		row.AreaPct = append(row.AreaPct, a.PctAmplified)
		row.AreaCalled = append(row.AreaCalled, a.Called)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Sample != out[j].Sample {
			return out[i].Sample < out[j].Sample
		}
		return out[i].Timepoint < out[j].Timepoint
	})
	return out
}
