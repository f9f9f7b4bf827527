package study

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

var (
	synthOnce sync.Once
	synthData synth
	synthRes  *Result
	synthErr  error
)

func loadSynth(t testing.TB, s synth, fish bool) *Inputs {
	t.Helper()
	in := &Inputs{}
	files := []struct{ name, text string }{{"counts.tsv", s.Counts}, {"samples.tsv", s.Samples}}
	if fish {
		files = append(files, struct{ name, text string }{"fish_cells.tsv", s.FISH})
	}
	for _, f := range files {
		if _, err := in.Add(f.name, strings.NewReader(f.text), nil); err != nil {
			t.Fatalf("Add(%s): %v", f.name, err)
		}
	}
	return in
}

func testParams() Params {
	p := DefaultParams()
	p.GSEAPerm = 200
	p.Workers = 2
	return p
}

// synthRun runs the study once on the shared synthetic cohort.
func synthRun(t *testing.T) *Result {
	t.Helper()
	synthOnce.Do(func() {
		synthData = makeSynth(t, 42, 36)
		in := loadSynth(t, synthData, true)
		synthRes, synthErr = Run(context.Background(), in, testParams(), nil)
	})
	if synthErr != nil {
		t.Fatal(synthErr)
	}
	return synthRes
}

func TestAddClassifies(t *testing.T) {
	s := makeSynth(t, 1, 6)
	cases := []struct {
		name, text, kind string
	}{
		{"counts.tsv", s.Counts, KindCounts},
		{"samples.tsv", s.Samples, KindSamples},
		{"cells.tsv", s.FISH, KindFISHCells},
		{"cases.csv", "sample,timepoint,mean_erbb2,mean_cep17,pct_amplified,n_cells\nP001,pre,8.1,2.0,90,40\nP002,pre,3.0,2.1,20,40\n", KindFISHCases},
		{"logcpm.tsv", "gene\ts1\ts2\ts3\nERBB2\t1.5\t2.25\t-0.5\nGRB7\t0.1\t0.2\t0.3\n", KindExpression},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &Inputs{}
			fs, err := in.Add(c.name, strings.NewReader(c.text), nil)
			if err != nil {
				t.Fatal(err)
			}
			if fs.Kind != c.kind {
				t.Fatalf("kind %q, want %q", fs.Kind, c.kind)
			}
			if len(fs.SHA256) != 64 || fs.Bytes != int64(len(c.text)) {
				t.Fatalf("bad summary %+v", fs)
			}
		})
	}
}

