package refdata_test

import (
	"fmt"

	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/refdata"
)

func ExampleCollections() {
	for _, c := range refdata.Collections()[:2] {
		fmt.Printf("%s: %d sets, %s\n", c.ID, c.NSets, c.Licence)
	}
	// Output:
	// hallmark: 50 sets, CC BY 4.0
	// reactome: 72 sets, CC BY 4.0
}

func ExamplePAM50() {
	m, err := refdata.PAM50("pam50.robust")
	if err != nil {
		panic(err)
	}
	for i, p := range m.Probes {
		if p == "CDCA1" || p == "KNTC2" || p == "ORC6L" {
			fmt.Println(p, "-> Entrez", m.Entrez[i])
		}
	}
	fmt.Println(m.Std, m.RescaleQ, m.Subtypes)
	// Output:
	// CDCA1 -> Entrez 83540
	// KNTC2 -> Entrez 10403
	// ORC6L -> Entrez 23594
	// robust 0.05 [Basal Her2 LumA LumB Normal]
}

func ExampleToEntrez() {
	user := []geneset.Set{{Name: "MY_SET", Genes: []string{"ERBB2", "HER2", "GRB7", "ENSG00000141738", "NOT_A_GENE"}}}
	sets, unresolved := refdata.ToEntrez(user, nil)
	fmt.Println(sets[0].Genes, unresolved[0])
	// Output:
	// [2064 2886] [NOT_A_GENE]
}
