package report

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

// roundTable has the cells R users trip over: missing values in every spelling,
// infinities, quotes, tabs and newlines inside cells, '#', apostrophes,
// non-ASCII text, surrounding spaces and numbers at the edges of float64.
func roundTable() plotdata.Table {
	return plotdata.Table{ID: "roundtrip", Title: "R round trip",
		Columns: []string{"patient", "group", "say \"hi\"", "x y", "value", "n"},
		Rows: [][]string{
			{"P1", "HET/no pCR", `"quoted"`, "tab\there", "0.30000000000000004", "1"},
			{"P2", "non-HET/pCR", `a"b`, "line\nbreak", "1e-300", "2"},
			{"P3", "", "it's", "cr\r\nlf", "NaN", "3"},
			{"P4", "NA", "#not a comment", " padded ", "+Inf", "4"},
			{"P5", "µ-group", "", "", "-Inf", ""},
			{"P6", "x,y;z", "'single'", "\"", "1.7976931348623157e+308", "6"},
			{"P7", "TRUE", "NA ", "NaN", "-0", "7"},
			{"P8", "0001", "=1+2", "\\t", "4.9406564584124654e-324", "NA"},
		}}
}

// rCell is what R should read for a cell: NA for the missing spellings, "Inf"
// for "+Inf", and spaces for tabs and line breaks.
func rCell(c string) string {
	switch c {
	case "", "NA", "NaN":
		return "NA"
	case "+Inf":
		return "Inf"
	}
	return strings.NewReplacer("\t", " ", "\r\n", " ", "\r", " ", "\n", " ").Replace(c)
}

// TestTSVReadByR checks testdata/roundtrip_r.tsv, what R 4.2.2 read.delim made of
// testdata/roundtrip.tsv (gen/roundtrip.R), against the cells of roundTable, and
// that TSV still writes roundtrip.tsv byte for byte.
func TestTSVReadByR(t *testing.T) {
	tab := roundTable()
	var b bytes.Buffer
	if err := TSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/roundtrip.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("TSV output changed:\n%q\nwant\n%q", b.String(), want)
	}

	f, err := os.Open("testdata/roundtrip_r.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	seen := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		// view row col value: view "chr" (colClasses = "character") or "auto"
		// (read.delim's own conversion; numbers printed with %.17g); row 0 is the
		// header.
		f := strings.SplitN(line, "\t", 4)
		if len(f) != 4 {
			t.Fatalf("bad line %q", line)
		}
		i, _ := strconv.Atoi(f[1])
		j, _ := strconv.Atoi(f[2])
		got := f[3]
		if i == 0 {
			if got != tab.Columns[j-1] {
				t.Errorf("%s header %d: R read %q, want %q", f[0], j, got, tab.Columns[j-1])
			}
			seen++
			continue
		}
		cell := rCell(tab.Rows[i-1][j-1])
		switch {
		case got == cell:
		case f[0] == "auto" && cell != "NA" && got != "NA":
			// A column R converted to numbers: the value must be the same float64.
			w, err1 := strconv.ParseFloat(cell, 64)
			g, err2 := strconv.ParseFloat(got, 64)
			if err1 != nil || err2 != nil || w != g && !(math.IsNaN(w) && math.IsNaN(g)) {
				t.Errorf("auto [%d,%d]: R read %q, want %q", i, j, got, cell)
			}
		default:
			t.Errorf("%s [%d,%d]: R read %q, want %q", f[0], i, j, got, cell)
		}
		seen++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n := 2 * (len(tab.Rows) + 1) * len(tab.Columns); seen != n {
		t.Errorf("%d cells in roundtrip_r.tsv, want %d", seen, n)
	}
}
