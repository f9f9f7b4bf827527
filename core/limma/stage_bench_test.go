package limma

import (
	"testing"

	"github.com/her2het/her2het/core/design"
)

func BenchmarkStages285(b *testing.B) {
	counts := simCounts(20000, 285, 1)
	X, _ := design.ModelMatrix("~ timepoint", groupFrame(285))
	v, _ := Voom(counts, X, &VoomOptions{Workers: 1})
	b.Run("voom", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			Voom(counts, X, &VoomOptions{Workers: 1})
		}
	})
	b.Run("lmFitWeighted", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			LmFit(v.E, X, &LmOptions{Weights: v.Weights, Workers: 1})
		}
	})
	b.Run("lmFitPlain", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			LmFit(v.E, X, &LmOptions{Workers: 1})
		}
	})
	f, _ := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Workers: 1})
	b.Run("eBayes", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			g := *f
			EBayes(&g, nil)
		}
	})
}
