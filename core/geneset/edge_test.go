package geneset_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/her2het/her2het/core/dataset"
	"github.com/her2het/her2het/core/geneset"
)

// edgeMatrix simulates n genes (g000...) x k samples of log-expression.
func edgeMatrix(seed uint64, n, k int) *dataset.Matrix {
	rng := rand.New(rand.NewPCG(seed, 31))
	genes := make([]string, n)
	for i := range genes {
		genes[i] = fmt.Sprintf("g%03d", i)
	}
	samples := make([]string, k)
	for i := range samples {
		samples[i] = fmt.Sprintf("s%02d", i)
	}
	m := dataset.NewMatrix(dataset.Expression, genes, samples)
	for i := range m.Data {
		m.Data[i] = 5 + 2*rng.NormFloat64()
	}
	return m
}

var edgeSets = []geneset.Set{
	{Name: "A", Genes: []string{"g000", "g001", "g002", "g003", "g004", "g005"}},
	{Name: "B", Genes: []string{"g010", "g011", "g012", "g013", "g014"}},
}

var edgeMethods = []geneset.Method{geneset.GSVA, geneset.SSGSEA, geneset.ZScore, geneset.PLAGE}

// TestEdgeCases checks Score's documented behaviour on constant genes, NaN
// rows, sets with no genes found, one sample and size bounds, for every method.
func TestEdgeCases(t *testing.T) {
	for _, meth := range edgeMethods {
		opt := geneset.DefaultOptions(meth)
		opt.Workers = 1
		name := fmt.Sprint(meth)
		t.Run(name+"/constant gene discarded (GSVA, z-score, PLAGE) or kept (ssGSEA)", func(t *testing.T) {
			m := edgeMatrix(1, 60, 8)
			for s := 0; s < 8; s++ {
				m.Set(0, s, 4)
			}
			sc, err := geneset.Score(m, edgeSets, opt)
			if err != nil {
				t.Fatal(err)
			}
			want := 5
			if meth == geneset.SSGSEA {
				want = 6
			}
			if sc.Found[0] != want {
				t.Errorf("set A found %d genes, want %d", sc.Found[0], want)
			}
			edgeFinite(t, sc)
		})
		t.Run(name+"/NaN row discarded", func(t *testing.T) {
			m := edgeMatrix(2, 60, 8)
			m.Set(1, 3, math.NaN())
			m.Set(2, 5, math.Inf(1))
			sc, err := geneset.Score(m, edgeSets, opt)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Found[0] != 4 || sc.GenesUsed != 58 {
				t.Errorf("found %d genes of A and used %d rows, want 4 and 58", sc.Found[0], sc.GenesUsed)
			}
			edgeFinite(t, sc)
		})
		t.Run(name+"/a set with no gene found is dropped", func(t *testing.T) {
			sets := append([]geneset.Set{{Name: "NONE", Genes: []string{"XYZ1", "XYZ2"}}}, edgeSets...)
			sc, err := geneset.Score(edgeMatrix(3, 60, 8), sets, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(sc.Dropped) != 1 || sc.Dropped[0].Name != "NONE" || sc.Dropped[0].Found != 0 || sc.Matrix.Rows() != 2 {
				t.Errorf("dropped %+v, %d sets scored", sc.Dropped, sc.Matrix.Rows())
			}
		})
		t.Run(name+"/no gene of any set found is an error", func(t *testing.T) {
			_, err := geneset.Score(edgeMatrix(4, 60, 8), []geneset.Set{{Name: "NONE", Genes: []string{"XYZ1"}}}, opt)
			if err == nil {
				t.Fatal("scored sets with no gene in the data")
			}
		})
		t.Run(name+"/no set within the size bounds is an error", func(t *testing.T) {
			o := opt
			o.MinSize = 10
			_, err := geneset.Score(edgeMatrix(5, 60, 8), edgeSets, o)
			if err == nil {
				t.Fatal("scored sets below MinSize")
			}
		})
		t.Run(name+"/every gene constant is an error or NaN-free", func(t *testing.T) {
			m := edgeMatrix(6, 30, 6)
			for i := range m.Data {
				m.Data[i] = 2
			}
			sc, err := geneset.Score(m, edgeSets, opt)
			if meth == geneset.SSGSEA {
				// ssGSEA keeps constant rows: all genes tie; scores must still be numbers.
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("every gene constant: scored %v", sc.Matrix.Data)
			}
		})
		t.Run(name+"/one sample", func(t *testing.T) {
			sc, err := geneset.Score(edgeMatrix(7, 60, 1), edgeSets, opt)
			if meth == geneset.SSGSEA {
				if err != nil {
					t.Fatal(err)
				}
				edgeFinite(t, sc)
				return
			}
			if err == nil || !strings.Contains(err.Error(), "sample") {
				t.Fatalf("err = %v, want an error about too few samples", err)
			}
		})
	}
}

func edgeFinite(t *testing.T, sc *geneset.Scores) {
	t.Helper()
	for i, v := range sc.Matrix.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("score %d = %v", i, v)
		}
	}
}
