package deseq_test

import (
	"fmt"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/deseq"
)

// A two-group comparison, ~ condition with three samples per group, as
// DESeq(dds) followed by results(dds).
func ExampleRun() {
	genes := []string{"ERBB2", "GRB7", "ESR1", "ACTB", "KRT5", "MKI67", "PGR", "GAPDH"}
	samples := []string{"a1", "a2", "a3", "b1", "b2", "b3"}
	cm := dataset.NewMatrix(dataset.Counts, genes, samples)
	counts := [][]float64{
		{100, 120, 90, 400, 380, 450},
		{50, 60, 45, 160, 150, 170},
		{300, 280, 320, 290, 310, 300},
		{1000, 1100, 950, 1020, 980, 1050},
		{10, 14, 8, 2, 3, 1},
		{80, 70, 95, 85, 75, 90},
		{20, 25, 18, 22, 19, 24},
		{500, 520, 480, 510, 490, 505},
	}
	for g, row := range counts {
		copy(cm.Row(g), row)
	}
	// model.matrix(~ condition): intercept and the indicator of group b
	X := []float64{1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1}
	fit, err := deseq.Run(cm, X, []string{"(Intercept)", "conditionb"}, deseq.Options{
		Factors: []deseq.Factor{{Name: "condition", Levels: []string{"a", "b"}, Values: []string{"a", "a", "a", "b", "b", "b"}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := fit.Results(deseq.ResultsOptions{FactorContrast: []string{"condition", "b", "a"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fit.Coef, fit.Trend.Type)
	for g, name := range res.Genes[:5] {
		fmt.Printf("%-5s baseMean %7.2f log2FoldChange %6.3f lfcSE %.4f padj %.3g\n", name, res.BaseMean[g], res.Log2FoldChange[g], res.LfcSE[g], res.Padj[g])
	}
	// The same numbers as DESeq2 1.38.3 prints for results(dds, contrast = c("condition", "b", "a")).

	// Output:
	// [Intercept condition_b_vs_a] parametric
	// ERBB2 baseMean  253.65 log2FoldChange  1.915 lfcSE 0.1043 padj 2.02e-74
	// GRB7  baseMean  104.87 log2FoldChange  1.557 lfcSE 0.1493 padj 7.34e-25
	// ESR1  baseMean  301.89 log2FoldChange -0.073 lfcSE 0.0840 padj 0.512
	// ACTB  baseMean 1021.30 log2FoldChange -0.073 lfcSE 0.0504 padj 0.296
	// KRT5  baseMean    6.47 log2FoldChange -2.485 lfcSE 0.6922 padj 0.000883
}
