package gsea_test

import (
	"fmt"

	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/gsea"
)

func ExampleRun() {
	genes := []string{"gene1", "gene2", "gene3", "gene4", "gene5", "gene6", "gene7", "gene8", "gene9", "gene10"}
	stats := []float64{3, -1, -4.1, 42, 0, 12, 13, -13, 0.01, 0}
	r, err := gsea.NewRanking(genes, stats)
	if err != nil {
		panic(err)
	}
	sets := []geneset.Set{
		{Name: "pathway1", Genes: []string{"gene2", "gene3"}},
		{Name: "pathway4", Genes: []string{"gene1", "gene2", "gene3", "gene4", "gene5", "gene6", "gene7"}},
	}
	res, err := gsea.Run(r, sets, gsea.Options{NPerm: 1000, Seed: 707850213})
	if err != nil {
		panic(err)
	}
	for _, x := range res {
		fmt.Printf("%s ES=%.4f NES=%.4f p=%.4f nMoreExtreme=%d edge=%v\n", x.Pathway, x.ES, x.NES, x.PValue, x.NMoreExtreme, x.LeadingEdge)
	}
	// Output:
	// pathway1 ES=-0.8750 NES=-1.2367 p=0.3077 nMoreExtreme=139 edge=[gene3 gene2]
	// pathway4 ES=0.9321 NES=1.2891 p=0.1010 nMoreExtreme=76 edge=[gene4 gene7 gene6 gene1]
}
