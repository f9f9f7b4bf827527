package fish

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// area returns n cells of one area: the first nAmp with ERBB2=8, CEP17=4 (ratio exactly
// 2.0, amplified under ratio >= 2), the rest ERBB2=5, CEP17=3 (ratio 1.67), so that an
// area is ASCO/CAP group 1, 3 or 4 but never group 5.
func area(sample, tp, site, name string, n, nAmp int) []Cell {
	out := make([]Cell, n)
	for i := range out {
		e, c := 5.0, 3.0
		if i < nAmp {
			e, c = 8, 4
		}
		out[i] = Cell{Sample: sample, Timepoint: tp, Site: site, Area: name, ID: fmt.Sprint(i + 1), ERBB2: e, CEP17: c, X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown}
	}
	return out
}

// negArea returns n non-amplified cells (ERBB2=2, CEP17=2): a group 5 area.
func negArea(sample, tp, site, name string, n int) []Cell {
	out := area(sample, tp, site, name, n, 0)
	for i := range out {
		out[i].ERBB2, out[i].CEP17 = 2, 2
	}
	return out
}

func mustSummarise(t *testing.T, cells []Cell, o Options) *Result {
	t.Helper()
	r, err := Summarise(cells, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestAreaBoundaries: exactly 5% and 50% amplified, 19 and 20 nuclei.
func TestAreaBoundaries(t *testing.T) {
	tests := []struct {
		name                 string
		n, nAmp              int
		called, het          bool
		call                 string
		pct, fracNonAmplfied float64
	}{
		{"19 nuclei: insufficient", 19, 5, false, false, "insufficient", 100 * 5.0 / 19, 14.0 / 19},
		{"20 nuclei: called", 20, 5, true, true, "heterogeneous", 25, 0.75},
		{"1 of 20 = exactly 5%: not heterogeneous", 20, 1, true, false, "non-amplified", 5, 0.95},
		{"2 of 40 = exactly 5%: not heterogeneous", 40, 2, true, false, "non-amplified", 5, 0.95},
		{"3 of 40 = 7.5%: heterogeneous", 40, 3, true, true, "heterogeneous", 7.5, 0.925},
		{"2 of 20 = 10%: heterogeneous", 20, 2, true, true, "heterogeneous", 10, 0.9},
		{"9 of 20 = 45%: heterogeneous", 20, 9, true, true, "heterogeneous", 45, 0.55},
		{"10 of 20 = exactly 50%: not heterogeneous", 20, 10, true, false, "amplified", 50, 0.5},
		{"50 of 100 = exactly 50%", 100, 50, true, false, "amplified", 50, 0.5},
		{"49 of 100 = 49%", 100, 49, true, true, "heterogeneous", 49, 0.51},
		{"1 of 3 (inexact 33.3%)", 21, 7, true, true, "heterogeneous", 100.0 / 3, 2.0 / 3},
		{"all amplified", 20, 20, true, false, "amplified", 100, 0},
		{"none amplified, group 4", 20, 0, true, false, "non-amplified", 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := mustSummarise(t, area("s", "pre", "S1", "a", tc.n, tc.nAmp), DefaultOptions())
			a := r.Areas[0]
			if a.Called != tc.called || a.Heterogeneous != tc.het || a.Call != tc.call {
				t.Errorf("called %v het %v call %q; want %v %v %q", a.Called, a.Heterogeneous, a.Call, tc.called, tc.het, tc.call)
			}
			if math.Abs(a.PctAmplified-tc.pct) > 1e-12 || math.Abs(a.FractionNonAmplified-tc.fracNonAmplfied) > 1e-15 {
				t.Errorf("pct %v fraction non-amplified %v; want %v %v", a.PctAmplified, a.FractionNonAmplified, tc.pct, tc.fracNonAmplfied)
			}
			if a.NCells != tc.n || a.NEval != tc.n || a.NAmplified != tc.nAmp {
				t.Errorf("counts %d %d %d", a.NCells, a.NEval, a.NAmplified)
			}
		})
	}
	a := mustSummarise(t, negArea("s", "", "", "a", 20), DefaultOptions()).Areas[0]
	if a.Group2018 != 5 || !a.Negative || a.Call != "HER2-negative" {
		t.Errorf("group 5 area: group %d negative %v call %q", a.Group2018, a.Negative, a.Call)
	}
	if a = mustSummarise(t, negArea("s", "", "", "a", 19), DefaultOptions()).Areas[0]; a.Negative || a.Called {
		t.Errorf("group 5 area of 19 nuclei is called")
	}
}

// TestAreaGuidelineBoundaries: ratio of means exactly 2.0 and 2.2, mean ERBB2 exactly 4.0
// and 6.0 reached from whole-number counts.
func TestAreaGuidelineBoundaries(t *testing.T) {
	mk := func(pairs ...[2]float64) []Cell {
		var cs []Cell
		for i := 0; i < 20; i++ { // repeat the pattern to reach 20+ nuclei
			for _, p := range pairs {
				cs = append(cs, Cell{Sample: "s", Area: "a", ERBB2: p[0], CEP17: p[1], X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown})
			}
		}
		return cs
	}
	tests := []struct {
		name         string
		cells        []Cell
		ratio, meanE float64
		group        int
		status       Status
	}{
		{"ratio exactly 2.0, ERBB2 exactly 4.0 -> group 1", mk([2]float64{3, 2}, [2]float64{5, 2}), 2.0, 4.0, 1, StatusPositive},
		{"ratio exactly 2.0, ERBB2 3.5 -> group 2", mk([2]float64{3, 2}, [2]float64{4, 2}, [2]float64{3, 1}, [2]float64{4, 2}), 2.0, 3.5, 2, StatusIHCNeeded},
		{"ratio 1.5, ERBB2 exactly 6.0 -> group 3", mk([2]float64{6, 4}, [2]float64{6, 4}), 1.5, 6.0, 3, StatusIHCNeeded},
		{"ratio 1.6, ERBB2 exactly 4.0 -> group 4", mk([2]float64{4, 3}, [2]float64{4, 2}), 1.6, 4.0, 4, StatusIHCNeeded},
		{"ratio 1.5, ERBB2 3 -> group 5", mk([2]float64{3, 2}), 1.5, 3, 5, StatusNegative},
		{"ratio exactly 2.2 (11/5)", mk([2]float64{11, 5}), 2.2, 11, 1, StatusPositive},
		{"ratio exactly 2.2 (22/10 over two cells)", mk([2]float64{13, 6}, [2]float64{9, 4}), 2.2, 11, 1, StatusPositive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := mustSummarise(t, tc.cells, DefaultOptions())
			a := r.Areas[0]
			if a.Ratio != tc.ratio || a.MeanERBB2 != tc.meanE {
				t.Errorf("ratio %v mean ERBB2 %v; want exactly %v %v", a.Ratio, a.MeanERBB2, tc.ratio, tc.meanE)
			}
			if a.Group2018 != tc.group || a.Status != tc.status {
				t.Errorf("group %d status %v; want %d %v", a.Group2018, a.Status, tc.group, tc.status)
			}
		})
	}
}

