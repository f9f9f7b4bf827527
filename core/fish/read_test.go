package fish

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCellReaderSynonyms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Cell
	}{
		{"tsv with standard names",
			"sample\tarea\tsite\ttimepoint\tcell\tERBB2\tCEP17\tx\ty\n" +
				"P1\tA1\tS1\tpre\t1\t8\t4\t10.5\t20\n" +
				"P1\tA1\tS1\tpre\t2\t3\t0\tNA\t\n",
			[]Cell{
				{Sample: "P1", Area: "A1", Site: "S1", Timepoint: "pre", ID: "1", ERBB2: 8, CEP17: 4, X: 10.5, Y: 20, IHC: IHCUnknown},
				{Sample: "P1", Area: "A1", Site: "S1", Timepoint: "pre", ID: "2", ERBB2: 3, CEP17: 0, X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown},
			}},
		{"csv with synonyms, BOM, comment and blank line, CRLF",
			"\xef\xbb\xbf# exported by scorer\r\nPatient ID,Field,Biopsy site,HER2 signals,CEP17 Signals,Nucleus,IHC score\r\n" +
				"\r\nPT-7,f2,core 1,12,\"3\",n9,2+\r\n",
			[]Cell{{Sample: "PT-7", Area: "f2", Site: "core 1", ID: "n9", ERBB2: 12, CEP17: 3, X: math.NaN(), Y: math.NaN(), IHC: 2}}},
		{"semicolon, single probe (no CEP17), no cell id",
			"case;HER2_copies\nC1;6\n",
			[]Cell{{Sample: "C1", ID: "line2", ERBB2: 6, CEP17: math.NaN(), X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown}}},
		{"synonym priority: site over core, ERBB2 over HER2",
			"patient,core,site,HER2,ERBB2,image\nP,C1,S2,9,4,i\n",
			[]Cell{{Sample: "P", Site: "S2", Area: "i", ID: "line2", ERBB2: 4, CEP17: math.NaN(), X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown}}},
		{"missing ERBB2 count is NaN", "sample,erbb2,cep17\ns,NA,2\n",
			[]Cell{{Sample: "s", ID: "line2", ERBB2: math.NaN(), CEP17: 2, X: math.NaN(), Y: math.NaN(), IHC: IHCUnknown}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCells(strings.NewReader(tc.in), "t.tsv")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d cells, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if !sameCell(got[i], tc.want[i]) {
					t.Errorf("cell %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func sameF(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func sameCell(a, b Cell) bool {
	return a.Sample == b.Sample && a.Timepoint == b.Timepoint && a.Site == b.Site && a.Area == b.Area && a.ID == b.ID &&
		sameF(a.ERBB2, b.ERBB2) && sameF(a.CEP17, b.CEP17) && sameF(a.X, b.X) && sameF(a.Y, b.Y) && a.IHC == b.IHC
}

func TestCellReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the full error text
	}{
		{"empty file", "", "c.tsv:1:1: empty file: no header line"},
		{"no ERBB2 column", "sample\tcep17\ns\t2\n", "c.tsv:1:1: no ERBB2 column"},
		{"no sample column", "erbb2\tcep17\n4\t2\n", "c.tsv:1:1: no sample column"},
		{"bad number", "sample\terbb2\tcep17\ns\t4\t2\ns\tfour\t2\n", `c.tsv:3:3: ERBB2 count "four" is not a number`},
		{"negative count", "sample,erbb2,cep17\ns,4,-1\n", `c.tsv:2:5: CEP17 count "-1" is negative`},
		{"infinite count", "sample,erbb2,cep17\ns,Inf,1\n", `c.tsv:2:3: ERBB2 count "Inf" is not a number`},
		{"empty sample", "sample,erbb2\n,4\n", "c.tsv:2:1: empty sample"},
		{"duplicate column", "sample,her2,ERBB2,erbb2\ns,1,2,3\n", `c.tsv:1:19: column "erbb2" repeats the ERBB2 column "ERBB2"`},
		{"bad IHC", "sample,erbb2,ihc\ns,1,5+\n", `c.tsv:2:5: IHC score "5+" is not one of 0, 1+, 2+, 3+`},
		{"bad coordinate", "sample,erbb2,x\ns,1,abc\n", `c.tsv:2:5: coordinate "abc" is not a number`},
		{"short row", "sample\tcell\tERBB2\tCEP17\nP01\t1\t4\t2\nP01\t2\t5\n",
			`c.tsv:3:8: row has 3 fields but the header has 4: no value for "CEP17" (write NA`},
		{"short row, two missing", "sample,erbb2,cep17,x\ns,4\n", `c.tsv:2:4: row has 2 fields but the header has 4: no value for "cep17", "x"`},
		{"long row", "sample,erbb2,cep17\ns,4,2,7\n", `c.tsv:2:7: row has 4 fields but the header has 3: value "7" has no column`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCells(strings.NewReader(tc.in), "c.tsv")
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want prefix %q", err, tc.want)
			}
		})
	}
	// A trailing delimiter (an empty field past the header) is not an error.
	if cells, err := ReadCells(strings.NewReader("sample,erbb2,cep17\ns,4,2,\n"), "c.csv"); err != nil || len(cells) != 1 || cells[0].CEP17 != 2 {
		t.Errorf("trailing delimiter: %v %+v", err, cells)
	}
	cr := NewCellReader(strings.NewReader("sample,her2\ns,3\n"), "c.csv")
	if _, err := cr.Read(); err != nil || cr.HasCEP17() {
		t.Errorf("single-probe table: %v, HasCEP17 %v", err, cr.HasCEP17())
	}
	// The reader keeps returning its error.
	r := NewCellReader(strings.NewReader("sample,erbb2\ns,x\ns,1\n"), "c.csv")
	_, err1 := r.Read()
	_, err2 := r.Read()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors %v then %v", err1, err2)
	}
}

