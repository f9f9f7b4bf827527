package fish

import (
	"fmt"
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

// TestTumourScatters: the one-pass scatters of every tumour equal Scatter called per
// tumour (points, counts, order and lines), with excluded, NaN and no-CEP17 cells
// mixed in, areas of one tumour interleaved, a copies rule and a ratio rule.
func TestTumourScatters(t *testing.T) {
	var cells []Cell
	rng := uint64(7)
	next := func(n int) int {
		rng = rng*6364136223846793005 + 1442695040888963407
		return int(rng>>33) % n
	}
	samples := []string{"p1", "p2", "p3"}
	tps := []string{"pre", "post", ""}
	for i := 0; i < 3000; i++ {
		s, tp := samples[next(3)], tps[next(3)]
		c := Cell{Sample: s, Timepoint: tp, Site: fmt.Sprint("S", next(2)), Area: fmt.Sprint("a", next(3)), ID: fmt.Sprint(i),
			ERBB2: float64(next(12)), CEP17: float64(next(5)), X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown}
		switch next(40) {
		case 0:
			c.CEP17 = math.NaN()
		case 1:
			c.ERBB2 = math.NaN()
		}
		cells = append(cells, c)
	}
	copies := DefaultOptions()
	copies.Rule = CellRule{Metric: MetricCopies, Threshold: 5}
	for k, o := range []Options{DefaultOptions(), copies} {
		r := mustSummarise(t, cells, o)
		if len(r.Tumours) < 5 {
			t.Fatalf("options %d: only %d tumours", k, len(r.Tumours))
		}
		got := r.TumourScatters(cells)
		if len(got) != len(r.Tumours) {
			t.Fatalf("options %d: %d scatters for %d tumours", k, len(got), len(r.Tumours))
		}
		for ti, tu := range r.Tumours {
			want := r.Scatter(cells, tu.Sample, tu.Timepoint, false)
			g := got[ti]
			if g.Sample != want.Sample || g.Timepoint != want.Timepoint || g.Rule != want.Rule || g.RatioSlope != want.RatioSlope ||
				fmt.Sprint(g.CopyLines) != fmt.Sprint(want.CopyLines) || len(g.Points) != len(want.Points) || len(want.Points) == 0 {
				t.Fatalf("options %d tumour %d: got %+v, want %+v", k, ti, g, want)
			}
			for i := range want.Points {
				if fmt.Sprint(g.Points[i]) != fmt.Sprint(want.Points[i]) {
					t.Fatalf("options %d tumour %d point %d: got %+v, want %+v", k, ti, i, g.Points[i], want.Points[i])
				}
			}
		}
	}
}
