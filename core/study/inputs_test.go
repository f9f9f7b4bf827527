package study

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/fish"
)

func TestRunExpressionOnly(t *testing.T) {
	s := makeSynth(t, 3, 12)
	in := &Inputs{}
	// log-CPM-like expression: log2(count + 1), written with decimals.
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(s.Counts), "\n") {
		f := strings.Split(line, "\t")
		if i > 0 {
			for k := 1; k < len(f); k++ {
				var c float64
				fmt.Sscan(f[k], &c)
				f[k] = fmt.Sprintf("%.4f", math.Log2(c+1.5))
			}
		}
		b.WriteString(strings.Join(f, "\t") + "\n")
	}
	for _, f := range []struct{ n, t string }{{"logcpm.tsv", b.String()}, {"samples.tsv", s.Samples}} {
		fs, err := in.Add(f.n, strings.NewReader(f.t), nil)
		if err != nil {
			t.Fatal(err)
		}
		if f.n == "logcpm.tsv" && fs.Kind != KindExpression {
			t.Fatalf("kind %s", fs.Kind)
		}
	}
	p := testParams()
	res, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Section("de"); s.Skipped == "" {
		t.Errorf("DE should be skipped without counts")
	}
	for _, id := range []string{"qc", "amplicon", "pathways", "immune", "response"} {
		if s := res.Section(id); s.Skipped != "" {
			t.Errorf("%s skipped: %s", id, s.Skipped)
		}
	}
}

func TestRunFISHOnly(t *testing.T) {
	s := makeSynth(t, 3, 12)
	in := &Inputs{}
	if _, err := in.Add("cells.tsv", strings.NewReader(s.FISH), nil); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), in, testParams(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fs := res.Section("fish")
	if fs.Skipped != "" || !strings.Contains(fs.Summary, "12 tumours") {
		t.Fatalf("fish section: %+v", fs.Summary+fs.Skipped)
	}
	for _, id := range []string{"qc", "amplicon", "de", "response"} {
		if res.Section(id).Skipped == "" {
			t.Errorf("%s should be skipped without expression", id)
		}
	}
}

func TestRunWithoutSheetAndNoData(t *testing.T) {
	s := makeSynth(t, 3, 12)
	in := &Inputs{}
	if _, err := Run(context.Background(), in, testParams(), nil); err == nil {
		t.Fatal("empty inputs accepted")
	}
	if _, err := in.Add("counts.tsv", strings.NewReader(s.Counts), nil); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), in, testParams(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Section("qc").Skipped != "" {
		t.Errorf("QC needs no sheet")
	}
	if res.Section("amplicon").Skipped == "" {
		t.Errorf("group analyses need a sheet")
	}
	p := testParams()
	p.FDR = 2
	if _, err := Run(context.Background(), in, p, nil); err == nil {
		t.Errorf("invalid params accepted")
	}
}

