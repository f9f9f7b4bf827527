package limma

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
)

// checkSortedTop compares VoomWorkflow's table with a topTable(sort.by = "B",
// number = Inf) golden row by row (order included).
func checkSortedTop(t *testing.T, path string, rows []TopRow) {
	t.Helper()
	l := readLines(t, path)[1:]
	if len(rows) != len(l) {
		t.Fatalf("%d rows, want %d", len(rows), len(l))
	}
	var got, want [6][]float64
	for i, r := range l {
		if rows[i].Gene != r[0] {
			t.Fatalf("row %d: gene %s, want %s", i, rows[i].Gene, r[0])
		}
		vals := []float64{rows[i].LogFC, rows[i].AveExpr, rows[i].T, rows[i].PValue, rows[i].AdjPVal, rows[i].B}
		for k := 0; k < 6; k++ {
			got[k] = append(got[k], vals[k])
			want[k] = append(want[k], parseF(t, r[k+1]))
		}
	}
	checkSlice(t, "logFC", got[0], want[0], tolLogFC)
	checkSlice(t, "AveExpr", got[1], want[1], tol{1e-10, 1e-12})
	checkSlice(t, "t", got[2], want[2], tolT)
	checkSlice(t, "P.Value", got[3], want[3], tol{0, 1e-6})
	checkSlice(t, "adj.P.Val", got[4], want[4], tolAdjP)
	checkSlice(t, "B", got[5], want[5], tol{1e-6, 1e-6})
}

func TestVoomWorkflowGolden(t *testing.T) {
	cases := []struct {
		name, counts, sheet, formula, contrast, block, golden string
		levels                                                map[string][]string
		trend, twice                                          bool
	}{
		{"paired block", "paired_counts.tsv", "paired_samples.tsv", "~ HET", "HET,1,0", "patient", "wf_paired_top.tsv", nil, false, false},
		{"patient+timepoint", "pt_counts.tsv", "pt_samples.tsv", "~ patient + timepoint", "timepoint,Post,PRE", "", "wf_pt_top.tsv",
			map[string][]string{"timepoint": {"pre", "post"}}, false, false},
		{"limma-trend paired block", "paired_counts.tsv", "paired_samples.tsv", "~ HET", "HET,1,0", "patient", "wft_paired_top.tsv", nil, true, false},
		{"voom twice paired block", "paired_counts.tsv", "paired_samples.tsv", "~ HET", "HET,1,0", "patient", "wf2_paired_top.tsv", nil, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			counts := readMatrix(t, "testdata/"+c.counts, dataset.Counts)
			fr := readSheet(t, "testdata/"+c.sheet)
			fr.Levels = c.levels
			res, err := VoomWorkflow(counts, fr, c.formula, c.contrast, &WorkflowOptions{Block: c.block, Trend: c.trend, VoomTwice: c.twice})
			if err != nil {
				t.Fatal(err)
			}
			checkSortedTop(t, "testdata/"+c.golden, res.Table)
			if c.block != "" && res.DupCor == nil {
				t.Error("no duplicateCorrelation with a block")
			}
			if len(res.Defaults) < 6 {
				t.Errorf("defaults: %v", res.Defaults)
			}
			var buf bytes.Buffer
			if err := WriteTopTable(&buf, res.Table[:2]); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(buf.String(), "gene\tlogFC\tAveExpr\tt\tP.Value\tadj.P.Val\tB\n") {
				t.Errorf("header: %q", buf.String())
			}
		})
	}
}

func TestVoomWorkflowErrors(t *testing.T) {
	counts := readMatrix(t, "testdata/paired_counts.tsv", dataset.Counts)
	fr := readSheet(t, "testdata/paired_samples.tsv")
	_, err := VoomWorkflow(counts, fr, "~ patient + HET", "HET,1,0", nil)
	var re *design.RankError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "patient is nested in HET") {
		t.Errorf("nested design: %v", err)
	}
	if _, err := VoomWorkflow(counts, fr, "~ HET", "HET,1,0", &WorkflowOptions{Block: "nosuch"}); err == nil {
		t.Error("unknown block accepted")
	}
	if _, err := VoomWorkflow(counts, fr, "~ HET", "HET,2,0", nil); err == nil {
		t.Error("unknown level accepted")
	}
	bad := readSheet(t, "testdata/paired_samples.tsv")
	bad.Samples[0] = "zz"
	if _, err := VoomWorkflow(counts, bad, "~ HET", "HET,1,0", nil); err == nil {
		t.Error("mismatched samples accepted")
	}
}

