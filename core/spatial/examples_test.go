package spatial

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const examplesDir = "../../../shared/examples/geomx-dcc"

// loadExamples reads the real GeomxTools example files when ../shared exists.
func loadExamples(t *testing.T) (pkcs []*PKC, annot *Table, dir string) {
	t.Helper()
	if _, err := os.Stat(examplesDir); err != nil {
		t.Skip("no ../shared/examples: ", err)
	}
	data, err := os.ReadFile(filepath.Join(examplesDir, "pkcs.zip"))
	if err != nil {
		t.Fatal(err)
	}
	pkcs, err = ReadPKCZip(bytes.NewReader(data), int64(len(data)), "pkcs.zip")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(examplesDir, "annotations_CW005.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	annot, err = ReadTable(f, "annotations_CW005.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return pkcs, annot, examplesDir
}

// TestExamplesLoad: every example DCC and PKC file loads (issue 10 acceptance),
// with the numbers the files hold.
func TestExamplesLoad(t *testing.T) {
	pkcs, annot, dir := loadExamples(t)
	if len(pkcs) != 2 {
		t.Fatalf("%d PKCs, want 2", len(pkcs))
	}
	ntarg := 0
	for _, p := range pkcs {
		ntarg += len(p.Targets)
	}
	// Six-gene_test_v1_v1.1.pkc: 9 targets; VnV_GeoMx_Hs_CTA_v1.2.pkc: 1812.
	if ntarg != 9+1812 {
		t.Errorf("%d PKC targets, want 1821", ntarg)
	}
	if pkcs[0].Module != "Six-gene_test_v1_v1.1" || pkcs[1].Module != "VnV_GeoMx_Hs_CTA_v1.2" {
		t.Errorf("modules %q %q", pkcs[0].Module, pkcs[1].Module)
	}
	ents, _ := os.ReadDir(dir)
	n := 0
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".dcc") {
			continue
		}
		n++
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		d, err := ReadDCC(f, e.Name())
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if d.SampleID+".dcc" != e.Name() || d.FileVersion != "0.01" || len(d.Probes) == 0 {
			t.Errorf("%s: ID %q version %q probes %d", e.Name(), d.SampleID, d.FileVersion, len(d.Probes))
		}
		if e.Name() == "DSP-1001250002642-A02.dcc" {
			// Raw,646250 Trimmed,646250 Stitched,616150 Aligned,610390; last probe RTS0995671,22
			if d.Raw != 646250 || d.Trimmed != 646250 || d.Stitched != 616150 || d.Aligned != 610390 ||
				d.Probes[len(d.Probes)-1] != "RTS0995671" || d.Counts[len(d.Counts)-1] != 22 || d.UmiQ30 != 0.9785 {
				t.Errorf("A02 read as %+v", d.NGS)
			}
			if g, ok := getAttr(d.NGS, "trimGaloreOpts"); !ok || g.Value != " --hardtrim5 26 --dont_gzip" {
				t.Errorf("trimGaloreOpts = %q", g.Value)
			}
		}
	}
	if n != 12 {
		t.Errorf("%d DCC files, want 12", n)
	}
	set, err := LoadDCC(os.DirFS(dir), DCCOptions{}, pkcs, annot)
	if err != nil {
		t.Fatal(err)
	}
	// A01 is the no-template control: 11 segments; its 7 counts of 1 are the NTC.
	if len(set.Segments) != 11 || set.Segments[0].ID != "DSP-1001250002642-A02" {
		t.Fatalf("%d segments, first %q", len(set.Segments), set.Segments[0].ID)
	}
	for _, s := range set.Segments {
		if s.NTC != 7 {
			t.Errorf("%s NTC %v, want 7", s.ID, s.NTC)
		}
		if s.Area != 31318.72624 {
			t.Errorf("%s area %v", s.ID, s.Area)
		}
		if len(s.NegGeoMean) != 2 || !(s.NegGeoMean[1] > 0) || !(s.NegGeoSD[1] >= 1) {
			t.Errorf("%s negatives %v %v", s.ID, s.NegGeoMean, s.NegGeoSD)
		}
	}
	if set.Counts.Rows() != 1821 || set.Analyte != "RNA" {
		t.Errorf("%d targets, analyte %s", set.Counts.Rows(), set.Analyte)
	}
	qc := QC(set, WorkflowQC())
	if len(qc) != 11 || math.IsNaN(qc[0].AlignedPct) {
		t.Errorf("QC %+v", qc)
	}
	loq, fromSD := LOQ(set, 2, 2)
	if !fromSD || !(loq[0][1] >= 2) {
		t.Errorf("LOQ %v", loq[0])
	}
	f := Q3Factors(set.Counts)
	for i, v := range f {
		if !(v > 0) {
			t.Errorf("Q3 factor %d = %v", i, v)
		}
	}
}

// TestExampleAnnotationXLSX: the example annotation workbook reads like its TSV twin.
func TestExampleAnnotationXLSX(t *testing.T) {
	_, annot, dir := loadExamples(t)
	f, err := os.Open(filepath.Join(dir, "annotations.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := OpenWorkbook(f, "annotations.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	x, err := w.Table("")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Rows) != len(annot.Rows) {
		t.Fatalf("xlsx %d rows, tsv %d (sheets %v)", len(x.Rows), len(annot.Rows), w.Sheets())
	}
	sid := x.Col("Sample_ID")
	if sid < 0 || x.Cell(1, sid) != annot.Cell(1, annot.Col("Sample_ID")) {
		t.Errorf("xlsx columns %v", x.Columns)
	}
}
