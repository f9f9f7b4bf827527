package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/her2het/her2het/core/plotdata"
)

// TSV writes t as tab-separated text that R reads with
// read.delim(file, check.names = FALSE) and gets back the same cells: a header
// line of the column names, then one line per row, each line ending in "\n".
// Cells are written as given except that
//   - an empty cell, "NaN" or "NA" becomes NA (R's missing value);
//   - "+Inf" becomes "Inf" (R reads "Inf" and "-Inf");
//   - tabs, carriage returns and newlines inside a cell become spaces;
//   - a cell containing a double quote is quoted, inner quotes doubled (as R's
//     write.table(qmethod = "double") does), so read.delim's quote handling
//     returns it unchanged.
//
// Numbers are strings here, so their format (e.g. %.17g or shortest round-trip)
// is the caller's choice. It returns an error, before writing anything, when a
// row has a different number of cells than there are columns, or when t has no
// columns; otherwise the first error of w.
func TSV(w io.Writer, t plotdata.Table) error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("report: table %q has no columns", t.ID)
	}
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("report: table %q row %d has %d cells for %d columns", t.ID, i+1, len(row), len(t.Columns))
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	line := func(cells []string, header bool) {
		for i, c := range cells {
			if i > 0 {
				bw.WriteByte('\t')
			}
			bw.WriteString(tsvCell(c, header))
		}
		bw.WriteByte('\n')
	}
	line(t.Columns, true)
	for _, row := range t.Rows {
		line(row, false)
	}
	return bw.Flush()
}

var tsvSpace = strings.NewReplacer("\t", " ", "\r\n", " ", "\r", " ", "\n", " ")

// tsvCell renders one cell; header cells are never turned into NA.
func tsvCell(c string, header bool) string {
	if !header {
		switch c {
		case "", "NA", "NaN":
			return "NA"
		case "+Inf":
			return "Inf"
		}
	}
	if !strings.ContainsAny(c, "\t\r\n\"") {
		return c
	}
	c = tsvSpace.Replace(c)
	if strings.Contains(c, `"`) {
		c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	return c
}
