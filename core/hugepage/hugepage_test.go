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

// TestMake checks Make's length, capacity and zero values for small and
// large sizes and several element types.
func TestMake(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 4*Size/8 - 1, 4 * Size / 8, 3*Size + 17, 5 * Size} {
		x := Make[float64](n)
		if len(x) != n || cap(x) != n {
			t.Fatalf("Make[float64](%d): len %d cap %d", n, len(x), cap(x))
		}
		for i, v := range x {
			if v != 0 {
				t.Fatalf("Make[float64](%d)[%d] = %v", n, i, v)
			}
		}
		for i := range x {
			x[i] = float64(i)
		}
		u := Make[uint16](n)
		if len(u) != n || cap(u) != n {
			t.Fatalf("Make[uint16](%d): len %d cap %d", n, len(u), cap(u))
		}
		b := Make[[3]byte](n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("Make[[3]byte](%d): len %d cap %d", n, len(b), cap(b))
		}
	}
}