// TestZeroCEP17: nuclei with no CEP17 signal have no ratio, are kept for copy number by
// default and excluded altogether with ZeroCEP17Exclude.
func TestZeroCEP17(t *testing.T) {
	cells := area("s", "", "", "a", 20, 4)
	cells = append(cells,
		Cell{Sample: "s", Area: "a", ID: "z1", ERBB2: 12, CEP17: 0, IHC: IHCUnknown},
		Cell{Sample: "s", Area: "a", ID: "z2", ERBB2: 0, CEP17: 0, IHC: IHCUnknown},
		Cell{Sample: "s", Area: "a", ID: "m", ERBB2: math.NaN(), CEP17: 2, IHC: IHCUnknown},
	)
	tests := []struct {
		name                     string
		mod                      func(*Options)
		nCells, nRatio, nExcl    int
		meanE, meanC, ratio, pct float64
	}{
		{"default: kept for copy number", func(*Options) {}, 22, 20, 1, 124 / 22.0, 64 / 22.0, 112 / 64.0, 20},
		{"exclude zero CEP17", func(o *Options) { o.ZeroCEP17 = ZeroCEP17Exclude }, 20, 20, 3, 112 / 20.0, 64 / 20.0, 112 / 64.0, 20},
		{"exclude no-signal nuclei", func(o *Options) { o.ExcludeNoSignal = true }, 21, 20, 2, 124 / 21.0, 64 / 21.0, 112 / 64.0, 20},
		{"copies rule evaluates zero-CEP17 nuclei", func(o *Options) { o.Rule = RuleCopies6 }, 22, 20, 1, 124 / 22.0, 64 / 22.0, 112 / 64.0, 500.0 / 22},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			tc.mod(&o)
			r := mustSummarise(t, cells, o)
			a := r.Areas[0]
			if a.NNuclei != 23 || a.NCells != tc.nCells || a.NRatio != tc.nRatio || a.NExcluded != tc.nExcl {
				t.Errorf("nuclei %d cells %d ratio %d excluded %d; want 23 %d %d %d", a.NNuclei, a.NCells, a.NRatio, a.NExcluded, tc.nCells, tc.nRatio, tc.nExcl)
			}
			for _, c := range []struct{ got, want float64 }{{a.MeanERBB2, tc.meanE}, {a.MeanCEP17, tc.meanC}, {a.Ratio, tc.ratio}, {a.PctAmplified, tc.pct}} {
				if math.Abs(c.got-c.want) > 1e-14*math.Abs(c.want) {
					t.Errorf("got %v want %v (rel tol 1e-14)", c.got, c.want)
				}
			}
			z1 := r.Cells[20]
			if o.ZeroCEP17 == ZeroCEP17NoRatio && (z1.NoRatio != ReasonZeroCEP17 || !math.IsNaN(z1.Ratio) || z1.Excluded != ReasonNone) {
				t.Errorf("zero-CEP17 cell call %+v", z1)
			}
			if o.ZeroCEP17 == ZeroCEP17Exclude && z1.Excluded != ReasonZeroCEP17 {
				t.Errorf("zero-CEP17 cell not excluded: %+v", z1)
			}
			if r.Cells[22].Excluded != ReasonMissingERBB2 {
				t.Errorf("missing ERBB2 cell call %+v", r.Cells[22])
			}
		})
	}
}

