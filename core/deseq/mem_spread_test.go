package deseq

import (
	"math"
	"testing"
)

// TestSpreadRows checks spreadRows against spreading into a fresh NaN
// buffer, for index sets with gaps at the start, middle and end, none, and
// all rows.
func TestSpreadRows(t *testing.T) {
	const m = 3
	for _, c := range []struct {
		G   int
		idx []int
	}{
		{5, []int{0, 1, 2, 3, 4}},
		{5, []int{1, 2, 4}},
		{6, []int{0, 5}},
		{4, []int{3}},
		{4, []int{0}},
		{3, nil},
		{7, []int{0, 2, 3, 6}},
	} {
		buf := make([]float64, c.G*m)
		want := make([]float64, c.G*m)
		for i := range want {
			want[i] = math.NaN()
		}
		for i, g := range c.idx {
			for j := 0; j < m; j++ {
				v := float64(100*i + j + 1)
				buf[i*m+j] = v
				want[g*m+j] = v
			}
		}
		spreadRows(buf, c.idx, m)
		for i := range want {
			if math.Float64bits(buf[i]) != math.Float64bits(want[i]) {
				t.Errorf("G=%d idx=%v: buf[%d] = %v, want %v", c.G, c.idx, i, buf[i], want[i])
			}
		}
	}
}
