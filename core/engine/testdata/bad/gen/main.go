// Command gen writes the bad-input catalogue of core/engine (issue 13) into the
// folder above it: run `go run ./core/engine/testdata/bad/gen` from the module root
// (or `go run .` here). Every file is made from fixed bytes or a seeded generator,
// so a rerun gives the same text files; .xlsx files carry excelize's own metadata.
// The expected message of each case is in ../expected.tsv (kept by hand).
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

var out = ".."

func main() {
	if len(os.Args) > 1 {
		out = os.Args[1]
	} else if _, err := os.Stat("expected.tsv"); err == nil {
		out = "."
	} else if _, err := os.Stat("core/engine/testdata/bad"); err == nil {
		out = "core/engine/testdata/bad"
	}
	text()
	compressed()
	encodings()
	workbooks()
	fishFiles()
	geneSets()
	spotFolders()
}

func write(name string, b []byte) {
	p := filepath.Join(out, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func writeS(name, s string) { write(name, []byte(s)) }

const counts = "gene\tS1\tS2\tS3\nA\t1\t2\t3\nB\t4\t5\t6\nC\t7\t8\t9\n"

func text() {
	writeS("empty.tsv", "")
	writeS("blank_lines.tsv", "\n\n  \n\t\n")
	writeS("only_comments.tsv", "# exported by a pipeline\n# nothing else\n")
	writeS("header_only.tsv", "gene\tS1\tS2\n")
	writeS("header_only_crlf.csv", "gene,S1,S2\r\n")
	writeS("dup_sample.tsv", "gene\tS1\tS2\tS1\nA\t1\t2\t3\nB\t4\t5\t6\n")
	writeS("dup_gene.tsv", "gene\tS1\tS2\nA\t1\t2\nB\t4\t5\nA\t7\t8\n")
	writeS("mixed_delims.tsv", "gene\tS1\tS2\nA\t1\t2\nB,4,5\nC\t7\t8\n")
	writeS("mixed_delims_semicolon.csv", "gene,S1,S2\nA,1,2\nB;4;5\n")
	writeS("quoted_delim_number.csv", "gene,S1,S2\nA,1,2\nB,\"4,5\",6\n")
	writeS("quoted_delim_header.csv", "gene,\"S1,S2\",S3\nA,1,2\n")
	writeS("unterminated_quote.csv", "gene,S1,S2\n\"A,1,2\nB,3,4\n")
	writeS("text_after_quote.csv", "gene,S1\n\"A\"x,1\n")
	writeS("nan_counts.tsv", "gene\tS1\tS2\nA\t1\t2\nB\tNaN\t5\n")
	writeS("inf_counts.tsv", "gene\tS1\tS2\nA\t1\t2\nB\tInf\t5\n")
	writeS("negative_counts.tsv", "gene\tS1\tS2\nA\t1\t-2\nB\t4\t5\n")
	writeS("decimal_comma.csv", "gene;S1;S2\nA;1,5;2,25\nB;4;5\n")
	writeS("decimal_comma_tab.tsv", "gene\tS1\tS2\nA\t1,5\t2\n")
	writeS("thousands_sep.csv", "gene;S1;S2\nA;1.234.567;2\n")
	writeS("text_in_numbers.tsv", "gene\tS1\tS2\nA\t1\t2\nB\tfour\t5\n")
	writeS("percent_value.tsv", "gene\tS1\tS2\nA\t1\t2%\n")
	writeS("short_row.tsv", "gene\tS1\tS2\nA\t1\t2\nB\t4\n")
	writeS("long_row.tsv", "gene\tS1\tS2\nA\t1\t2\nB\t4\t5\t6\n")
	writeS("empty_cells.tsv", "gene\tS1\tS2\tS3\nA\t1\t\t3\nB\t4\t5\t6\n")
	writeS("empty_sample_name.tsv", "gene\tS1\t\tS3\nA\t1\t2\t3\n")
	writeS("empty_gene_id.tsv", "gene\tS1\tS2\nA\t1\t2\n\t4\t5\n")
	writeS("no_numeric_columns.tsv", "gene\tdesc\nA\tkinase\nB\treceptor\n")
	writeS("one_column.tsv", "gene\nA\nB\n")
	writeS("nul_in_text.tsv", "gene\tS1\nA\t1\x00\nB\t2\n")
	writeS("html_page.tsv", "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in</body></html>\n")
	writeS("json_export.json", "{\"genes\": [\"A\", \"B\"], \"S1\": [1, 2]}\n")
	// The 1 MB lines (long_line.tsv, long_header_no_newline.tsv) are built by the
	// test itself (biGenerated in ../../badinput_test.go) to keep the folder small.
	rng := rand.New(rand.NewPCG(13, 1))
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
	}
	write("binary_junk.tsv", junk)
	write("png_renamed.tsv", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), junk[:200]...))
	write("pdf_renamed.csv", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x00"))
	// Sample sheets.
	writeS("sheet_dup_ids.tsv", "sampleID\tpatientID\ttpt\tpCR\tHET\nP01_pre\tP01\tPre\tYes\t0\nP01_pre\tP01\tPre\tYes\t0\n")
	writeS("sheet_empty_id.tsv", "sampleID\tpatientID\ttpt\tpCR\tHET\nP01_pre\tP01\tPre\tYes\t0\n\tP02\tPre\tNo\t1\n")
	writeS("sheet_dup_column.tsv", "sampleID\tpatientID\tpCR\tpCR\nP01_pre\tP01\tYes\tNo\n")
	writeS("sheet_long_row.tsv", "sampleID\tpatientID\tpCR\nP01_pre\tP01\tYes\textra\n")
	writeS("sheet_header_only.tsv", "sampleID\tpatientID\ttpt\tpCR\tHET\n")
	writeS("sheet_no_match.tsv", "sampleID\tpatientID\ttpt\tpCR\tHET\tHR\nX01\tX01\tPre\tYes\t0\tPositive\nX02\tX02\tPre\tNo\t1\tNegative\nX03\tX03\tPre\tNo\t0\tPositive\n")
	writeS("second_sheet.tsv", "sampleID\tpatientID\ttpt\tpCR\tHET\tHR\nQ01\tQ01\tPre\tYes\t0\tPositive\nQ02\tQ02\tPre\tNo\t1\tNegative\n")
	writeS("second_counts.tsv", counts)
	// Specialised pipeline outputs.
	writeS("bad.htseq.counts", "A\t1\nB\t2.5\n__no_feature\t3\n")
	writeS("bad.ReadsPerGene.out.tab", "N_unmapped\t1\t1\t1\nA\t1\tx\t1\n")
	writeS("bad_featurecounts.txt", "# Program:featureCounts v2.0.1\nGeneid\tChr\tStart\tEnd\tStrand\tLength\ts1.bam\nA\tchr1\t1\t100\t+\t100\t5\nB\tchr1\t200\t300\t+\t100\tmany\n")
	writeS("bad_version.gct", "#1.4\n1\t1\nName\tDescription\tS1\nA\tna\t1\n")
	writeS("bad_rows.gct", "#1.2\n5\t1\nName\tDescription\tS1\nA\tna\t1\n")
	writeS("bad_quant.sf", "Name\tLength\tEffectiveLength\tTPM\tNumReads\nENST1\t100\t80\t-1\t3\n")
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func compressed() {
	rng := rand.New(rand.NewPCG(14, 1))
	var big strings.Builder
	big.WriteString("gene\tS1\tS2\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&big, "G%d\t%d\t%d\n", i, rng.IntN(1000), rng.IntN(1000))
	}
	full := gz([]byte(big.String()))
	write("truncated.tsv.gz", full[:len(full)/2])
	write("truncated_trailer.tsv.gz", full[:len(full)-4])
	write("bad_gzip_header.tsv.gz", []byte{0x1f, 0x8b, 0x09, 0x00, 1, 2, 3})
	write("gzip_of_empty.tsv.gz", gz(nil))
	junk := make([]byte, 512)
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
	}
	write("gzip_of_binary.tsv.gz", gz(junk))
	write("gzip_trailing_junk.tsv.gz", append(gz([]byte(counts)), []byte("garbage after the stream")...))
	write("gzip_corrupt_body.tsv.gz", corrupt(full))
	write("gzip_text_error.tsv.gz", gz([]byte("gene\tS1\tS2\nA\t1\t2\nB\t3\toops\n")))
}