func TestAllCEP17Zero(t *testing.T) {
	cells := area("s", "", "", "a", 25, 0)
	for i := range cells {
		cells[i].CEP17 = 0
	}
	r := mustSummarise(t, cells, DefaultOptions())
	a := r.Areas[0]
	if !math.IsNaN(a.Ratio) || a.Group2018 != 0 || a.Status != StatusNA || a.Called || a.NEval != 0 || !math.IsNaN(a.PctAmplified) {
		t.Errorf("area %+v", a.Summary)
	}
	if r.Tumours[0].Het != HetNA {
		t.Errorf("tumour called %v with no evaluable nuclei", r.Tumours[0].Het)
	}
	if !strings.Contains(strings.Join(a.Warnings, ";"), "CEP17 detected in 0 of 25") {
		t.Errorf("warnings %q", a.Warnings)
	}
}

func TestSDCVAndMeans(t *testing.T) {
	// ERBB2 2, 4, 6 with CEP17 1, 2, 2: mean 4, sd 2, cv 0.5; ratios 2, 2, 3.
	cells := []Cell{
		{Sample: "s", ERBB2: 2, CEP17: 1, IHC: IHCUnknown},
		{Sample: "s", ERBB2: 4, CEP17: 2, IHC: IHCUnknown},
		{Sample: "s", ERBB2: 6, CEP17: 2, IHC: IHCUnknown},
	}
	a := mustSummarise(t, cells, DefaultOptions()).Areas[0]
	want := map[string][2]float64{
		"MeanERBB2": {a.MeanERBB2, 4}, "SDERBB2": {a.SDERBB2, 2}, "CVERBB2": {a.CVERBB2, 0.5},
		"Ratio": {a.Ratio, 12.0 / 5}, "MeanCellRatio": {a.MeanCellRatio, 7.0 / 3},
		"SDRatio": {a.SDRatio, math.Sqrt(1.0 / 3)}, "CVRatio": {a.CVRatio, math.Sqrt(1.0/3) / (7.0 / 3)},
		"Shannon": {a.Shannon, math.Log(3)}, // one nucleus in each of <4, 4-<6, 6-<10
	}
	for k, v := range want {
		if math.Abs(v[0]-v[1]) > 1e-15*math.Max(1, math.Abs(v[1])) {
			t.Errorf("%s = %v, want %v (rel tol 1e-15)", k, v[0], v[1])
		}
	}
	one := mustSummarise(t, cells[:1], DefaultOptions()).Areas[0]
	if !math.IsNaN(one.SDERBB2) || !math.IsNaN(one.CVRatio) {
		t.Errorf("SD of one nucleus should be NaN: %v %v", one.SDERBB2, one.CVRatio)
	}
}

