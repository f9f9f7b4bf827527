package limma_test

import (
	"fmt"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/design"
	"github.com/her2het/her2het/core/limma"
)

// A limma-trend analysis of a small log-expression matrix: lmFit, eBayes
// with an intensity trend, and the top gene.
func ExampleEBayes() {
	fr := &design.Frame{
		Samples: []string{"a1", "a2", "a3", "b1", "b2", "b3"},
		Columns: map[string][]string{"group": {"A", "A", "A", "B", "B", "B"}},
	}
	X, _ := design.ModelMatrix("~ group", fr)
	y := dataset.NewMatrix(dataset.Expression, []string{"g1", "g2", "g3", "g4", "g5", "g6"}, fr.Samples)
	copy(y.Data, []float64{
		5.1, 4.9, 5.0, 7.2, 7.0, 7.1, // g1: up in B
		3.0, 3.2, 2.9, 3.1, 3.0, 2.8,
		8.0, 8.3, 7.9, 8.1, 8.2, 7.8,
		6.0, 6.4, 5.8, 6.1, 6.3, 5.9,
		2.0, 2.5, 1.6, 2.2, 1.9, 2.4,
		9.1, 9.0, 9.3, 9.2, 8.9, 9.0,
	})
	fit, err := limma.LmFit(y, X, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := limma.EBayes(fit, &limma.EBayesOptions{Trend: true}); err != nil {
		fmt.Println(err)
		return
	}
	top, _ := limma.TopTable(fit, X.Index("groupB"), &limma.TopTableOptions{Number: 1})
	fmt.Printf("%s logFC=%.2f\n", top[0].Gene, top[0].LogFC)
	// Output:
	// g1 logFC=2.10
}
