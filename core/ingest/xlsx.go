package ingest

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads the first (or opts.Sheet) worksheet of an .xlsx workbook as a
// sample sheet or a matrix. Line numbers in errors are spreadsheet rows and columns
// are 1-based (A = 1).
func readXLSX(name string, r io.Reader, opts *Options, ld *Loaded) error {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return &ParseError{File: name, Msg: "not a readable .xlsx workbook: " + err.Error()}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return &ParseError{File: name, Msg: "the workbook has no worksheet"}
	}
	sh := sheets[0]
	if opts.Sheet != "" {
		sh = ""
		for _, s := range sheets {
			if s == opts.Sheet {
				sh = s
			}
		}
		if sh == "" {
			return &ParseError{File: name, Msg: fmt.Sprintf("no worksheet %q (the workbook has %s)", opts.Sheet, strings.Join(sheets, ", "))}
		}
	}
	if len(sheets) > 1 {
		ld.Report.notef("worksheet %q read (the workbook has %d: %s)", sh, len(sheets), strings.Join(sheets, ", "))
	}
	// Cells are read twice: as displayed (so dates made from gene names stay
	// "1-Mar" and can be reported) and raw (so numbers keep every digit, not the
	// display format's). A displayed value that is a number takes the raw value.
	all, err := sheetRows(f, sh, excelize.Options{})
	if err != nil {
		return &ParseError{File: name, Line: len(all) + 1, Msg: err.Error()}
	}
	raw, err := sheetRows(f, sh, excelize.Options{RawCellValue: true})
	if err != nil {
		return &ParseError{File: name, Line: len(raw) + 1, Msg: err.Error()}
	}
	for i, r := range all {
		if i >= len(raw) {
			break
		}
		for j, c := range r {
			if j < len(raw[i]) && c != raw[i][j] {
				if _, cls := parseNum([]byte(c), false); cls == numInt || cls == numReal {
					r[j] = raw[i][j]
				}
			}
		}
	}
	// ragged rows: pad to the header width so tables line up
	width := 0
	for _, r := range all {
		if len(r) > width {
			width = len(r)
		}
	}
	for i := range all {
		for len(all[i]) < width {
			all[i] = append(all[i], "")
		}
	}
	// Decide sample sheet vs matrix from the rows as text.
	var sb strings.Builder
	for i, r := range all {
		if i == 12 {
			break
		}
		sb.WriteString(strings.Join(r, "\t"))
		sb.WriteByte('\n')
	}
	kind := Detect(strings.TrimSuffix(name, ".xlsx")+".tsv", []byte(sb.String()))
	src := &sliceSource{rows: all}
	if kind == FormatSampleSheet {
		ld.Sheet, err = readSheet(name, src, opts, &ld.Report)
		return err
	}
	if err := readTable(name, src, opts, ld, nil, 0, nil); err != nil {
		return err
	}
	finishMatrix(name, ld, opts)
	return nil
}

func sheetRows(f *excelize.File, sh string, o excelize.Options) ([][]string, error) {
	rows, err := f.Rows(sh)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all [][]string
	for rows.Next() {
		cols, err := rows.Columns(o)
		if err != nil {
			return all, err
		}
		all = append(all, cols)
	}
	return all, rows.Error()
}