// TestTumourHet: the trial's rule over several areas, with the rule in words.
func TestTumourHet(t *testing.T) {
	cat := func(parts ...[]Cell) []Cell {
		var out []Cell
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	neg := func(o *Options) { o.NegativeIsHet = false }
	tests := []struct {
		name   string
		cells  []Cell
		mod    func(*Options)
		het    HetCall
		reason string
		called int
	}{
		{"two amplified areas in two sites", cat(area("p", "pre", "S1", "a", 20, 20), area("p", "pre", "S2", "b", 30, 25)), nil, HetNo, "non-HET: 2 called area(s) in 2 site(s)", 2},
		{"one heterogeneous area", cat(area("p", "pre", "S1", "a", 20, 20), area("p", "pre", "S2", "b", 20, 2)), nil, HetYes, "area S2/b heterogeneous (10% of 20 cells amplified)", 2},
		{"exactly 5% area is not heterogeneous", cat(area("p", "pre", "S1", "a", 20, 20), area("p", "pre", "S2", "b", 40, 2)), nil, HetNo, "non-HET", 2},
		{"HER2-negative area", cat(area("p", "pre", "S1", "a", 20, 20), negArea("p", "pre", "S2", "b", 20)), nil, HetYes, "area S2/b HER2-negative", 2},
		{"HER2-negative area, rule off", cat(area("p", "pre", "S1", "a", 20, 20), negArea("p", "pre", "S2", "b", 20)), neg, HetNo, "non-HET", 2},
		{"heterogeneous area of 19 nuclei is not called", cat(area("p", "pre", "S1", "a", 20, 20), area("p", "pre", "S2", "b", 19, 2)), nil, HetNo, "non-HET: 1 called area(s) in 1 site(s)", 1},
		{"no area with 20 nuclei", cat(area("p", "pre", "S1", "a", 19, 19), area("p", "pre", "S2", "b", 5, 2)), nil, HetNA, "not called: no area with >= 20 evaluable nuclei (2 areas, largest 19)", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			if tc.mod != nil {
				tc.mod(&o)
			}
			r := mustSummarise(t, tc.cells, o)
			if len(r.Tumours) != 1 {
				t.Fatalf("%d tumours", len(r.Tumours))
			}
			tu := r.Tumours[0]
			if tu.Het != tc.het || !strings.Contains(tu.Reason, tc.reason) || tu.NCalled != tc.called {
				t.Errorf("het %v called %d reason %q; want %v %d containing %q", tu.Het, tu.NCalled, tu.Reason, tc.het, tc.called, tc.reason)
			}
			// The site calls apply the same rule to each site's areas alone.
			for _, st := range r.Sites {
				want := HetNA
				for _, a := range r.Areas {
					if a.Site == st.Site && a.Called {
						if want == HetNA {
							want = HetNo
						}
						if a.Heterogeneous || (a.Negative && o.NegativeIsHet) {
							want = HetYes
						}
					}
				}
				if st.Het != want {
					t.Errorf("site %s: %v, want %v (%s)", st.Site, st.Het, want, st.Reason)
				}
			}
			if tu.NAreas != 2 || tu.NSites != 2 || len(r.Sites) != 2 {
				t.Errorf("areas %d sites %d", tu.NAreas, tu.NSites)
			}
			if !strings.Contains(r.Rule, "ERBB2/CEP17 ratio >= 2") || !strings.Contains(r.Rule, "5% < amplified < 50%") {
				t.Errorf("rule text %q", r.Rule)
			}
		})
	}
}

