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
		c := startCPU(b)
		for i := 0; i < b.N; i++ {
			Voom(counts, X, &VoomOptions{Workers: 1})
		}
		c.stop(b)
	})
	b.Run("lmFitWeighted", func(b *testing.B) {
		b.ReportAllocs()
		c := startCPU(b)
		for i := 0; i < b.N; i++ {
			LmFit(v.E, X, &LmOptions{Weights: v.Weights, Workers: 1})
		}
		c.stop(b)
	})
	b.Run("lmFitPlain", func(b *testing.B) {
		b.ReportAllocs()
		c := startCPU(b)
		for i := 0; i < b.N; i++ {
			LmFit(v.E, X, &LmOptions{Workers: 1})
		}
		c.stop(b)
	})
	f, _ := LmFit(v.E, X, &LmOptions{Weights: v.Weights, Workers: 1})
	b.Run("eBayes", func(b *testing.B) {
		b.ReportAllocs()
		c := startCPU(b)
		for i := 0; i < b.N; i++ {
			g := *f
			EBayes(&g, nil)
		}
		c.stop(b)
	})
}

// BenchmarkLmFitPatientTimepoint: voom-weighted lmFit with ~ patient +
// timepoint (130 patients, 120 with pre and post: 250 samples, 131
// coefficients), sparse Givens path and dense dqrdc2 path.
func BenchmarkLmFitPatientTimepoint(b *testing.B) {
	fr := ptFrame(130, 120)
	n := len(fr.Samples)
	counts := simCounts(20000, n, 4)
	X, err := design.ModelMatrix("~ patient + timepoint", fr)
	if err != nil {
		b.Fatal(err)
	}
	v, err := Voom(counts, X, nil)
	if err != nil {
		b.Fatal(err)
	}
	// The dense path is timed on the first 1000 genes only (it takes minutes
	// on all of them).
	sub := v.E.SubsetRows(seq(1000))
	for _, sparse := range []bool{true, false} {
		name, E, w := "sparse/20000genes", v.E, v.Weights
		if !sparse {
			name, E, w = "dense/1000genes", sub, v.Weights[:1000*n]
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			withSparse(sparse, func() {
				c := startCPU(b)
				for i := 0; i < b.N; i++ {
					if _, err := LmFit(E, X, &LmOptions{Weights: w, Workers: 1}); err != nil {
						b.Fatal(err)
					}
				}
				c.stop(b)
			})
		})
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
