package gsea

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/her2het/her2het/core/geneset"
	"github.com/her2het/her2het/core/pool"
)

// reversePool runs the tasks of a Run in reverse order, one at a time, through
// the kernel registry (as a browser helper would): results must not depend on
// the order tasks finish in.
type reversePool int

func (r reversePool) Size() int { return int(r) }

func (r reversePool) Run(name string, tasks [][]byte) ([][]byte, error) {
	k, ok := pool.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("no kernel %s", name)
	}
	out := make([][]byte, len(tasks))
	for i := len(tasks) - 1; i >= 0; i-- {
		b, err := pool.Call(k, append([]byte(nil), tasks[i]...))
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// failPool fails every Run, as a browser pool whose helper died.
type failPool struct{}

func (failPool) Size() int { return 2 }
func (failPool) Run(string, [][]byte) ([][]byte, error) {
	return nil, errors.New("a helper worker stopped")
}

// resultHash hashes every number of every result, bit for bit.
func resultHash(res []Result) string {
	h := sha256.New()
	for _, r := range res {
		h.Write([]byte(r.Pathway))
		for _, v := range []float64{r.ES, r.NES, r.PValue, r.PAdj, r.Log2Err} {
			binary.Write(h, binary.LittleEndian, math.Float64bits(v))
		}
		binary.Write(h, binary.LittleEndian, int64(r.NMoreExtreme))
		binary.Write(h, binary.LittleEndian, int64(r.Size))
		for _, g := range r.LeadingEdge {
			h.Write([]byte(g))
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16]
}

func poolCase() (*Ranking, []geneset.Set) {
	r := rand.New(rand.NewPCG(11, 12))
	N := 2000
	genes := make([]string, N)
	st := make([]float64, N)
	for i := range genes {
		genes[i] = fmt.Sprintf("G%d", i)
		st[i] = r.NormFloat64()
	}
	rk, _ := NewRanking(genes, st)
	sets := []geneset.Set{{Name: "top", Genes: rk.Genes[:30]}, {Name: "bottom", Genes: rk.Genes[N-25:]}}
	for s := 0; s < 15; s++ {
		set := geneset.Set{Name: fmt.Sprintf("rnd%d", s)}
		for _, i := range r.Perm(N)[:5+r.IntN(150)] {
			set.Genes = append(set.Genes, genes[i])
		}
		sets = append(sets, set)
	}
	return rk, sets
}

// TestPoolBitwise: the permutation null run on 1, 2, 3 and 7 parts (goroutines,
// or tasks one by one in reverse order) gives bitwise the same results, and the same as the
// sequential code before the pool existed (hash recorded from commit e6a23f1's
// gsea.Run with Workers 1 on these cases).
func TestPoolBitwise(t *testing.T) {
	rk, sets := poolCase()
	cases := []struct {
		name  string
		nperm int
		want  string
	}{
		{"1000 permutations", 1000, "ff48203b3ecc4dc8"},
		{"1300 permutations", 1300, "05a90b885df0a7d1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pools := []pool.Pool{nil, pool.Local(1), pool.Local(2), pool.Local(3), reversePool(7)}
			var first string
			for i, p := range pools {
				res, err := Run(rk, sets, Options{NPerm: c.nperm, Seed: 5, Workers: 2, Pool: p})
				if err != nil {
					t.Fatal(err)
				}
				h := resultHash(res)
				if i == 0 {
					first = h
					t.Logf("hash %s", h)
				} else if h != first {
					t.Errorf("pool %d (size %d): hash %s, want %s", i, p.Size(), h, first)
				}
			}
			if first != c.want {
				t.Errorf("hash %s differs from the sequential code's %s", first, c.want)
			}
		})
	}
}

func TestPoolError(t *testing.T) {
	rk, sets := poolCase()
	if _, err := Run(rk, sets, Options{NPerm: 100, Pool: failPool{}}); err == nil || err.Error() != "a helper worker stopped" {
		t.Fatalf("err = %v, want the pool's error", err)
	}
}

// TestNullKernelCorrupt: malformed task bytes are an error, never a panic.
func TestNullKernelCorrupt(t *testing.T) {
	good := (&nullTask{w: []float64{1, 2, 3, 4}, distinct: []int{1, 2}, nb: 3, rng: newMT(1)}).encode()
	if _, err := nullKernel(good); err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)-3],
		"size >= N": (&nullTask{w: []float64{1, 2}, distinct: []int{1, 2}, nb: 3, rng: newMT(1)}).encode(),
		"no sizes":  (&nullTask{w: []float64{1, 2}, nb: 3, rng: newMT(1)}).encode(),
		"unsorted":  (&nullTask{w: []float64{1, 2, 3, 4}, distinct: []int{2, 1}, nb: 3, rng: newMT(1)}).encode(),
		"zero size": (&nullTask{w: []float64{1, 2, 3, 4}, distinct: []int{0, 1}, nb: 3, rng: newMT(1)}).encode(),
		"negative":  (&nullTask{w: []float64{1, 2, 3, 4}, distinct: []int{1}, nb: -1, rng: newMT(1)}).encode(),
	}
	for name, in := range bad {
		if _, err := pool.Call(nullKernel, in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func BenchmarkNullPool(b *testing.B) {
	rk, sets := poolCase()
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(rk, sets, Options{NPerm: 1000, Seed: 5, Pool: pool.Local(n)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