// TestPooling checks tumour and site measures pool the nuclei of their areas and
// agree with a single-area summary of the same nuclei (an independent property).
func TestPooling(t *testing.T) {
	a := area("p", "pre", "S1", "a", 20, 3)
	b := area("p", "pre", "S2", "b", 33, 30)
	b[0].CEP17 = 0
	b[1].ERBB2 = 11
	cells := append(append([]Cell{}, a...), b...)
	r := mustSummarise(t, cells, DefaultOptions())
	merged := append([]Cell{}, cells...)
	for i := range merged {
		merged[i].Site, merged[i].Area = "", ""
	}
	m := mustSummarise(t, merged, DefaultOptions()).Areas[0]
	tu := r.Tumours[0]
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mean ERBB2", tu.MeanERBB2, m.MeanERBB2}, {"ratio", tu.Ratio, m.Ratio}, {"mean cell ratio", tu.MeanCellRatio, m.MeanCellRatio},
		{"pct", tu.PctAmplified, m.PctAmplified}, {"sd", tu.SDERBB2, m.SDERBB2}, {"sd ratio", tu.SDRatio, m.SDRatio}, {"shannon", tu.Shannon, m.Shannon},
	} {
		if c.got != c.want {
			t.Errorf("%s: tumour %v, merged area %v", c.name, c.got, c.want)
		}
	}
	if tu.NCells != 53 || tu.NRatio != 52 || r.Sites[1].NCells != 33 {
		t.Errorf("counts: tumour %d/%d site %d", tu.NCells, tu.NRatio, r.Sites[1].NCells)
	}
}

func TestChanges(t *testing.T) {
	cells := append(area("p1", "Pre", "S1", "a", 20, 20), area("p1", "post", "", "r", 20, 2)...)
	cells = append(cells, area("p2", "pre", "", "a", 20, 20)...)
	r := mustSummarise(t, cells, DefaultOptions())
	if len(r.Changes) != 1 {
		t.Fatalf("%d changes, want 1", len(r.Changes))
	}
	c := r.Changes[0]
	if c.Sample != "p1" || c.HetPre != HetNo || c.HetPost != HetYes {
		t.Errorf("change %+v", c)
	}
	if math.Abs(c.DeltaFractionNonAmplified-0.9) > 1e-15 || math.Abs(c.DeltaPctAmplified+90) > 1e-13 || math.Abs(c.DeltaMeanERBB2-(5.3-8)) > 1e-14 {
		t.Errorf("deltas %v %v %v", c.DeltaFractionNonAmplified, c.DeltaPctAmplified, c.DeltaMeanERBB2)
	}
}

