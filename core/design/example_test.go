package design_test

import (
	"fmt"

	"github.com/her2het/her2het/core/design"
)

func ExampleModelMatrix() {
	fr := &design.Frame{
		Samples: []string{"s1", "s2", "s3", "s4"},
		Columns: map[string][]string{
			"patient":   {"P1", "P1", "P2", "P2"},
			"timepoint": {"Pre", "Post", "Pre", "Post"},
		},
		Levels: map[string][]string{"timepoint": {"pre", "post"}},
	}
	m, err := design.ModelMatrix("~ patient + timepoint", fr)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Columns)
	c, _ := design.ContrastVector(m, "timepoint,Post,Pre")
	fmt.Println(c, m.CheckRank())
	// Output:
	// [(Intercept) patientP2 timepointPost]
	// [0 0 1] <nil>
}

func ExampleMatrix_CheckRank() {
	fr := &design.Frame{
		Samples: []string{"a1", "a2", "b1", "b2", "c1", "c2"},
		Columns: map[string][]string{
			"patient": {"A", "A", "B", "B", "C", "C"},
			"HET":     {"1", "1", "0", "0", "0", "0"},
		},
	}
	m, _ := design.ModelMatrix("~ patient + HET", fr)
	fmt.Println(m.CheckRank())
	// Output:
	// design: the design matrix has rank 3 < 4 columns; not estimable: HET1. patient is nested in HET: each patient has one HET value, so HET cannot be estimated with patient in the model
}
