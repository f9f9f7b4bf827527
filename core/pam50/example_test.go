package pam50_test

import (
	"fmt"

	"github.com/her2het/her2het/core/pam50"
)

func ExampleSwitchTable() {
	samples := []string{"A_pre", "A_post", "B_pre", "B_post"}
	calls := []string{"Her2", "LumA", "Basal", "Basal"}
	patient := map[string]string{"A_pre": "A", "A_post": "A", "B_pre": "B", "B_post": "B"}
	timepoint := map[string]string{"A_pre": "pre", "A_post": "post", "B_pre": "pre", "B_post": "post"}
	sw, err := pam50.SwitchTable(samples, calls, patient, timepoint, "pre", "post")
	if err != nil {
		panic(err)
	}
	for _, s := range sw {
		fmt.Println(s.Patient, s.Pre, "->", s.Post, s.Switched)
	}
	// Output:
	// A Her2 -> LumA true
	// B Basal -> Basal false
}

func ExampleSpearman() {
	fmt.Printf("%.4f\n", pam50.Spearman([]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5}))
	// Output:
	// 0.8000
}
