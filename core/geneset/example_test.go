package geneset_test

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/geneset"
)

func ExampleScore() {
	sets, err := geneset.ReadGMT("sets.gmt", strings.NewReader("UP\tgenes up in s2\tg1\tg2\tmissing\nDOWN\t\tg3\tg4\n"))
	if err != nil {
		panic(err)
	}
	m := dataset.NewMatrix(dataset.Expression,
		[]string{"g1", "g2", "g3", "g4", "g5", "g6"}, []string{"s1", "s2", "s3"})
	copy(m.Data, []float64{
		1, 5, 2,
		2, 6, 1,
		6, 1, 5,
		5, 2, 6,
		3, 3, 4,
		4, 4, 3,
	})
	res, err := geneset.Score(m, sets, geneset.DefaultOptions(geneset.ZScore))
	if err != nil {
		panic(err)
	}
	for i, name := range res.Matrix.Genes {
		fmt.Printf("%s found %d of %d:", name, res.Found[i], res.Size[i])
		for _, v := range res.Matrix.Row(i) {
			fmt.Printf(" %6.3f", v)
		}
		fmt.Println()
	}
	// Output:
	// UP found 2 of 3: -0.833  1.594 -0.761
	// DOWN found 2 of 2:  0.761 -1.594  0.833
}