func TestNormaliseTimepoint(t *testing.T) {
	for in, want := range map[string]string{"Pre": "pre", "pre-treatment": "pre", "Baseline": "pre", "PR": "pre", "POST": "post",
		"Residual": "post", "surgery": "post", "PO": "post", " week 6 ": "week 6", "": ""} {
		if got := NormaliseTimepoint(in); got != want {
			t.Errorf("NormaliseTimepoint(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIHCWorkUp(t *testing.T) {
	// Group 4 area (ratio 1.6, ERBB2 4) with IHC 2+ -> negative; 3+ -> positive.
	for _, tc := range []struct {
		ihc  IHC
		want Status
	}{{IHCUnknown, StatusIHCNeeded}, {2, StatusNegative}, {3, StatusPositive}, {1, StatusNegative}} {
		var cells []Cell
		for i := 0; i < 20; i++ {
			cells = append(cells, Cell{Sample: "s", ERBB2: 4, CEP17: 2.5, IHC: tc.ihc})
		}
		a := mustSummarise(t, cells, DefaultOptions()).Areas[0]
		if a.Group2018 != 4 || a.Status != tc.want || a.IHC != tc.ihc {
			t.Errorf("IHC %v: group %d status %v", tc.ihc, a.Group2018, a.Status)
		}
	}
}

func TestNegativeNeedsRatioNuclei(t *testing.T) {
	// Copies rule: 25 evaluable nuclei, only 3 with CEP17: group 5 from 3 ratios is not
	// enough to call the area HER2-negative.
	cells := negArea("s", "", "", "a", 25)
	for i := 3; i < 25; i++ {
		cells[i].CEP17 = 0
	}
	o := DefaultOptions()
	o.Rule = RuleCopies6
	r := mustSummarise(t, cells, o)
	a := r.Areas[0]
	if a.Group2018 != 5 || a.Negative || !a.Called || a.Call != "non-amplified" {
		t.Errorf("group %d negative %v called %v call %q", a.Group2018, a.Negative, a.Called, a.Call)
	}
}

func TestSummariseEmptyAndExtreme(t *testing.T) {
	r := mustSummarise(t, nil, DefaultOptions())
	if len(r.Areas) != 0 || len(r.Tumours) != 0 || len(r.Cells) != 0 {
		t.Errorf("empty input gave %+v", r)
	}
	cells := []Cell{{Sample: "s", ERBB2: 1e308, CEP17: 1e-300, IHC: IHCUnknown}, {Sample: "s", ERBB2: 1e308, CEP17: 1, IHC: IHCUnknown}}
	r = mustSummarise(t, cells, DefaultOptions())
	h := r.RatioHistogram("", "", true, 1, 4)
	if h.Counts[3] != 2 {
		t.Errorf("infinite and huge ratios should land in the last bin: %v", h.Counts)
	}
}

func TestSampleIHC(t *testing.T) {
	ihc, err := ReadIHC(strings.NewReader("patientID\tHR\tHER2 IHC\nA\tpos\t2+\nB\tneg\tNA\nA\tpos\t2\n"), "sheet.tsv")
	if err != nil || len(ihc) != 1 || ihc["A"] != 2 {
		t.Fatalf("ReadIHC: %v %v", ihc, err)
	}
	if _, err := ReadIHC(strings.NewReader("sample,ihc\nA,1+\nA,3+\n"), "s.csv"); err == nil || !strings.HasPrefix(err.Error(), "s.csv:3:3: sample \"A\" has IHC 1+ and 3+") {
		t.Errorf("conflict: %v", err)
	}
	if _, err := ReadIHC(strings.NewReader("sample,hr\nA,1\n"), "s.csv"); err == nil {
		t.Error("no IHC column accepted")
	}
	// Group 3 area (ratio 1.5, ERBB2 6): IHC 2+ from the sheet makes it positive.
	var cells []Cell
	for i := 0; i < 20; i++ {
		cells = append(cells, Cell{Sample: "A", ERBB2: 6, CEP17: 4, IHC: IHCUnknown}, Cell{Sample: "B", ERBB2: 6, CEP17: 4, IHC: IHCUnknown})
	}
	o := DefaultOptions()
	o.SampleIHC = ihc
	r := mustSummarise(t, cells, o)
	if r.Areas[0].Status != StatusPositive || r.Tumours[0].IHC != 2 || r.Areas[1].Status != StatusIHCNeeded {
		t.Errorf("statuses %v %v %v", r.Areas[0].Status, r.Tumours[0].IHC, r.Areas[1].Status)
	}
}
