package limma

import (
	"testing"
)

// BenchmarkVoomWorkflow285 is the documented workflow (filterByExpr, TMM on
// the kept genes, voom, [duplicateCorrelation,] lmFit, eBayes, topTable) on
// 20,000 genes x 285 samples of 160 patients (125 with two biopsies), one
// worker: ~ timepoint-like two groups without a block, and ~ HET with
// block = patient.
func BenchmarkVoomWorkflow285(b *testing.B) {
	fr := pairedFrame(160, 125)
	n := len(fr.Samples)
	counts := simCounts(20000, n, 12)
	counts.Samples = fr.Samples
	for _, c := range []struct{ name, block string }{{"noblock", ""}, {"block", "patient"}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			t := startCPU(b)
			for i := 0; i < b.N; i++ {
				if _, err := VoomWorkflow(counts, fr, "~ HET", "HET,1,0", &WorkflowOptions{Block: c.block, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
			t.stop(b)
		})
	}
}
