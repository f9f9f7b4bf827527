package deseq

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestCountTablePrepare checks prepare (its counting sort for counts below
// 4096, the sort path above) and prepareFrom against the definition: the
// distinct non-zero counts ascending, their multiplicities, each sample's
// index (-1 for zero), the samples by count (zeros first, by sample within a
// count) and the group starts; over repeated calls on one table (stamps of
// earlier genes), a generation wrap, and rows of zeros, one sample, ties and
// large counts.
func TestCountTablePrepare(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	ct := newCountTable(300)
	for it := 0; it < 3000; it++ {
		m := 1 + rng.IntN(300)
		y := make([]float64, m)
		for j := range y {
			switch it % 5 {
			case 0:
				y[j] = float64(rng.IntN(5))
			case 1:
				y[j] = math.Floor(rng.ExpFloat64() * 300)
			case 2:
				y[j] = math.Floor(rng.ExpFloat64() * 3000) // some >= 4096
			case 3:
				y[j] = float64(rng.IntN(2) * (1 + rng.IntN(4095)))
			default:
				y[j] = 0
			}
		}
		if it == 1500 {
			ct.gen = math.MaxUint32 // the next prepare wraps
		}
		ct.prepare(y)
		checkCountTable(t, it, ct, y)
		// prepareFrom the saved order gives the same table
		hint := make([]uint16, m)
		ct.savePerm(hint)
		ct2 := newCountTable(300)
		ct2.hint = hint
		ct2.prepare(y)
		checkCountTable(t, it, ct2, y)
	}
}

func checkCountTable(t *testing.T, it int, ct *countTable, y []float64) {
	t.Helper()
	m := len(y)
	var u []float64
	for _, v := range y {
		if v != 0 {
			u = append(u, v)
		}
	}
	sort.Float64s(u)
	u = slices.Compact(u)
	if !slices.Equal(ct.uniq, u) {
		t.Fatalf("it %d: uniq %v, want %v", it, ct.uniq, u)
	}
	perm := make([]int32, m)
	for j := range perm {
		perm[j] = int32(j)
	}
	sort.SliceStable(perm, func(a, b int) bool { return y[perm[a]] < y[perm[b]] })
	if !slices.Equal(ct.perm[:m], perm) {
		t.Fatalf("it %d: perm %v, want %v", it, ct.perm[:m], perm)
	}
	gs := []int32{0}
	nz := int32(0)
	for _, v := range y {
		if v == 0 {
			nz++
		}
	}
	gs = append(gs, nz)
	for k, v := range u {
		c := int32(0)
		for j, w := range y {
			if w == v {
				c++
				if ct.uidx[j] != int32(k) {
					t.Fatalf("it %d: uidx[%d] = %d, want %d", it, j, ct.uidx[j], k)
				}
			}
		}
		if ct.n[k] != c {
			t.Fatalf("it %d: n[%d] = %d, want %d", it, k, ct.n[k], c)
		}
		gs = append(gs, gs[len(gs)-1]+c)
	}
	if !slices.Equal(ct.gs[:len(u)+2], gs) {
		t.Fatalf("it %d: gs %v, want %v", it, ct.gs[:len(u)+2], gs)
	}
	for j, v := range y {
		if v == 0 && ct.uidx[j] != -1 {
			t.Fatalf("it %d: uidx[%d] = %d for a zero", it, j, ct.uidx[j])
		}
	}
}
