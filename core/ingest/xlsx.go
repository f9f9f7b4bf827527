package ingest

import (
	"bytes"
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
	xlsxCellWarnings(name, f, sh, all, &ld.Report)
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

// maxFormulaChecks bounds the empty cells looked up for a formula.
const maxFormulaChecks = 100000

// xlsxCellWarnings warns about cells whose value the workbook does not hold, at
// their spreadsheet row and column: formulas saved without a result (a program
// that wrote the file did not compute them; they read as empty, i.e. missing) and
// merged ranges (only the first cell holds the value). The worksheet XML is
// searched for formula and merge elements first, so a plain exported table costs
// nothing; a worksheet too large to be held in memory by excelize is not searched.
func xlsxCellWarnings(name string, f *excelize.File, sh string, rows [][]string, rep *Report) {
	var formulas, merged bool
	f.Pkg.Range(func(k, v any) bool {
		p, _ := k.(string)
		b, _ := v.([]byte)
		if strings.HasPrefix(p, "xl/worksheets/") {
			// elements may carry a namespace prefix (<x:f>)
			formulas = formulas || bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) ||
				bytes.Contains(b, []byte(":f>")) || bytes.Contains(b, []byte(":f "))
			merged = merged || bytes.Contains(b, []byte("mergeCell "))
		}
		return true
	})
	if formulas {
		n, checked := 0, 0
		var first string
		var line, col int
	scan:
		for i, r := range rows {
			for j, c := range r {
				if c != "" {
					continue
				}
				if checked++; checked > maxFormulaChecks {
					break scan
				}
				axis, err := excelize.CoordinatesToCellName(j+1, i+1)
				if err != nil {
					continue
				}
				if fm, err := f.GetCellFormula(sh, axis); err == nil && fm != "" {
					if n == 0 {
						first, line, col = axis+" has a formula (="+strings.TrimPrefix(fm, "=")+")", i+1, j+1
					}
					n++
				}
			}
		}
		if n > 0 {
			more := ""
			if n > 1 {
				more = fmt.Sprintf(" (%d cells like this)", n)
			}
			rep.warnf(name, line, col, "cell %s but the workbook holds no result for it, so it reads as empty (missing)%s; open and save the workbook in Excel or LibreOffice to store the results",
				first, more)
		}
	}
	if merged {
		mcs, err := f.GetMergeCells(sh, true)
		if err != nil {
			return
		}
		shown := 0
		for _, mc := range mcs {
			c0, r0, err0 := excelize.CellNameToCoordinates(mc.GetStartAxis())
			c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetEndAxis())
			if err0 != nil || err1 != nil || (c0 == c1 && r0 == r1) {
				continue
			}
			if shown++; shown > 5 {
				continue
			}
			rep.warnf(name, r0, c0, "cells %s:%s are merged: the value is in %s only, the other cells read as empty (missing)",
				mc.GetStartAxis(), mc.GetEndAxis(), mc.GetStartAxis())
		}
		if shown > 5 {
			rep.warnf(name, 0, 0, "%d merged cell ranges in all (the first 5 are listed)", shown)
		}
	}
}
