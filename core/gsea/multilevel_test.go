package gsea

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/geneset"
)

// mlFixture is 2000 N(0,1) statistics (PCG(21,22)) and two sets of 25 genes
// drawn from the top 1000 and top 800 of the ranking.
func mlFixture() (*Ranking, []geneset.Set) {
	r := rand.New(rand.NewPCG(21, 22))
	N := 2000
	genes := make([]string, N)
	stats := make([]float64, N)
	for i := range genes {
		genes[i] = fmt.Sprintf("G%d", i)
		stats[i] = r.NormFloat64()
	}
	rk, _ := NewRanking(genes, stats)
	var sets []geneset.Set
	for _, top := range []int{1000, 800} {
		s := geneset.Set{Name: fmt.Sprint("top", top)}
		for _, i := range r.Perm(top)[:25] {
			s.Genes = append(s.Genes, rk.Genes[i])
		}
		sets = append(sets, s)
	}
	return rk, sets
}

// TestMultilevelAgainstPermutations: multilevel p-values (1000 simple
// permutations + refinement) agree with 3·10^6 simple permutations (Run with
// NPerm 3e6, Seed 4: p = 5.15e-4 from nMoreExtreme 748, and 1.14e-4 from 165)
// within 3 standard errors (log2err combined with the reference's Poisson
// error, plus 0.2 bits), for two seeds; Workers does not change them.
func TestMultilevelAgainstPermutations(t *testing.T) {
	rk, sets := mlFixture()
	ref := []struct {
		p   float64
		nME int
	}{{5.15e-4, 748}, {1.14e-4, 165}}
	for seed := uint32(1); seed <= 2; seed++ {
		ml, err := Run(rk, sets, Options{NPerm: 1000, Seed: seed, Multilevel: true, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		ml2, _ := Run(rk, sets, Options{NPerm: 1000, Seed: seed, Multilevel: true, Workers: 3})
		for i, x := range ml {
			if x.PValue != ml2[i].PValue || x.Log2Err != ml2[i].Log2Err {
				t.Errorf("seed %d %s: workers change the result", seed, x.Pathway)
			}
			if math.IsNaN(x.Log2Err) || x.NMoreExtreme > 5 {
				t.Fatalf("seed %d %s: not refined (nME %d, log2err %v)", seed, x.Pathway, x.NMoreExtreme, x.Log2Err)
			}
			se := math.Sqrt(x.Log2Err*x.Log2Err + 1/float64(ref[i].nME)/(math.Ln2*math.Ln2))
			if d := math.Abs(math.Log2(x.PValue / ref[i].p)); d > 3*se+0.2 {
				t.Errorf("seed %d %s: p %.3g vs reference %.3g: |log2 ratio| %.2f > %.2f", seed, x.Pathway, x.PValue, ref[i].p, d, 3*se+0.2)
			}
		}
	}
}

// TestMultilevelEps: a set of the 30 top genes has p below Eps, which is
// reported as Eps with log2err NaN; a depleted set (bottom genes) is refined
// on the reversed ranking.
func TestMultilevelEps(t *testing.T) {
	rk, _ := mlFixture()
	N := len(rk.Genes)
	top := geneset.Set{Name: "top", Genes: rk.Genes[:30]}
	bottom := geneset.Set{Name: "bottom", Genes: rk.Genes[N-30:]}
	res, err := Run(rk, []geneset.Set{top, bottom}, Options{NPerm: 1000, Seed: 9, Multilevel: true, Eps: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range res {
		if x.PValue != 1e-8 || !math.IsNaN(x.Log2Err) {
			t.Errorf("%s: p %v log2err %v, want 1e-8 and NaN", x.Pathway, x.PValue, x.Log2Err)
		}
	}
	if res[0].ES < 0.9 || res[1].ES > -0.9 || res[0].PAdj != 1e-8 {
		t.Errorf("ES %v %v padj %v", res[0].ES, res[1].ES, res[0].PAdj)
	}
}

// TestMultilevelSimpleKept: a set with many more-extreme null draws keeps its
// simple p-value, with fgsea's log2err sqrt(ψ'(nME+1) - ψ'(nPerm+1))/log 2.
func TestMultilevelSimpleKept(t *testing.T) {
	rk, _ := mlFixture()
	set := geneset.Set{Name: "spread"}
	for i := 0; i < 40; i++ {
		set.Genes = append(set.Genes, rk.Genes[i*50+7])
	}
	a, _ := Run(rk, []geneset.Set{set}, Options{NPerm: 1000, Seed: 2})
	b, _ := Run(rk, []geneset.Set{set}, Options{NPerm: 1000, Seed: 2, Multilevel: true})
	if a[0].PValue != b[0].PValue || a[0].NMoreExtreme < 100 {
		t.Fatalf("simple %+v multilevel %+v", a[0], b[0])
	}
	if want := 0.09; math.Abs(b[0].Log2Err-want) > 0.05 || !math.IsNaN(a[0].Log2Err) {
		t.Errorf("log2err %v (simple run %v)", b[0].Log2Err, a[0].Log2Err)
	}
}

func TestQbeta(t *testing.T) {
	for _, tc := range []struct{ p, a, b float64 }{{0.025, 1, 1000}, {0.975, 5, 996}, {0.5, 2, 3}} {
		q := qbeta(tc.p, tc.a, tc.b)
		if got := dist_pbeta(q, tc.a, tc.b); math.Abs(got-tc.p) > 1e-9 {
			t.Errorf("qbeta(%v,%v,%v) = %v, pbeta back = %v", tc.p, tc.a, tc.b, q, got)
		}
	}
}
