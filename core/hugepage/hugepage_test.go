package hugepage

import "testing"

// TestAdviseKeepsValues checks that Advise changes no value and accepts every
// size and element type (empty, small, unaligned sub-slices, large).
func TestAdviseKeepsValues(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 4 * Size / 8, 3*Size + 17} {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i) * 0.5
		}
		for _, s := range [][]float64{x, x[min(len(x), 3):]} {
			Advise(s)
		}
		for i, v := range x {
			if v != float64(i)*0.5 {
				t.Fatalf("n=%d: x[%d] = %v after Advise", n, i, v)
			}
		}
		u := make([]uint16, 3*n)
		Advise(u)
		for i, v := range u {
			if v != 0 {
				t.Fatalf("n=%d: u[%d] = %v after Advise", n, i, v)
			}
		}
	}
	Advise([]struct{}(make([]struct{}, 10)))
}
