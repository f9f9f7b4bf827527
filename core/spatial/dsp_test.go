package spatial

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// xlsxExport builds a small DSP Data Analysis export workbook in memory.
func xlsxExport(t *testing.T, segRows, countRows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "SegmentProperties")
	if _, err := f.NewSheet("TargetCountMatrix"); err != nil {
		t.Fatal(err)
	}
	put := func(sheet string, rows [][]any) {
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	put("SegmentProperties", segRows)
	put("TargetCountMatrix", countRows)
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDSPExportXLSX: a protein export with housekeepers and IgGs, read from
// .xlsx and analysed with housekeeper normalisation.
func TestDSPExportXLSX(t *testing.T) {
	seg := [][]any{{"SegmentDisplayName", "Sample_ID", "AOISurfaceArea", "AOINucleiCount", "patientID", "SegmentLabel", "HET"}}
	cnt := [][]any{{"TargetName", "CodeClass"}}
	targets := []string{"Histone H3", "S6", "GAPDH", "Rb IgG", "Ms IgG1", "HER2", "CD8"}
	classes := []string{"Control", "Control", "Control", "Negative", "Negative", "Endogenous", "Endogenous"}
	vals := make([][]any, len(targets))
	for i := range targets {
		vals[i] = []any{targets[i], classes[i]}
	}
	for p := 0; p < 4; p++ {
		for k := 0; k < 4; k++ {
			name := "P" + string(rune('1'+p)) + " | " + string(rune('1'+k/2)) + " | " + []string{"PanCK+", "PanCK-"}[k%2]
			seg = append(seg, []any{name, "DSP-" + name, 20000 + 1000*k, 300 + 10*p, "P" + string(rune('1'+p)), []string{"PanCK+", "PanCK-"}[k%2], p % 2})
			cnt[0] = append(cnt[0], name)
			size := 1 + 0.3*float64(k)
			for i := range targets {
				v := (100 + 20*float64(i)) * size
				if targets[i] == "HER2" && k%2 == 0 {
					v *= 4 + float64(p)*0.3
				}
				if targets[i] == "CD8" {
					v *= 1 + 0.1*float64((p*7+k*3)%5)
				}
				vals[i] = append(vals[i], math.Round(v))
			}
		}
	}
	cnt = append(cnt, vals...)
	data := xlsxExport(t, seg, cnt)
	w, err := OpenWorkbook(bytes.NewReader(data), "export.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	set, err := ReadDSPExportXLSX(w, "Protein")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Segments) != 16 || len(set.Targets) != 7 || !set.Targets[3].Negative || set.Targets[0].Negative {
		t.Fatalf("set: %d segments, targets %+v", len(set.Segments), set.Targets)
	}
	if set.Segments[1].Area != 21000 || set.Segments[1].ID != "DSP-P1 | 1 | PanCK-" {
		t.Errorf("segment 2: %+v", set.Segments[1])
	}
	res, err := Analyze(set, Options{QC: QCThresholds{MinArea: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Normalization != NormHK || res.Comparison == nil {
		t.Fatalf("normalisation %s, notes %v", res.Normalization, res.Notes)
	}
	// Housekeeper factors remove the size effect: the housekeepers scale with
	// size exactly (up to rounding), so normalised GAPDH is nearly constant.
	g := -1
	for i, n := range res.Normalized.Genes {
		if n == "GAPDH" {
			g = i
		}
	}
	row := res.Normalized.Row(g)
	for _, v := range row {
		if math.Abs(v/row[0]-1) > 0.01 {
			t.Errorf("normalised GAPDH %v", row)
			break
		}
	}
	d := res.Comparison.Design
	if d.RegionNames != [2]string{"PanCK+", "PanCK-"} || res.Comparison.NPatients != 4 || res.Comparison.NHET != 2 {
		t.Errorf("design %+v", d)
	}
	for _, r := range res.Comparison.Region {
		if r.Target == "HER2" && !(r.Log2FC > 2 && r.P < 1e-4) {
			t.Errorf("HER2 PanCK+ vs PanCK-: %+v", r)
		}
	}
	// IgG background and nuclei scaling run too.
	for _, nm := range []string{NormIgG, NormNuclei, NormArea, NormNone} {
		r, err := Analyze(set, Options{Normalization: nm})
		if err != nil {
			t.Fatalf("%s: %v", nm, err)
		}
		if nm == NormIgG && r.Normalized.Rows() != 5 {
			t.Errorf("IgG normalisation keeps %v", r.Normalized.Genes)
		}
	}
	if _, err := Analyze(set, Options{Normalization: "tmm"}); err == nil {
		t.Error("unknown normalisation: no error")
	}
	var b bytes.Buffer
	if err := WriteTable(&b, res.SegmentTable()); err != nil || !strings.Contains(b.String(), "norm_factor") {
		t.Errorf("segment table %v", err)
	}
	if tt := res.TargetTable(); len(tt.Rows) != 7 || tt.Rows[3][3] != "true" {
		t.Errorf("target table %v", tt.Rows)
	}
	if figs := res.Figures(3); len(figs) != 4 {
		t.Errorf("%d figures", len(figs))
	}
}

// TestDSPExportErrors: user mistakes in exports give positioned errors.
func TestDSPExportErrors(t *testing.T) {
	segs := "SegmentDisplayName\tpatientID\nA\tP1\nB\tP1\n"
	for _, c := range []struct {
		name, segs, counts, want string
	}{
		{"negative count", segs, "TargetName\tA\tB\nG1\t1\t-2\n", "c.tsv:2:3:"},
		{"text count", segs, "TargetName\tA\tB\nG1\t1\tmany\n", "c.tsv:2:3:"},
		{"missing segment", segs, "TargetName\tA\nG1\t1\n", "c.tsv:1:0: no count column for segment \"B\""},
		{"duplicate target", segs, "TargetName\tA\tB\nG1\t1\t2\nG1\t1\t2\n", "c.tsv:3:1: target \"G1\" is given twice (first at line 2)"},
		{"duplicate segment", "SegmentDisplayName\nA\nA\n", "TargetName\tA\nG1\t1\n", "s.tsv:3:1: segment \"A\" is given twice"},
		{"no name column", "Foo\nA\n", "TargetName\tA\nG1\t1\n", "s.tsv:1:1:"},
		{"too many cells", segs, "TargetName\tA\tB\nG1\t1\t2\t3\n", "c.tsv:2:0:"},
	} {
		st, err := ReadTable(strings.NewReader(c.segs), "s.tsv")
		if err != nil {
			t.Fatal(err)
		}
		ct, err := ReadTable(strings.NewReader(c.counts), "c.tsv")
		if err == nil {
			_, err = FromDSPExport(st, ct, "RNA")
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want prefix %q", c.name, err, c.want)
		}
	}
}

// TestDSPProteinNegatives: without a CodeClass column, protein IgGs are the
// negative controls and RNA negatives are found by name.
func TestDSPProteinNegatives(t *testing.T) {
	st, _ := ReadTable(strings.NewReader("SegmentDisplayName\nA\nB\n"), "s.tsv")
	ct, _ := ReadTable(strings.NewReader("TargetName\tA\tB\nRb IgG\t1\t2\nCD3\t5\t6\nNegProbe-WTX\t3\t4\n"), "c.tsv")
	p, err := FromDSPExport(st, ct, "Protein")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Targets[0].Negative || p.Targets[1].Negative || !p.Targets[2].Negative {
		t.Errorf("protein targets %+v", p.Targets)
	}
	r, err := FromDSPExport(st, ct, "RNA")
	if err != nil {
		t.Fatal(err)
	}
	if r.Targets[0].Negative || !r.Targets[2].Negative || r.Segments[1].NegGeoMean[0] != 4 {
		t.Errorf("RNA targets %+v %+v", r.Targets, r.Segments[1])
	}
}

// FuzzReadDCC: the DCC reader never panics and either errors or returns
// parallel probe and count slices.
func FuzzReadDCC(f *testing.F) {
	f.Add(dccText("S1", "P1", 10, 10, 10, 10, "RTS01,2\nRTS02,3\n"))
	f.Add("<Header>\nFileVersion,0.01\n</Header>\n<Code_Summary>\nA,1\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ReadDCC(strings.NewReader(s), "f.dcc")
		if err == nil && len(d.Probes) != len(d.Counts) {
			t.Fatalf("%d probes, %d counts", len(d.Probes), len(d.Counts))
		}
	})
}

// FuzzDSPExport: reading a segment table and a count matrix never panics.
func FuzzDSPExport(f *testing.F) {
	f.Add("SegmentDisplayName\tpatientID\nA\tP1\nB\tP1\n", "TargetName\tA\tB\nG1\t1\t2\nNegProbe-WTX\t0\t3\n")
	f.Add("Sample_ID,area\nA,1\n", "TargetName,A\nG,\"5\"\n")
	f.Fuzz(func(t *testing.T, segs, counts string) {
		st, err := ReadTable(strings.NewReader(segs), "s")
		if err != nil {
			return
		}
		ct, err := ReadTable(strings.NewReader(counts), "c")
		if err != nil {
			return
		}
		set, err := FromDSPExport(st, ct, "RNA")
		if err != nil {
			return
		}
		if set.Counts.Rows() != len(set.Targets) || set.Counts.Cols() != len(set.Segments) {
			t.Fatalf("matrix %dx%d for %d targets, %d segments", set.Counts.Rows(), set.Counts.Cols(), len(set.Targets), len(set.Segments))
		}
		QC(set, WorkflowQC())
		LOQ(set, 2, 2)
		if d, err := DesignFromSet(set, DesignOptions{}); err == nil {
			Compare(set.Counts, d, CompareOptions{})
		}
	})
}