// corrupt flips bytes in the middle of a gzip stream (the CRC then fails or the
// deflate data are invalid).
func corrupt(b []byte) []byte {
	c := append([]byte(nil), b...)
	for i := len(c) / 2; i < len(c)/2+16; i++ {
		c[i] ^= 0xA5
	}
	return c
}

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16BE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFE, 0xFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func encodings() {
	bad := "gene\tS1\tS2\nA\t1\t2\nB\t3\tzwei\n"
	write("utf16le_bad_value.tsv", utf16LE(bad, true))
	write("utf16be_bad_value.tsv", utf16BE(bad, true))
	write("utf16le_odd_length.tsv", utf16LE(counts, true)[:len(utf16LE(counts, true))-1])
	write("utf16le_no_bom.tsv", utf16LE(bad, false))
	write("utf8_bom_bad_value.tsv", append([]byte("\xef\xbb\xbf"), bad...))
	write("latin1_bad_value.tsv", []byte("gene\tS1\tS2\nA\t1\t2\nB\t3\t\xe9\n"))
	// A well-formed UTF-16 count matrix: loads on an empty session.
	write("utf16le_counts.tsv", utf16LE("gene\tT1\tT2\nA\t1\t2\nB\t3\t4\n", true))
}

func workbook(fill func(f *excelize.File, sh string)) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	fill(f, sh)
	buf, err := f.WriteToBuffer()
	if err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

