package progeny_test

import (
	"fmt"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/progeny"
)

// Two Androgen-responsive genes in two samples, unscaled: the Androgen score is
// the weighted sum 11.4906307374*TMPRSS2 + 10.6225511027*NKX3-1.
func ExampleScore() {
	m := dataset.NewMatrix(dataset.Expression, []string{"TMPRSS2", "NKX3-1"}, []string{"s1", "s2"})
	copy(m.Data, []float64{1, 2, 1, 0})
	r, err := progeny.Score(m, progeny.Options{Top: 100, Scale: false})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Pathways[0], r.Used[0], "genes")
	fmt.Printf("%.4f %.4f\n", r.At(0, 0), r.At(1, 0))
	// Output:
	// Androgen 2 genes
	// 22.1132 22.9813
}
