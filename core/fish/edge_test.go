package fish_test

import (
	"math"
	"testing"

	"github.com/her2het/her2het/core/fish"
)

// edgeCells makes n nuclei of one area with the given ERBB2 and CEP17 counts.
func edgeCells(sample string, n int, erbb2, cep17 float64) []fish.Cell {
	cells := make([]fish.Cell, n)
	for i := range cells {
		cells[i] = fish.Cell{Sample: sample, Timepoint: "pre", Area: "A1", ID: string(rune('a'+i%26)) + string(rune('a'+i/26)),
			ERBB2: erbb2, CEP17: cep17, X: math.NaN(), Y: math.NaN(), IHC: fish.IHCUnknown}
	}
	return cells
}

// TestEdgeCases checks the documented FISH behaviour on degenerate counts:
// measures without nuclei are NaN, areas below MinNuclei are not called, and
// zero CEP17 gives no ratio; Summarise only fails for invalid options.
func TestEdgeCases(t *testing.T) {
	opts := fish.DefaultOptions()
	t.Run("no cells: empty result, no error", func(t *testing.T) {
		r, err := fish.Summarise(nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Areas)+len(r.Tumours) != 0 {
			t.Errorf("areas %d tumours %d", len(r.Areas), len(r.Tumours))
		}
	})
	t.Run("fewer nuclei than MinNuclei: area not called, warning", func(t *testing.T) {
		r, err := fish.Summarise(edgeCells("P1", 5, 8, 2), opts)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Areas[0]
		if a.Called || len(a.Warnings) == 0 || r.Tumours[0].Het != fish.HetNA {
			t.Errorf("area called %v warnings %q tumour %v", a.Called, a.Warnings, r.Tumours[0].Het)
		}
	})
	t.Run("CEP17 zero in every nucleus: ratio NaN, no ratio-based call", func(t *testing.T) {
		r, err := fish.Summarise(edgeCells("P1", 30, 8, 0), opts)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Areas[0]
		if a.NRatio != 0 || !math.IsNaN(a.Ratio) || !math.IsNaN(a.MeanCellRatio) || a.Called {
			t.Errorf("NRatio %d ratio %v cell ratio %v called %v", a.NRatio, a.Ratio, a.MeanCellRatio, a.Called)
		}
	})
	t.Run("single-probe data (CEP17 NaN) under the copies rule", func(t *testing.T) {
		o := fish.DefaultOptions()
		rule, err := fish.ParseCellRule("erbb2>=6")
		if err != nil {
			t.Fatal(err)
		}
		o.Rule = rule
		r, err := fish.Summarise(edgeCells("P1", 30, 8, math.NaN()), o)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Areas[0]
		if !a.Called || a.PctAmplified != 100 || !math.IsNaN(a.Ratio) {
			t.Errorf("called %v pct %v ratio %v", a.Called, a.PctAmplified, a.Ratio)
		}
	})
	t.Run("one nucleus: SD and CV NaN", func(t *testing.T) {
		r, err := fish.Summarise(edgeCells("P1", 1, 4, 2), opts)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Areas[0]
		if !math.IsNaN(a.SDERBB2) || !math.IsNaN(a.CVERBB2) || !math.IsNaN(a.SDRatio) {
			t.Errorf("SD %v CV %v SD ratio %v", a.SDERBB2, a.CVERBB2, a.SDRatio)
		}
	})
	t.Run("all ERBB2 zero: CV NaN (mean 0), Shannon 0", func(t *testing.T) {
		r, err := fish.Summarise(edgeCells("P1", 25, 0, 2), opts)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Areas[0]
		if !math.IsNaN(a.CVERBB2) || a.SDERBB2 != 0 || a.Shannon != 0 {
			t.Errorf("CV %v SD %v Shannon %v", a.CVERBB2, a.SDERBB2, a.Shannon)
		}
	})
	t.Run("invalid options: error", func(t *testing.T) {
		o := fish.DefaultOptions()
		o.HetLow, o.HetHigh = 60, 40
		if _, err := fish.Summarise(edgeCells("P1", 25, 8, 2), o); err == nil {
			t.Fatal("accepted HetLow > HetHigh")
		}
	})
	t.Run("exactly 5% amplified is not heterogeneous (5% < pct < 50%)", func(t *testing.T) {
		cells := append(edgeCells("P1", 19, 2, 2), edgeCells("P1", 1, 8, 2)...)
		cells[19].ID = "amp"
		r, err := fish.Summarise(cells, opts)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Areas[0]
		if !a.Called || a.PctAmplified != 5 || a.Heterogeneous {
			t.Errorf("called %v pct %v het %v", a.Called, a.PctAmplified, a.Heterogeneous)
		}
	})
}
