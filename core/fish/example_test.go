package fish_test

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/fish"
)

func ExampleSummarise() {
	// Two areas of one pretreatment tumour: 20 amplified nuclei in site S1, and in site
	// S2 two of 20 nuclei amplified (10%: heterogeneous).
	var b strings.Builder
	b.WriteString("sample\ttimepoint\tsite\tarea\terbb2\tcep17\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "P1\tpre\tS1\ta1\t8\t4\n")
	}
	for i := 0; i < 20; i++ {
		e := 5
		if i < 2 {
			e = 8
		}
		fmt.Fprintf(&b, "P1\tpre\tS2\ta2\t%d\t3\n", e)
	}
	cells, err := fish.ReadCells(strings.NewReader(b.String()), "cells.tsv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := fish.Summarise(cells, fish.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Areas {
		fmt.Printf("%s/%s: ratio %.3f, mean ERBB2 %.2f, group %d, %.0f%% amplified, %s\n",
			a.Site, a.Name, a.Ratio, a.MeanERBB2, a.Group2018, a.PctAmplified, a.Call)
	}
	t := res.Tumours[0]
	fmt.Println(t.Het, "-", t.Reason)
	// Output:
	// S1/a1: ratio 2.000, mean ERBB2 8.00, group 1, 100% amplified, amplified
	// S2/a2: ratio 1.767, mean ERBB2 5.30, group 4, 10% amplified, heterogeneous
	// HET - HET: area S2/a2 heterogeneous (10% of 20 cells amplified)
}

func ExampleCallCases() {
	cases := []fish.Case{
		{Sample: "C1", MeanERBB2: 4.0, MeanCEP17: 2.0, Ratio: 2.0, PctAmplified: 60, NCells: 20, IHC: fish.IHCUnknown},
		{Sample: "C2", MeanERBB2: 6.0, MeanCEP17: 4.0, Ratio: 1.5, PctAmplified: 5, NCells: 20, IHC: 2},
		{Sample: "C3", MeanERBB2: 3.0, MeanCEP17: 2.0, Ratio: 1.5, PctAmplified: 0, NCells: 19, IHC: fish.IHCUnknown},
	}
	res, _ := fish.CallCases(cases, fish.DefaultOptions())
	for _, c := range res.Cases {
		fmt.Printf("%s: group %d, 2013 %v, status %v, %s\n", c.Sample, c.Group2018, c.Category2013, c.Status, c.Call)
	}
	// Output:
	// C1: group 1, 2013 positive, status positive, amplified
	// C2: group 3, 2013 positive, status positive, non-amplified
	// C3: group 5, 2013 negative, status negative, insufficient
}
