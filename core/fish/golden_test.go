package fish

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readGolden reads a TSV written by testdata/gen/fish_golden.R into header -> column.
func readGolden(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	var out []map[string]string
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		m := map[string]string{}
		for i, h := range head {
			m[h] = f[i]
		}
		out = append(out, m)
	}
	return out
}

// closeTo compares with relative tolerance rel (absolute rel when want is 0); "NA"
// must meet NaN.
func closeTo(t *testing.T, what, want string, got, rel float64) {
	t.Helper()
	if want == "NA" {
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want NA", what, got)
		}
		return
	}
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		t.Fatalf("%s: golden %q: %v", what, want, err)
	}
	if math.Abs(got-w) > rel*math.Max(math.Abs(w), 1e-300) && !(w == 0 && math.Abs(got) <= rel) {
		t.Errorf("%s = %.17g, want %.17g (rel tol %g)", what, got, w, rel)
	}
}

// TestGoldenR compares per-area and per-tumour measures and calls with base R 4.2.2
// (testdata/gen/fish_golden.R: mean, sd, sum/sum ratio, -sum(p log p) over cut() classes,
// the trial's rule written independently in R). Tolerance: relative 1e-14 (R's mean()
// refines the sum with a second pass in long double; sd() is two-pass like here).
func TestGoldenR(t *testing.T) {
	f, err := os.Open("testdata/cells.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, err := ReadCells(f, "testdata/cells.tsv")
	if err != nil {
		t.Fatal(err)
	}
	r := mustSummarise(t, cells, DefaultOptions())
	gold := readGolden(t, "testdata/areas_golden.tsv")
	if len(gold) != len(r.Areas) {
		t.Fatalf("%d areas, golden %d", len(r.Areas), len(gold))
	}
	const rel = 1e-14
	for i, g := range gold {
		a := r.Areas[i]
		id := label(a.Sample, a.Timepoint, a.Site, a.Name)
		if id != label(g["sample"], g["timepoint"], g["site"], g["area"]) {
			t.Fatalf("area %d is %s, golden %v", i, id, g)
		}
		ints := map[string]int{"n_cells": a.NCells, "n_ratio": a.NRatio, "n_amplified": a.NAmplified}
		for k, v := range ints {
			if strconv.Itoa(v) != g[k] {
				t.Errorf("%s %s = %d, want %s", id, k, v, g[k])
			}
		}
		for k, v := range map[string]float64{
			"mean_erbb2": a.MeanERBB2, "mean_cep17": a.MeanCEP17, "ratio": a.Ratio, "mean_cell_ratio": a.MeanCellRatio,
			"pct_amplified": a.PctAmplified, "fraction_nonamplified": a.FractionNonAmplified, "sd_erbb2": a.SDERBB2,
			"cv_erbb2": a.CVERBB2, "sd_ratio": a.SDRatio, "cv_ratio": a.CVRatio, "shannon": a.Shannon,
		} {
			closeTo(t, id+" "+k, g[k], v, rel)
		}
		grp := "NA"
		if a.Group2018 > 0 {
			grp = strconv.Itoa(a.Group2018)
		}
		if grp != g["group_2018"] || yesNo(a.Called) != g["called"] || yesNo(a.Heterogeneous) != g["het"] || yesNo(a.Negative) != g["negative"] {
			t.Errorf("%s: group %s called %v het %v negative %v; golden %v", id, grp, a.Called, a.Heterogeneous, a.Negative, g)
		}
	}
	tg := readGolden(t, "testdata/tumours_golden.tsv")
	if len(tg) != len(r.Tumours) {
		t.Fatalf("%d tumours, golden %d", len(r.Tumours), len(tg))
	}
	for i, g := range tg {
		u := r.Tumours[i]
		id := u.Sample + "/" + u.Timepoint
		het := map[HetCall]string{HetYes: "1", HetNo: "0", HetNA: "NA"}[u.Het]
		if het != g["het"] || strconv.Itoa(u.NAreas) != g["n_areas"] || strconv.Itoa(u.NCalled) != g["n_called"] {
			t.Errorf("%s: het %s areas %d called %d; golden %v", id, het, u.NAreas, u.NCalled, g)
		}
		for k, v := range map[string]float64{"mean_erbb2": u.MeanERBB2, "ratio": u.Ratio, "fraction_nonamplified": u.FractionNonAmplified,
			"sd_ratio": u.SDRatio, "shannon": u.Shannon} {
			closeTo(t, id+" "+k, g[k], v, rel)
		}
	}
}