func setRows(f *excelize.File, sh string, rows [][]any) {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			log.Fatal(err)
		}
	}
}

func workbooks() {
	write("xlsx_merged_header.xlsx", workbook(func(f *excelize.File, sh string) {
		setRows(f, sh, [][]any{{"gene", "S1", "", "S3"}, {"A", 1, 2, 3}, {"B", 4, 5, 6}})
		f.MergeCell(sh, "B1", "C1")
	}))
	write("xlsx_merged_body.xlsx", workbook(func(f *excelize.File, sh string) {
		setRows(f, sh, [][]any{{"gene", "S1", "S2"}, {"A", 1, 2}, {"B", 4, nil}, {"C", nil, 6}})
		f.MergeCell(sh, "C3", "C4")
	}))
	write("xlsx_formulas.xlsx", workbook(func(f *excelize.File, sh string) {
		setRows(f, sh, [][]any{{"gene", "S1", "S2"}, {"A", 1, 2}, {"B", 4, 5}})
		f.SetCellFormula(sh, "C3", "SUM(B2:B3)")
		f.SetCellFormula(sh, "B2", "1/0")
	}))
	// Formulas written without a cached result: a reader that does not evaluate them
	// sees empty cells.
	write("xlsx_formula_no_cache.xlsx", workbook(func(f *excelize.File, sh string) {
		setRows(f, sh, [][]any{{"gene", "S1", "S2"}, {"A", 1, 2}, {"B", 4, nil}})
		f.SetCellFormula(sh, "C3", "SUM(B2:B3)")
	}))
	write("xlsx_text_value.xlsx", workbook(func(f *excelize.File, sh string) {
		setRows(f, sh, [][]any{{"gene", "S1", "S2"}, {"A", 1, 2}, {"B", 4, "n/a?"}})
	}))
	write("xlsx_empty.xlsx", workbook(func(f *excelize.File, sh string) {}))
	write("xlsx_header_only.xlsx", workbook(func(f *excelize.File, sh string) {
		setRows(f, sh, [][]any{{"gene", "S1", "S2"}})
	}))
	good := workbook(func(f *excelize.File, sh string) {
		setRows(f, sh, [][]any{{"gene", "S1", "S2"}, {"A", 1, 2}, {"B", 4, 5}})
	})
	write("xlsx_truncated.xlsx", good[:len(good)/2])
	write("xlsx_corrupt.xlsx", []byte("PK\x03\x04 this is not really a zip archive"))
	write("xlsx_renamed_text.xlsx", []byte(counts))
}