// TestCellsRoundTrip: cells.tsv written by WriteCells reads back with NewCellReader
// and summarises to the same numbers.
func TestCellsRoundTrip(t *testing.T) {
	cells := benchCells(3000)
	cells[5].CEP17 = math.NaN()
	cells[6].ERBB2 = math.NaN()
	r := mustSummarise(t, cells, DefaultOptions())
	var b strings.Builder
	if err := WriteCells(&b, cells, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCells(strings.NewReader(b.String()), "cells.tsv")
	if err != nil {
		t.Fatal(err)
	}
	r2 := mustSummarise(t, back, DefaultOptions())
	if len(back) != len(cells) || len(r2.Areas) != len(r.Areas) {
		t.Fatalf("%d cells %d areas back", len(back), len(r2.Areas))
	}
	for i := range r.Areas {
		a, c := r.Areas[i], r2.Areas[i]
		if a.NCells != c.NCells || a.Ratio != c.Ratio || a.SDERBB2 != c.SDERBB2 || a.Shannon != c.Shannon || a.Call != c.Call {
			t.Errorf("area %d differs after round trip", i)
		}
	}
}

func TestCaseReaderAndCalls(t *testing.T) {
	in := "sample\ttimepoint\tarea\tHER2 per cell\tCEP17 per cell\tHER2/CEP17 ratio\t% amplified\tcells counted\tIHC\n" +
		"P1\tpre\tA\t8\t4\tNA\t100\t40\tNA\n" + // ratio from means = 2.0 exactly -> group 1
		"P1\tpre\tB\t5\t3\t\t5\t20\t\n" + // exactly 5%: not heterogeneous; group 4
		"P2\tpre\tA\t3\t2\t1.5\t30\t19\t\n" + // 19 cells: insufficient
		"P2\tpre\tB\t4\t3\t\t6\t60\t2+\n" + // heterogeneous; group 4 with IHC 2+ -> negative
		"P3\tpost\t\t3\t2\t\t\t\t\n" // per-case, group 5, no % amplified, no cells
	cases, err := ReadCases(strings.NewReader(in), "cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 5 || cases[0].NCells != 40 || !math.IsNaN(cases[0].Ratio) || cases[3].IHC != 2 || cases[4].NCells != -1 || cases[1].Line != 3 {
		t.Fatalf("cases %+v", cases)
	}
	res, err := CallCases(cases, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ratio  float64
		group  int
		status Status
		call   string
	}{
		{2, 1, StatusPositive, "amplified"},
		{5.0 / 3, 4, StatusIHCNeeded, "non-amplified"},
		{1.5, 5, StatusNegative, "insufficient"},
		{4.0 / 3, 4, StatusNegative, "heterogeneous"},
		{1.5, 5, StatusNegative, "HER2-negative"},
	}
	for i, w := range want {
		c := res.Cases[i]
		if c.Ratio != w.ratio || c.Group2018 != w.group || c.Status != w.status || c.Call != w.call {
			t.Errorf("case %d: ratio %v group %d status %v call %q; want %v %d %v %q", i, c.Ratio, c.Group2018, c.Status, c.Call, w.ratio, w.group, w.status, w.call)
		}
	}
	if len(res.Tumours) != 3 || res.Tumours[0].Het != HetNo || res.Tumours[1].Het != HetYes || res.Tumours[2].Het != HetYes {
		t.Errorf("tumours %+v", res.Tumours)
	}
	if nc, _ := CallCases([]Case{{Sample: "x", MeanERBB2: 8, Ratio: 3, PctAmplified: math.NaN(), NCells: 30, IHC: IHCUnknown}}, DefaultOptions()); nc.Tumours[0].Het != HetNo ||
		!strings.Contains(nc.Tumours[0].Reason, "no % amplified given") {
		t.Errorf("no %% amplified: %+v", nc.Tumours[0])
	}
	if res.Tumours[2].Group2018 != 5 || res.Tumours[2].Status != StatusNegative {
		t.Errorf("single-row tumour %+v", res.Tumours[2].Summary)
	}
	var b strings.Builder
	if err := WriteCases(&b, res); err != nil || !strings.Contains(b.String(), "P2\tpre\tNA\tB\t60\t4\t3\t1.3333333333333333\t6\t4\tequivocal\t2+\tnegative\theterogeneous") {
		t.Errorf("WriteCases: %v\n%s", err, b.String())
	}
	b.Reset()
	if err := WriteCaseTumours(&b, res); err != nil || !strings.Contains(b.String(), "P3\tpost\t1\t1\t1\t1\tHET: the sample HER2-negative (ASCO/CAP 2018 group 5") {
		t.Errorf("WriteCaseTumours: %v\n%s", err, b.String())
	}
	// Longer spellings of a pathology report.
	cs, err := ReadCases(strings.NewReader("Case ID,Average HER2 copy number per cell,Average CEP17 copy number per cell,HER2/CEP17 ratio,Cells counted\nR1,6.5,2.5,2.6,40\n"), "r.csv")
	if err != nil || len(cs) != 1 || cs[0].MeanERBB2 != 6.5 || cs[0].MeanCEP17 != 2.5 || cs[0].Ratio != 2.6 || cs[0].NCells != 40 {
		t.Errorf("report spellings: %+v %v", cs, err)
	}
	// Fractions are turned into percentages; above 100% is an error.
	cs, err = ReadCases(strings.NewReader("sample,mean_erbb2,fraction_amplified\ns,5,0.25\n"), "f.csv")
	if err != nil || cs[0].PctAmplified != 25 {
		t.Errorf("fraction: %+v %v", cs, err)
	}
	if _, err := ReadCases(strings.NewReader("sample,mean_erbb2,pct_amplified\ns,5,101\n"), "f.csv"); err == nil || !strings.HasPrefix(err.Error(), "f.csv:2:") {
		t.Errorf("pct > 100: %v", err)
	}
	if _, err := ReadCases(strings.NewReader("sample,mean_erbb2,n_cells\ns,5,20.5\n"), "f.csv"); err == nil || !strings.HasPrefix(err.Error(), "f.csv:2:") {
		t.Errorf("fractional cells: %v", err)
	}
}

func spotFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

func TestReadSpotCountsStyles(t *testing.T) {
	fsys := spotFS(map[string]string{
		// Style 1 (trial cohort), " copy" on some channels only.
		"Log_MAX_AG-0008_S1_C2_Series005_z6_ch00 copy.txt":    "1 , 2\n2 , 0\n3 , 1\n",
		"Log_MAX_AG-0008_S1_C2_Series005_z6_ch01 copy.txt":    "1 , 9\n",
		"Log_MAX_AG-0008_S1_C2_Series005_z6_ch02.txt":         "1 , 8\n2 , 3\n3 , 2\n",
		"Log_MAX_AG-0008_S1_C2_Series005_z6_ch04_xy copy.txt": "1 , 422 , 7\n2 , 554 , 78\n3 , 1 , 2\n",
		// Style 2 (PR/PO), all " copy", nucleus 2 missing from CEP17.
		"Log_MAX_PR-0040_BM_05_Series007_z6_ch00 copy.txt": "1 , 1\n3 , 1\n",
		"Log_MAX_PR-0040_BM_05_Series007_z6_ch02 copy.txt": "1 , 2\n2 , 4\n3 , 6\n",
		"Log_MAX_PO-0040_BO_65_Series008_z6_ch02 copy.txt": "10 , 5\n9 , 1\n",
		"README.md": "not a spot file",
	})
	set, err := ReadSpotCounts(fsys, SpotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pre, err := ReadSpotCounts(fsys, SpotOptions{DefaultTimepoint: "pre"}); err != nil || pre.Images[0].Timepoint != "pre" || pre.Images[1].Timepoint != "post" {
		t.Errorf("DefaultTimepoint: %v %+v", err, pre.Images)
	}
	if len(set.Images) != 3 || len(set.Cells) != 8 {
		t.Fatalf("%d images %d cells: %+v", len(set.Images), len(set.Cells), set.Images)
	}
	im := set.Images[0]
	if im.Sample != "AG-0008" || im.Site != "S1" || im.Area != "C2_Series005" || im.Timepoint != "" || im.NNuclei != 3 {
		t.Errorf("style 1 image %+v", im)
	}
	c := set.Cells[0]
	if c.ERBB2 != 8 || c.CEP17 != 2 || c.X != 422 || c.Y != 7 || c.ID != "1" {
		t.Errorf("first cell %+v", c)
	}
	// PO sorts before PR; nuclei sorted numerically (9 before 10).
	po := set.Images[1]
	if po.Sample != "0040" || po.Timepoint != TimepointPost || po.Site != "BO_65" || po.Area != "Series008" {
		t.Errorf("PO image %+v", po)
	}
	if set.Cells[3].ID != "9" || set.Cells[4].ID != "10" || !math.IsNaN(set.Cells[3].CEP17) {
		t.Errorf("PO cells %+v %+v", set.Cells[3], set.Cells[4])
	}
	pr := set.Images[2]
	if pr.Timepoint != TimepointPre || pr.Sample != "0040" {
		t.Errorf("PR image %+v", pr)
	}
	if !math.IsNaN(set.Cells[6].CEP17) || set.Cells[6].ERBB2 != 4 {
		t.Errorf("nucleus missing from CEP17: %+v", set.Cells[6])
	}
	joined := strings.Join(set.Warnings, "\n")
	for _, w := range []string{"no CEP17 file: no ratios", "1 nuclei missing from the CEP17 file"} {
		if !strings.Contains(joined, w) {
			t.Errorf("warnings lack %q:\n%s", w, joined)
		}
	}
	if len(set.Ignored) != 2 {
		t.Errorf("ignored %v, want ch01 and README", set.Ignored)
	}
	r := mustSummarise(t, set.Cells, DefaultOptions())
	if len(r.Tumours) != 3 || len(r.Changes) != 1 || r.Changes[0].Sample != "0040" {
		t.Errorf("tumours %d changes %+v", len(r.Tumours), r.Changes)
	}
}

func TestReadSpotCountsOptions(t *testing.T) {
	fsys := spotFS(map[string]string{
		"run1/img_A_ch1.txt":      "nucleus,count\n1,3\n2,4\n",
		"run1/img_A_ch2.txt":      "nucleus\tcount\n1\t1\n2\t2\n",
		"run1/img_B_ch2.txt":      "1 7\n",
		"run1/img_B_ch2 copy.txt": "1 7\n",
	})
	re, err := CompileSpotPattern(`^img_(?P<sample>[A-Z])_(?P<channel>ch\d)(?: copy)?\.txt$`)
	if err != nil {
		t.Fatal(err)
	}
	chans, err := ParseChannels("CH1=HER2, ch2=chr17, ch4_xy=XY")
	if err != nil {
		t.Fatal(err)
	}
	set, err := ReadSpotCounts(fsys, SpotOptions{Dir: "run1", Pattern: re, Channels: chans})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Images) != 2 || set.Cells[1].ERBB2 != 4 || set.Cells[1].CEP17 != 2 || set.Images[0].Area != "img_A" {
		t.Fatalf("images %+v cells %+v", set.Images, set.Cells)
	}
	if !strings.Contains(strings.Join(set.Warnings, "\n"), "two CEP17 files") || set.Images[1].Files[RoleCEP17] != "run1/img_B_ch2.txt" {
		t.Errorf("duplicate handling: %v %v", set.Warnings, set.Images[1].Files)
	}
	for _, bad := range []string{"ch1=ERBB2,ch2=ERBB2", "ch2=CEP17", "ch1", "ch1=DAPI", "ch1=ERBB2,ch1=CEP17", "ch4=ERBB2,ch4_xy=XY"} {
		if _, err := ParseChannels(bad); err == nil {
			t.Errorf("ParseChannels(%q) accepted", bad)
		}
	}
	for _, bad := range []string{`(?P<sample>x)`, `(?P<channel>x)`, `(`} {
		if _, err := CompileSpotPattern(bad); err == nil {
			t.Errorf("CompileSpotPattern(%q) accepted", bad)
		}
	}
}

func TestReadSpotCountsErrors(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"bad count", "1 , 2\n2 , x\n", `Log_MAX_AG-0001_S1_C1_Series001_z6_ch02.txt:2:5: "x" is not a number`},
		{"negative", "1 , -2\n", `Log_MAX_AG-0001_S1_C1_Series001_z6_ch02.txt:1:5: count "-2" is negative`},
		{"three fields", "1 , 2\n2 , 3 , 4\n", `Log_MAX_AG-0001_S1_C1_Series001_z6_ch02.txt:2:1: want 2 fields (nucleus id, count), got 3`},
		{"duplicate nucleus", "1 , 2\n1 , 3\n", `Log_MAX_AG-0001_S1_C1_Series001_z6_ch02.txt:2:1: nucleus "1" repeats line 1`},
		{"empty id", " , 3\n", `Log_MAX_AG-0001_S1_C1_Series001_z6_ch02.txt:1:2: empty nucleus id`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := spotFS(map[string]string{"Log_MAX_AG-0001_S1_C1_Series001_z6_ch02.txt": tc.content})
			_, err := ReadSpotCounts(fsys, SpotOptions{})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestWriters(t *testing.T) {
	cells := append(area("p1", "pre", "S1", "a", 21, 3), negArea("p1", "post", "", "r", 20)...)
	cells[0].CEP17 = 0
	r := mustSummarise(t, cells, DefaultOptions())
	check := func(name string, write func(io.Writer) error, header string, rows int, contains ...string) {
		t.Helper()
		var b strings.Builder
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if !strings.HasPrefix(lines[0], header) || len(lines) != rows+1 {
			t.Errorf("%s: header %q, %d rows\n%s", name, lines[0], len(lines)-1, b.String())
		}
		ncol := strings.Count(lines[0], "\t")
		for i, l := range lines {
			if strings.Count(l, "\t") != ncol {
				t.Errorf("%s line %d has %d tabs, header %d", name, i+1, strings.Count(l, "\t"), ncol)
			}
		}
		for _, c := range contains {
			if !strings.Contains(b.String(), c) {
				t.Errorf("%s lacks %q", name, c)
			}
		}
	}
	check("cells", func(w io.Writer) error { return WriteCells(w, cells, r) },
		"sample\ttimepoint\tsite\tarea\tcell\terbb2\tcep17\tratio\tamplified\tcopy_class\texcluded\treason\tx\ty", 41,
		"p1\tpre\tS1\ta\t1\t8\t0\tNA\tNA\t6-<10\t0\tzero CEP17 signals\tNA\tNA")
	check("areas", func(w io.Writer) error { return WriteAreas(w, r) },
		"sample\tarea\tsite\ttimepoint\tn_cells\tn_ratio\tmean_erbb2\tmean_cep17\tratio\tmean_cell_ratio\tpct_amplified\tgroup_2018\tstatus", 2,
		"\tcall\twarnings", "heterogeneous", "HER2-negative")
	check("sites", func(w io.Writer) error { return WriteSites(w, r) }, "sample\ttimepoint\tsite\tn_areas", 2)
	check("tumours", func(w io.Writer) error { return WriteTumours(w, r) },
		"sample\ttimepoint\tn_areas\tn_cells\tn_ratio\tmean_erbb2\tmean_cep17\tratio\thet\treason\tfraction_nonamplified\tshannon", 2,
		"\t1\tHET: area S1/a heterogeneous (10% of 20 cells amplified)", "only 1 biopsy site(s)")
	check("changes", func(w io.Writer) error { return WriteChanges(w, r) }, "sample\thet_pre\thet_post", 1, "p1\t1\t1\t21\t20")
}
