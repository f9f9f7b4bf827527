package edger

import (
	"fmt"
	"testing"
)

// BenchmarkQLWorkflow runs the whole QL pipeline (filterByExpr, TMM,
// estimateDisp, glmQLFit, glmQLFTest) on seeded simulated counts with a
// two-level "~ timepoint" design.
func BenchmarkQLWorkflow(b *testing.B) {
	for _, sh := range []struct{ genes, samples int }{{20000, 12}, {20000, 285}} {
		groups := make([]int, sh.samples)
		for i := range groups {
			groups[i] = i % 2
		}
		m := simCounts(11, sh.genes, sh.samples, groups)
		X := groupDesign(b, groups)
		b.Run(fmt.Sprintf("%dx%d", sh.genes, sh.samples), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := QLWorkflow(m, X, &Options{Coef: -1, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
