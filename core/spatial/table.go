package spatial

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is a rectangular text table (an annotation sheet or a sheet of a DSP
// export): a header and rows of cells, each row remembering its line in the file
// (the spreadsheet row for .xlsx).
type Table struct {
	File    string
	Columns []string
	Rows    [][]string
	Lines   []int
	// HeaderLine is the line of the header.
	HeaderLine int
}

// Col returns the index of the first column whose name equals one of names
// (case-insensitive, surrounding spaces ignored), or -1.
func (t *Table) Col(names ...string) int {
	for _, n := range names {
		for j, c := range t.Columns {
			if strings.EqualFold(strings.TrimSpace(c), n) {
				return j
			}
		}
	}
	return -1
}

// Cell returns row i, column j, or "" if the row is short.
func (t *Table) Cell(i, j int) string {
	if j < 0 || j >= len(t.Rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.Rows[i][j])
}

// ReadTable reads a tab- or comma-separated table (the header decides: tab if
// it has a tab). Lines starting with '#' before the header and blank lines are
// skipped; CSV quoting follows RFC 4180. Rows longer than the header are an
// error; shorter rows are padded with empty cells.
func ReadTable(r io.Reader, name string) (*Table, error) {
	br := bufio.NewReader(r)
	t := &Table{File: name}
	ln := 0
	var comma rune
	for {
		raw, err := br.ReadString('\n')
		if raw == "" && err != nil {
			if err != io.EOF {
				return nil, perr(name, ln+1, 0, "read error: %v", err)
			}
			break
		}
		ln++
		if ln == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		line := strings.TrimRight(raw, "\r\n")
		if strings.TrimSpace(line) == "" || (t.Columns == nil && strings.HasPrefix(line, "#")) {
			continue
		}
		if t.Columns == nil {
			comma = ','
			if strings.ContainsRune(line, '\t') {
				comma = '\t'
			}
		}
		var cells []string
		if comma == '\t' {
			cells = strings.Split(line, "\t")
		} else {
			cr := csv.NewReader(strings.NewReader(line))
			cr.FieldsPerRecord = -1
			cr.LazyQuotes = true
			cells, err = cr.Read()
			if err != nil {
				var pe *csv.ParseError
				col := 0
				if errors.As(err, &pe) {
					col = pe.Column
				}
				return nil, perr(name, ln, col, "bad CSV line: %v", err)
			}
		}
		if t.Columns == nil {
			for j := range cells {
				cells[j] = strings.TrimSpace(cells[j])
			}
			t.Columns, t.HeaderLine = cells, ln
			continue
		}
		if len(cells) > len(t.Columns) {
			extra := strings.Join(cells[len(t.Columns):], "")
			if strings.TrimSpace(extra) != "" {
				return nil, perr(name, ln, 0, "%d cells but the header has %d columns", len(cells), len(t.Columns))
			}
			cells = cells[:len(t.Columns)]
		}
		for len(cells) < len(t.Columns) {
			cells = append(cells, "")
		}
		t.Rows = append(t.Rows, cells)
		t.Lines = append(t.Lines, ln)
	}
	if t.Columns == nil {
		return nil, perr(name, 1, 1, "the file is empty (no header)")
	}
	return t, nil
}

// Workbook is an opened .xlsx file.
type Workbook struct {
	name string
	f    *excelize.File
}

// OpenWorkbook opens an .xlsx workbook from r (read fully).
func OpenWorkbook(r io.Reader, name string) (*Workbook, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, perr(name, 0, 0, "read error: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, perr(name, 0, 0, "not a readable .xlsx workbook: %v", err)
	}
	return &Workbook{name: name, f: f}, nil
}

// Sheets lists the worksheets.
func (w *Workbook) Sheets() []string { return w.f.GetSheetList() }

// Close releases the workbook.
func (w *Workbook) Close() error { return w.f.Close() }

// Table reads a worksheet (case-insensitive name; "" = the first) as a Table:
// the first non-empty row is the header. Numbers keep every digit (raw cell
// values). Positions in errors are spreadsheet rows and 1-based columns, with
// the file named "book.xlsx[sheet]".
func (w *Workbook) Table(sheet string) (*Table, error) {
	sheets := w.f.GetSheetList()
	sh := ""
	if sheet == "" && len(sheets) > 0 {
		sh = sheets[0]
	}
	for _, s := range sheets {
		if sheet != "" && strings.EqualFold(s, sheet) {
			sh = s
		}
	}
	if sh == "" {
		return nil, perr(w.name, 0, 0, "no worksheet %q (the workbook has %s)", sheet, strings.Join(sheets, ", "))
	}
	name := fmt.Sprintf("%s[%s]", w.name, sh)
	rows, err := w.f.GetRows(sh, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, perr(name, 0, 0, "%v", err)
	}
	t := &Table{File: name}
	for i, r := range rows {
		empty := true
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		if t.Columns == nil {
			t.Columns = make([]string, len(r))
			for j, c := range r {
				t.Columns[j] = strings.TrimSpace(c)
			}
			for len(t.Columns) > 0 && t.Columns[len(t.Columns)-1] == "" {
				t.Columns = t.Columns[:len(t.Columns)-1]
			}
			t.HeaderLine = i + 1
			continue
		}
		cells := append([]string(nil), r...)
		if len(cells) > len(t.Columns) {
			for j := len(t.Columns); j < len(cells); j++ {
				if strings.TrimSpace(cells[j]) != "" {
					return nil, perr(name, i+1, j+1, "a value right of the last header column")
				}
			}
			cells = cells[:len(t.Columns)]
		}
		for len(cells) < len(t.Columns) {
			cells = append(cells, "")
		}
		t.Rows = append(t.Rows, cells)
		t.Lines = append(t.Lines, i+1)
	}
	if t.Columns == nil {
		return nil, perr(name, 1, 1, "the worksheet is empty")
	}
	return t, nil
}
