package deseq

import (
	"fmt"
	"os"
	"testing"
)

// benchGenes is the number of genes of the stage benchmarks: 20000, or
// DESEQ_BENCH_GENES (e.g. fewer under valgrind).
func benchGenes() int {
	g := 20000
	if v := os.Getenv("DESEQ_BENCH_GENES"); v != "" {
		fmt.Sscan(v, &g)
	}
	return g
}

// BenchmarkGLMStage is the Wald step alone (GLM fits with Cook's distances,
// the Wald statistics and maxCooks) of ~ timepoint on the bench data
// (studySim 20000 x 285), after one Run for its dispersions; one worker,
// CPU seconds per op reported. Session 5 (2026-11-29, load ~8, alternating
// with the session's starting code 3e557f1, 3 pairs): 0.75/0.73/0.72 ->
// 0.62/0.73/0.62 s; under callgrind (DESEQ_BENCH_GENES=2000) 630M -> 541M
// instructions per stage.
func BenchmarkGLMStage(b *testing.B) {
	cm, X, cols, _, _ := studySim(benchGenes(), 285)
	fit, err := Run(cm, X, cols, Options{Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	m, p := fit.M, fit.P
	st := &state{f: fit, d: newDesign(fit.X, m, p), qr: newThinQR(fit.X, m, p), G: cm.Rows(), m: m, p: p}
	nz := nonZero(fit.AllZero)
	// the gene-wise step leaves each gene's count order for the GLM, as in Run
	if _, err := st.geneWise(nz, cm.Data, fit.BaseMean, fit.BaseVar); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		if err := st.waldFit(nz, cm.Data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
}

// BenchmarkSizeFactorsStudy is SizeFactors and the base means on the bench
// data (studySim 20000 x 285). Session 5 (alternating, 3 pairs): 0.20 ->
// 0.10 s CPU with the one-pass medians.
func BenchmarkSizeFactorsStudy(b *testing.B) {
	cm, _, _, _, _ := studySim(benchGenes(), 285)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		sf, err := SizeFactors(cm, Ratio)
		if err != nil {
			b.Fatal(err)
		}
		baseMeansAndVars(cm.Data, sf, cm.Rows(), cm.Cols())
	}
	b.ReportMetric((cpuSeconds()-c0)/float64(b.N), "cpu-s/op")
}
