package report_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/her2het/her2het/core/plotdata"
	"github.com/her2het/her2het/core/report"
)

// Example writes a one-section report and a table as TSV.
func Example() {
	tab := plotdata.Table{ID: "erbb2", Title: "ERBB2 by patient", Columns: []string{"patient", "group", "ERBB2"},
		Rows: [][]string{{"P1", "HET/no pCR", "9.25"}, {"P2", "non-HET/pCR", ""}}}
	d := &report.Document{
		Title:     "ERBB2",
		Synthetic: true,
		Sections: []report.Section{{ID: "amplicon", Title: "ERBB2 by group",
			Summary: []string{"ERBB2 is lower in HET tumours."},
			Figures: []plotdata.Figure{{ID: "erbb2", Title: "ERBB2", Kind: plotdata.KindBox, Box: &plotdata.Box{
				Groups: []plotdata.BoxGroup{plotdata.NewBoxGroup("HET/no pCR", []float64{9.25}, nil, []string{"P1"})}}}},
			Tables: []plotdata.Table{tab}}},
		Inputs: []report.Input{{Name: "counts.tsv", Size: 10, SHA256: strings.Repeat("0", 64)}},
	}
	var b bytes.Buffer
	if err := report.HTML(&b, d); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(report.Check(b.Bytes()), strings.Count(b.String(), "<svg "), strings.Contains(b.String(), "Synthetic example data"))
	if err := report.TSV(os.Stdout, tab); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <nil> 1 true
	// patient	group	ERBB2
	// P1	HET/no pCR	9.25
	// P2	non-HET/pCR	NA
}
