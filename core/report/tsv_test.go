package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/plotdata"
)

func TestTSV(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    plotdata.Table
		want string
		err  string
	}{
		{"plain", plotdata.Table{ID: "a", Columns: []string{"gene", "logFC", "p"},
			Rows: [][]string{{"ERBB2", "1.5", "0.0001"}, {"GRB7", "-0.30000000000000004", "1e-300"}}},
			"gene\tlogFC\tp\nERBB2\t1.5\t0.0001\nGRB7\t-0.30000000000000004\t1e-300\n", ""},
		{"missing values", plotdata.Table{ID: "b", Columns: []string{"x", "y", "z", "w"},
			Rows: [][]string{{"", "NaN", "NA", "+Inf"}, {"-Inf", "Inf", "0", "nan"}}},
			"x\ty\tz\tw\nNA\tNA\tNA\tInf\n-Inf\tInf\t0\tnan\n", ""},
		{"whitespace and quotes", plotdata.Table{ID: "c", Columns: []string{"a b", "say \"hi\""},
			Rows: [][]string{{"tab\there", "line\nbreak\r\nand\rcr"}, {`"quoted"`, "it's"}}},
			"a b\t\"say \"\"hi\"\"\"\ntab here\tline break and cr\n\"\"\"quoted\"\"\"\tit's\n", ""},
		{"header only", plotdata.Table{ID: "d", Columns: []string{"only"}}, "only\n", ""},
		{"empty header cell kept", plotdata.Table{ID: "e", Columns: []string{"", "v"}, Rows: [][]string{{"r1", "1"}}}, "\tv\nr1\t1\n", ""},
		{"no columns", plotdata.Table{ID: "f"}, "", `table "f" has no columns`},
		{"short row", plotdata.Table{ID: "g", Columns: []string{"a", "b"}, Rows: [][]string{{"1", "2"}, {"1"}}}, "", `table "g" row 2 has 1 cells for 2 columns`},
		{"long row", plotdata.Table{ID: "h", Columns: []string{"a"}, Rows: [][]string{{"1", "2"}}}, "", "row 1 has 2 cells"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			err := TSV(&b, tc.t)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if b.Len() != 0 {
					t.Errorf("wrote %q before failing", b.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("got\n%q\nwant\n%q", b.String(), tc.want)
			}
		})
	}
}

// TestTSVShape is the property R relies on: one line per row plus the header,
// and as many tab-separated fields on every line as there are columns.
func TestTSVShape(t *testing.T) {
	tab := plotdata.Table{ID: "p", Columns: []string{"a\tb", "c\nd", "e"}}
	for _, cell := range []string{"", "x", "\t", "\n", "\r\n", "\"", "a\t\"b\"\nc", "NA", "\t\t"} {
		tab.Rows = append(tab.Rows, []string{cell, cell + cell, "z"})
	}
	var b bytes.Buffer
	if err := TSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(tab.Rows)+1 {
		t.Fatalf("%d lines for %d rows + header", len(lines), len(tab.Rows))
	}
	for i, l := range lines {
		if n := strings.Count(l, "\t") + 1; n != 3 {
			t.Errorf("line %d %q has %d fields", i+1, l, n)
		}
		if strings.Contains(l, "\r") {
			t.Errorf("line %d has a carriage return", i+1)
		}
	}
}

func TestTSVWriterError(t *testing.T) {
	tab := longTable("x", 10000)
	if err := TSV(&failWriter{n: 1000}, tab); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("got %v", err)
	}
}
