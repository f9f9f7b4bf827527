package norm_test

import (
	"fmt"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/norm"
)

func exampleCounts() *dataset.Matrix {
	m := dataset.NewMatrix(dataset.Counts,
		[]string{"ERBB2", "GRB7", "ESR1", "PGR", "MKI67", "ACTB"},
		[]string{"pre1", "post1", "pre2"})
	copy(m.Data, []float64{
		120, 60, 300,
		80, 35, 190,
		10, 40, 12,
		0, 5, 2,
		30, 20, 70,
		1000, 900, 2100,
	})
	return m
}

// TMM factors and log-CPM, as edgeR's calcNormFactors() then cpm(y, log = TRUE)
// (the printed numbers are R 4.2.2 / edgeR 3.40.2's, rounded).
func ExampleNormFactors() {
	m := exampleCounts()
	lib, _ := norm.LibSizes(m)
	nf, err := norm.NormFactors(m, norm.NormOptions{Method: norm.TMM})
	if err != nil {
		fmt.Println(err)
		return
	}
	logcpm, _ := norm.LogCPM(m, norm.EffectiveLibSizes(lib, nf), 2)
	fmt.Printf("lib.size %v\n", lib)
	fmt.Printf("norm.factors %.4f\n", nf)
	fmt.Printf("ERBB2 logCPM %.3f\n", logcpm.Row(0))
	// Output:
	// lib.size [1240 1060 2674]
	// norm.factors [0.9942 1.0360 0.9709]
	// ERBB2 logCPM [16.585 15.766 16.830]
}

// DESeq2's median-of-ratios size factors and the VST with a parametric trend
// (numbers checked with DESeq2 1.38.3's estimateSizeFactorsForMatrix and the VST formula).
func ExampleVST() {
	m := exampleCounts()
	sf, err := norm.SizeFactors(m, norm.SizeFactorOptions{Type: norm.Ratio})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := norm.VST(m, sf, norm.DispersionFit{Type: norm.Parametric, AsymptDisp: 0.05, ExtraPois: 1})
	fmt.Printf("size factors %.4f\n", sf)
	fmt.Printf("ACTB vst %.3f\n", v.Row(5))
	// Output:
	// size factors [0.8631 0.5754 2.0138]
	// ACTB vst [10.203 10.629 10.054]
}