func TestRunCancelled(t *testing.T) {
	s := makeSynth(t, 3, 12)
	in := loadSynth(t, s, false)
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	_, err := Run(ctx, in, testParams(), func(step string, f float64) {
		steps++
		if steps == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func TestHETFromFISHWhenSheetLacksIt(t *testing.T) {
	s := makeSynth(t, 5, 12)
	// Drop the HET column from the sheet.
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(s.Samples), "\n") {
		f := strings.Split(line, "\t")
		b.WriteString(strings.Join(f[:len(f)-1], "\t") + "\n")
	}
	in := &Inputs{}
	for _, f := range []struct{ n, t string }{{"counts.tsv", s.Counts}, {"samples.tsv", b.String()}, {"cells.tsv", s.FISH}} {
		if _, err := in.Add(f.n, strings.NewReader(f.t), nil); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), in, testParams(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range res.Patients.Rows {
		if r[3] == "1" {
			n++
			if r[1] != GroupHETnopCR {
				t.Errorf("patient %s HET from FISH but group %s", r[0], r[1])
			}
		}
	}
	if n != 2 {
		t.Fatalf("%d HET patients from FISH, want 2", n)
	}
}

func TestPCAOutlier(t *testing.T) {
	// 30 samples on a line plus one far away on a second axis.
	genes := []string{"g1", "g2", "g3", "g4"}
	var samples []string
	for j := 0; j < 31; j++ {
		samples = append(samples, fmt.Sprintf("s%02d", j))
	}
	m := dataset.NewMatrix(dataset.Expression, genes, samples)
	for j := 0; j < 30; j++ {
		x := float64(j%10) - 4.5
		m.Set(0, j, x)
		m.Set(1, j, -x)
		m.Set(2, j, 0.01*float64(j%3))
		m.Set(3, j, 0.01*float64(j%2))
	}
	m.Set(0, 30, 0)
	m.Set(1, 30, 0)
	m.Set(2, 30, 100)
	m.Set(3, 30, 100)
	p, err := SamplePCA(m, []int{0, 1, 2, 3}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.Explained[0]+p.Explained[1]-1) > 1e-6 {
		t.Errorf("explained %v", p.Explained)
	}
	out := p.Outliers(5)
	for j, o := range out {
		if o != (j == 30) {
			t.Errorf("sample %d outlier %v", j, o)
		}
	}
	if _, err := SamplePCA(m.SubsetCols([]int{0, 1}), []int{0, 1}, 2); err == nil {
		t.Errorf("PCA of 2 samples accepted")
	}
}

func TestAddSpotFolder(t *testing.T) {
	fsys := fstest.MapFS{
		"spots/PR-S1_core_1_Series001_ch00.txt": {Data: []byte("1,2\n2,2\n3,1\n")},
		"spots/PR-S1_core_1_Series001_ch02.txt": {Data: []byte("1,8\n2,2\n3,6\n")},
	}
	in := &Inputs{}
	fs, err := in.AddSpotFolder(fsys, "spots", fish.SpotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fs.Kind != KindFISHSpots || fs.Rows != 3 || len(fs.SHA256) != 64 {
		t.Fatalf("summary %+v", fs)
	}
	if _, err := in.AddSpotFolder(fstest.MapFS{"x/readme.txt": {Data: []byte("x")}}, "x", fish.SpotOptions{}); err == nil {
		t.Fatal("folder without spot files accepted")
	}
	if len(in.Files) != 1 || len(in.cells) != 3 {
		t.Fatalf("inputs changed by a failed call: %d files, %d cells", len(in.Files), len(in.cells))
	}
}

func TestPerBiopsy(t *testing.T) {
	s := makeSynth(t, 9, 12)
	in := loadSynth(t, s, false)
	p := testParams()
	p.PerBiopsy = true
	res, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	kw := testRow(res, "amplicon", "ERBB2", "")
	if kw == nil || kw.N <= 12 {
		t.Fatalf("per-biopsy ERBB2 test should use more than 12 observations: %+v", kw)
	}
	if len(res.Patients.Rows) != 12 {
		t.Fatalf("patients.tsv rows %d", len(res.Patients.Rows))
	}
}

func TestSniffFISH(t *testing.T) {
	cases := []struct{ head, want string }{
		{"sample\tERBB2\tCEP17\n", KindFISHCells},
		{"# comment\npatientID,cell,HER2\n", KindFISHCells},
		{"sample;mean_erbb2;ratio\n", KindFISHCases},
		{"sampleID\tpatientID\tHER2 IHC\tpCR\n", ""},
		{"gene\ts1\ts2\n", ""},
		{"", ""},
		// Per-cell tables that lack one column are still FISH (core/fish names the
		// missing column), not count matrices of sample IDs.
		{"sample\tcell\tCEP17\n", KindFISHCells},
		{"area\tcell\tERBB2\tCEP17\n", KindFISHCells},
		{"cell,HER2,CEN17\n", KindFISHCells},
		// Summaries without a sample column.
		{"mean HER2\tmean CEP17\tHER2/CEP17 ratio\n", KindFISHCases},
		// Not FISH: a samples x genes expression table and sheets with one HER2 column.
		{"sample\tERBB2\tGRB7\tESR1\n", ""},
		{"sampleID\tpatientID\tHER2\tpCR\n", ""},
		// A sample sheet with a patient's FISH ratio is a sample sheet; a summary with
		// a clinical column and its mean ERBB2 is FISH.
		{"sampleID\tpatientID\tHER2/CEP17 ratio\tpCR\tHET\n", ""},
		{"sample\tmean HER2\tHER2/CEP17 ratio\tpCR\n", KindFISHCases},
	}
	for _, c := range cases {
		if got := sniffFISH([]byte(c.head)); got != c.want {
			t.Errorf("sniffFISH(%q) = %q, want %q", c.head, got, c.want)
		}
	}
}

func TestDESeq2Option(t *testing.T) {
	s := makeSynth(t, 11, 18)
	in := loadSynth(t, s, false)
	p := testParams()
	p.DEMethod = "deseq2"
	res, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	de := res.Section("de")
	if de.Skipped != "" {
		t.Fatal(de.Skipped)
	}
	found := false
	for _, tb := range de.Tables {
		if tb.ID == "de-pcr-top" {
			if tb.Columns[1] != "log2FoldChange" {
				t.Fatalf("columns %v", tb.Columns)
			}
			for _, r := range tb.Rows {
				if r[0] == "ERBB2" {
					fc, _ := strconv.ParseFloat(r[1], 64)
					q, _ := strconv.ParseFloat(r[5], 64)
					found = fc > 0.5 && q < 0.05
				}
			}
		}
	}
	if !found {
		t.Errorf("ERBB2 not up in pCR by DESeq2")
	}
	if !strings.Contains(res.Methods, "DESeq2") {
		t.Errorf("methods do not mention DESeq2")
	}
}

func TestTreatmentProjection(t *testing.T) {
	d := [][]float64{{1, 0}, {1, 0}, {0.25, 0}, {0, 1}}
	got := treatmentProjection(d)
	// Direction without patient 0: mean of {1,0},{0.25,0},{0,1} = (1.25/3, 1/3).
	s := []float64{1.25 / 3, 1.0 / 3}
	want0 := (1 * s[0]) / math.Hypot(s[0], s[1])
	if math.Abs(got[0]-want0) > 1e-15 {
		t.Fatalf("projection[0] = %g, want %g", got[0], want0)
	}
	if !(got[0] > got[2]) {
		t.Fatalf("a small change should project less: %v", got)
	}
	if p := treatmentProjection([][]float64{{1}}); !math.IsNaN(p[0]) {
		t.Fatalf("single patient: %v", p)
	}
}

func TestJoinNotes(t *testing.T) {
	s := makeSynth(t, 3, 12)
	lines := strings.Split(strings.TrimSpace(s.Samples), "\n")
	sheet := strings.Join(append(lines[:len(lines)-1], "EXTRA_1\tP999\tPre\tpos\tYes\t0"), "\n") + "\n"
	in := &Inputs{}
	for _, f := range []struct{ n, x string }{{"counts.tsv", s.Counts}, {"samples.tsv", sheet}} {
		if _, err := in.Add(f.n, strings.NewReader(f.x), nil); err != nil {
			t.Fatal(err)
		}
	}
	p := testParams()
	p.GSEAPerm = 50
	res, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(res.Section("qc").Notes, "\n")
	if !strings.Contains(notes, "1 matrix columns are not in the sample sheet") || !strings.Contains(notes, "1 sample-sheet rows have no matrix column (first: EXTRA_1)") {
		t.Fatalf("QC notes %q", notes)
	}
}

// TestAddClassifiesFISHGaps: a FISH table missing a required column fails with
// core/fish's message (not loaded as a matrix); a sample sheet with a FISH ratio
// column is a sample sheet.
func TestAddClassifiesFISHGaps(t *testing.T) {
	tests := []struct {
		name, text string
		kind, err  string
	}{
		{"cells.tsv", "sample\tcell\tCEP17\nP01\t1\t2\n", "", "cells.tsv:1:1: no ERBB2 column"},
		{"cells.tsv", "area\tcell\tERBB2\tCEP17\nA1\t1\t4\t2\n", "", "cells.tsv:1:1: no sample column"},
		{"cells.tsv", "sample\tcell\tERBB2\tCEP17\nP01\t1\t4\n", "", "cells.tsv:2:8: row has 3 fields but the header has 4"},
		{"sheet.tsv", "sampleID\tpatientID\tHER2/CEP17 ratio\tpCR\nS1\tP1\t2.5\tYes\nS2\tP2\t1.1\tNo\n", KindSamples, ""},
	}
	for _, tc := range tests {
		var in Inputs
		fs, err := in.Add(tc.name, strings.NewReader(tc.text), nil)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.text, err, tc.err)
			}
			if len(in.Files) != 0 {
				t.Errorf("%q: a failed Add kept %+v", tc.text, in.Files)
			}
			continue
		}
		if err != nil || fs.Kind != tc.kind {
			t.Errorf("%q: kind %q (%v), want %q", tc.text, fs.Kind, err, tc.kind)
		}
	}
}
