package geneset

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestOrderRadix: the radix and comparison paths of orderInto both give R's
// stable order(x, decreasing=) (checked against sort.SliceStable), with ties,
// signed zeros, negatives and infinities.
func TestOrderRadix(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 100, 511, 512, 3000} {
		x := make([]float64, n)
		for i := range x {
			switch r.IntN(6) {
			case 0:
				x[i] = math.Copysign(0, -1)
			case 1:
				x[i] = 0
			case 2:
				x[i] = float64(r.IntN(5) - 2)
			case 3:
				x[i] = math.Inf(1 - 2*r.IntN(2))
			default:
				x[i] = r.NormFloat64() * 1e3
			}
		}
		for _, desc := range []bool{false, true} {
			want := make([]int, n)
			for i := range want {
				want[i] = i
			}
			sort.SliceStable(want, func(a, b int) bool {
				if desc {
					return x[want[a]] > x[want[b]]
				}
				return x[want[a]] < x[want[b]]
			})
			got := make([]int, n)
			s := newSorter(n)
			orderInto(x, desc, got, s)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d desc=%v: orderInto differs from a stable sort", n, desc)
			}
			if n >= 2 {
				radixOrder(x, desc, got, s)
				if !slices.Equal(got, want) {
					t.Fatalf("n=%d desc=%v: radixOrder differs", n, desc)
				}
			}
		}
	}
}
