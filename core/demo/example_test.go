package demo_test

import (
	"fmt"

	"github.com/her2het/her2het/core/demo"
)

func ExampleGenerate() {
	c, err := demo.Generate(demo.Options{Genes: 2000}) // the default is 20,000 genes
	if err != nil {
		panic(err)
	}
	fmt.Println(len(c.Patients), "patients,", len(c.Samples), "samples,", len(c.Genes), "genes")
	for _, f := range c.Files() {
		fmt.Println(f.Name)
	}
	// Output:
	// 129 patients, 285 samples, 2000 genes
	// README.txt
	// samples.tsv
	// counts.tsv.gz
	// fish_cells.tsv
	// spatial_segments.tsv
	// spatial_counts.tsv
}
