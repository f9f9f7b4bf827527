package ingest

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/genemap"
	"github.com/xuri/excelize/v2"
)

func TestFormats(t *testing.T) {
	type cell struct {
		gene, sample string
		v            float64
	}
	cases := []struct {
		file       string
		opts       Options
		format     Format
		kind       dataset.Kind
		genes      int
		samples    []string
		cells      []cell
		excluded   int
		noteSubstr string
		transposed bool
	}{
		{file: "counts.tsv", format: FormatDelimited, kind: dataset.Counts, genes: 4, samples: []string{"S1", "S2", "S3"},
			cells: []cell{{"ERBB2", "S2", 250}, {"TP53", "S3", 7}}},
		{file: "bom_crlf_quoted.csv", format: FormatDelimited, kind: dataset.Counts, genes: 3, samples: []string{"P1_pre", "P1_post"},
			cells: []cell{{"ENSG00000091831.24", "P1_post", 4}}, noteSubstr: "byte-order mark"},
		{file: "semicolon_decimal_comma.csv", format: FormatDelimited, kind: dataset.Expression, genes: 3, samples: []string{"A", "B"},
			cells: []cell{{"ERBB2", "A", 1.5}, {"ESR1", "A", -0.5}, {"ESR1", "B", math.NaN()}}, noteSubstr: "decimal comma"},
		{file: "featurecounts.txt", format: FormatFeatureCounts, kind: dataset.Counts, genes: 3, samples: []string{"P1_pre", "P1_post"},
			cells: []cell{{"ENSG00000091831.24", "P1_post", 900}}, noteSubstr: "BAM paths"},
		{file: "P7_pre.htseq.counts", format: FormatHTSeq, kind: dataset.Counts, genes: 3, samples: []string{"P7_pre"},
			cells: []cell{{"ENSG00000141736", "P7_pre", 120}}, excluded: 5, noteSubstr: "__no_feature=1000"},
		{file: "P7_pre.ReadsPerGene.out.tab", format: FormatSTAR, kind: dataset.Counts, genes: 3, samples: []string{"P7_pre"},
			cells: []cell{{"ENSG00000141736.14", "P7_pre", 118}}, excluded: 4, noteSubstr: "suggested column 4"},
		{file: "P7_pre.ReadsPerGene.out.tab", opts: Options{STARColumn: 2}, format: FormatSTAR, kind: dataset.Counts, genes: 3, samples: []string{"P7_pre"},
			cells: []cell{{"ENSG00000141736.14", "P7_pre", 120}}, excluded: 4},
		{file: "expr12.gct", format: FormatGCT, kind: dataset.Expression, genes: 3, samples: []string{"S1", "S2"},
			cells: []cell{{"ERBB2", "S2", 8.25}, {"ESR1", "S2", math.NaN()}}},
		{file: "expr13.gct", format: FormatGCT, kind: dataset.Expression, genes: 2, samples: []string{"A", "B", "C"},
			cells: []cell{{"ENSG00000091831", "A", -1}}, noteSubstr: "column-metadata"},
		{file: "geo_tmm_log2cpm.txt", format: FormatDelimited, kind: dataset.Expression, genes: 3, samples: []string{"P01_site1", "P01_site2", "P02_Residual"},
			cells: []cell{{"ESR1", "P02_Residual", 6}}, noteSubstr: "R row names"},
		{file: "GSE0_series_matrix.txt", format: FormatDelimited, kind: dataset.Expression, genes: 2, samples: []string{"GSM1", "GSM2"},
			cells: []cell{{"1053_at", "GSM1", 5.5}, {"1053_at", "GSM2", math.NaN()}}, noteSubstr: "GEO metadata"},
		{file: "counts.tsv", opts: Options{Kind: WantExpression}, format: FormatDelimited, kind: dataset.Expression, genes: 4, samples: []string{"S1", "S2", "S3"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			ld, err := ReadAny(c.file, mustOpen(t, filepath.Join("testdata/good", c.file)), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			m := ld.Matrix
			if ld.Format != c.format || m.Kind != c.kind || m.Rows() != c.genes || strings.Join(m.Samples, ",") != strings.Join(c.samples, ",") {
				t.Fatalf("got %v %v %dx%v, want %v %v %dx%v", ld.Format, m.Kind, m.Rows(), m.Samples, c.format, c.kind, c.genes, c.samples)
			}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			for _, x := range c.cells {
				g, s := index(m.Genes, x.gene), index(m.Samples, x.sample)
				if g < 0 || s < 0 {
					t.Fatalf("no cell %s/%s in %v", x.gene, x.sample, m.Genes)
				}
				got := m.At(g, s)
				if !(got == x.v || math.IsNaN(got) && math.IsNaN(x.v)) {
					t.Errorf("%s/%s = %g, want %g", x.gene, x.sample, got, x.v)
				}
			}
			if ld.Report.ExcludedRows != c.excluded {
				t.Errorf("excluded rows %d, want %d", ld.Report.ExcludedRows, c.excluded)
			}
			if c.noteSubstr != "" && !strings.Contains(strings.Join(ld.Report.Notes, "\n"), c.noteSubstr) {
				t.Errorf("notes %q lack %q", ld.Report.Notes, c.noteSubstr)
			}
		})
	}
}

func index(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

func TestGzipUTF16(t *testing.T) {
	raw, err := os.ReadFile("testdata/good/counts.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	u := utf16.Encode([]rune(string(raw)))
	le := []byte{0xff, 0xfe}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	var progress int64
	for name, data := range map[string][]byte{"counts.tsv.gz": gz.Bytes(), "counts_utf16.tsv": le} {
		ld, err := ReadAny(name, bytes.NewReader(data), Options{Progress: func(n int64) { progress = n }})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ld.Matrix.Rows() != 4 || ld.Matrix.At(0, 1) != 250 {
			t.Errorf("%s: %d genes, ERBB2/S2 %g", name, ld.Matrix.Rows(), ld.Matrix.At(0, 1))
		}
		if progress != int64(len(data)) {
			t.Errorf("%s: progress %d, want %d bytes", name, progress, len(data))
		}
	}
}

func TestTransposed(t *testing.T) {
	// 3 samples x 60 genes: columns are gene symbols
	gm := genemap.Default()
	var genes []string
	for _, g := range gm.Genes {
		if g.Entrez != "" && g.Type == "protein-coding" {
			genes = append(genes, g.Symbol)
		}
		if len(genes) == 60 {
			break
		}
	}
	var b strings.Builder
	b.WriteString("sample\t" + strings.Join(genes, "\t") + "\n")
	for s := 0; s < 3; s++ {
		b.WriteString("smp" + string(rune('A'+s)))
		for g := range genes {
			b.WriteString("\t" + itoa(s*100+g))
		}
		b.WriteString("\n")
	}
	ld, err := ReadAny("wide.tsv", strings.NewReader(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := ld.Matrix
	if !ld.Transposed || m.Rows() != 60 || m.Cols() != 3 || m.At(5, 2) != 205 || m.Genes[5] != genes[5] {
		t.Fatalf("transposed=%v %dx%d", ld.Transposed, m.Rows(), m.Cols())
	}
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for i > 0 {
		d = append([]byte{byte('0' + i%10)}, d...)
		i /= 10
	}
	return string(d)
}

func TestDuplicatesAndMapping(t *testing.T) {
	in := "gene\tA\tB\nERBB2\t1\t2\nHER2\t3\t4\nERBB2\t10\t20\n1-Mar\t0\t1\nNOTAGENE1\t5\t5\n"
	ld, err := ReadAny("dups.tsv", strings.NewReader(in), Options{Genes: genemap.Default()})
	if err != nil {
		t.Fatal(err)
	}
	m := ld.Matrix
	if m.Rows() != 4 || m.At(0, 0) != 11 || m.At(0, 1) != 22 || ld.Report.MergedGenes != 1 {
		t.Fatalf("rows %d, ERBB2 %v, merged %d", m.Rows(), m.Row(0), ld.Report.MergedGenes)
	}
	if ld.Report.Unmapped != 2 || len(ld.Report.ExcelMangled) != 1 {
		t.Errorf("unmapped %d (want 2), mangled %v", ld.Report.Unmapped, ld.Report.ExcelMangled)
	}
	sym, rep := ToSymbols(ld.Matrix, genemap.Default())
	if sym.Rows() != 3 || rep.MergedGenes != 1 || sym.At(index(sym.Genes, "ERBB2"), 0) != 14 {
		t.Errorf("ToSymbols: %v %v merged %d", sym.Genes, sym.Data, rep.MergedGenes)
	}
}

func TestMouseIDs(t *testing.T) {
	ld, err := ReadAny("m.tsv", strings.NewReader("gene\tA\nENSMUSG00000000001\t1\nENSMUSG00000000003\t2\n"), Options{Genes: genemap.Default()})
	if err != nil {
		t.Fatal(err)
	}
	if ld.Report.Unmapped != 2 || !strings.Contains(ld.Report.Warnings[0].Msg, "2 identifiers are mouse or rat Ensembl IDs") {
		t.Errorf("unmapped %d, warnings %v", ld.Report.Unmapped, ld.Report.Warnings)
	}
}

func TestMangledWithoutTable(t *testing.T) {
	ld, err := ReadAny("m.tsv", strings.NewReader("gene\tA\n1-Mar\t1\nSEPT9\t2\n9-Sep\t3\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ld.Report.ExcelMangled, ",") != "1-Mar,9-Sep" || len(ld.Report.Warnings) != 1 {
		t.Errorf("mangled %v warnings %v", ld.Report.ExcelMangled, ld.Report.Warnings)
	}
}

func TestXLSX(t *testing.T) {
	mk := func(rows [][]any) []byte {
		f := excelize.NewFile()
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	mat := mk([][]any{{"gene", "S1", "S2"}, {"ERBB2", 5, 6}, {"ESR1", 7, 8}})
	ld, err := ReadAny("counts.xlsx", bytes.NewReader(mat), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ld.Format != FormatXLSX || ld.Matrix.Rows() != 2 || ld.Matrix.At(1, 1) != 8 || ld.Matrix.Kind != dataset.Counts {
		t.Fatalf("xlsx matrix: %v %+v", ld.Format, ld.Matrix)
	}
	sheet := mk([][]any{{"sampleID", "patientID", "tpt", "pCR"}, {"a", "P1", "Pre", "Yes"}, {"b", "P1", "Post", "No"}})
	ld, err = ReadAny("sheet.xlsx", bytes.NewReader(sheet), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ld.Sheet == nil || len(ld.Sheet.Samples) != 2 || ld.Sheet.Value(dataset.RoleTimepoint, 1) != "post" {
		t.Fatalf("xlsx sheet: %+v", ld.Sheet)
	}
	if len(ld.Report.Warnings) != 1 || !strings.Contains(ld.Report.Warnings[0].Msg, "patient P1: pCR differs") {
		t.Errorf("warnings %v", ld.Report.Warnings)
	}
	// a display format must not round the numbers read
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"gene", "S1", "S2"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"ERBB2", 12.3456789, 2})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 2}) // "0.00"
	f.SetCellStyle("Sheet1", "B2", "B2", style)
	var buf bytes.Buffer
	f.Write(&buf)
	ld, err = ReadAny("fmt.xlsx", bytes.NewReader(buf.Bytes()), Options{})
	if err != nil || ld.Matrix.At(0, 0) != 12.3456789 {
		t.Errorf("formatted cell read as %v (%v), want 12.3456789", ld.Matrix.Data, err)
	}
	bad := mk([][]any{{"gene", "S1"}, {"ERBB2", "x12"}})
	_, err = ReadAny("bad.xlsx", bytes.NewReader(bad), Options{})
	if err == nil || !strings.Contains(err.Error(), "bad.xlsx:2:2:") {
		t.Errorf("bad xlsx error %v", err)
	}
}

// TestXLSXCellWarnings: cells whose value the workbook does not hold are named
// with their row and column: formulas without a saved result, merged ranges.
func TestXLSXCellWarnings(t *testing.T) {
	build := func(edit func(f *excelize.File)) []byte {
		f := excelize.NewFile()
		for i, r := range [][]any{{"gene", "S1", "S2"}, {"A", 1, 2}, {"B", 4, nil}, {"C", 5, nil}} {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow("Sheet1", cell, &r)
		}
		edit(f)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name string
		edit func(f *excelize.File)
		want []string // warnings, in order
	}{
		{"plain", func(f *excelize.File) {}, nil},
		{"formulas without results", func(f *excelize.File) {
			f.SetCellFormula("Sheet1", "C3", "SUM(B2:B3)")
			f.SetCellFormula("Sheet1", "C4", "B4*2")
		}, []string{"w.xlsx:3:3: cell C3 has a formula (=SUM(B2:B3)) but the workbook holds no result for it, so it reads as empty (missing) (2 cells like this); open and save"}},
		{"formula with a cached result", func(f *excelize.File) { f.SetCellFormula("Sheet1", "B2", "1/1") }, nil},
		{"merged", func(f *excelize.File) { f.MergeCell("Sheet1", "C3", "C4") },
			[]string{"w.xlsx:3:3: cells C3:C4 are merged: the value is in C3 only, the other cells read as empty (missing)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ld, err := ReadAny("w.xlsx", bytes.NewReader(build(tc.edit)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ld.Report.Warnings) != len(tc.want) {
				t.Fatalf("warnings %v, want %q", ld.Report.Warnings, tc.want)
			}
			for i, w := range tc.want {
				if got := ld.Report.Warnings[i].String(); !strings.HasPrefix(got, w) {
					t.Errorf("warning %q, want prefix %q", got, w)
				}
			}
		})
	}
}

func TestSampleSheet(t *testing.T) {
	s, rep, err := ReadSampleSheet("samplesheet.tsv", mustOpen(t, "testdata/good/samplesheet.tsv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Samples) != 6 || rep.ExcludedRows != 1 {
		t.Fatalf("%d samples, %d excluded; want 6, 1", len(s.Samples), rep.ExcludedRows)
	}
	roles := map[string]dataset.Role{"sampleID": dataset.RoleSample, "patientID": dataset.RolePatient, "tpt": dataset.RoleTimepoint,
		"pCR": dataset.RoleResponse, "HER2 heterogeneity": dataset.RoleHET, "HR": dataset.RoleHR, "RCB": dataset.RoleRCB, "batch": dataset.RoleBatch}
	for name, r := range roles {
		if c := s.ByName(name); c == nil || c.Role != r {
			t.Errorf("column %s: %+v, want role %v", name, c, r)
		}
	}
	want := map[dataset.Role][]string{
		dataset.RoleTimepoint: {"pre", "pre", "pre", "post", "pre", "pre"},
		dataset.RoleResponse:  {"yes", "yes", "no", "no", "no", "yes"},
		dataset.RoleHR:        {"pos", "pos", "neg", "neg", "pos", "pos"},
		dataset.RoleRCB:       {"0", "0", "II", "II", "III", "III"},
		dataset.RoleHET:       {"0", "0", "1", "1", "0", "0"},
	}
	for r, w := range want {
		if got := s.Column(r).Values; strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("%v = %v, want %v", r, got, w)
		}
	}
	all := ""
	for _, w := range rep.Warnings {
		all += w.String() + "\n"
	}
	for _, sub := range []string{"samplesheet.tsv:8:1: sample \"P03_site2\" already on line 7", "patient P03: pCR differs between samples (P03_site1=no, P03_site2=yes)"} {
		if !strings.Contains(all, sub) {
			t.Errorf("warnings lack %q:\n%s", sub, all)
		}
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), `pre <- "Pre", "PRE", "baseline", "pre" (5)`) {
		t.Errorf("notes: %v", rep.Notes)
	}
	m := dataset.NewMatrix(dataset.Counts, []string{"g"}, []string{"P01_site1", "P01_site2", "X9"})
	mr := MatchSamples(s, m, "samplesheet.tsv", "counts.tsv")
	if mr.ExcludedSamples != 5 || len(mr.Warnings) != 2 {
		t.Errorf("MatchSamples: %d excluded, warnings %v", mr.ExcludedSamples, mr.Warnings)
	}
	m2 := dataset.NewMatrix(dataset.Counts, []string{"g"}, []string{"P01.site1", "P01_site2"})
	mr = MatchSamples(&dataset.SampleSheet{Samples: []string{"P01-site1", "P01_site2"}}, m2, "s.tsv", "c.tsv")
	if len(mr.Warnings) != 3 || !strings.Contains(mr.Warnings[2].Msg, `"P01-site1" ~ "P01.site1"`) {
		t.Errorf("make.names hint: %v", mr.Warnings)
	}
}

func TestSampleSheetRoles(t *testing.T) {
	in := "lib,who,when,resp,notes\nL1,P1,pre,1,x\nL2,P1,post,1,y\n"
	s, rep, err := ReadSampleSheet("s.csv", strings.NewReader(in), Options{Roles: map[string]dataset.Role{
		"lib": dataset.RoleSample, "who": dataset.RolePatient, "when": dataset.RoleTimepoint, "resp": dataset.RoleResponse, "notes": dataset.RoleIgnore}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Samples[1] != "L2" || s.Value(dataset.RoleTimepoint, 1) != "post" || s.Value(dataset.RoleResponse, 0) != "yes" || s.ByName("notes") != nil {
		t.Errorf("sheet %+v", s)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), `column "notes" ignored as asked`) {
		t.Errorf("notes %v", rep.Notes)
	}
}

func TestTx2GeneVersions(t *testing.T) {
	t2g, _ := NewTx2Gene([]string{"ENST1", "ENST2"}, []string{"ENSG1", "ENSG1"})
	q := &TxQuant{File: "quant.sf", Sample: "S", IDs: []string{"ENST1.3", "ENST2.1"}, Abundance: []float64{1, 3}, Counts: []float64{2, 4}, Length: []float64{100, 200}, lines: []int{2, 3}}
	tx, rep, err := Tximport([]*TxQuant{q}, t2g, CFANo)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Counts.Rows() != 1 || tx.Counts.At(0, 0) != 6 || tx.Length.At(0, 0) != 175 {
		t.Errorf("counts %v length %v", tx.Counts.Data, tx.Length.Data)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "ignoreTxVersion") {
		t.Errorf("notes %v", rep.Notes)
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name, head string
		want       Format
	}{
		{"x.txt", "Name\tLength\tEffectiveLength\tTPM\tNumReads\nENST1\t1\t1\t1\t1\n", FormatSalmon},
		{"x/quant.genes.sf", "Name\tLength\n", FormatSalmonGenes},
		{"abundance.tsv", "target_id\tlength\teff_length\test_counts\ttpm\n", FormatKallisto},
		{"a.txt", "gene_id\ttranscript_id(s)\tlength\n", FormatRSEM},
		{"a.txt", "transcript_id\tgene_id\tlength\teffective_length\texpected_count\n", FormatRSEMIsoforms},
		{"a.tab", "N_unmapped\t1\t1\t1\n", FormatSTAR},
		{"a.txt", "#1.2\n1\t1\n", FormatGCT},
		{"a.txt", "Geneid\tChr\tStart\tEnd\tStrand\tLength\tx.bam\n", FormatFeatureCounts},
		{"a.txt", "G1\t5\nG2\t7\n__no_feature\t3\n", FormatHTSeq},
		{"t2g.csv", "TXNAME,GENEID\nENST1.1,ENSG1.1\n", FormatTx2Gene},
		{"s.csv", "sampleID,patientID,pCR\nA,P1,Yes\n", FormatSampleSheet},
		{"m.csv", "gene,A,B\nERBB2,1,2\n", FormatDelimited},
		{"annot.tsv", "Sample_ID\tslide name\troi\tcell_line\nA01\tslide1\t1\tHS578T\nA02\tslide1\t2\tHS578T\n", FormatSampleSheet},
		{"wide.tsv", "sampleID\tERBB2\tGRB7\tESR1\nA\t1\t2\t3\nB\t4\t5\t6\n", FormatDelimited},
		{"m.xlsx", "PK\x03\x04....", FormatXLSX},
		{"e.txt", "\n\n", FormatUnknown},
	}
	for _, c := range cases {
		if got := Detect(c.name, []byte(c.head)); got != c.want {
			t.Errorf("Detect(%q, %q) = %v, want %v", c.name, c.head, got, c.want)
		}
	}
}

func TestGENCODEQuant(t *testing.T) {
	in := "Name\tLength\tEffectiveLength\tTPM\tNumReads\n" +
		"ENST1.1|ENSG00000141736.14|OTTHUMG|OTTHUMT|ERBB2-201|ERBB2|4624|protein_coding|\t4624\t4400\t600000\t90\n" +
		"ENST2.1|ENSG00000141736.14|OTTHUMG|OTTHUMT|ERBB2-202|ERBB2|1000|protein_coding|\t1000\t800\t200000\t5.5\n" +
		"ENST3.1|ENSG00000141510.18|OTTHUMG|OTTHUMT|TP53-201|TP53|2000|protein_coding|\t2000\t1800\t200000\t12\n"
	ld, err := ReadAny("S9/quant.sf", strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := ld.Tx.Counts
	if m.Rows() != 2 || m.Samples[0] != "S9" || m.At(0, 0) != 12 || m.At(1, 0) != 95.5 || ld.Matrix.At(1, 0) != 96 {
		t.Fatalf("%v %v %v rounded %v", m.Genes, m.Samples, m.Data, ld.Matrix.Data)
	}
	if want := (600000*4400.0 + 200000*800) / 800000; math.Abs(ld.Tx.Length.At(1, 0)-want) > 1e-12*want {
		t.Errorf("length %g, want %g", ld.Tx.Length.At(1, 0), want)
	}
}

// TestSharedExamples reads the real quantifier outputs in ../shared/examples when present.
func TestSharedExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 400k transcripts")
	}
	dir := "/work/shared/examples"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no shared examples folder")
	}
	t2g, _, err := ReadTx2Gene("tx2gene.csv.gz", mustGunzip(t, filepath.Join(dir, "tx2gene_gencode_v27_from_rsem.csv.gz")))
	if err != nil {
		t.Fatal(err)
	}
	salmon := []string{dir + "/salmon/ERR188021/quant.sf.gz", dir + "/salmon/ERR188088/quant.sf.gz"}
	names, fs := openAll(t, salmon...)
	ld, err := ReadQuants(names, toReaders([]ioReader{fs[0], fs[1]}), Options{Tx2Gene: t2g, CountsFromAbundance: CFALengthScaledTPM})
	if err != nil {
		t.Fatal(err)
	}
	if ld.Matrix.Cols() != 2 || ld.Matrix.Samples[0] != "ERR188021" || ld.Matrix.Rows() < 10000 {
		t.Errorf("salmon: %d x %v", ld.Matrix.Rows(), ld.Matrix.Samples)
	}
	for _, f := range []string{"kallisto/ERR188021/abundance.tsv.gz", "rsem/ERR188021/ERR188021.genes.results.gz", "salmon/ERR188088/quant.sf.gz"} {
		ld, err := ReadAny(f, mustOpen(t, filepath.Join(dir, f)), Options{Tx2Gene: t2g})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if ld.Matrix.Rows() < 10000 || ld.Tx == nil {
			t.Errorf("%s: %d genes", f, ld.Matrix.Rows())
		}
		t.Logf("%s: %v, %d genes x %v, %v", f, ld.Format, ld.Matrix.Rows(), ld.Matrix.Samples, ld.Report.Notes)
	}
}

func mustGunzip(t *testing.T, path string) *bytes.Reader {
	t.Helper()
	zr, err := gzip.NewReader(mustOpen(t, path))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(buf.Bytes())
}
