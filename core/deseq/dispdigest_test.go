package deseq

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"testing"
)

// TestDispDigest prints a digest of every dispersion output and result
// (DESEQ_DIGEST=1; a measurement aid for bit-identical changes).
func TestDispDigest(t *testing.T) {
	if os.Getenv("DESEQ_DIGEST") == "" {
		t.Skip("set DESEQ_DIGEST=1")
	}
	for _, c := range []struct {
		G, n   int
		paired bool
	}{{6000, 285, false}, {3000, 12, false}, {1500, 285, true}, {3000, 12, true}} {
		cm, X, cols, Xp, colsP := studySim(c.G, c.n)
		if c.paired {
			X, cols = Xp, colsP
		}
		fit, err := Run(cm, X, cols, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		res, err := fit.Results(ResultsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, v := range [][]float64{fit.DispGeneEst, fit.DispMAP, fit.Dispersion} {
			for _, x := range v {
				binary.Write(h, binary.LittleEndian, math.Float64bits(x))
			}
		}
		for _, v := range [][]int{fit.DispIter, fit.DispGeneIter} {
			for _, x := range v {
				binary.Write(h, binary.LittleEndian, int64(x))
			}
		}
		hr := sha256.New()
		for _, v := range [][]float64{res.Log2FoldChange, res.Pvalue, res.Padj} {
			for _, x := range v {
				binary.Write(hr, binary.LittleEndian, math.Float64bits(x))
			}
		}
		t.Logf("%dx%d paired=%v disp %s results %s", c.G, c.n, c.paired, fmt.Sprintf("%x", h.Sum(nil))[:16], fmt.Sprintf("%x", hr.Sum(nil))[:16])
	}
}
