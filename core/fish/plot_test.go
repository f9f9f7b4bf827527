package fish

import (
	"math"
	"testing"
)

func TestPlotData(t *testing.T) {
	cells := append(area("p1", "pre", "S1", "a", 20, 5), negArea("p1", "post", "", "r", 20)...)
	cells = append(cells, Cell{Sample: "p1", Timepoint: "pre", Site: "S1", Area: "a", ERBB2: 15, CEP17: 1, IHC: IHCUnknown},
		Cell{Sample: "p1", Timepoint: "pre", Site: "S1", Area: "a", ERBB2: math.NaN(), CEP17: 1, IHC: IHCUnknown})
	r := mustSummarise(t, cells, DefaultOptions())

	sc := r.Scatter(cells, "p1", "pre", false)
	// Points: (5,3) x15, (8,4) x5 amplified, (15,1) x1 amplified; the NaN cell is left out.
	want := []ScatterPoint{{5, 3, 15, 0}, {8, 4, 5, 5}, {15, 1, 1, 1}}
	if len(sc.Points) != len(want) {
		t.Fatalf("points %+v", sc.Points)
	}
	for i, w := range want {
		if sc.Points[i] != w {
			t.Errorf("point %d = %+v, want %+v", i, sc.Points[i], w)
		}
	}
	if sc.RatioSlope != 2 || len(sc.CopyLines) != 2 {
		t.Errorf("lines %v %v", sc.RatioSlope, sc.CopyLines)
	}
	if all := r.Scatter(cells, "", "", true); len(all.Points) != 4 {
		t.Errorf("all-cell scatter %+v", all.Points)
	}

	h := r.RatioHistogram("p1", "pre", false, 0.5, 4)
	// ratios: 15 x 1.667 -> bin [1.5,2); 5 x 2.0 -> [2,2.5); 1 x 15 -> last bin [3.5, inf).
	if len(h.Breaks) != 9 || len(h.Counts) != 8 || h.Counts[3] != 15 || h.Counts[4] != 5 || h.Counts[7] != 1 {
		t.Errorf("histogram %+v", h)
	}
	sum := 0
	for _, c := range h.Counts {
		sum += c
	}
	if sum != r.Tumours[0].NRatio || h.Thresholds[0].Value != 2 {
		t.Errorf("histogram holds %d of %d ratios; thresholds %+v", sum, r.Tumours[0].NRatio, h.Thresholds)
	}
	o := DefaultOptions()
	o.Rule = RuleRatio22
	if h := mustSummarise(t, cells, o).RatioHistogram("", "", true, 1, 3); len(h.Thresholds) != 2 || h.Thresholds[1].Value != 2.2 {
		t.Errorf("rule threshold missing: %+v", h.Thresholds)
	}
	ch := r.CopyHistogram(cells, "p1", "post", false, 12)
	if ch.Counts[2] != 20 || len(ch.Thresholds) != 3 {
		t.Errorf("copy histogram %+v", ch)
	}

	bars := r.AreaBars()
	if len(bars) != 2 || bars[0].PctAmplified != 100*6.0/21 || bars[0].HetLow != 5 || bars[1].Call != "HER2-negative" {
		t.Errorf("bars %+v", bars)
	}
	ov := r.HetOverview()
	if len(ov) != 2 || ov[0].Timepoint != "post" || ov[1].Timepoint != "pre" || ov[1].Het != HetYes || len(ov[1].AreaPct) != 1 || ov[1].AreaNames[0] != "S1/a" {
		t.Errorf("overview %+v", ov)
	}
}
