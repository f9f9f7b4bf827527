package gsea

import (
	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/pool"
	"testing"
)

// TestCumulativeBatchFgsea reproduces fgsea's reproducibility test
// (alserglab/fgsea tests/testthat/test_gsea_analysis.R, "fgseaSimple is
// reproducible between platforms, issues #170, #80"): calcGseaStatCumulativeBatch
// on stats (3,1,4.1,42,0,12,13,13,0.01,0), gseaParam 1, pathway scores
// (-0.875, 0.932), sizes (2, 7), 1000 iterations, seed 707850213, "std"
// gives leEs = (35, 968) and geEs = (981, 32). Exact counts.
func TestCumulativeBatchFgsea(t *testing.T) {
	w := []float64{3, 1, 4.1, 42, 0, 12, 13, 13, 0.01, 0}
	for _, workers := range []int{1, 2, 5} {
		c, err := nullCounts(w, []float64{-0.875, 0.932}, []int{2, 7}, 1000, 707850213, pool.Local(workers))
		if err != nil {
			t.Fatal(err)
		}
		if c.leEs[0] != 35 || c.leEs[1] != 968 || c.geEs[0] != 981 || c.geEs[1] != 32 {
			t.Errorf("workers %d: leEs %v geEs %v, want [35 968] [981 32]", workers, c.leEs, c.geEs)
		}
	}
}

// TestFgseaSimpleReproducible: the first half of the same fgsea test,
// set.seed(42); fgseaSimple(some_sets, feats, nproc=1, nperm=1000) gives
// nMoreExtreme = (139, 76). With nperm=1000 fgseaSimple uses one chunk whose
// seed is set.seed(42); sample.int(1e9, 1) = 707850213 (R 4.2.2).
func TestFgseaSimpleReproducible(t *testing.T) {
	feats := []float64{3, -1, -4.1, 42, 0, 12, 13, -13, 0.01, 0}
	genes := make([]string, len(feats))
	for i := range genes {
		genes[i] = "gene" + string(rune('0'+(i+1)%10))
	}
	genes[9] = "gene10"
	r, err := NewRanking(genes, feats)
	if err != nil {
		t.Fatal(err)
	}
	sets := []geneset.Set{
		{Name: "pathway1", Genes: []string{"gene2", "gene3"}},
		{Name: "pathway4", Genes: []string{"gene1", "gene2", "gene3", "gene4", "gene5", "gene6", "gene7"}},
	}
	res, err := Run(r, sets, Options{NPerm: 1000, Seed: 707850213})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].NMoreExtreme != 139 || res[1].NMoreExtreme != 76 {
		t.Errorf("nMoreExtreme = %d, %d; want 139, 76", res[0].NMoreExtreme, res[1].NMoreExtreme)
	}
	t.Logf("%+v", res)
}