func fishFiles() {
	writeS("fish_cells_text_count.tsv", "sample\tcell\tERBB2\tCEP17\nP01\t1\t4\t2\nP01\t2\tmany\t2\n")
	writeS("fish_cells_negative.tsv", "sample\tcell\tERBB2\tCEP17\nP01\t1\t4\t2\nP01\t2\t-3\t2\n")
	writeS("fish_cells_header_only.tsv", "sample\tcell\tERBB2\tCEP17\n")
	writeS("fish_cells_short_row.tsv", "sample\tcell\tERBB2\tCEP17\nP01\t1\t4\t2\nP01\t2\t5\n")
	writeS("fish_cells_no_erbb2.tsv", "sample\tcell\tCEP17\nP01\t1\t2\nP01\t2\t2\n")
	writeS("fish_cells_no_cep17.tsv", "sample\tcell\tERBB2\nP01\t1\t4\nP01\t2\t7\n")
	writeS("fish_cells_no_sample_column.tsv", "area\tcell\tERBB2\tCEP17\nA1\t1\t4\t2\n")
	writeS("fish_cases_ratio_only.tsv", "sample\tHER2/CEP17 ratio\nP01\t2.5\nP02\tx\n")
	writeS("fish_cells_no_sample_value.tsv", "sample\tcell\tERBB2\tCEP17\nP01\t1\t4\t2\n\t2\t5\t2\n")
	writeS("fish_cells_decimal_comma.csv", "sample;cell;ERBB2;CEP17\nP01;1;4,5;2\n")
	writeS("fish_cases_text_pct.tsv", "sample\tmean ERBB2\tmean CEP17\t% amplified\nP01\t6.1\t2.0\t40\nP02\t4.0\t2.0\tlots\n")
	writeS("fish_cases_header_only.tsv", "sample\tmean ERBB2\tmean CEP17\tHER2/CEP17 ratio\n")
	writeS("fish_cases_pct_over_100.tsv", "sample\tmean ERBB2\tmean CEP17\t% amplified\nP01\t6.1\t2.0\t140\n")
	writeS("fish_cases_short_row.tsv", "sample\tmean ERBB2\tmean CEP17\t% amplified\nP01\t6.1\t2.0\n")
	writeS("fish_cells_long_row.tsv", "sample\tcell\tERBB2\tCEP17\nP01\t1\t4\t2\t9\n")
	writeS("fish_cases_no_sample_column.tsv", "mean ERBB2\tmean CEP17\tHER2/CEP17 ratio\n6.1\t2.0\t3.05\n")
}

func geneSets() {
	writeS("sets_empty.gmt", "")
	writeS("sets_one_field.gmt", "HALLMARK_A\thttp://x\tERBB2\tGRB7\nBROKEN\n")
	writeS("sets_no_genes.gmt", "SET_A\tdesc\n")
	writeS("sets_empty_name.gmt", "SET_A\tdesc\tERBB2\n\tdesc\tGRB7\n")
	writeS("sets_dup_name.gmt", "SET_A\tdesc\tERBB2\nSET_A\tdesc\tGRB7\n")
	write("sets_binary.gmt", []byte("SET_A\tdesc\t\x00\x01\x02\nSET_B\n"))
	writeS("sets_empty.gmx", "")
	writeS("sets_header_only.gmx", "SET_A\tSET_B\n")
	writeS("sets_dup_name.gmx", "SET_A\tSET_A\ndesc\tdesc\nERBB2\tGRB7\n")
}

func spotFolders() {
	const (
		e = "Log_MAX_AG-0008_S1_C2_Series005_z6_ch02 copy.txt"
		c = "Log_MAX_AG-0008_S1_C2_Series005_z6_ch00 copy.txt"
	)
	writeS("spots_text_count/"+e, "Nucleus,Count\n1,4\n2,five\n")
	writeS("spots_text_count/"+c, "Nucleus,Count\n1,2\n2,2\n")
	writeS("spots_negative/"+e, "1,4\n2,-1\n")
	writeS("spots_negative/"+c, "1,2\n2,2\n")
	writeS("spots_wrong_fields/"+e, "1,4\n2,5,6\n")
	writeS("spots_wrong_fields/"+c, "1,2\n2,2\n")
	writeS("spots_repeated_nucleus/"+e, "1,4\n2,5\n1,6\n")
	writeS("spots_repeated_nucleus/"+c, "1,2\n2,2\n")
	writeS("spots_empty_id/"+e, "1,4\n,5\n")
	writeS("spots_no_match/readme.txt", "no spot files here\n")
}