func TestAddErrorLeavesInputsUnchanged(t *testing.T) {
	s := makeSynth(t, 1, 6)
	in := loadSynth(t, s, false)
	before := len(in.Files)
	bad := []struct{ name, text, want string }{
		{"empty.tsv", "", "empty.tsv:1:0: empty file"},
		{"samples2.tsv", strings.Replace(s.Samples, "sampleID", "sample_id", 1), "samples2.tsv:1:0: a sample sheet was already added"},
		{"again.tsv", s.Counts, "again.tsv:0:0: same content as counts.tsv"},
		{"cells_bad.tsv", "sample\tERBB2\tCEP17\nP1\t3\tx\n", "cells_bad.tsv:2:"},
	}
	for _, b := range bad {
		_, err := in.Add(b.name, strings.NewReader(b.text), nil)
		if err == nil || !strings.HasPrefix(err.Error(), b.want) {
			t.Errorf("%s: error %v, want prefix %q", b.name, err, b.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: multi-line error %q", b.name, err)
		}
	}
	if len(in.Files) != before || in.sheet == nil || len(in.cells) != 0 {
		t.Fatalf("failed Add changed Inputs: %d files (want %d), %d cells", len(in.Files), before, len(in.cells))
	}
}

func TestAddProgress(t *testing.T) {
	s := makeSynth(t, 1, 6)
	var last int64
	in := &Inputs{}
	if _, err := in.Add("counts.tsv", strings.NewReader(s.Counts), func(n int64) { last = n }); err != nil {
		t.Fatal(err)
	}
	if last != int64(len(s.Counts)) {
		t.Fatalf("progress ended at %d, want %d", last, len(s.Counts))
	}
}

func TestParamsValidate(t *testing.T) {
	bad := []func(*Params){
		func(p *Params) { p.Normalisation = "tpm" },
		func(p *Params) { p.OutlierSD = 0 },
		func(p *Params) { p.ScoreMethod = "foo" },
		func(p *Params) { p.FISHRule = "ratio=2" },
		func(p *Params) { p.FDR = 1 },
		func(p *Params) { p.Collections = nil },
		func(p *Params) { p.DEMethod = "edger" },
	}
	for i, f := range bad {
		p := DefaultParams()
		f(&p)
		if p.Validate() == nil {
			t.Errorf("case %d: invalid params accepted", i)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
	p, err := ReadParams("p.json", strings.NewReader(`{"fdr": 0.1, "seed": 7}`))
	if err != nil || p.FDR != 0.1 || p.Seed != 7 || p.OutlierSD != 5 {
		t.Fatalf("ReadParams: %+v %v", p, err)
	}
	if _, err := ReadParams("p.json", strings.NewReader(`{"fdrr": 0.1}`)); err == nil || !strings.HasPrefix(err.Error(), "p.json:1:0: ") {
		t.Fatalf("unknown field: %v", err)
	}
}

func TestRunSections(t *testing.T) {
	res := synthRun(t)
	for _, id := range []string{"qc", "amplicon", "pathways", "pam50", "de", "change", "immune", "fish", "response"} {
		s := res.Section(id)
		if s == nil {
			t.Fatalf("no section %s", id)
		}
		if s.Skipped != "" {
			t.Errorf("section %s skipped: %s", id, s.Skipped)
		}
		if s.Summary == "" {
			t.Errorf("section %s has no summary", id)
		}
	}
	if s := res.Section("spatial"); s == nil || s.Skipped == "" {
		t.Errorf("spatial should be skipped with a reason")
	}
	// Every box point carries its sample and patient.
	for _, f := range res.Figures() {
		if f.Box != nil {
			for _, g := range f.Box.Groups {
				if len(g.Samples) != len(g.Values) || len(g.Patients) != len(g.Values) {
					t.Fatalf("figure %s group %s: marks without sample/patient", f.ID, g.Name)
				}
			}
		}
		if f.ID == "" || f.Kind == "" {
			t.Fatalf("figure without id or kind: %+v", f.Title)
		}
	}
	ids := map[string]bool{}
	for _, f := range res.Figures() {
		if ids[f.ID] {
			t.Errorf("duplicate figure id %s", f.ID)
		}
		ids[f.ID] = true
	}
	for _, tb := range res.Tables() {
		if ids["table:"+tb.ID] {
			t.Errorf("duplicate table id %s", tb.ID)
		}
		ids["table:"+tb.ID] = true
	}
}

func TestPatientsAndTestsTables(t *testing.T) {
	res := synthRun(t)
	p := res.Patients
	want := []string{"patient", "group", "pCR", "HET", "HR", "ERBB2"}
	for i, c := range want {
		if p.Columns[i] != c {
			t.Fatalf("patients.tsv column %d = %q, want %q", i, p.Columns[i], c)
		}
	}
	if len(p.Rows) != 36 {
		t.Fatalf("patients.tsv has %d rows, want 36", len(p.Rows))
	}
	groups := map[string]int{}
	for _, r := range p.Rows {
		groups[r[1]]++
	}
	if groups[GroupNonHETpCR] != 18 || groups[GroupNonHETnopCR] != 12 || groups[GroupHETnopCR] != 6 {
		t.Fatalf("groups %v", groups)
	}
	tt := res.Tests
	if strings.Join(tt.Columns, " ") != "analysis variable groups test statistic pvalue padj n" {
		t.Fatalf("tests.tsv columns %v", tt.Columns)
	}
	if len(tt.Rows) < 100 {
		t.Fatalf("only %d tests", len(tt.Rows))
	}
	for _, r := range tt.Rows {
		p, err := strconv.ParseFloat(r[5], 64)
		if r[5] != "NA" && (err != nil || p < 0 || p > 1) {
			t.Fatalf("bad p-value in %v", r)
		}
	}
}

// TestPatientLevelTestsMatchPatientsTable recomputes the ERBB2 Kruskal-Wallis test
// from patients.tsv: the test must use exactly the values the table reports.
func TestPatientLevelTestsMatchPatientsTable(t *testing.T) {
	res := synthRun(t)
	vals := map[string][]float64{}
	for _, r := range res.Patients.Rows {
		v, _ := strconv.ParseFloat(r[5], 64)
		vals[r[1]] = append(vals[r[1]], v)
	}
	var gs [][]float64
	var names []string
	for _, g := range []string{GroupNonHETpCR, GroupNonHETnopCR, GroupHETnopCR} {
		gs = append(gs, vals[g])
		names = append(names, g)
	}
	rows := groupTests("amplicon", "ERBB2", names, gs)
	var got *TestRow
	for _, tr := range res.Section("amplicon").Tests {
		if tr.Variable == "ERBB2" && tr.Test == "Kruskal-Wallis" {
			tr := tr
			got = &tr
			break
		}
	}
	if got == nil || rows[0].Statistic != got.Statistic || rows[0].PValue != got.PValue {
		t.Fatalf("ERBB2 KW from patients.tsv %+v, run %+v", rows[0], got)
	}
}

func TestDeterministic(t *testing.T) {
	res := synthRun(t)
	in := loadSynth(t, synthData, true)
	p := testParams()
	p.Workers = 1
	res2, err := Run(context.Background(), in, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	t1, t2 := res.Tables(), res2.Tables()
	if len(t1) != len(t2) {
		t.Fatalf("%d vs %d tables", len(t1), len(t2))
	}
	for i := range t1 {
		var a, b bytes.Buffer
		WriteTSV(&a, t1[i])
		WriteTSV(&b, t2[i])
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("table %s differs between runs (workers 2 vs 1)", t1[i].ID)
		}
	}
}

func cell(t *testing.T, tab plotdata.Table, col string, row []string) string {
	for i, c := range tab.Columns {
		if c == col {
			return row[i]
		}
	}
	t.Fatalf("table %s has no column %s", tab.ID, col)
	return ""
}

func testRow(res *Result, analysis, variable, groups string) *TestRow {
	for _, tr := range res.AllTests() {
		if tr.Analysis == analysis && tr.Variable == variable && (groups == "" || tr.Groups == groups) {
			tr := tr
			return &tr
		}
	}
	return nil
}

func TestSynthFindings(t *testing.T) {
	res := synthRun(t)
	// ERBB2 differs by group, highest in non-HET/pCR.
	kw := testRow(res, "amplicon", "ERBB2", "")
	if kw == nil || kw.PValue > 0.01 {
		t.Fatalf("ERBB2 by group: %+v", kw)
	}
	if pw := testRow(res, "amplicon", "ERBB2", GroupNonHETpCR+" vs "+GroupHETnopCR); pw == nil || pw.PAdj > 0.05 || math.IsNaN(pw.PAdj) {
		t.Fatalf("ERBB2 pCR vs HET pairwise: %+v", pw)
	}
	// FISH: HET tumours called and HET taken from the sheet agrees.
	fs := res.Section("fish")
	if !strings.Contains(fs.Summary, "6 HET") {
		t.Errorf("FISH summary %q: want 6 HET tumours", fs.Summary)
	}
	// DE pCR vs no pCR finds ERBB2 up.
	var found bool
	for _, tb := range res.Section("de").Tables {
		if tb.ID != "de-pcr-top" {
			continue
		}
		for _, r := range tb.Rows {
			if r[0] == "ERBB2" {
				fc, _ := strconv.ParseFloat(r[1], 64)
				q, _ := strconv.ParseFloat(r[5], 64)
				found = fc > 0.5 && q < 0.05
			}
		}
	}
	if !found {
		t.Errorf("ERBB2 not up in pCR in the DE top table")
	}
	// Treatment change larger in non-HET than HET.
	if d := testRow(res, "treatment change", "pre_post_distance", ""); d == nil {
		t.Errorf("no pre-post distance test")
	}
	// Immune higher with pCR.
	if im := testRow(res, "immune by pCR", "T cells", ""); im == nil || im.PValue > 0.05 {
		t.Errorf("T cells by pCR: %+v", im)
	}
}

func TestResultJSON(t *testing.T) {
	res := synthRun(t)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	a, c := res.AllTests(), back.AllTests()
	if len(a) != len(c) {
		t.Fatalf("%d tests after the round trip, want %d", len(c), len(a))
	}
	for i := range a {
		same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
		if !same(a[i].PValue, c[i].PValue) || !same(a[i].PAdj, c[i].PAdj) || !same(a[i].Statistic, c[i].Statistic) || a[i].Variable != c[i].Variable {
			t.Fatalf("test %d changed in the JSON round trip: %+v vs %+v", i, a[i], c[i])
		}
	}
}