func TestExpressionWorkflowTrendBlock(t *testing.T) {
	lc := readMatrix(t, "testdata/trend_logcpm.tsv", dataset.Expression)
	fr := readSheet(t, "testdata/paired_samples.tsv")
	res, err := ExpressionWorkflow(lc, fr, "~ HET", "HET,1,0", &WorkflowOptions{Block: "patient", Trend: true})
	if err != nil {
		t.Fatal(err)
	}
	h := readHyper(t, "testdata/trend_hyper.tsv")
	checkSlice(t, "consensus", []float64{res.DupCor.Consensus}, h["consensus"], tolDupCor)
	checkTop(t, "testdata/trend_top.tsv", res.Fit, res.Coef)
	if res.Table[0].B < res.Table[len(res.Table)-1].B {
		t.Error("table not sorted by B")
	}
}

// TestVoomWorkflowWeightsBuffer: a WeightsBuffer too small for the kept genes
// is dropped (set to nil) before Collect runs, and after voom holds the new
// weights, which a second call of the same shape reuses.
func TestVoomWorkflowWeightsBuffer(t *testing.T) {
	small := make([]float64, 10)
	buf := small
	var atCollect []float64
	o := &WorkflowOptions{WeightsBuffer: &buf, Collect: func() { atCollect = buf }}
	var first *float64
	for k := 0; k < 2; k++ {
		counts := readMatrix(t, "testdata/pt_counts.tsv", dataset.Counts)
		fr := readSheet(t, "testdata/pt_samples.tsv")
		res, err := VoomWorkflow(counts, fr, "~ patient + timepoint", "timepoint,post,pre", o)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			if atCollect != nil {
				t.Errorf("the too small buffer was still set when Collect ran")
			}
			first = &res.Voom.Weights[0]
		} else if &res.Voom.Weights[0] != first || len(atCollect) == 0 {
			t.Errorf("the second call did not reuse the first call's weights")
		}
		if &buf[0] != &res.Voom.Weights[0] {
			t.Errorf("call %d: WeightsBuffer does not hold voom's weights", k)
		}
	}
}

// OverwriteCounts gives bitwise the same table as the default copy, for
// every golden case (voom, limma-trend, voom twice).
func TestVoomWorkflowOverwriteCounts(t *testing.T) {
	cases := []struct {
		counts, sheet, formula, contrast, block string
		trend, twice                            bool
	}{
		{"paired_counts.tsv", "paired_samples.tsv", "~ HET", "HET,1,0", "patient", false, false},
		{"pt_counts.tsv", "pt_samples.tsv", "~ patient + timepoint", "timepoint,post,pre", "", false, false},
		{"paired_counts.tsv", "paired_samples.tsv", "~ HET", "HET,1,0", "patient", true, false},
		{"paired_counts.tsv", "paired_samples.tsv", "~ HET", "HET,1,0", "patient", false, true},
	}
	for _, c := range cases {
		// Plain, overwriting the counts, and also with a weights buffer (NaN
		// filled, so that a weight left unwritten would show).
		var tabs [3][]TopRow
		for k := range tabs {
			counts := readMatrix(t, "testdata/"+c.counts, dataset.Counts)
			fr := readSheet(t, "testdata/"+c.sheet)
			o := &WorkflowOptions{Block: c.block, Trend: c.trend, VoomTwice: c.twice, OverwriteCounts: k > 0}
			var buf []float64
			collected := 0
			if k == 2 {
				buf = make([]float64, len(counts.Data)+7)
				for i := range buf {
					buf[i] = math.NaN()
				}
				o.WeightsBuffer = &buf
				o.Collect = func() { collected++ }
			}
			first := buf
			res, err := VoomWorkflow(counts, fr, c.formula, c.contrast, o)
			if err != nil {
				t.Fatal(err)
			}
			if k == 2 && !c.trend && (&res.Voom.Weights[0] != &first[0] || &buf[0] != &first[0]) {
				t.Errorf("%s: voom's weights are not in WeightsBuffer", c.counts)
			}
			if k == 2 && collected != 1 {
				t.Errorf("%s: Collect called %d times, want 1", c.counts, collected)
			}
			tabs[k] = res.Table
		}
		for k := 1; k < len(tabs); k++ {
			if len(tabs[0]) != len(tabs[k]) {
				t.Fatalf("%s: %d rows, variant %d %d", c.counts, len(tabs[0]), k, len(tabs[k]))
			}
			for i := range tabs[0] {
				if tabs[0][i] != tabs[k][i] {
					t.Fatalf("%s %s: variant %d: row %d differs: %+v vs %+v", c.counts, c.formula, k, i, tabs[0][i], tabs[k][i])
				}
			}
		}
	}
}
