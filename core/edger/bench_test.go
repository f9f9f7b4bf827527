package edger

import (
	"fmt"
	"testing"

	"github.com/her2het/her2het/core/design"
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

// BenchmarkQLWorkflowPaired: "~ patient + timepoint" (patients x 2
// timepoints; Levenberg fits on the sparse path).
func BenchmarkQLWorkflowPaired(b *testing.B) {
	for _, sh := range []struct{ genes, patients int }{{2000, 143}, {20000, 143}} {
		n := 2 * sh.patients
		groups := make([]int, n)
		for i := range groups {
			groups[i] = i / sh.patients
		}
		m := simCounts(13, sh.genes, n, groups)
		p := sh.patients + 1
		x := make([]float64, n*p)
		cols := []string{"(Intercept)"}
		for k := 1; k < sh.patients; k++ {
			cols = append(cols, fmt.Sprintf("patient%d", k))
		}
		cols = append(cols, "timepointpost")
		for i := 0; i < n; i++ {
			x[i*p] = 1
			if pt := i % sh.patients; pt > 0 {
				x[i*p+pt] = 1
			}
			x[i*p+p-1] = float64(groups[i])
		}
		X, err := design.FromValues(cols, n, x)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dx%d", sh.genes, n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := QLWorkflow(m, X, &Options{Coef: -1, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
