package immune_test

import (
	"fmt"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/immune"
)

// Danaher's CD45 score is the expression of PTPRC; the T-cell score averages
// the T-cell markers found (here CD3D and CD3E).
func ExampleDanaher() {
	m := dataset.NewMatrix(dataset.Expression, []string{"PTPRC", "CD3D", "CD3E"}, []string{"s1"})
	copy(m.Data, []float64{8, 5, 7})
	r, err := immune.Danaher(m)
	if err != nil {
		panic(err)
	}
	for k, s := range r.Signatures {
		if s == "CD45" || s == "T_CELLS" {
			fmt.Println(s, r.At(k, 0), r.NFound[k], "of", r.NMarkers[k])
		}
	}
	// Output:
	// CD45 8 1 of 1
	// T_CELLS 6 2 of 6
}
