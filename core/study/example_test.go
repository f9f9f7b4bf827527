package study_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/study"
)

// Example adds a FISH per-case summary and runs the study: only the FISH analysis
// has data, the others say why they were skipped.
func Example() {
	in := &study.Inputs{}
	summary := "sample,timepoint,site,mean_erbb2,mean_cep17,pct_amplified,n_cells\n" +
		"T1,pre,s1,9.5,2.0,92,60\nT1,pre,s2,9.0,2.1,88,60\n" +
		"T2,pre,s1,8.8,2.0,90,60\nT2,pre,s2,4.1,2.0,30,60\n"
	fs, err := in.Add("fish_cases.csv", strings.NewReader(summary), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fs.Kind, fs.Rows)
	res, err := study.Run(context.Background(), in, study.DefaultParams(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range res.Section("fish").Tables[0].Rows {
		fmt.Println(row[0], row[3])
	}
	fmt.Println(res.Section("amplicon").Skipped)
	// Output:
	// fish-cases 4
	// T1 non-HET
	// T2 HET
	// no expression matrix was added
}
